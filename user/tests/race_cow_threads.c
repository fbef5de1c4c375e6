/*
 * race_cow_threads - several threads write-fault the same copy-on-write
 * page at the same moment.
 *
 * Each round: the parent maps a fresh private page, fills it with a pattern
 * and forks; the child keeps its copy and waits. In the parent, NT threads
 * (created once, so their stacks are already faulted in) are released by a
 * barrier and each writes its own byte offsets of the shared page at once.
 * Checks:
 *  1. afterwards the parent's page holds every thread's bytes and the
 *     pattern everywhere else: there was exactly one copy, all writes landed
 *     in it (a second copy made from the old page would lose the bytes
 *     written into the first);
 *  2. the child's copy still holds the pattern only;
 *  3. ru_minflt (RUSAGE_SELF, all threads) grew by 1..NT+SLACK: one copy
 *     plus at most a fault per other thread that raced it (a pass of the
 *     barriers without touching the page first takes the COW faults of the
 *     threads' stacks and the barrier, shared with the child too);
 *  4. a second write by every thread costs no fault.
 */
#define _GNU_SOURCE
#include "utest.h"
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>

#define NT 4
#define ROUNDS 50
#define SLACK 4
#define PER_T 16                      /* bytes each thread writes */

static volatile unsigned char *page;
static pthread_barrier_t go, done;
static volatile int quit, no_write;

static unsigned char pat(unsigned i) { return (unsigned char)(0x5a ^ (i * 7)); }
static unsigned char mark(int t, int k, int r) { return (unsigned char)(0x80 | (t << 4) | ((k + r) & 15)); }
static int round_no;

static void *worker(void *arg)
{
	int t = (int)(long)arg;

	for (;;) {
		pthread_barrier_wait(&go);
		if (quit)
			break;
		for (int k = 0; k < PER_T && !no_write; k++)
			page[(t * PER_T + k) * 61 % PAGE_SIZE] = mark(t, k, round_no);
		pthread_barrier_wait(&done);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[NT];
	int bad_rounds = 0;
	long maxd = 0, mind = 1 << 30;

	utest_begin("race_cow_threads", argc, argv);
	/* the offsets of different threads must not collide */
	for (int a = 0; a < NT * PER_T; a++)
		for (int b = a + 1; b < NT * PER_T; b++)
			REQUIRE(a * 61 % PAGE_SIZE != b * 61 % PAGE_SIZE, "offsets");
	pthread_barrier_init(&go, NULL, NT + 1);
	pthread_barrier_init(&done, NULL, NT + 1);
	for (int t = 0; t < NT; t++)
		REQUIRE(pthread_create(&th[t], NULL, worker, (void *)(long)t) == 0,
			"pthread_create");

	/* round -1 warms the threads' stacks and the barrier code */
	for (int r = -1; r < ROUNDS; r++) {
		unsigned char *p = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		int c2p[2], p2c[2], st;
		char b = 0;

		REQUIRE(p != MAP_FAILED, "mmap: errno %d", errno);
		for (unsigned i = 0; i < PAGE_SIZE; i++)
			p[i] = pat(i);
		page = p;
		round_no = r & 15;
		REQUIRE(pipe(c2p) == 0 && pipe(p2c) == 0, "pipe");
		pid_t pid = fork();
		REQUIRE(pid >= 0, "fork: errno %d", errno);
		if (pid == 0) {
			int bad = 0;
			close(c2p[0]);
			close(p2c[1]);
			if (write(c2p[1], "r", 1) != 1)
				_exit(2);
			if (read(p2c[0], &b, 1) != 1)
				_exit(3);
			for (unsigned i = 0; i < PAGE_SIZE; i++)
				if (p[i] != pat(i))
					bad++;
			CHECK(!bad, "round %d: child's copy changed at %d bytes", r, bad);
			utest_child_exit();
		}
		close(c2p[1]);
		close(p2c[0]);
		REQUIRE(read(c2p[0], &b, 1) == 1, "child not ready");

		/* a pass without the page: the threads' stacks and the
		 * barrier (shared with the child too) take their COW faults */
		no_write = 1;
		pthread_barrier_wait(&go);
		pthread_barrier_wait(&done);
		no_write = 0;
		long f0 = utest_minflt();
		pthread_barrier_wait(&go);      /* all threads write at once */
		pthread_barrier_wait(&done);
		long f1 = utest_minflt();
		pthread_barrier_wait(&go);      /* second write: no fault */
		pthread_barrier_wait(&done);
		long f2 = utest_minflt();

		int missing = 0, other = 0;
		unsigned char want[PAGE_SIZE];
		for (unsigned i = 0; i < PAGE_SIZE; i++)
			want[i] = pat(i);
		for (int t = 0; t < NT; t++)
			for (int k = 0; k < PER_T; k++)
				want[(t * PER_T + k) * 61 % PAGE_SIZE] = mark(t, k, round_no);
		for (unsigned i = 0; i < PAGE_SIZE; i++)
			if (p[i] != want[i]) {
				if (want[i] != pat(i))
					missing++;
				else
					other++;
			}
		if (write(p2c[1], "g", 1) != 1)
			CHECK(0, "write to child");
		st = utest_wait(pid);
		close(c2p[0]);
		close(p2c[1]);
		munmap(p, PAGE_SIZE);
		if (r < 0)
			continue;
		int ok = 1;
		ok &= CHECK(!missing, "round %d: %d thread bytes missing from the page (more than one copy?)",
			    r, missing);
		ok &= CHECK(!other, "round %d: %d pattern bytes changed", r, other);
		ok &= CHECK_EXITED(st, 0, "child (its copy)");
		ok &= CHECK(f1 - f0 >= 1 && f1 - f0 <= NT + SLACK,
			    "round %d: %ld minor faults for %d racing writers, expected 1..%d",
			    r, f1 - f0, NT, NT + SLACK);
		ok &= CHECK(f2 - f1 <= 1, "round %d: second write pass cost %ld faults", r, f2 - f1);
		if (f1 - f0 > maxd)
			maxd = f1 - f0;
		if (f1 - f0 < mind)
			mind = f1 - f0;
		if (!ok)
			bad_rounds++;
		if (bad_rounds > 3)
			break;
	}
	quit = 1;
	pthread_barrier_wait(&go);
	for (int t = 0; t < NT; t++)
		pthread_join(th[t], NULL);
	utest_printf("  %d rounds, racing write faults per round: %ld..%ld\n",
		     ROUNDS, mind, maxd);
	return utest_done();
}
