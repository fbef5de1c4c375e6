/*
 * arch/x86_64/signal.c - the signal frame, in Linux's x86-64 layout (what
 * musl's __restore_rt and a debugger expect). Mirrors Linux
 * arch/x86/kernel/signal_64.c; leaves out sigaltstack and XSAVE (the FPU
 * state is the 512-byte FXSAVE image).
 *
 * The user stack while a handler runs:
 *
 *      interrupted RSP ->  ...
 *                          128 bytes of red zone, left alone
 *                          struct fxregs_state   (the interrupted FPU/SSE state)
 *      handler's RSP   ->  struct rt_sigframe
 *                            pretcode  -> sa_restorer, so the handler's "ret"
 *                                         goes to the code that calls rt_sigreturn
 *                            ucontext  (uc_mcontext: every register; uc_sigmask)
 *                            siginfo
 *
 * The handler is called as handler(sig, &frame->info, &frame->uc).
 */
#include "arch/x86_64/signal.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/process.h"
#include "arch/x86_64/segment.h"
#include "arch/x86_64/special_insns.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/sched.h"
#include "kernel/string.h"

struct sigcontext_64 {
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	u16 cs, gs, fs, ss;
	u64 err, trapno, oldmask, cr2;
	u64 fpstate;        /* user address of the FXSAVE image */
	u64 reserved1[8];
};

struct user_stack_t {
	u64 ss_sp;
	int ss_flags;
	int pad;
	u64 ss_size;
};

struct ucontext_64 {
	u64 uc_flags;
	u64 uc_link;
	struct user_stack_t uc_stack;
	struct sigcontext_64 uc_mcontext;
	sigset_t uc_sigmask;
};

struct rt_sigframe {
	u64 pretcode;
	struct ucontext_64 uc;
	kernel_siginfo_t info;
};

_Static_assert(sizeof(struct sigcontext_64) == 256, "sigcontext layout");
_Static_assert(sizeof(kernel_siginfo_t) == 128, "siginfo layout");

/* RFLAGS bits a user may set through sigreturn: the arithmetic flags, TF, DF, OF, AC, ID. */
#define FIX_EFLAGS 0x254dd5UL

struct pt_regs *current_pt_regs(void)
{
	return task_pt_regs(current);
}

int setup_rt_frame(int sig, kernel_siginfo_t *info, struct k_sigaction *ka,
		   sigset_t blocked, struct pt_regs *regs)
{
	struct rt_sigframe frame;
	unsigned long sp = regs->rsp - 128, fp_addr, frame_addr;

	if (!(ka->flags & SA_RESTORER) || !ka->restorer)
		return -EFAULT;  /* x86-64 has no default trampoline */

	/* The FPU/SSE state the handler will clobber. */
	fxsave(&current->thread.fpu);
	sp = (sp - sizeof(struct fxregs_state)) & ~63UL;
	fp_addr = sp;
	if (copy_to_user((void __user *)fp_addr, &current->thread.fpu, sizeof(struct fxregs_state)))
		return -EFAULT;

	/* As if called: RSP + 8 is 16-byte aligned at the handler's entry. */
	frame_addr = ((sp - sizeof(frame)) & ~15UL) - 8;

	memset(&frame, 0, sizeof(frame));
	frame.pretcode = (u64)ka->restorer;
	frame.info = *info;
	struct sigcontext_64 *sc = &frame.uc.uc_mcontext;

	sc->r8 = regs->r8;   sc->r9 = regs->r9;   sc->r10 = regs->r10; sc->r11 = regs->r11;
	sc->r12 = regs->r12; sc->r13 = regs->r13; sc->r14 = regs->r14; sc->r15 = regs->r15;
	sc->rdi = regs->rdi; sc->rsi = regs->rsi; sc->rbp = regs->rbp; sc->rbx = regs->rbx;
	sc->rdx = regs->rdx; sc->rax = regs->rax; sc->rcx = regs->rcx; sc->rsp = regs->rsp;
	sc->rip = regs->rip; sc->eflags = regs->rflags;
	sc->cs = __USER_CS;  sc->ss = __USER_DS;
	sc->trapno = regs->vector < 32 ? regs->vector : 0;
	sc->err = regs->vector < 32 ? regs->error_code : 0;
	sc->cr2 = (u64)info->fault.addr;
	sc->oldmask = blocked;
	sc->fpstate = fp_addr;
	frame.uc.uc_sigmask = blocked;

	if (copy_to_user((void __user *)frame_addr, &frame, sizeof(frame)))
		return -EFAULT;

	regs->rdi = sig;
	regs->rsi = frame_addr + __builtin_offsetof(struct rt_sigframe, info);
	regs->rdx = frame_addr + __builtin_offsetof(struct rt_sigframe, uc);
	regs->rax = 0;
	regs->rip = (u64)ka->handler;
	regs->rsp = frame_addr;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->rflags &= ~((1UL << 8) | (1UL << 10));  /* no TF, DF clear as the ABI wants */
	/* A handler starts with a clean FPU state, like a new program. */
	fpu_init_state(&current->thread.fpu);
	fxrstor(&current->thread.fpu);
	return 0;
}

int restore_rt_frame(struct pt_regs *regs, sigset_t *mask)
{
	/* The handler's "ret" popped pretcode: the frame starts 8 bytes lower. */
	unsigned long frame_addr = regs->rsp - 8;
	struct rt_sigframe frame;
	const struct sigcontext_64 *sc = &frame.uc.uc_mcontext;

	if (copy_from_user(&frame, (const void __user *)frame_addr, sizeof(frame)))
		return -EFAULT;
	regs->r8 = sc->r8;   regs->r9 = sc->r9;   regs->r10 = sc->r10; regs->r11 = sc->r11;
	regs->r12 = sc->r12; regs->r13 = sc->r13; regs->r14 = sc->r14; regs->r15 = sc->r15;
	regs->rdi = sc->rdi; regs->rsi = sc->rsi; regs->rbp = sc->rbp; regs->rbx = sc->rbx;
	regs->rdx = sc->rdx; regs->rax = sc->rax; regs->rcx = sc->rcx; regs->rsp = sc->rsp;
	regs->rip = sc->rip;
	/* Only the flags a user may own; IF stays on. */
	regs->rflags = (regs->rflags & ~FIX_EFLAGS) | (sc->eflags & FIX_EFLAGS) | X86_EFLAGS_IF;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	*mask = frame.uc.uc_sigmask;

	if (sc->fpstate) {
		if (copy_from_user(&current->thread.fpu, (const void __user *)sc->fpstate,
				   sizeof(struct fxregs_state)))
			return -EFAULT;
		/* Reserved MXCSR bits would make fxrstor fault in the kernel. */
		current->thread.fpu.mxcsr &= mxcsr_feature_mask;
		fxrstor(&current->thread.fpu);
	}
	return 0;
}
