/*
 * cow_reuse - page-fault counts around fork, read through getrusage's
 * ru_minflt (Linux counts one minor fault per handled fault).
 *
 * Checks, for N = 64 pages already written before fork:
 *  1. first touch: writing N fresh anonymous pages costs about N faults;
 *  2. after fork, reading the pages costs (almost) no faults, in the parent
 *     and in the child: fork copies the PTEs (write-protected), it does not
 *     unmap the pages;
 *  3. the child writing its N pages costs about N faults (one COW copy each)
 *     and a second pass over them costs none;
 *  4. after the child has exited, the parent's first write to each page
 *     still faults (its PTEs were write-protected at fork) - about N faults -
 *     but now the page is the parent's alone, so the fault reuses it in
 *     place (do_wp_page -> wp_page_reuse); the data is intact; a second
 *     pass costs no faults.
 * Counts are compared with a small slack: the stack and libc fault too.
 */
#include "utest.h"
#include <stdint.h>
#include <sys/mman.h>

#define N 64
#define SLACK 8

static void write_pages(volatile char *mem, char v)
{
	for (int p = 0; p < N; p++)
		mem[p * PAGE_SIZE + (p % 64)] = v + p;
}

static long read_pages(volatile char *mem)
{
	long sum = 0;
	for (int p = 0; p < N; p++)
		sum += mem[p * PAGE_SIZE + (p % 64)];
	return sum;
}

static int check_pages(volatile char *mem, char v)
{
	int bad = 0;
	for (int p = 0; p < N; p++)
		if (mem[p * PAGE_SIZE + (p % 64)] != (char)(v + p))
			bad++;
	return bad;
}

/* Near N faults: at least N (each page must fault), at most N + SLACK. */
#define CHECK_ABOUT_N(delta, what)                                       \
	CHECK((delta) >= N && (delta) <= N + SLACK,                       \
	      "%s: %ld minor faults, expected %d..%d", what, (long)(delta), \
	      N, N + SLACK)
#define CHECK_FEW(delta, what)                                           \
	CHECK((delta) >= 0 && (delta) <= SLACK,                           \
	      "%s: %ld minor faults, expected at most %d", what,          \
	      (long)(delta), SLACK)

int main(int argc, char **argv)
{
	volatile char *mem;
	long f0, f1, sum;
	int p2c[2], st;
	pid_t pid;

	utest_begin("cow_reuse", argc, argv);
	/* Warm up whatever the measuring code itself touches. */
	f0 = utest_minflt();
	REQUIRE(f0 >= 0, "getrusage: errno %d", errno);

	mem = mmap(NULL, N * PAGE_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(mem != MAP_FAILED, "mmap: errno %d", errno);

	/* 1. first touch */
	f0 = utest_minflt();
	write_pages(mem, 10);
	f1 = utest_minflt();
	CHECK_ABOUT_N(f1 - f0, "first write to fresh pages");
	utest_printf("  first touch of %d pages: %ld faults\n", N, f1 - f0);

	f0 = utest_minflt();
	write_pages(mem, 10);
	f1 = utest_minflt();
	CHECK_FEW(f1 - f0, "second write to the same pages");

	REQUIRE(pipe(p2c) == 0, "pipe: errno %d", errno);
	pid = fork();
	REQUIRE(pid >= 0, "fork: errno %d", errno);
	if (pid == 0) {
		char c;
		close(p2c[1]);
		utest_minflt();     /* the stack page: COW-copied here, not below */
		/* 2. reading costs nothing: the PTEs were copied */
		f0 = utest_minflt();
		sum = read_pages(mem);
		f1 = utest_minflt();
		CHECK_FEW(f1 - f0, "child: reading all pages after fork");
		CHECK(check_pages(mem, 10) == 0, "child: wrong data after fork");
		/* 3. writing: one COW copy per page */
		f0 = utest_minflt();
		write_pages(mem, 50);
		f1 = utest_minflt();
		CHECK_ABOUT_N(f1 - f0, "child: first write to each shared page");
		utest_printf("  child: COW write of %d pages: %ld faults\n", N, f1 - f0);
		f0 = utest_minflt();
		write_pages(mem, 60);
		f1 = utest_minflt();
		CHECK_FEW(f1 - f0, "child: second write (pages are its own now)");
		CHECK(check_pages(mem, 60) == 0, "child: lost its own writes");
		(void)sum;
		/* Stay alive until the parent has read its pages. */
		CHECK(read(p2c[0], &c, 1) == 0, "child: expected EOF from the parent");
		utest_child_exit();
	}
	close(p2c[0]);
	/* 2. parent: reading while the child is alive costs nothing either */
	utest_minflt();
	f0 = utest_minflt();
	sum = read_pages(mem);
	f1 = utest_minflt();
	CHECK_FEW(f1 - f0, "parent: reading all pages after fork");
	close(p2c[1]);                  /* let the child finish */
	st = utest_wait(pid);
	CHECK_EXITED(st, 0, "child");
	CHECK(check_pages(mem, 10) == 0, "parent: child's writes leaked in");

	/* 4. the child is gone: each write faults once and reuses the page */
	utest_minflt();
	f0 = utest_minflt();
	write_pages(mem, 90);
	f1 = utest_minflt();
	CHECK_ABOUT_N(f1 - f0, "parent: first write after the child exited");
	utest_printf("  parent: write of %d pages after the child exited: %ld faults "
		     "(write-protected since fork, now reused in place)\n", N, f1 - f0);
	f0 = utest_minflt();
	write_pages(mem, 100);
	f1 = utest_minflt();
	CHECK_FEW(f1 - f0, "parent: second write after reuse");
	CHECK(check_pages(mem, 100) == 0, "parent: data wrong after reuse");

	/* 5. getrusage(RUSAGE_CHILDREN) includes the reaped child's faults */
	struct rusage ru;
	CHECK(getrusage(RUSAGE_CHILDREN, &ru) == 0, "getrusage(RUSAGE_CHILDREN)");
	CHECK(ru.ru_minflt >= N, "RUSAGE_CHILDREN: ru_minflt %ld, want >= %d (the "
	      "child's COW faults)", ru.ru_minflt, N);

	return utest_done();
}
