/*
 * fork_threads - fork() in a multi-threaded process.
 *
 * Three threads each own 64 pages. Checks:
 *  1. quiet fork: the threads have filled their pages and wait; main forks.
 *     The child has one thread only (the one that called fork) and sees an
 *     exact copy of all 3 x 64 pages; it writes them all; after it exits
 *     the parent's pages are unchanged and the threads, released, find
 *     their own data intact;
 *  2. busy fork: the threads keep writing a counter into each of their
 *     pages, in order, while main forks. The child's copy must be a
 *     consistent snapshot: within each thread's pages the counters only
 *     step down by at most one along the pages (a prefix of the thread's
 *     writes), and the copy must not change while the parent's threads
 *     write two more rounds (a change would mean the parent kept writing
 *     into pages shared with the child: a missing write-protect or TLB
 *     flush);
 *  3. the child can allocate and fork again.
 */
#define _GNU_SOURCE
#include "utest.h"
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define NT 3
#define NP 64
#define WORDS (PAGE_SIZE / sizeof(uint64_t))

static uint64_t *region[NT];
static pthread_barrier_t filled, release;
static volatile int stop_busy, busy_started[NT];
static volatile uint64_t busy_rounds[NT];

static uint64_t pat(int t, int p, unsigned w, int gen)
{
	return ((uint64_t)gen << 48) | ((uint64_t)t << 40) | ((uint64_t)p << 16) | w;
}

static int region_bad(int t, int gen)
{
	int bad = 0;
	for (int p = 0; p < NP; p++)
		for (unsigned w = 0; w < WORDS; w += 32)
			if (region[t][p * WORDS + w] != pat(t, p, w, gen)) {
				bad++;
				break;
			}
	return bad;
}

static void region_fill(int t, int gen)
{
	for (int p = 0; p < NP; p++)
		for (unsigned w = 0; w < WORDS; w += 32)
			region[t][p * WORDS + w] = pat(t, p, w, gen);
}

static void *worker(void *arg)
{
	int t = (int)(long)arg;
	long bad;

	region[t] = mmap(NULL, NP * PAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region[t] == MAP_FAILED)
		return (void *)-1L;
	region_fill(t, 1);
	pthread_barrier_wait(&filled);     /* main forks now */
	pthread_barrier_wait(&release);    /* the child has exited */
	bad = region_bad(t, 1);

	/* Phase 2: keep writing until told to stop. */
	pthread_barrier_wait(&filled);
	volatile uint64_t *r = region[t];
	uint64_t round = 1;
	while (!stop_busy) {
		for (int p = 0; p < NP; p++)
			r[p * WORDS] = round;
		busy_rounds[t] = round++;
		busy_started[t] = 1;       /* one full round done */
	}
	return (void *)bad;
}

int main(int argc, char **argv)
{
	pthread_t th[NT];
	int st;
	pid_t pid;

	utest_begin("fork_threads", argc, argv);
	REQUIRE(pthread_barrier_init(&filled, NULL, NT + 1) == 0, "barrier");
	REQUIRE(pthread_barrier_init(&release, NULL, NT + 1) == 0, "barrier");
	for (long t = 0; t < NT; t++)
		REQUIRE(pthread_create(&th[t], NULL, worker, (void *)t) == 0, "pthread_create");

	/* ---- 1. quiet fork ---------------------------------------------- */
	pthread_barrier_wait(&filled);
	pid = fork();
	REQUIRE(pid >= 0, "fork: errno %d", errno);
	if (pid == 0) {
		CHECK(syscall(SYS_gettid) == getpid(), "child: the forking thread is not the "
		      "child's main thread (tid %ld, pid %d)", syscall(SYS_gettid), (int)getpid());
		for (int t = 0; t < NT; t++) {
			int bad = region_bad(t, 1);
			CHECK(bad == 0, "child: thread %d's region: %d pages wrong", t, bad);
			region_fill(t, 2);
			CHECK(region_bad(t, 2) == 0, "child: own write lost in region %d", t);
		}
		/* 3. the child goes on living normally */
		char *m = malloc(1 << 20);
		CHECK(m != NULL, "child: malloc");
		if (m)
			memset(m, 1, 1 << 20);
		pid_t g = fork();
		if (g == 0)
			_exit(region_bad(0, 2) ? 1 : 0);
		CHECK(g > 0, "child: fork");
		st = utest_wait(g);
		CHECK_EXITED(st, 0, "grandchild");
		utest_child_exit();
	}
	st = utest_wait(pid);
	CHECK_EXITED(st, 0, "child of a 4-thread process (quiet fork)");
	for (int t = 0; t < NT; t++) {
		int bad = region_bad(t, 1);
		CHECK(bad == 0, "parent: region %d: %d pages changed by the child", t, bad);
	}
	pthread_barrier_wait(&release);

	/* ---- 2. busy fork ------------------------------------------------ */
	pthread_barrier_wait(&filled);
	for (int t = 0; t < NT; t++)
		while (!busy_started[t])
			sched_yield();
	int c2p[2], p2c[2];
	REQUIRE(pipe(c2p) == 0 && pipe(p2c) == 0, "pipe");
	pid = fork();
	REQUIRE(pid >= 0, "fork: errno %d", errno);
	if (pid == 0) {
		static uint64_t snap[NT][NP];
		char go;
		close(c2p[0]);
		close(p2c[1]);
		for (int t = 0; t < NT; t++)
			for (int p = 0; p < NP; p++)
				snap[t][p] = region[t][p * WORDS];
		for (int t = 0; t < NT; t++) {
			int ok = snap[t][0] >= 1;
			for (int p = 1; p < NP; p++)
				if (!(snap[t][p] == snap[t][p - 1] || snap[t][p] + 1 == snap[t][p - 1]))
					ok = 0;
			CHECK(ok, "child: region %d is not a snapshot of the thread's writes "
			      "(page 0: %llu, page %d: %llu)", t, (unsigned long long)snap[t][0],
			      NP - 1, (unsigned long long)snap[t][NP - 1]);
		}
		/* Tell the parent we have the snapshot; wait until its threads
		 * have written more rounds; our copy must not have changed. */
		(void)!write(c2p[1], "s", 1);
		CHECK(read(p2c[0], &go, 1) == 1, "child: no word from the parent");
		int changed = 0;
		for (int t = 0; t < NT; t++)
			for (int p = 0; p < NP; p++)
				if (((volatile uint64_t *)region[t])[p * WORDS] != snap[t][p])
					changed++;
		CHECK(changed == 0, "child: %d of its pages changed after fork while the "
		      "parent's threads kept writing (shared, not copied?)", changed);
		/* The untouched words of generation 1 are still there. */
		CHECK(region[1][5 * WORDS + 32] == pat(1, 5, 32, 1), "child: data wrong");
		utest_child_exit();
	}
	close(c2p[1]);
	close(p2c[0]);
	char c;
	CHECK(read(c2p[0], &c, 1) == 1, "child did not report its snapshot");
	/* Let every thread write at least two more full rounds. */
	uint64_t before[NT];
	int progressed = 0;
	for (int t = 0; t < NT; t++)
		before[t] = busy_rounds[t];
	for (long i = 0; i < 20000000L && !progressed; i++) {
		progressed = 1;
		for (int t = 0; t < NT; t++)
			if (busy_rounds[t] < before[t] + 2)
				progressed = 0;
		if (!progressed)
			sched_yield();
	}
	CHECK(progressed, "the parent's threads stopped writing after fork");
	CHECK(write(p2c[1], "g", 1) == 1, "write to the child");
	st = utest_wait(pid);
	CHECK_EXITED(st, 0, "child of a process whose threads write during fork");
	stop_busy = 1;
	for (int t = 0; t < NT; t++) {
		void *ret;
		CHECK(pthread_join(th[t], &ret) == 0, "join");
		CHECK(ret == NULL, "thread %d found %ld of its pages changed after the child's writes",
		      t, (long)ret);
	}
	close(c2p[0]);
	close(p2c[1]);
	return utest_done();
}
