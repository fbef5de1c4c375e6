/*
 * race_mprotect_cow - mprotect read-only then read-write on a private page
 * shared after fork must not make it writable in place: it stays
 * write-protected until the next write fault copies (or, once alone,
 * reuses) it.
 *
 * Each round: the parent fills a private page with P and forks; the child
 * waits. The parent mprotects the page PROT_READ, then PROT_READ|WRITE.
 * Order A (child first): the child writes C into its copy; the parent still
 * sees P; the parent writes Q (exactly one minor fault); the child still
 * sees C, the parent Q.
 * Order B (parent first): the parent writes Q (exactly one minor fault);
 * the child still sees P (a writable PTE left by mprotect would have let
 * the parent write into the shared frame); the child writes C; the parent
 * still sees Q.
 * A second parent write costs no fault.
 */
#include "utest.h"
#include <stdint.h>
#include <sys/mman.h>

#define ROUNDS 60

static int fill_bad(volatile unsigned char *p, unsigned char v)
{
	int bad = 0;
	for (unsigned i = 0; i < PAGE_SIZE; i += 64)
		if (p[i] != (unsigned char)(v + i / 64))
			bad++;
	return bad;
}

static void fill(volatile unsigned char *p, unsigned char v)
{
	for (unsigned i = 0; i < PAGE_SIZE; i += 64)
		p[i] = (unsigned char)(v + i / 64);
}

static void say(int fd, char c)
{
	if (write(fd, &c, 1) != 1)
		_exit(5);
}

static char hear(int fd)
{
	char c = 0;
	if (read(fd, &c, 1) != 1)
		_exit(6);
	return c;
}

int main(int argc, char **argv)
{
	int fails = 0;

	utest_begin("race_mprotect_cow", argc, argv);
	utest_minflt();
	for (int r = 0; r < ROUNDS && fails < 4; r++) {
		int child_first = r & 1;
		int c2p[2], p2c[2];
		volatile unsigned char *p = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE,
						 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		REQUIRE(p != MAP_FAILED, "mmap: errno %d", errno);
		fill(p, 'P');
		REQUIRE(pipe(c2p) == 0 && pipe(p2c) == 0, "pipe");
		pid_t pid = fork();
		REQUIRE(pid >= 0, "fork");
		if (pid == 0) {
			/* 'w': write C and answer; 'c': check and answer */
			for (;;) {
				char c = hear(p2c[0]);
				if (c == 'w') {
					fill(p, 'C');
				} else if (c == 'P') {
					CHECK(!fill_bad(p, 'P'), "round %d: child's copy no longer P (parent wrote the shared frame)", r);
				} else if (c == 'C') {
					CHECK(!fill_bad(p, 'C'), "round %d: child's copy lost its C", r);
				} else {
					break;
				}
				say(c2p[1], '.');
			}
			utest_child_exit();
		}
		int f = utest_failures;
		CHECK_OK(sys_mprotect(p, PAGE_SIZE, PROT_READ));
		CHECK(!fill_bad(p, 'P'), "round %d: parent's data changed by mprotect RO", r);
		CHECK_OK(sys_mprotect(p, PAGE_SIZE, PROT_READ | PROT_WRITE));
		if (child_first) {
			say(p2c[1], 'w');
			hear(c2p[0]);
			CHECK(!fill_bad(p, 'P'), "round %d: parent's page changed by the child's write", r);
		}
		long f0 = utest_minflt();
		p[0] = 'Q';
		long f1 = utest_minflt();
		p[64] = 'Q';
		long f2 = utest_minflt();
		CHECK(f1 - f0 == 1, "round %d (%s first): first write after mprotect RW cost %ld faults, expected 1",
		      r, child_first ? "child" : "parent", f1 - f0);
		CHECK(f2 - f1 == 0, "round %d: second write cost %ld faults", r, f2 - f1);
		p[0] = 'P';
		p[64] = 'P' + 1;
		fill(p, 'Q');
		if (!child_first) {
			say(p2c[1], 'P');
			hear(c2p[0]);
			say(p2c[1], 'w');
			hear(c2p[0]);
		}
		say(p2c[1], 'C');
		hear(c2p[0]);
		CHECK(!fill_bad(p, 'Q'), "round %d: parent's Q data lost", r);
		say(p2c[1], 'x');
		CHECK_EXITED(utest_wait(pid), 0, "child");
		close(c2p[0]); close(c2p[1]); close(p2c[0]); close(p2c[1]);
		munmap((void *)p, PAGE_SIZE);
		if (utest_failures > f)
			fails++;
	}
	return utest_done();
}
