/*
 * brk_mmap - the heap (brk) and anonymous mmap: growth, shrinking, holes,
 * MAP_FIXED, hints, protections, and that fresh memory is always zero.
 *
 * musl's brk()/sbrk() wrappers refuse to move the break, so the raw
 * system call is used (it returns the new break, or the old one on error).
 *
 * Checks:
 *  1. brk: grows by 64 KiB, the new pages are zero and writable; grows
 *     again; shrinks: the released page is gone (a child touching it dies
 *     by SIGSEGV); grown back, it reads zero again; a break below the start
 *     or in the kernel half is refused (break unchanged);
 *  2. malloc: 1000 small blocks keep their contents; an 8 MiB block (mmap
 *     path) is zero where it should be, writable, and freed;
 *  3. mmap: fresh anonymous memory is zero; a hint at a free address is
 *     honoured; MAP_FIXED over part of a mapping replaces just that part
 *     (zero pages in the middle, the old data on both sides); munmap of the
 *     middle leaves both ends usable and the middle unmapped; mprotect of
 *     the middle page to read-only faults on write there only; PROT_NONE
 *     faults on read, and mprotect(RW) makes it usable; memory unmapped and
 *     mapped again is zero, never the old data; a 64 MiB mapping costs
 *     nothing until touched;
 *  4. errors: len 0, unaligned MAP_FIXED, MAP_FIXED in the kernel half or
 *     past the end of user space, an impossible size.
 */
#include "utest.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

static uintptr_t sys_brk(uintptr_t addr)
{
	return (uintptr_t)syscall(SYS_brk, addr);
}

static void touch(void *p)
{
	*(volatile char *)p = 1;
}

static void read_byte(void *p)
{
	(void)*(volatile char *)p;
}

/* Run fn(p) in a child; it must die by SIGSEGV. */
#define CHECK_SEGV(fn, p, what)                                           \
	CHECK_SIGNALED(utest_in_child((void (*)(void *))(fn), (p)), SIGSEGV, what)

static int all_zero(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return 0;
	return 1;
}

int main(int argc, char **argv)
{
	uintptr_t b0, b;
	char *p, *q;

	utest_begin("brk_mmap", argc, argv);

	/* ---- 1. brk (before malloc may use it) --------------------------- */
	b0 = sys_brk(0);
	CHECK(b0 != 0 && b0 < 0x800000000000ULL, "brk(0) = %#lx", (unsigned long)b0);
	uintptr_t start = (b0 + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	b = sys_brk(start + 16 * PAGE_SIZE);
	CHECK(b == start + 16 * PAGE_SIZE, "brk grow by 64 KiB: %#lx, want %#lx",
	      (unsigned long)b, (unsigned long)(start + 16 * PAGE_SIZE));
	if (b == start + 16 * PAGE_SIZE) {
		p = (char *)start;
		CHECK(all_zero(p, 16 * PAGE_SIZE), "new heap pages are not zero");
		memset(p, 'h', 16 * PAGE_SIZE);
		b = sys_brk(start + 32 * PAGE_SIZE);
		CHECK(b == start + 32 * PAGE_SIZE, "brk grow again");
		CHECK(p[16 * PAGE_SIZE - 1] == 'h' && all_zero(p + 16 * PAGE_SIZE, 16 * PAGE_SIZE),
		      "growing the heap changed old data or gave non-zero pages");
		memset(p + 16 * PAGE_SIZE, 'i', 16 * PAGE_SIZE);
		/* shrink by 8 pages */
		b = sys_brk(start + 24 * PAGE_SIZE);
		CHECK(b == start + 24 * PAGE_SIZE, "brk shrink: %#lx", (unsigned long)b);
		CHECK(p[24 * PAGE_SIZE - 1] == 'i', "data below the break lost on shrink");
		CHECK_SEGV(touch, p + 24 * PAGE_SIZE, "write above a lowered break");
		CHECK_SEGV(read_byte, p + 31 * PAGE_SIZE, "read above a lowered break");
		b = sys_brk(start + 32 * PAGE_SIZE);
		CHECK(b == start + 32 * PAGE_SIZE, "brk grow after shrink");
		CHECK(all_zero(p + 24 * PAGE_SIZE, 8 * PAGE_SIZE),
		      "heap pages given back and grown again are not zero");
		/* refused requests leave the break alone */
		b = sys_brk(b0 - 64 * PAGE_SIZE);
		CHECK(b == start + 32 * PAGE_SIZE, "brk below its start: returned %#lx",
		      (unsigned long)b);
		b = sys_brk(0xffff888000000000ULL);
		CHECK(b == start + 32 * PAGE_SIZE, "brk into the kernel half: returned %#lx",
		      (unsigned long)b);
		/* give it all back */
		b = sys_brk(b0);
		CHECK(b == b0, "brk back to the start: %#lx", (unsigned long)b);
	}

	/* ---- 2. malloc ------------------------------------------------------ */
	static char *blocks[1000];
	int bad = 0;
	for (int i = 0; i < 1000; i++) {
		blocks[i] = malloc(16 + i % 200);
		if (!blocks[i]) {
			bad++;
			continue;
		}
		memset(blocks[i], (char)i, 16 + i % 200);
	}
	for (int i = 0; i < 1000; i++)
		if (blocks[i] && (blocks[i][0] != (char)i || blocks[i][15 + i % 200] != (char)i))
			bad++;
	CHECK(bad == 0, "%d of 1000 small malloc blocks failed or lost data", bad);
	for (int i = 0; i < 1000; i += 2)
		free(blocks[i]);
	for (int i = 1; i < 1000; i += 2)
		free(blocks[i]);
	p = malloc(8 << 20);
	CHECK(p != NULL, "malloc(8 MiB)");
	if (p) {
		CHECK(p[0] == 0 && p[(8 << 20) - 1] == 0 && p[4 << 20] == 0,
		      "a large malloc block (fresh mmap) is not zero");
		memset(p, 'm', 8 << 20);
		CHECK(p[(8 << 20) - 1] == 'm', "large block write");
		free(p);
	}

	/* ---- 3. mmap ------------------------------------------------------ */
	p = mmap(NULL, 8 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED, "mmap 8 pages: errno %d", errno);
	CHECK(((uintptr_t)p & (PAGE_SIZE - 1)) == 0, "mmap result %p not page aligned", p);
	CHECK(all_zero(p, 8 * PAGE_SIZE), "fresh anonymous memory is not zero");
	memset(p, 'A', 8 * PAGE_SIZE);
	CHECK(munmap(p, 8 * PAGE_SIZE) == 0, "munmap");

	/* a hint at a free address (the one just unmapped) is honoured */
	q = mmap(p, 8 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(q == p, "mmap with a free hint %p returned %p", p, q);
	REQUIRE(q != MAP_FAILED, "mmap");
	CHECK(all_zero(q, 8 * PAGE_SIZE), "memory mapped again shows the old data");
	memset(q, 'A', 8 * PAGE_SIZE);

	/* MAP_FIXED over pages 2..3 replaces just them */
	char *f = mmap(q + 2 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(f == q + 2 * PAGE_SIZE, "MAP_FIXED returned %p, want %p", f, q + 2 * PAGE_SIZE);
	CHECK(all_zero(q + 2 * PAGE_SIZE, 2 * PAGE_SIZE), "MAP_FIXED pages kept the old data");
	CHECK(q[2 * PAGE_SIZE - 1] == 'A' && q[4 * PAGE_SIZE] == 'A',
	      "MAP_FIXED changed the pages around it");
	memset(q + 2 * PAGE_SIZE, 'F', 2 * PAGE_SIZE);

	/* munmap of the middle (pages 3..4) */
	CHECK(munmap(q + 3 * PAGE_SIZE, 2 * PAGE_SIZE) == 0, "munmap of the middle");
	CHECK(q[0] == 'A' && q[3 * PAGE_SIZE - 1] == 'F', "low end lost data");
	CHECK(q[5 * PAGE_SIZE] == 'A' && q[8 * PAGE_SIZE - 1] == 'A', "high end lost data");
	q[0] = 'a';
	q[8 * PAGE_SIZE - 1] = 'z';
	CHECK(q[0] == 'a' && q[8 * PAGE_SIZE - 1] == 'z', "ends not writable after the split");
	CHECK_SEGV(read_byte, q + 3 * PAGE_SIZE, "read in the unmapped middle (first page)");
	CHECK_SEGV(touch, q + 5 * PAGE_SIZE - 1, "write in the unmapped middle (last byte)");

	/* mprotect the page after the hole read-only */
	CHECK(mprotect(q + 5 * PAGE_SIZE, PAGE_SIZE, PROT_READ) == 0, "mprotect PROT_READ");
	CHECK(q[5 * PAGE_SIZE] == 'A', "read of a read-only page");
	CHECK_SEGV(touch, q + 5 * PAGE_SIZE, "write to a page made read-only");
	q[6 * PAGE_SIZE] = 'w';      /* its neighbour is still writable */
	CHECK(q[6 * PAGE_SIZE] == 'w', "neighbour of the read-only page");
	CHECK(mprotect(q + 5 * PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE) == 0, "mprotect RW");
	q[5 * PAGE_SIZE] = 'W';
	CHECK(q[5 * PAGE_SIZE] == 'W', "write after mprotect back to RW");
	CHECK(munmap(q, 8 * PAGE_SIZE) == 0, "munmap over the hole");
	CHECK_SEGV(read_byte, q, "read after munmap of everything");

	/* PROT_NONE */
	p = mmap(NULL, 2 * PAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED, "mmap PROT_NONE");
	CHECK_SEGV(read_byte, p, "read of a PROT_NONE page");
	CHECK(mprotect(p, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE) == 0, "mprotect RW");
	p[PAGE_SIZE + 1] = 'n';
	CHECK(p[PAGE_SIZE + 1] == 'n' && p[0] == 0, "PROT_NONE page made RW");
	munmap(p, 2 * PAGE_SIZE);

	/* 64 MiB, lazily: only the touched pages cost anything */
	long f0 = utest_minflt();
	p = mmap(NULL, 64 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED, "mmap 64 MiB: errno %d", errno);
	for (int i = 0; i < 64; i++)
		p[(size_t)i << 20] = (char)i;
	long f1 = utest_minflt();
	CHECK(f1 - f0 >= 64 && f1 - f0 < 64 + 16, "64 MiB mapping, 64 pages touched: %ld "
	      "faults (want about 64: mapping must be lazy)", f1 - f0);
	CHECK(p[33 << 20] == 33, "data in the big mapping");
	CHECK(munmap(p, 64 << 20) == 0, "munmap 64 MiB");

	/* ---- 4. errors ----------------------------------------------------- */
	CHECK_ERR(sys_mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	CHECK_ERR(sys_mmap((void *)0x10000001, PAGE_SIZE, PROT_READ,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EINVAL);
	CHECK_ERR(sys_mmap((void *)0xffff888000000000ULL, PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), ENOMEM);
	CHECK_ERR(sys_mmap((void *)0x7ffffffff000ULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), ENOMEM);
	CHECK_ERR(sys_mmap(NULL, 1ULL << 50, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM);
	/* a hint in the kernel half is only a hint: a normal address comes back */
	p = mmap((void *)0xffff888000000000ULL, PAGE_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED && (uintptr_t)p < 0x800000000000ULL,
	      "mmap with a kernel-half hint returned %p", p);
	if (p != MAP_FAILED)
		munmap(p, PAGE_SIZE);

	return utest_done();
}
