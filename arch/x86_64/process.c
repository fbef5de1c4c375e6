/*
 * arch/x86_64/process.c - the machine-dependent half of tasks: the C part of
 * the context switch, and the kernel stack a new task starts on.
 */
#include "arch/x86_64/process.h"
#include "arch/x86_64/desc.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/segment.h"
#include "arch/x86_64/special_insns.h"
#include "kernel/sched.h"
#include "kernel/string.h"

extern char ret_from_fork_asm[];

/* The frame __switch_to_asm pops: callee-saved registers, then where to "return". */
struct inactive_task_frame {
	unsigned long r15, r14, r13, r12, rbx, rbp;
	unsigned long ret_addr;
};

/*
 * __switch_to - the C half of the switch, on next's stack already: make the
 * CPU's notion of "current" and of the stack for ring-3 entries follow, and
 * load next's TLS base. Returns @prev (to ret_from_fork_asm or schedule()).
 */
struct task_struct *__switch_to(struct task_struct *prev, struct task_struct *next)
{
	struct pcpu *pcpu = this_cpu();
	unsigned long top = task_stack_top(next);

	/* User x87/SSE state follows its task; kernel threads have none. */
	if (!(prev->flags & PF_KTHREAD))
		fxsave(&prev->thread.fpu);
	if (!(next->flags & PF_KTHREAD))
		fxrstor(&next->thread.fpu);
	pcpu->current_task = next;
	pcpu->top_of_stack = top;
	tss_set_rsp0(top);
	if (prev->thread.fsbase != next->thread.fsbase)
		wrmsr(MSR_FS_BASE, next->thread.fsbase);
	return prev;
}

/*
 * copy_thread - lay out @p's new kernel stack so that its first switch-in
 * lands in ret_from_fork_asm.
 *   kernel thread (@fn != NULL): it calls fn(arg).
 *   user task (@fn == NULL): it returns to user mode with the registers in
 *     @regs (a copy of the parent's, as fork() wants), except RAX = 0 and,
 *     if @usp is non-zero, RSP = @usp (a new thread's stack).
 */
void copy_thread(struct task_struct *p, int (*fn)(void *), void *arg,
		 const struct pt_regs *regs, unsigned long usp)
{
	unsigned long top = task_stack_top(p);
	struct pt_regs *childregs = task_pt_regs(p);
	struct inactive_task_frame *frame = (struct inactive_task_frame *)childregs - 1;

	BUILD_BUG_ON(sizeof(struct inactive_task_frame) % 16 != 8);
	(void)top;
	memset(frame, 0, sizeof(*frame));
	frame->ret_addr = (unsigned long)ret_from_fork_asm;
	if (fn) {
		memset(childregs, 0, sizeof(*childregs));
		frame->rbx = (unsigned long)fn;
		frame->r12 = (unsigned long)arg;
	} else {
		*childregs = *regs;
		childregs->rax = 0;
		if (usp)
			childregs->rsp = usp;
	}
	p->thread.sp = (unsigned long)frame;
}

/* start_thread - make @regs enter user mode at @ip with stack @sp (execve). */
void start_thread(struct pt_regs *regs, unsigned long ip, unsigned long sp)
{
	memset(regs, 0, sizeof(*regs));
	regs->rip = ip;
	regs->rsp = sp;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->rflags = X86_EFLAGS_IF;
}
