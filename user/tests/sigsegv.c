/*
 * sigsegv - bad memory accesses and CPU exceptions from user mode must kill
 * the offending process with the right signal, never the kernel.
 *
 * Each case runs in a child that must die by the named signal while this
 * process (the parent) carries on:
 *   SIGSEGV: write to a PROT_READ mapping; read an unmapped address; read
 *            address 0; jump to a wild address; jump into a non-executable
 *            (NX) page; stack overflow by recursion; write to the program's
 *            own text; read/write kernel addresses (direct map, kernel
 *            image); a non-canonical address (#GP); privileged instructions
 *            hlt and cli (#GP); a SIGSEGV handler that itself faults;
 *   SIGBUS:  touch page 2 of a 3-page mapping of a 1-page file;
 *   SIGILL:  ud2;  SIGFPE: integer divide by zero;  SIGTRAP: int3.
 * Then, in this process, a SA_SIGINFO handler catches faults and
 * siglongjmp()s out: si_signo, si_code (SEGV_MAPERR / SEGV_ACCERR) and
 * si_addr must be right, and the process goes on.
 */
#include "utest.h"
#include <fcntl.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/mman.h>

static volatile int depth_limit = 1 << 30;   /* volatile: no tail-call tricks */

static void do_write_readonly(void *arg)
{
	(void)arg;
	volatile char *p = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		_exit(2);
	(void)p[0];          /* reading is fine */
	p[0] = 1;            /* writing is not */
}

static void do_read_unmapped(void *arg)
{
	(void)arg;
	volatile char *p = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || munmap((void *)p, PAGE_SIZE))
		_exit(2);
	(void)p[100];
}

static void do_read_null(void *arg)
{
	(void)arg;
	volatile int *p = (volatile int *)(uintptr_t)depth_limit;
	p = (volatile int *)((uintptr_t)p & 0);    /* NULL, hidden from the compiler */
	(void)*p;
}

static void do_jump_wild(void *arg)
{
	(void)arg;
	void (*f)(void) = (void (*)(void))(uintptr_t)0x12345678000ULL;
	f();
}

static void do_jump_nx(void *arg)
{
	(void)arg;
	unsigned char *p = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		_exit(2);
	p[0] = 0xc3;         /* "ret": harmless if it ran, but it must not run */
	((void (*)(void))(void *)p)();
}

static int recurse(int n)
{
	volatile char buf[512];
	buf[0] = (char)n;
	if (n >= depth_limit)
		return buf[0];
	return recurse(n + 1) + buf[0];
}

static void do_stack_overflow(void *arg)
{
	(void)arg;
	utest_printf("  (child recursing until the stack runs out)\n");
	recurse(0);
}

static void do_write_text(void *arg)
{
	(void)arg;
	volatile unsigned char *p = (volatile unsigned char *)(uintptr_t)&do_write_text;
	unsigned char c = p[0];   /* text is readable */
	p[0] = c;                 /* but not writable */
}

static void do_read_kernel_directmap(void *arg)
{
	(void)arg;
	(void)*(volatile long *)0xffff888000100000ULL;   /* RAM via the direct map */
}

static void do_write_kernel_image(void *arg)
{
	(void)arg;
	*(volatile long *)0xffffffff80100000ULL = 0;
}

static void do_noncanonical(void *arg)
{
	(void)arg;
	(void)*(volatile long *)0x0000800000000000ULL;   /* #GP, not #PF */
}

static void do_hlt(void *arg)
{
	(void)arg;
	__asm__ volatile("hlt");
}

static void do_cli(void *arg)
{
	(void)arg;
	__asm__ volatile("cli");
}

static void do_ud2(void *arg)
{
	(void)arg;
	__asm__ volatile("ud2");
}

static void do_div0(void *arg)
{
	(void)arg;
	volatile int zero = 0, x = 42;
	x = x / zero;
}

static void do_int3(void *arg)
{
	(void)arg;
	__asm__ volatile("int3");
}

/* Addresses in the first page; volatile so the compiler cannot see them. */
static volatile uintptr_t low_addr1 = 8, low_addr2 = 16;

static void bad_handler(int sig)
{
	(void)sig;
	*(volatile int *)low_addr2 = 1;   /* fault inside the SIGSEGV handler */
}

static void do_fault_in_handler(void *arg)
{
	(void)arg;
	struct sigaction sa = { .sa_handler = bad_handler };
	sigaction(SIGSEGV, &sa, NULL);
	*(volatile int *)low_addr1 = 1;
}

static const char *bus_path;

static void do_sigbus(void *arg)
{
	(void)arg;
	int fd = open(bus_path, O_RDONLY);
	if (fd < 0)
		_exit(2);
	volatile char *p = mmap(NULL, 3 * PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		_exit(3);
	if (p[0] != 'b')          /* page 0 holds the file's data */
		_exit(4);
	(void)p[2 * PAGE_SIZE];   /* page 2: no file behind it */
}

struct crash_case {
	const char *name;
	void (*fn)(void *);
	int sig;
};

static const struct crash_case cases[] = {
	{ "write to a PROT_READ page", do_write_readonly, SIGSEGV },
	{ "read an unmapped page", do_read_unmapped, SIGSEGV },
	{ "read address 0", do_read_null, SIGSEGV },
	{ "jump to a wild address", do_jump_wild, SIGSEGV },
	{ "jump into a non-executable page", do_jump_nx, SIGSEGV },
	{ "stack overflow by recursion", do_stack_overflow, SIGSEGV },
	{ "write to the program's text", do_write_text, SIGSEGV },
	{ "read the kernel's direct map", do_read_kernel_directmap, SIGSEGV },
	{ "write the kernel image", do_write_kernel_image, SIGSEGV },
	{ "non-canonical address", do_noncanonical, SIGSEGV },
	{ "hlt in user mode", do_hlt, SIGSEGV },
	{ "cli in user mode", do_cli, SIGSEGV },
	{ "SIGSEGV handler that faults", do_fault_in_handler, SIGSEGV },
	{ "file mapping past EOF", do_sigbus, SIGBUS },
	{ "ud2", do_ud2, SIGILL },
	{ "divide by zero", do_div0, SIGFPE },
	{ "int3", do_int3, SIGTRAP },
};

/* ---- faults caught in this process ----------------------------------- */

static sigjmp_buf jb;
static volatile int got_sig, got_code;
static void *volatile got_addr;

static void catcher(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_addr = si->si_addr;
	siglongjmp(jb, 1);
}

int main(int argc, char **argv)
{
	char path[64];
	int st, fd;

	utest_begin("sigsegv", argc, argv);

	/* The 1-page file for the SIGBUS case. */
	snprintf(path, sizeof(path), "/tmp/sigsegv.%d", (int)getpid());
	bus_path = path;
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	REQUIRE(fd >= 0, "open %s: errno %d", path, errno);
	static char page[PAGE_SIZE];
	memset(page, 'b', sizeof(page));
	REQUIRE(write(fd, page, sizeof(page)) == (ssize_t)sizeof(page), "write");
	close(fd);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		st = utest_in_child(cases[i].fn, NULL);
		CHECK_SIGNALED(st, cases[i].sig, cases[i].name);
	}
	unlink(path);

	/* Catch a fault, look at the siginfo, and carry on. */
	struct sigaction sa = { .sa_sigaction = catcher, .sa_flags = SA_SIGINFO };
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGSEGV, &sa, NULL) == 0, "sigaction SIGSEGV");

	char *ro = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *gone = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(ro != MAP_FAILED && gone != MAP_FAILED, "mmap");
	munmap(gone, PAGE_SIZE);

	got_sig = 0;
	if (sigsetjmp(jb, 1) == 0) {
		*(volatile char *)(ro + 123) = 1;
		CHECK(0, "write to a PROT_READ page did not fault");
	}
	CHECK(got_sig == SIGSEGV, "caught signal %d, want SIGSEGV", got_sig);
	CHECK(got_code == SEGV_ACCERR, "si_code %d, want SEGV_ACCERR (%d)", got_code, SEGV_ACCERR);
	CHECK(got_addr == ro + 123, "si_addr %p, want %p", got_addr, (void *)(ro + 123));

	got_sig = 0;
	if (sigsetjmp(jb, 1) == 0) {
		(void)*(volatile char *)(gone + 7);
		CHECK(0, "read of an unmapped page did not fault");
	}
	CHECK(got_sig == SIGSEGV, "caught signal %d, want SIGSEGV", got_sig);
	CHECK(got_code == SEGV_MAPERR, "si_code %d, want SEGV_MAPERR (%d)", got_code, SEGV_MAPERR);
	CHECK(got_addr == gone + 7, "si_addr %p, want %p", got_addr, (void *)(gone + 7));

	/* Fixing the cause lets the same access succeed afterwards. */
	CHECK(mprotect(ro, PAGE_SIZE, PROT_READ | PROT_WRITE) == 0, "mprotect RW");
	got_sig = 0;
	if (sigsetjmp(jb, 1) == 0)
		*(volatile char *)(ro + 123) = 1;
	CHECK(got_sig == 0 && ro[123] == 1, "write after mprotect(RW) failed (signal %d)", got_sig);

	/* siglongjmp restored the signal mask: SIGSEGV is not left blocked. */
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK(!sigismember(&cur, SIGSEGV), "SIGSEGV still blocked after siglongjmp");

	/* A second fault after a caught one is caught again. */
	got_sig = 0;
	if (sigsetjmp(jb, 1) == 0)
		(void)*(volatile char *)(gone + 9);
	CHECK(got_sig == SIGSEGV && got_addr == gone + 9, "second caught fault wrong");

	return utest_done();
}
