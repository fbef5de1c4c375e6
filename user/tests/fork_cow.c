/*
 * fork_cow - fork() gives the child a copy of the address space, made lazily
 * by copy-on-write; each side must see only its own writes.
 *
 * Checks:
 *  1. child sees the parent's data (anonymous mmap, .data, .bss, stack);
 *     the child's writes to all 256 pages never reach the parent;
 *  2. the other direction: the parent writes after fork while the child,
 *     still alive, keeps seeing the old data (a pipe sequences the two);
 *  3. pages only ever read before fork (the shared zero page) stay zero in
 *     the parent when the child writes them;
 *  4. a grandchild: three address spaces sharing pages, each writes;
 *  5. MAP_SHARED|MAP_ANONYMOUS memory is NOT copied: the child's write is
 *     seen by the parent;
 *  6. exit statuses through wait4 (WEXITSTATUS), getppid in the child,
 *     wait4 with no child left -> ECHILD.
 */
#include "utest.h"
#include <stdint.h>
#include <sys/mman.h>

#define NPAGES 256
#define WORDS (PAGE_SIZE / sizeof(uint64_t))

/* Data in the ELF image, copied on write like the anonymous pages. */
static uint64_t data_var = 0x1111111111111111ULL;   /* .data */
static uint64_t bss_arr[4 * WORDS];                 /* .bss, 4 pages */

/* The word at index w of page p, for a given "generation" of writes. */
static uint64_t pattern(int gen, int p, unsigned w)
{
	return ((uint64_t)gen << 56) | ((uint64_t)p << 24) | w;
}

static void fill(uint64_t *mem, int gen)
{
	for (int p = 0; p < NPAGES; p++)
		for (unsigned w = 0; w < WORDS; w += 64)   /* 8 words a page */
			mem[p * WORDS + w] = pattern(gen, p, w);
}

/* Count the pages whose words are not those of generation gen. */
static int bad_pages(const uint64_t *mem, int gen)
{
	int bad = 0;

	for (int p = 0; p < NPAGES; p++) {
		for (unsigned w = 0; w < WORDS; w += 64) {
			if (mem[p * WORDS + w] != pattern(gen, p, w)) {
				if (bad < 3)
					utest_printf("  page %d word %u: %#llx, want %#llx\n",
						     p, w, (unsigned long long)mem[p * WORDS + w],
						     (unsigned long long)pattern(gen, p, w));
				bad++;
				break;
			}
		}
	}
	return bad;
}

int main(int argc, char **argv)
{
	uint64_t *mem, *zero, *shared;
	uint64_t stack_var = 0x5555;
	pid_t parent = getpid(), pid;
	int st, bad, go[2];

	utest_begin("fork_cow", argc, argv);

	mem = mmap(NULL, NPAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(mem != MAP_FAILED, "mmap of %d pages: errno %d", NPAGES, errno);
	zero = mmap(NULL, 16 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(zero != MAP_FAILED, "mmap of 16 pages: errno %d", errno);
	shared = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	REQUIRE(shared != MAP_FAILED, "mmap MAP_SHARED|MAP_ANONYMOUS: errno %d", errno);

	fill(mem, 1);
	for (unsigned i = 0; i < 4 * WORDS; i++)
		bss_arr[i] = i;
	/* Read the zero pages only: they stay mapped to the zero page. */
	uint64_t sum = 0;
	for (int p = 0; p < 16; p++)
		sum += ((volatile uint64_t *)zero)[p * WORDS];
	CHECK(sum == 0, "fresh anonymous memory is not zero");
	shared[0] = 1;

	/* ---- 1. child writes, parent must not see it -------------------- */
	pid = fork();
	REQUIRE(pid >= 0, "fork: errno %d", errno);
	if (pid == 0) {
		CHECK(getppid() == parent, "child: getppid %d, want %d",
		      (int)getppid(), (int)parent);
		CHECK(getpid() != parent, "child has the parent's pid");
		bad = bad_pages(mem, 1);
		CHECK(bad == 0, "child: %d of %d pages differ from the parent's", bad, NPAGES);
		CHECK(data_var == 0x1111111111111111ULL, "child: .data variable wrong");
		CHECK(bss_arr[3 * WORDS + 7] == 3 * WORDS + 7, "child: .bss wrong");
		CHECK(stack_var == 0x5555, "child: stack variable wrong");
		fill(mem, 2);                     /* every page: a COW copy */
		bad = bad_pages(mem, 2);
		CHECK(bad == 0, "child: %d pages lost the child's own write", bad);
		data_var = 0x2222;
		for (unsigned i = 0; i < 4 * WORDS; i++)
			bss_arr[i] = ~0ULL;
		stack_var = 0x6666;
		for (int p = 0; p < 16; p++)      /* write the zero-page pages */
			zero[p * WORDS] = 0xdead0000 + p;
		shared[0] = 42;                   /* shared: the parent sees it */
		utest_own_counts();
		_exit(utest_failures ? 1 : 7);
	}
	st = utest_wait(pid);
	CHECK_EXITED(st, 7, "child 1 (writes all pages)");
	bad = bad_pages(mem, 1);
	CHECK(bad == 0, "parent: %d of %d pages changed by the child's writes", bad, NPAGES);
	CHECK(data_var == 0x1111111111111111ULL, "parent: .data changed by the child");
	CHECK(bss_arr[3 * WORDS + 7] == 3 * WORDS + 7 && bss_arr[0] == 0,
	      "parent: .bss changed by the child");
	CHECK(stack_var == 0x5555, "parent: stack changed by the child");
	sum = 0;
	for (int p = 0; p < 16; p++)
		sum += zero[p * WORDS];
	CHECK(sum == 0, "parent: zero-page pages changed by the child (sum %#llx)",
	      (unsigned long long)sum);
	CHECK(shared[0] == 42, "MAP_SHARED|MAP_ANONYMOUS: parent sees %llu, want 42 "
	      "(shared memory must not be copied at fork)", (unsigned long long)shared[0]);

	/* ---- 2. parent writes, the live child must not see it ----------- */
	REQUIRE(pipe(go) == 0, "pipe: errno %d", errno);
	pid = fork();
	REQUIRE(pid >= 0, "fork: errno %d", errno);
	if (pid == 0) {
		char c;
		close(go[1]);
		/* Wait until the parent has written every page. */
		CHECK(read(go[0], &c, 1) == 1, "child: read from pipe failed");
		bad = bad_pages(mem, 1);
		CHECK(bad == 0, "child: %d pages show the parent's post-fork write", bad);
		CHECK(data_var == 0x1111111111111111ULL, "child: sees parent's .data write");
		CHECK(stack_var == 0x5555, "child: sees parent's stack write");
		utest_child_exit();
	}
	close(go[0]);
	fill(mem, 3);
	data_var = 0x3333;
	stack_var = 0x7777;
	CHECK(write(go[1], "g", 1) == 1, "parent: write to pipe failed");
	close(go[1]);
	st = utest_wait(pid);
	CHECK_EXITED(st, 0, "child 2 (checks old data while parent writes)");
	bad = bad_pages(mem, 3);
	CHECK(bad == 0, "parent: %d pages lost the parent's own write", bad);

	/* ---- 3. grandchild: three copies of the same pages -------------- */
	pid = fork();
	REQUIRE(pid >= 0, "fork: errno %d", errno);
	if (pid == 0) {
		pid_t g = fork();
		if (g == 0) {
			CHECK(bad_pages(mem, 3) == 0, "grandchild: wrong data");
			fill(mem, 5);
			CHECK(bad_pages(mem, 5) == 0, "grandchild: own write lost");
			utest_child_exit();
		}
		CHECK(g > 0, "child: fork failed");
		fill(mem, 4);
		st = utest_wait(g);
		CHECK_EXITED(st, 0, "grandchild");
		CHECK(bad_pages(mem, 4) == 0, "child: grandchild's write leaked in");
		utest_child_exit();
	}
	st = utest_wait(pid);
	CHECK_EXITED(st, 0, "child 3 (with a grandchild)");
	CHECK(bad_pages(mem, 3) == 0, "parent: child's or grandchild's write leaked in");

	/* ---- 4. exit statuses and wait4 errors --------------------------- */
	for (int code = 0; code < 256; code += 85) {
		pid = fork();
		if (pid == 0)
			_exit(code);
		st = utest_wait(pid);
		CHECK_EXITED(st, code, "child exiting with a given status");
	}
	CHECK_ERR(wait4(-1, &st, 0, NULL), ECHILD);
	CHECK_ERR(wait4(-1, &st, WNOHANG, NULL), ECHILD);

	CHECK(munmap(mem, NPAGES * PAGE_SIZE) == 0, "munmap");
	return utest_done();
}
