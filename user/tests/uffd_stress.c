/*
 * uffd_stress - after Linux's selftests/mm/uffd-stress, small: pages bounce
 * between two areas for ROUNDS rounds. In each round a fresh area is
 * registered; NTHREADS threads each read through their PPT pages of it in a
 * scrambled order, verify every word against the round's pattern and
 * rewrite the page with the next round's; a handler thread serves every
 * fault with UFFDIO_COPY from the previous round's area. The written area
 * is the source of the next round.
 *
 * In the second half of the rounds a racer thread also COPYs every page of
 * the area (from the last page down) while the faults are served, so that
 * COPY races COPY and COPY races the faults' own queueing: a lost COPY must
 * fail with -1/EEXIST (copy field -EEXIST), never corrupt a page or lose a
 * wake-up.
 *
 * Checks: every word of every page in every round; no COPY error other than
 * EEXIST; without the racer exactly one message per page and no EEXIST;
 * with it at least one EEXIST per round; no message left after a round.
 */
#define _GNU_SOURCE
#include "uffd_util.h"

#define NTHREADS 4
#define PPT 64
#define NPAGES (NTHREADS * PPT)
#define ROUNDS 20
#define WORDS (PAGE_SIZE / 8)

static uint64_t word(unsigned page, unsigned round, unsigned w)
{
	return ((uint64_t)page << 40) ^ ((uint64_t)round << 24) ^ (w * 0x9e3779b1ULL) ^ 0x5555;
}

static int uffd;
static char *src, *dst;
static int round_no, racing;

static volatile int stop_handler;
static int served, h_msgs, h_eexist, h_errors, h_bad;
static int r_eexist, r_copied, r_errors;
static int bad_words, bad_pages;
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;

static void *handler_main(void *arg)
{
	struct uffd_msg m;
	(void)arg;
	while (!__atomic_load_n(&stop_handler, __ATOMIC_SEQ_CST)) {
		int r = uffd_wait_msg(uffd, &m, 10);
		if (r == 0)
			continue;
		if (r < 0) {
			h_errors++;
			break;
		}
		h_msgs++;
		uintptr_t addr = m.arg.pagefault.address & ~(PAGE_SIZE - 1);
		if (m.event != UFFD_EVENT_PAGEFAULT || addr < (uintptr_t)dst ||
		    addr >= (uintptr_t)dst + NPAGES * PAGE_SIZE) {
			h_bad++;
			continue;
		}
		size_t off = addr - (uintptr_t)dst;
		__s64 res = 0;
		if (uffd_copy(uffd, dst + off, src + off, PAGE_SIZE, 0, &res) == 0)
			__atomic_add_fetch(&served, 1, __ATOMIC_SEQ_CST);
		else if (errno == EEXIST && res == -EEXIST)
			h_eexist++;
		else
			h_errors++;
	}
	return NULL;
}

static void *racer_main(void *arg)
{
	(void)arg;
	while (__atomic_load_n(&served, __ATOMIC_SEQ_CST) == 0)
		sched_yield();
	for (int i = NPAGES - 1; i >= 0; i--) {
		__s64 res = 0;
		if (uffd_copy(uffd, dst + i * PAGE_SIZE, src + i * PAGE_SIZE, PAGE_SIZE, 0, &res) == 0)
			r_copied++;
		else if (errno == EEXIST && res == -EEXIST)
			r_eexist++;
		else
			r_errors++;
	}
	return NULL;
}

static void *faulter_main(void *arg)
{
	long k = (long)arg;
	int bw = 0, bp = 0;
	for (int s = 0; s < PPT; s++) {
		unsigned j = (s * 37 + k * 11) % PPT;       /* 37 is prime to 64 */
		unsigned page = k * PPT + j;
		volatile uint64_t *p = (volatile uint64_t *)(dst + page * PAGE_SIZE);
		int bad = 0;
		for (unsigned w = 0; w < WORDS; w++)
			if (p[w] != word(page, round_no, w))
				bad++;
		for (unsigned w = 0; w < WORDS; w++)
			p[w] = word(page, round_no + 1, w);
		bw += bad;
		bp += bad != 0;
	}
	pthread_mutex_lock(&count_lock);
	bad_words += bw;
	bad_pages += bp;
	pthread_mutex_unlock(&count_lock);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t h, r, f[NTHREADS];
	int total_msgs = 0, total_eexist = 0;

	utest_begin("uffd_stress", argc, argv);
	uffd = uffd_open(O_CLOEXEC | O_NONBLOCK, 0, NULL);
	src = map_anon(NPAGES);
	for (unsigned page = 0; page < NPAGES; page++)
		for (unsigned w = 0; w < WORDS; w++)
			((uint64_t *)(src + page * PAGE_SIZE))[w] = word(page, 0, w);

	for (round_no = 0; round_no < ROUNDS; round_no++) {
		racing = round_no >= ROUNDS / 2;
		dst = map_anon(NPAGES);
		REQUIRE(uffd_register(uffd, dst, NPAGES * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING,
				      NULL) == 0, "round %d: REGISTER: errno %d", round_no, errno);
		served = h_msgs = h_eexist = h_errors = h_bad = 0;
		r_eexist = r_copied = r_errors = 0;
		bad_words = bad_pages = 0;
		stop_handler = 0;
		REQUIRE(pthread_create(&h, NULL, handler_main, NULL) == 0, "pthread_create");
		if (racing)
			REQUIRE(pthread_create(&r, NULL, racer_main, NULL) == 0, "pthread_create");
		for (long k = 0; k < NTHREADS; k++)
			REQUIRE(pthread_create(&f[k], NULL, faulter_main, (void *)k) == 0, "pthread_create");
		for (int k = 0; k < NTHREADS; k++)
			pthread_join(f[k], NULL);
		if (racing)
			pthread_join(r, NULL);
		__atomic_store_n(&stop_handler, 1, __ATOMIC_SEQ_CST);
		pthread_join(h, NULL);

		int ok = 1;
		ok &= CHECK(bad_words == 0, "round %d: %d words in %d pages differ from the COPYed data",
			    round_no, bad_words, bad_pages);
		ok &= CHECK(h_errors == 0 && h_bad == 0 && r_errors == 0, "round %d: handler %d COPY "
			    "errors, %d bad messages; racer %d errors", round_no, h_errors, h_bad,
			    r_errors);
		if (!racing) {
			ok &= CHECK(h_msgs == NPAGES && h_eexist == 0, "round %d (no racer): %d messages "
				    "(want %d), %d EEXIST (want 0)", round_no, h_msgs, NPAGES, h_eexist);
		} else {
			ok &= CHECK(h_msgs <= NPAGES && served + r_copied == NPAGES,
				    "round %d: %d messages, %d pages COPYed by the handler, %d by the "
				    "racer, for %d pages", round_no, h_msgs, served, r_copied, NPAGES);
			ok &= CHECK(h_eexist + r_eexist >= 1, "round %d: the racing COPYs never met "
				    "EEXIST", round_no);
		}
		struct uffd_msg m;
		ok &= CHECK(uffd_wait_msg(uffd, &m, 0) == 0, "round %d: a message left over (address "
			    "%#llx)", round_no, (unsigned long long)m.arg.pagefault.address);
		total_msgs += h_msgs;
		total_eexist += h_eexist + r_eexist;
		if (racing && round_no == ROUNDS / 2)
			utest_printf("  round %d: %d faults, handler COPYs %d (EEXIST %d), racer COPYs %d "
				     "(EEXIST %d)\n", round_no, h_msgs, served, h_eexist, r_copied,
				     r_eexist);
		REQUIRE(uffd_unregister(uffd, dst, NPAGES * PAGE_SIZE) == 0, "UNREGISTER: errno %d",
			errno);
		munmap(src, NPAGES * PAGE_SIZE);
		src = dst;
		if (!ok)
			break;
	}
	utest_printf("  %d rounds x %d threads x %d pages: %d faults served, %d EEXIST from "
		     "racing COPYs\n", round_no, NTHREADS, PPT, total_msgs, total_eexist);
	munmap(src, NPAGES * PAGE_SIZE);
	close(uffd);
	return utest_done();
}
