/*
 * slow_fork_1g - fork() of a process with 1 GiB resident. Too big for the
 * main test machine: the kernel's slow_fork suite runs it (2 GiB of RAM),
 * with -k; the main user suite leaves slow_* programs out.
 *
 * Checks:
 *  1. every page of a 1 GiB private anonymous mapping written before fork
 *     reads back the same in the child (two words a page: the first and
 *     the last);
 *  2. copy-on-write, child side: the child writes every 64th page and sees
 *     its writes; the parent does not see them;
 *  3. copy-on-write, parent side: the parent then writes other pages
 *     (every 64th + 32) while the child is still alive; the child does not
 *     see them;
 *  4. after the child exits the parent still has its own data throughout,
 *     and writes the child's former copies' originals in place.
 * Skipped on a machine with less than 1.5 GiB of RAM.
 * With -k, when both processes have written and are alive, the parent
 * prints "both alive" and waits for a line on stdin: the kernel checks
 * its memory then (the audit, and that the copies are real).
 */
#include "utest.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <time.h>

#define SIZE (1UL << 30)
#define NPAGES (SIZE / PAGE_SIZE)
#define LAST (PAGE_SIZE / sizeof(uint64_t) - 1)   /* the last word of a page */

enum gen { ORIGINAL, CHILD, PARENT };

/* The word page p holds in generation g. */
static uint64_t value(enum gen g, unsigned long p)
{
	return (p * 0x9e3779b97f4a7c15ULL) ^ ((uint64_t)g << 60) ^ 0x5a5a;
}

static void write_pages(uint64_t *mem, enum gen g, unsigned long first, unsigned long step)
{
	for (unsigned long p = first; p < NPAGES; p += step) {
		mem[p * (PAGE_SIZE / 8)] = value(g, p);
		mem[p * (PAGE_SIZE / 8) + LAST] = value(g, p);
	}
}

/* Pages not as expected: generation @g for every @step-th page from @first, ORIGINAL elsewhere. */
static unsigned long bad_pages(const uint64_t *mem, enum gen g, unsigned long first,
			       unsigned long step)
{
	unsigned long bad = 0;

	for (unsigned long p = 0; p < NPAGES; p++) {
		enum gen want = step && p >= first && (p - first) % step == 0 ? g : ORIGINAL;
		uint64_t a = mem[p * (PAGE_SIZE / 8)], b = mem[p * (PAGE_SIZE / 8) + LAST];

		if (a != value(want, p) || b != value(want, p)) {
			if (bad < 3)
				utest_printf("  page %lu: %#llx %#llx, want %#llx\n", p,
					     (unsigned long long)a, (unsigned long long)b,
					     (unsigned long long)value(want, p));
			bad++;
		}
	}
	return bad;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* wait_line - read up to a '\n' from @fd (the kernel's "go"). */
static void wait_line(int fd)
{
	char c;

	while (read(fd, &c, 1) == 1 && c != '\n')
		;
}

int main(int argc, char **argv)
{
	int kernel = argc > 1 && strcmp(argv[1], "-k") == 0;
	int c2p[2], p2c[2], st;
	struct timespec t0;
	struct sysinfo si;
	uint64_t *mem;
	unsigned long bad;
	char c = 0;
	pid_t pid;

	utest_begin("slow_fork_1g", argc, argv);
	if (sysinfo(&si) == 0 && (unsigned long long)si.totalram * si.mem_unit < 3 * SIZE / 2)
		utest_skip("less than 1.5 GiB of RAM");
	mem = sys_mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(mem != MAP_FAILED, "mmap 1 GiB: errno %d", errno);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	write_pages(mem, ORIGINAL, 0, 1);
	utest_printf("wrote %lu MiB in %ld ms\n", SIZE >> 20, ms_since(&t0));
	REQUIRE(pipe(c2p) == 0 && pipe(p2c) == 0, "pipe: errno %d", errno);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	REQUIRE(pid >= 0, "fork with 1 GiB resident: errno %d", errno);
	if (pid == 0) {
		bad = bad_pages(mem, ORIGINAL, 0, 0);
		CHECK(bad == 0, "child: %lu of %lu pages differ from the parent's", bad, NPAGES);
		write_pages(mem, CHILD, 0, 64);
		bad = bad_pages(mem, CHILD, 0, 64);
		CHECK(bad == 0, "child: %lu pages wrong after its own writes", bad);
		CHECK(write(c2p[1], "w", 1) == 1, "child: write to pipe");
		CHECK(read(p2c[0], &c, 1) == 1, "child: read from pipe");
		bad = bad_pages(mem, CHILD, 0, 64);
		CHECK(bad == 0, "child: %lu pages changed by the parent's writes", bad);
		utest_child_exit();
	}
	utest_printf("fork of %lu MiB resident took %ld ms\n", SIZE >> 20, ms_since(&t0));
	REQUIRE(read(c2p[0], &c, 1) == 1, "parent: the child did not get to write");
	bad = bad_pages(mem, ORIGINAL, 0, 0);
	CHECK(bad == 0, "parent: %lu pages changed by the child's writes", bad);
	write_pages(mem, PARENT, 32, 64);
	if (kernel) {
		utest_printf("both alive\n");
		wait_line(0);
	}
	CHECK(write(p2c[1], "p", 1) == 1, "parent: write to pipe");
	st = utest_wait(pid);
	CHECK_EXITED(st, 0, "the child");
	bad = bad_pages(mem, PARENT, 32, 64);
	CHECK(bad == 0, "parent: %lu pages wrong after the child exited", bad);
	/* The child's copies are gone: the parent's pages are its own again. */
	write_pages(mem, PARENT, 0, 1);
	bad = bad_pages(mem, PARENT, 0, 1);
	CHECK(bad == 0, "parent: %lu pages wrong after writing all", bad);
	CHECK(sys_munmap(mem, SIZE) == 0, "munmap: errno %d", errno);
	return utest_done();
}
