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
#include "utest.h"
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/userfaultfd.h>

/* ---- userfaultfd helpers (the same block in every uffd_*.c test) -------- */
#pragma GCC diagnostic ignored "-Wunused-function"
#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* userfaultfd(flags), skipping the whole test where the system has none. */
static int uffd_create(int flags)
{
	long fd = syscall(SYS_userfaultfd, flags);

	if (fd < 0 && (errno == ENOSYS || errno == EPERM)) {
		char why[96];
		snprintf(why, sizeof(why), "userfaultfd(%#x) not available here: errno %d (%s)",
			 flags, errno, strerror(errno));
		utest_skip(why);
	}
	REQUIRE(fd >= 0, "userfaultfd(%#x): errno %d (%s)", flags, errno, strerror(errno));
	return (int)fd;
}

/* A new uffd after a successful UFFDIO_API asking for `features`. */
static int uffd_open(int flags, __u64 features, __u64 *avail)
{
	int fd = uffd_create(flags);
	struct uffdio_api api = { .api = UFFD_API, .features = features };

	REQUIRE(ioctl(fd, UFFDIO_API, &api) == 0, "UFFDIO_API(features %#llx): errno %d (%s)",
		(unsigned long long)features, errno, strerror(errno));
	if (avail)
		*avail = api.features;
	return fd;
}

/* The features this kernel reports (UFFDIO_API on a scratch fd). */
static __u64 uffd_features(void)
{
	__u64 f = 0;
	int fd = uffd_open(O_CLOEXEC, 0, &f);

	close(fd);
	return f;
}

static int uffd_register(int fd, void *start, size_t len, __u64 mode, __u64 *ioctls)
{
	struct uffdio_register r = { .range = { (uintptr_t)start, len }, .mode = mode };
	int ret = ioctl(fd, UFFDIO_REGISTER, &r);

	if (ioctls)
		*ioctls = r.ioctls;
	return ret;
}

static int uffd_unregister(int fd, void *start, size_t len)
{
	struct uffdio_range r = { (uintptr_t)start, len };

	return ioctl(fd, UFFDIO_UNREGISTER, &r);
}

/* UFFDIO_COPY; *res gets the copy field (may be NULL). */
static int uffd_copy(int fd, void *dst, const void *src, size_t len, __u64 mode, __s64 *res)
{
	struct uffdio_copy c = { .dst = (uintptr_t)dst, .src = (uintptr_t)src, .len = len,
				 .mode = mode, .copy = 0x5a5a };
	int ret = ioctl(fd, UFFDIO_COPY, &c);

	if (res)
		*res = c.copy;
	return ret;
}

static int uffd_zeropage(int fd, void *dst, size_t len, __u64 mode, __s64 *res)
{
	struct uffdio_zeropage z = { .range = { (uintptr_t)dst, len }, .mode = mode,
				     .zeropage = 0x5a5a };
	int ret = ioctl(fd, UFFDIO_ZEROPAGE, &z);

	if (res)
		*res = z.zeropage;
	return ret;
}

static int uffd_wake(int fd, void *start, size_t len)
{
	struct uffdio_range r = { (uintptr_t)start, len };

	return ioctl(fd, UFFDIO_WAKE, &r);
}

/*
 * Wait up to `ms` for one message on an O_NONBLOCK uffd (poll, then read).
 * Returns 1 with *m filled, 0 if nothing came, -1 on a read error.
 */
static int uffd_wait_msg(int fd, struct uffd_msg *m, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r;

	do
		r = poll(&p, 1, ms);
	while (r == -1 && errno == EINTR);
	if (r <= 0)
		return 0;
	memset(m, 0xee, sizeof(*m));
	ssize_t n = read(fd, m, sizeof(*m));
	if (n == (ssize_t)sizeof(*m))
		return 1;
	if (n == -1 && errno == EAGAIN)
		return 0;
	utest_printf("  read(uffd) returned %zd, errno %d (%s)\n", n, errno, strerror(errno));
	return -1;
}

/* A page-sized anonymous private mapping of `pages` pages. */
static char *map_anon(size_t pages)
{
	void *p = mmap(NULL, pages * PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	REQUIRE(p != MAP_FAILED, "mmap of %zu pages: errno %d", pages, errno);
	return p;
}

/*
 * A thread that touches one address (read or write) and records when it
 * is done: what a "faulting thread" is in these tests.
 */
struct toucher {
	pthread_t thread;
	volatile char *addr;
	int write;          /* 0: read one byte; 1: write `value` */
	char value;
	char seen;          /* what a read saw */
	pid_t tid;
	volatile int started, done;
};

static void *toucher_main(void *arg)
{
	struct toucher *t = arg;

	t->tid = (pid_t)syscall(SYS_gettid);
	__atomic_store_n(&t->started, 1, __ATOMIC_SEQ_CST);
	if (t->write)
		*t->addr = t->value;
	else
		t->seen = *t->addr;
	__atomic_store_n(&t->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void touch_start(struct toucher *t, void *addr, int write, char value)
{
	memset(t, 0, sizeof(*t));
	t->addr = addr;
	t->write = write;
	t->value = value;
	REQUIRE(pthread_create(&t->thread, NULL, toucher_main, t) == 0, "pthread_create");
	while (!__atomic_load_n(&t->started, __ATOMIC_SEQ_CST))
		sched_yield();
}

/* Has the toucher finished within `ms`? */
static int touch_done(struct toucher *t, int ms)
{
	for (int i = 0; i < ms; i++) {
		if (__atomic_load_n(&t->done, __ATOMIC_SEQ_CST))
			return 1;
		msleep(1);
	}
	return __atomic_load_n(&t->done, __ATOMIC_SEQ_CST);
}
/* Join a toucher that is done; leave one that still waits (reported by
 * the caller's CHECK) so that the test goes on. */
static void touch_join(struct toucher *t)
{
	if (touch_done(t, 100))
		pthread_join(t->thread, NULL);
	else
		pthread_detach(t->thread);
}
/* ---- end of the helpers ------------------------------------------------ */

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
