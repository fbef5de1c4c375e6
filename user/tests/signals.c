/*
 * signals - delivery, masks, handlers, and the signal frame.
 *
 * Checks:
 *  1. a sigaction handler runs and returns: kill(getpid()) and raise();
 *     a global changed by the handler is seen; SA_SIGINFO gives si_signo,
 *     si_code SI_USER, si_pid; the handler's stack is 16-byte aligned;
 *  2. rt_sigreturn restores the interrupted registers: every register the
 *     syscall ABI preserves (rbx rbp rdx rsi rdi r8-r10 r12-r15) and
 *     xmm0-xmm15, across a signal delivered on return from kill(), while the
 *     handler clobbers them all; a change the handler makes to the saved
 *     context (uc_mcontext R12) is what the program gets back; and a signal
 *     sent by another process interrupting a pure user-space loop (every
 *     register live, rax rcx r11 too) leaves every register intact;
 *  3. sigprocmask: a blocked signal stays pending (sigpending), is delivered
 *     once when unblocked although sent twice; SIG_IGN discards a pending
 *     signal; SIGKILL and SIGSTOP cannot be blocked;
 *  4. during a handler its own signal and sa_mask are blocked, and the mask
 *     is restored after it; a handler interrupted by another signal nests;
 *  5. SA_RESETHAND: one delivery, then SIG_DFL (the second kills);
 *  6. ignored and default-ignored signals (SIGCHLD, SIGURG, SIGWINCH) do
 *     not kill;
 *  7. SIGKILL / SIGSTOP: sigaction -> EINVAL; bad signal numbers -> EINVAL;
 *     kill(pid, 0) probes; a gone pid -> ESRCH;
 *  8. kill of a child: SIGTERM kills it; SIGKILL kills a child that blocks
 *     and ignores everything; a child's handler interrupts pause() (EINTR);
 *  9. SIGCHLD arrives when a child exits, with si_pid, si_status, si_code
 *     CLD_EXITED / CLD_KILLED;
 * 10. a blocking read() is interrupted (EINTR) without SA_RESTART, and
 *     restarted with it; sigsuspend() waits for a signal from a child;
 * 11. fork: the mask is inherited, pending signals are not.
 */
#define _GNU_SOURCE
#include "utest.h"
#include <stdint.h>
#include <time.h>
#include <ucontext.h>

static volatile sig_atomic_t count1, count2, misaligned;
static volatile int last_signo, last_code, last_pid;
static sigset_t mask_in_handler;
static char order[32];
static volatile int order_len;

static void add_order(char c)
{
	if (order_len < (int)sizeof(order) - 1)
		order[order_len++] = c;
}

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	_Alignas(16) volatile char probe[16];   /* aligned if rsp was */
	if ((uintptr_t)probe & 15)
		misaligned++;
	count1++;
	last_signo = si->si_signo;
	last_code = si->si_code;
	last_pid = si->si_pid;
	(void)sig;
	sigprocmask(SIG_BLOCK, NULL, &mask_in_handler);
}

static void on_usr2(int sig)
{
	(void)sig;
	count2++;
	add_order('2');
}

/* Handler for the nesting test: SIGUSR1 sends itself SIGUSR2 mid-way. */
static void nest_usr1(int sig)
{
	(void)sig;
	add_order('<');
	kill(getpid(), SIGUSR2);        /* delivered now: nested frame */
	add_order('>');
}

static void set_handler(int sig, void (*h)(int), int flags)
{
	struct sigaction sa = { .sa_handler = h, .sa_flags = flags };
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(sig, &sa, NULL) == 0, "sigaction(%d): errno %d", sig, errno);
}

static void set_action(int sig, void (*h)(int, siginfo_t *, void *), int flags, int masksig)
{
	struct sigaction sa = { .sa_sigaction = h, .sa_flags = flags | SA_SIGINFO };
	sigemptyset(&sa.sa_mask);
	if (masksig)
		sigaddset(&sa.sa_mask, masksig);
	CHECK(sigaction(sig, &sa, NULL) == 0, "sigaction(%d): errno %d", sig, errno);
}

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ---- 2. registers across a signal ------------------------------------ */

/*
 * long regs_kill(pid, sig): load known values into every register that
 * the syscall instruction preserves and into xmm0-15, call kill(pid, sig)
 * (the handler runs on the way back to user mode), then compare. Returns
 * a bitmask of the registers that changed (0 = all intact); bit 31: kill
 * failed.
 */
long regs_kill(long pid, long sig);
__asm__(
	".text\n"
	".globl regs_kill\n"
	".type regs_kill, @function\n"
	"regs_kill:\n"
	"	push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
	"	movabs $0x1111111111111111, %rbx\n"
	"	movabs $0x2222222222222222, %rbp\n"
	"	movabs $0x3333333333333333, %rdx\n"
	"	movabs $0x8888888888888888, %r8\n"
	"	movabs $0x9999999999999999, %r9\n"
	"	movabs $0xaaaaaaaaaaaaaaaa, %r10\n"
	"	movabs $0xcccccccccccccccc, %r12\n"
	"	movabs $0xdddddddddddddddd, %r13\n"
	"	movabs $0xeeeeeeeeeeeeeeee, %r14\n"
	"	movabs $0xffffffffffffff0f, %r15\n"
	"	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"	movabs $(0x0101010101010101 * (\\n + 1)), %rax\n"
	"	movq %rax, %xmm\\n\n"
	"	.endr\n"
	"	push %rdi; push %rsi\n"            /* keep the arguments */
	"	mov $62, %eax\n"                   /* SYS_kill */
	"	syscall\n"
	"	mov %rax, %rcx\n"                  /* kill's result */
	"	xor %eax, %eax\n"
	"	test %rcx, %rcx; jz 1f; or $0x80000000, %eax; 1:\n"
	"	cmp 0(%rsp), %rsi; je 1f; or $0x1, %eax; 1:\n"
	"	cmp 8(%rsp), %rdi; je 1f; or $0x2, %eax; 1:\n"
	"	movabs $0x1111111111111111, %rcx; cmp %rcx, %rbx; je 1f; or $0x4, %eax; 1:\n"
	"	movabs $0x2222222222222222, %rcx; cmp %rcx, %rbp; je 1f; or $0x8, %eax; 1:\n"
	"	movabs $0x3333333333333333, %rcx; cmp %rcx, %rdx; je 1f; or $0x10, %eax; 1:\n"
	"	movabs $0x8888888888888888, %rcx; cmp %rcx, %r8;  je 1f; or $0x20, %eax; 1:\n"
	"	movabs $0x9999999999999999, %rcx; cmp %rcx, %r9;  je 1f; or $0x40, %eax; 1:\n"
	"	movabs $0xaaaaaaaaaaaaaaaa, %rcx; cmp %rcx, %r10; je 1f; or $0x80, %eax; 1:\n"
	"	movabs $0xcccccccccccccccc, %rcx; cmp %rcx, %r12; je 1f; or $0x100, %eax; 1:\n"
	"	movabs $0xdddddddddddddddd, %rcx; cmp %rcx, %r13; je 1f; or $0x200, %eax; 1:\n"
	"	movabs $0xeeeeeeeeeeeeeeee, %rcx; cmp %rcx, %r14; je 1f; or $0x400, %eax; 1:\n"
	"	movabs $0xffffffffffffff0f, %rcx; cmp %rcx, %r15; je 1f; or $0x800, %eax; 1:\n"
	"	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"	movq %xmm\\n, %rdx\n"
	"	movabs $(0x0101010101010101 * (\\n + 1)), %rcx\n"
	"	cmp %rcx, %rdx; je 1f; or $(0x10000 << \\n), %eax; 1:\n"
	"	.endr\n"
	"	add $16, %rsp\n"
	"	pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
	"	ret\n"
	".size regs_kill, .-regs_kill\n");

/* long kill_get_r12(pid, sig): r12 = 1, kill(pid, sig), return r12. */
long kill_get_r12(long pid, long sig);
__asm__(
	".text\n"
	".globl kill_get_r12\n"
	".type kill_get_r12, @function\n"
	"kill_get_r12:\n"
	"	push %r12\n"
	"	mov $1, %r12\n"
	"	mov $62, %eax\n"
	"	syscall\n"
	"	mov %r12, %rax\n"
	"	pop %r12\n"
	"	ret\n"
	".size kill_get_r12, .-kill_get_r12\n");

/*
 * long regs_spin(volatile int *flag, long iters): all general registers
 * and xmm0-15 hold known values while a loop polls *flag (set by a signal
 * handler) at most `iters` times. Returns the bitmask of changed registers;
 * bit 30 set if the flag never came. regs_spin_loop / regs_spin_end bound
 * the loop, so the handler can tell whether it interrupted it.
 */
long regs_spin(volatile int *flag, long iters);
extern char regs_spin_loop[], regs_spin_end[];
__asm__(
	".text\n"
	".globl regs_spin, regs_spin_loop, regs_spin_end\n"
	".type regs_spin, @function\n"
	"regs_spin:\n"
	"	push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
	"	push %rdi\n"
	"	movabs $0x0a0a0a0a0a0a0a0a, %rax\n"
	"	movabs $0x1111111111111111, %rbx\n"
	"	movabs $0x1c1c1c1c1c1c1c1c, %rcx\n"
	"	movabs $0x3333333333333333, %rdx\n"
	"	movabs $0x2222222222222222, %rbp\n"
	"	movabs $0x8888888888888888, %r8\n"
	"	movabs $0x9999999999999999, %r9\n"
	"	movabs $0xaaaaaaaaaaaaaaaa, %r10\n"
	"	movabs $0xbbbbbbbbbbbbbbbb, %r11\n"
	"	movabs $0xcccccccccccccccc, %r12\n"
	"	movabs $0xdddddddddddddddd, %r13\n"
	"	movabs $0xeeeeeeeeeeeeeeee, %r14\n"
	"	movabs $0xffffffffffffff0f, %r15\n"
	"	push %rax\n"
	"	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"	movabs $(0x0202020202020202 * (\\n + 1)), %rax\n"
	"	movq %rax, %xmm\\n\n"
	"	.endr\n"
	"	pop %rax\n"
	"regs_spin_loop:\n"
	"	cmpl $0, (%rdi)\n"
	"	jne regs_spin_end\n"
	"	dec %rsi\n"
	"	jnz regs_spin_loop\n"
	"regs_spin_end:\n"
	"	push %rsi\n"                       /* iterations left */
	"	push %rax\n"
	"	xor %eax, %eax\n"
	"	cmpq $0, 8(%rsp); jne 1f; or $0x40000000, %eax; 1:\n"
	"	cmp 16(%rsp), %rdi; je 1f; or $0x1, %eax; 1:\n"
	"	movabs $0x0a0a0a0a0a0a0a0a, %rsi; cmp 0(%rsp), %rsi; je 1f; or $0x2, %eax; 1:\n"
	"	movabs $0x1111111111111111, %rsi; cmp %rsi, %rbx; je 1f; or $0x4, %eax; 1:\n"
	"	movabs $0x1c1c1c1c1c1c1c1c, %rsi; cmp %rsi, %rcx; je 1f; or $0x8, %eax; 1:\n"
	"	movabs $0x3333333333333333, %rsi; cmp %rsi, %rdx; je 1f; or $0x10, %eax; 1:\n"
	"	movabs $0x2222222222222222, %rsi; cmp %rsi, %rbp; je 1f; or $0x20, %eax; 1:\n"
	"	movabs $0x8888888888888888, %rsi; cmp %rsi, %r8;  je 1f; or $0x40, %eax; 1:\n"
	"	movabs $0x9999999999999999, %rsi; cmp %rsi, %r9;  je 1f; or $0x80, %eax; 1:\n"
	"	movabs $0xaaaaaaaaaaaaaaaa, %rsi; cmp %rsi, %r10; je 1f; or $0x100, %eax; 1:\n"
	"	movabs $0xbbbbbbbbbbbbbbbb, %rsi; cmp %rsi, %r11; je 1f; or $0x200, %eax; 1:\n"
	"	movabs $0xcccccccccccccccc, %rsi; cmp %rsi, %r12; je 1f; or $0x400, %eax; 1:\n"
	"	movabs $0xdddddddddddddddd, %rsi; cmp %rsi, %r13; je 1f; or $0x800, %eax; 1:\n"
	"	movabs $0xeeeeeeeeeeeeeeee, %rsi; cmp %rsi, %r14; je 1f; or $0x1000, %eax; 1:\n"
	"	movabs $0xffffffffffffff0f, %rsi; cmp %rsi, %r15; je 1f; or $0x2000, %eax; 1:\n"
	"	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"	movq %xmm\\n, %rdx\n"
	"	movabs $(0x0202020202020202 * (\\n + 1)), %rsi\n"
	"	cmp %rsi, %rdx; je 1f; or $(0x10000 << \\n), %eax; 1:\n"
	"	.endr\n"
	"	add $24, %rsp\n"
	"	pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
	"	ret\n"
	".size regs_spin, .-regs_spin\n");

/* A handler that clobbers every register it may (and xmm0-15). */
static volatile int spin_flag, spin_hit;
static void clobber_all(void)
{
	__asm__ volatile(
		"movabs $0x5a5a5a5a5a5a5a5a, %%rax\n"
		"mov %%rax, %%rbx; mov %%rax, %%rcx; mov %%rax, %%rdx\n"
		"mov %%rax, %%rsi; mov %%rax, %%rdi\n"
		"mov %%rax, %%r8; mov %%rax, %%r9; mov %%rax, %%r10; mov %%rax, %%r11\n"
		"mov %%rax, %%r12; mov %%rax, %%r13; mov %%rax, %%r14; mov %%rax, %%r15\n"
		".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
		"movq %%rax, %%xmm\\n\n"
		".endr\n"
		::: "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
		    "r12", "r13", "r14", "r15", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
		    "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12",
		    "xmm13", "xmm14", "xmm15", "memory");
}

static void on_clobber(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uintptr_t rip = uc->uc_mcontext.gregs[REG_RIP];
	(void)sig;
	(void)si;
	if (rip >= (uintptr_t)regs_spin_loop && rip <= (uintptr_t)regs_spin_end)
		spin_hit = 1;
	spin_flag = 1;
	clobber_all();
}

static void on_set_r12(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	(void)sig;
	(void)si;
	uc->uc_mcontext.gregs[REG_R12] = 0x4242;   /* rt_sigreturn loads this */
}

static void test_registers(void)
{
	long bad;

	set_action(SIGUSR1, on_clobber, 0, 0);
	bad = regs_kill(getpid(), SIGUSR1);
	CHECK(bad == 0, "registers changed across a signal on return from kill(): "
	      "mask %#lx (bit0 rsi 1 rdi 2 rbx 3 rbp 4 rdx 5 r8 6 r9 7 r10 8 r12 "
	      "9 r13 10 r14 11 r15, 16+n xmm n, 31 kill failed)", bad);

	set_action(SIGUSR1, on_set_r12, 0, 0);
	long r12 = kill_get_r12(getpid(), SIGUSR1);
	CHECK(r12 == 0x4242, "r12 after the handler set it in uc_mcontext: %#lx, "
	      "want 0x4242 (rt_sigreturn must restore from the user frame)", r12);

	/* Another process interrupts a user-space loop. */
	set_action(SIGUSR2, on_clobber, SA_RESTART, 0);
	pid_t parent = getpid();
	pid_t pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		for (;;) {
			if (kill(parent, SIGUSR2))
				_exit(0);
			struct timespec ts = { 0, 300000 };
			nanosleep(&ts, NULL);
		}
	}
	int hits = 0, rounds = 0, timeouts = 0;
	long allbad = 0;
	for (rounds = 0; rounds < 20 && hits < 3; rounds++) {
		spin_flag = 0;
		spin_hit = 0;
		bad = regs_spin(&spin_flag, 400000000L);
		if (bad & 0x40000000)
			timeouts++;
		allbad |= bad & ~0x40000000L;
		hits += spin_hit;
	}
	kill(pid, SIGKILL);
	utest_wait(pid);
	set_handler(SIGUSR2, SIG_DFL, 0);
	CHECK(allbad == 0, "registers changed by a signal interrupting a user loop: mask %#lx "
	      "(bit0 rdi 1 rax 2 rbx 3 rcx 4 rdx 5 rbp 6 r8 7 r9 8 r10 9 r11 10 r12 11 r13 "
	      "12 r14 13 r15, 16+n xmm n)", allbad);
	CHECK(hits > 0, "no signal from another process interrupted the user loop in %d "
	      "rounds (%d timed out): is the kernel preemptive?", rounds, timeouts);
	utest_printf("  async delivery: %d of %d rounds interrupted the loop\n", hits, rounds);
}

/* ---- 8/9/10 helpers -------------------------------------------------- */

static volatile int chld_count, chld_pid, chld_status, chld_code;
static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	chld_count++;
	chld_pid = si->si_pid;
	chld_status = si->si_status;
	chld_code = si->si_code;
}

static int hfd = -1;   /* handlers report through this pipe */
static void on_usr1_write(int sig)
{
	(void)sig;
	(void)!write(hfd, "h", 1);
}

static void nothing(int sig)
{
	(void)sig;
}

int main(int argc, char **argv)
{
	sigset_t set, old;
	struct sigaction sa, oa;
	volatile long local = 0x123456789abcdefL;
	int st, p[2], q[2];
	pid_t pid;
	char c;

	utest_begin("signals", argc, argv);

	/* ---- 1. a handler runs and returns ------------------------------- */
	set_action(SIGUSR1, on_usr1, 0, SIGUSR2);
	CHECK(kill(getpid(), SIGUSR1) == 0, "kill(getpid(), SIGUSR1): errno %d", errno);
	CHECK(count1 == 1, "handler ran %d times, want 1 (before kill() returns)", (int)count1);
	CHECK(last_signo == SIGUSR1 && last_code == SI_USER && last_pid == getpid(),
	      "siginfo: signo %d code %d pid %d; want %d, SI_USER (%d), %d",
	      last_signo, last_code, last_pid, SIGUSR1, SI_USER, (int)getpid());
	CHECK(misaligned == 0, "the handler's stack is not 16-byte aligned");
	CHECK(local == 0x123456789abcdefL, "local variable changed across the handler");
	CHECK(raise(SIGUSR1) == 0, "raise: errno %d", errno);
	CHECK(count1 == 2, "handler count %d after raise(), want 2", (int)count1);

	/* ---- 4. masks during a handler ----------------------------------- */
	CHECK(sigismember(&mask_in_handler, SIGUSR1), "SIGUSR1 not blocked inside its handler");
	CHECK(sigismember(&mask_in_handler, SIGUSR2), "sa_mask (SIGUSR2) not blocked inside the handler");
	sigprocmask(SIG_BLOCK, NULL, &old);
	CHECK(!sigismember(&old, SIGUSR1) && !sigismember(&old, SIGUSR2),
	      "mask not restored after the handler returned");

	/* nesting: SIGUSR1's handler is interrupted by SIGUSR2 */
	set_handler(SIGUSR1, nest_usr1, 0);
	set_handler(SIGUSR2, on_usr2, 0);
	order_len = 0;
	kill(getpid(), SIGUSR1);
	order[order_len] = 0;
	CHECK(!strcmp(order, "<2>"), "nested handlers ran in order '%s', want '<2>'", order);

	/* ---- 2. registers ------------------------------------------------- */
	test_registers();

	/* ---- 3. sigprocmask ----------------------------------------------- */
	set_action(SIGUSR1, on_usr1, 0, 0);
	count1 = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK(sigprocmask(SIG_BLOCK, &set, &old) == 0, "sigprocmask");
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	CHECK(count1 == 0, "a blocked signal was delivered");
	sigemptyset(&set);
	CHECK(sigpending(&set) == 0 && sigismember(&set, SIGUSR1), "SIGUSR1 not pending while blocked");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0, "sigprocmask unblock");
	CHECK(count1 == 1, "after unblocking: handler ran %d times, want 1", (int)count1);
	sigemptyset(&set);
	sigpending(&set);
	CHECK(!sigismember(&set, SIGUSR1), "SIGUSR1 still pending after delivery");

	/* SIG_IGN discards a pending signal */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR1);
	set_handler(SIGUSR1, SIG_IGN, 0);
	sigemptyset(&set);
	sigpending(&set);
	CHECK(!sigismember(&set, SIGUSR1), "setting SIG_IGN did not discard the pending signal");
	set_action(SIGUSR1, on_usr1, 0, 0);
	count1 = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	CHECK(count1 == 0, "a discarded signal was delivered");

	/* SIGKILL and SIGSTOP cannot be blocked */
	sigfillset(&set);
	sigprocmask(SIG_SETMASK, &set, &old);
	sigprocmask(SIG_SETMASK, &old, &set);
	CHECK(!sigismember(&set, SIGKILL) && !sigismember(&set, SIGSTOP),
	      "SIGKILL or SIGSTOP ended up in the blocked mask");
	CHECK(sigismember(&set, SIGUSR1) && sigismember(&set, SIGTERM), "sigfillset mask not applied");

	/* ---- 5. SA_RESETHAND ---------------------------------------------- */
	REQUIRE(pipe(p) == 0, "pipe");
	hfd = p[1];
	set_handler(SIGUSR1, on_usr1_write, SA_RESETHAND);
	kill(getpid(), SIGUSR1);
	CHECK(read(p[0], &c, 1) == 1, "SA_RESETHAND handler did not run");
	CHECK(sigaction(SIGUSR1, NULL, &oa) == 0 && oa.sa_handler == SIG_DFL,
	      "after an SA_RESETHAND delivery the action is not SIG_DFL");
	pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		set_handler(SIGUSR1, on_usr1_write, SA_RESETHAND);
		kill(getpid(), SIGUSR1);    /* handled */
		kill(getpid(), SIGUSR1);    /* default action: death */
		_exit(0);
	}
	st = utest_wait(pid);
	CHECK(read(p[0], &c, 1) == 1, "child's SA_RESETHAND handler did not run");
	CHECK_SIGNALED(st, SIGUSR1, "second SIGUSR1 after SA_RESETHAND");

	/* ---- 6. ignored signals ------------------------------------------- */
	pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		signal(SIGUSR2, SIG_IGN);
		signal(SIGCHLD, SIG_DFL);
		signal(SIGURG, SIG_DFL);
		signal(SIGWINCH, SIG_DFL);
		kill(getpid(), SIGUSR2);
		kill(getpid(), SIGCHLD);
		kill(getpid(), SIGURG);
		kill(getpid(), SIGWINCH);
		_exit(5);
	}
	st = utest_wait(pid);
	CHECK_EXITED(st, 5, "child sending itself ignored / default-ignored signals");

	/* ---- 7. what cannot be done --------------------------------------- */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = nothing;
	CHECK_ERR(sigaction(SIGKILL, &sa, NULL), EINVAL);
	CHECK_ERR(sigaction(SIGSTOP, &sa, NULL), EINVAL);
	sa.sa_handler = SIG_IGN;
	CHECK_ERR(sigaction(SIGKILL, &sa, NULL), EINVAL);
	CHECK(sigaction(SIGKILL, NULL, &oa) == 0, "querying SIGKILL's action must work");
	CHECK_ERR(sigaction(0, &sa, NULL), EINVAL);
	CHECK_ERR(sigaction(65, &sa, NULL), EINVAL);
	CHECK_ERR(kill(getpid(), 65), EINVAL);
	CHECK(kill(getpid(), 0) == 0, "kill(self, 0) must succeed");

	/* ---- 8. killing children ------------------------------------------ */
	REQUIRE(pipe(q) == 0, "pipe");
	pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		close(q[0]);
		(void)!write(q[1], "r", 1);
		for (;;)
			pause();
	}
	CHECK(read(q[0], &c, 1) == 1, "child not ready");
	CHECK(kill(pid, 0) == 0, "kill(child, 0) must succeed");
	CHECK(kill(pid, SIGTERM) == 0, "kill(child, SIGTERM)");
	st = utest_wait(pid);
	CHECK_SIGNALED(st, SIGTERM, "child killed with SIGTERM");
	CHECK_ERR(kill(pid, 0), ESRCH);

	pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		for (int s = 1; s < 32; s++)
			signal(s, SIG_IGN);
		sigfillset(&set);
		sigprocmask(SIG_SETMASK, &set, NULL);
		(void)!write(q[1], "r", 1);
		for (;;)
			pause();
	}
	CHECK(read(q[0], &c, 1) == 1, "child not ready");
	kill(pid, SIGTERM);         /* ignored */
	kill(pid, SIGINT);          /* ignored */
	CHECK(kill(pid, SIGKILL) == 0, "kill(child, SIGKILL)");
	st = utest_wait(pid);
	CHECK_SIGNALED(st, SIGKILL, "child that blocks and ignores everything, SIGKILL");

	/* a child's handler interrupts its pause() */
	pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		set_handler(SIGUSR1, nothing, 0);
		(void)!write(q[1], "r", 1);
		int r = pause();
		_exit(r == -1 && errno == EINTR ? 0 : 1);
	}
	CHECK(read(q[0], &c, 1) == 1, "child not ready");
	/* A signal that comes before pause() only runs the handler: repeat. */
	int reaped = 0;
	for (int i = 0; i < 1000 && !reaped; i++) {
		kill(pid, SIGUSR1);
		msleep(2);
		if (wait4(pid, &st, WNOHANG, NULL) == pid)
			reaped = 1;
	}
	if (!CHECK(reaped, "child in pause() did not return from it")) {
		kill(pid, SIGKILL);
		st = utest_wait(pid);
	}
	CHECK_EXITED(st, 0, "pause() interrupted by a handled signal returns EINTR");

	/* ---- 9. SIGCHLD ---------------------------------------------------- */
	set_action(SIGCHLD, on_chld, SA_RESTART, 0);
	chld_count = 0;
	pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0)
		_exit(33);
	st = utest_wait(pid);
	CHECK_EXITED(st, 33, "child");
	CHECK(chld_count == 1, "SIGCHLD handler ran %d times, want 1", chld_count);
	CHECK(chld_pid == pid && chld_status == 33 && chld_code == CLD_EXITED,
	      "SIGCHLD siginfo: pid %d status %d code %d; want %d, 33, CLD_EXITED (%d)",
	      chld_pid, chld_status, chld_code, (int)pid, CLD_EXITED);
	chld_count = 0;
	pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		for (;;)
			pause();
	}
	kill(pid, SIGKILL);
	st = utest_wait(pid);
	CHECK(chld_count == 1 && chld_pid == pid && chld_code == CLD_KILLED &&
	      chld_status == SIGKILL, "SIGCHLD for a killed child: count %d pid %d code %d "
	      "status %d", chld_count, chld_pid, chld_code, chld_status);
	signal(SIGCHLD, SIG_DFL);

	/* ---- 10. interrupted and restarted system calls ------------------- */
	for (int restart = 0; restart < 2; restart++) {
		int d[2], h[2];
		reaped = 0;
		REQUIRE(pipe(d) == 0 && pipe(h) == 0, "pipe");
		pid = fork();
		REQUIRE(pid >= 0, "fork");
		if (pid == 0) {
			char b[8];
			close(d[1]);
			close(h[0]);
			hfd = h[1];
			set_handler(SIGUSR1, on_usr1_write, restart ? SA_RESTART : 0);
			(void)!write(h[1], "r", 1);          /* handler installed */
			ssize_t n = read(d[0], b, sizeof(b)); /* blocks */
			if (restart)
				_exit(n == 3 && !memcmp(b, "abc", 3) ? 0 : 1);
			_exit(n == -1 && errno == EINTR ? 0 : 2);
		}
		close(d[0]);
		close(h[1]);
		CHECK(read(h[0], &c, 1) == 1 && c == 'r', "child not ready");
		if (restart) {
			/* The handler runs, read() goes on waiting, then gets data. */
			kill(pid, SIGUSR1);
			CHECK(read(h[0], &c, 1) == 1 && c == 'h', "the child's handler did not run");
			msleep(20);
			CHECK(write(d[1], "abc", 3) == 3, "write");
			st = utest_wait(pid);
			CHECK_EXITED(st, 0, "read() with SA_RESTART gets the data sent after a signal");
		} else {
			/* Signal until the child has left read() with EINTR (a signal
			 * that comes before it blocks only runs the handler). */
			for (int i = 0; i < 1000 && !reaped; i++) {
				kill(pid, SIGUSR1);
				msleep(2);
				if (wait4(pid, &st, WNOHANG, NULL) == pid)
					reaped = 1;
			}
			CHECK(reaped, "child blocked in read() never returned EINTR");
			if (!reaped) {
				kill(pid, SIGKILL);
				st = utest_wait(pid);
			}
			CHECK_EXITED(st, 0, "read() interrupted by a handler without SA_RESTART");
			CHECK(read(h[0], &c, 1) == 1 && c == 'h', "the child's handler did not run");
		}
		close(h[0]);
		close(d[1]);
	}

	/* sigsuspend: wait, with SIGUSR1 blocked, for a child's SIGUSR1 */
	set_action(SIGUSR1, on_usr1, 0, 0);
	count1 = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	sigset_t waitmask;
	sigemptyset(&waitmask);
	int r = sigsuspend(&waitmask);
	CHECK(r == -1 && errno == EINTR, "sigsuspend returned %d errno %d, want -1/EINTR", r, errno);
	CHECK(count1 == 1 && last_pid == pid, "sigsuspend: handler count %d, sender %d (want 1, %d)",
	      (int)count1, last_pid, (int)pid);
	sigprocmask(SIG_BLOCK, NULL, &set);
	CHECK(sigismember(&set, SIGUSR1), "sigsuspend did not restore the mask");
	st = utest_wait(pid);

	/* ---- 11. fork: mask inherited, pending not ------------------------ */
	kill(getpid(), SIGUSR1);      /* pending: SIGUSR1 is blocked */
	count1 = 0;
	pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		sigset_t m, pend;
		sigprocmask(SIG_BLOCK, NULL, &m);
		sigemptyset(&pend);
		sigpending(&pend);
		CHECK(sigismember(&m, SIGUSR1), "child: blocked mask not inherited");
		CHECK(!sigismember(&pend, SIGUSR1), "child: a pending signal was inherited");
		utest_child_exit();
	}
	st = utest_wait(pid);
	CHECK_EXITED(st, 0, "child checking inherited mask / pending set");
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK(count1 == 1, "parent's pending SIGUSR1 not delivered on unblock (%d)", (int)count1);

	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
	return utest_done();
}
