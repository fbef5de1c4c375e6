/* kernel/entry.h - the way back to user mode (kernel/entry.c). */
#ifndef KERNEL_ENTRY_H
#define KERNEL_ENTRY_H

#include "arch/x86_64/ptrace.h"
#include "arch/x86_64/special_insns.h"
#include "kernel/sched.h"

void exit_to_user_mode(struct pt_regs *regs);

/*
 * syscall_exit_to_user_mode - the system call's way out, as in Linux: the
 * common case (nothing to do) is two inline tests; only when a switch or
 * a signal is due does it take exit_to_user_mode()'s loop. Returns with
 * interrupts off.
 */
static inline void syscall_exit_to_user_mode(struct pt_regs *regs)
{
	local_irq_disable();
	if (unlikely(need_resched() || signal_pending(current)))
		exit_to_user_mode(regs);
}
/*
 * arch_do_signal_or_restart - deliver one pending signal to the current
 * task (kernel/signal.c): run its default action, or set up @regs to enter
 * its handler.
 */
void arch_do_signal_or_restart(struct pt_regs *regs);

#endif
