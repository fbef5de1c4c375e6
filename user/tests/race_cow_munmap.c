/*
 * race_cow_munmap - a copy-on-write write fault racing munmap + mmap of the
 * same page from another thread.
 *
 * A region of ROUNDS pages is filled with a pattern and shared with a
 * forked child (which keeps it and checks it at the end). Round i: thread W
 * writes V into page i in a tight loop (each first write is a COW fault)
 * while thread U (once W is running; W yields now and then so that this
 * also interleaves on one CPU) replaces page i with a fresh anonymous page:
 *   even rounds: munmap, then mmap MAP_FIXED (W may hit the hole: its
 *                SIGSEGV is caught and it goes on writing);
 *   odd rounds:  mmap MAP_FIXED straight over it (no hole).
 * Checks: no crash; afterwards page i is the new page: byte 0 is 0 or V,
 * every other byte 0 (the pattern is gone); a fault in the hole is SIGSEGV
 * only on munmap rounds; the child's copy of every page still holds the
 * pattern; the process exits 0.
 */
#define _GNU_SOURCE
#include "utest.h"
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/mman.h>

#define ROUNDS 200
#define V 0xa5

static unsigned char *region;
static volatile int cur = -1, u_done, w_started, quit;
static pthread_barrier_t go, done;
static __thread sigjmp_buf *segv_jb;
static volatile long segvs, segv_odd, writes;
static volatile int replace_err;

static unsigned char pat(int pg, unsigned i) { return (unsigned char)(0x11 + pg + i * 3) | 1; }

static void on_segv(int sig)
{
	(void)sig;
	if (segv_jb)
		siglongjmp(*segv_jb, 1);
	signal(SIGSEGV, SIG_DFL);
}

static void *writer(void *arg)
{
	sigjmp_buf jb;
	(void)arg;
	for (;;) {
		pthread_barrier_wait(&go);
		if (quit)
			break;
		volatile unsigned char *p = region + (size_t)cur * PAGE_SIZE;
		segv_jb = &jb;
		if (sigsetjmp(jb, 1)) {
			segvs++;
			if (cur & 1)
				segv_odd++;
		}
		long n = 0;
		w_started = 1;
		while (!u_done) {
			p[0] = V;
			/* on one CPU, let the unmapper in mid-loop */
			if ((++n & 255) == 0)
				sched_yield();
		}
		for (int k = 0; k < 8; k++)
			p[0] = V;
		segv_jb = NULL;
		writes += n;
		pthread_barrier_wait(&done);
	}
	return NULL;
}

static void *unmapper(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_barrier_wait(&go);
		if (quit)
			break;
		void *a = region + (size_t)cur * PAGE_SIZE;
		while (!w_started)
			sched_yield();
		for (volatile int spin = 0; spin < (cur * 37) % 200; spin++)
			;
		if (!(cur & 1) && sys_munmap(a, PAGE_SIZE) != 0)
			replace_err = errno;
		void *q = sys_mmap(a, PAGE_SIZE, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (q != a)
			replace_err = q == MAP_FAILED ? errno : -1;
		u_done = 1;
		pthread_barrier_wait(&done);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t tw, tu;
	int p2c[2], c2p[2];
	char b;
	int fails = 0;
	struct sigaction sa;

	utest_begin("race_cow_munmap", argc, argv);
	region = mmap(NULL, ROUNDS * PAGE_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(region != MAP_FAILED, "mmap: errno %d", errno);
	for (int pg = 0; pg < ROUNDS; pg++)
		for (unsigned i = 0; i < PAGE_SIZE; i++)
			region[pg * PAGE_SIZE + i] = pat(pg, i);
	REQUIRE(pipe(p2c) == 0 && pipe(c2p) == 0, "pipe");
	pid_t pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		int bad = 0;
		if (write(c2p[1], "r", 1) != 1 || read(p2c[0], &b, 1) != 1)
			_exit(3);
		for (int pg = 0; pg < ROUNDS; pg++)
			for (unsigned i = 0; i < PAGE_SIZE; i++)
				if (region[pg * PAGE_SIZE + i] != pat(pg, i)) {
					bad++;
					break;
				}
		CHECK(!bad, "child: %d of its pages changed", bad);
		utest_child_exit();
	}
	REQUIRE(read(c2p[0], &b, 1) == 1, "child not ready");

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_segv;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	pthread_barrier_init(&go, NULL, 3);
	pthread_barrier_init(&done, NULL, 3);
	REQUIRE(pthread_create(&tw, NULL, writer, NULL) == 0, "pthread_create");
	REQUIRE(pthread_create(&tu, NULL, unmapper, NULL) == 0, "pthread_create");

	for (int r = 0; r < ROUNDS && fails < 4; r++) {
		int f = utest_failures;
		cur = r;
		u_done = 0;
		w_started = 0;
		pthread_barrier_wait(&go);
		pthread_barrier_wait(&done);
		unsigned char *p = region + (size_t)r * PAGE_SIZE;
		int nz = 0;
		for (unsigned i = 1; i < PAGE_SIZE; i++)
			if (p[i])
				nz++;
		CHECK(replace_err == 0, "round %d: munmap/mmap failed: %d", r, replace_err);
		CHECK(p[0] == 0 || p[0] == V, "round %d: byte 0 is 0x%x, expected 0 or 0x%x",
		      r, p[0], V);
		CHECK(nz == 0, "round %d: %d bytes of the replaced page not zero (old page still mapped?)",
		      r, nz);
		if (utest_failures > f)
			fails++;
	}
	quit = 1;
	pthread_barrier_wait(&go);
	pthread_join(tw, NULL);
	pthread_join(tu, NULL);
	CHECK(segv_odd == 0, "%ld SIGSEGVs on MAP_FIXED-over rounds (no hole there)", segv_odd);
	utest_printf("  %d rounds, %ld writes, %ld SIGSEGVs in the munmap hole\n",
		     ROUNDS, writes, segvs);
	if (write(p2c[1], "g", 1) != 1)
		CHECK(0, "write to child");
	CHECK_EXITED(utest_wait(pid), 0, "child (its copies)");
	return utest_done();
}
