/*
 * kernel/entry.c - the last stop before user mode (Linux
 * kernel/entry/common.c).
 *
 * Every return to ring 3 - from a syscall, an interrupt or an exception -
 * passes through exit_to_user_mode(). It is the place where the kernel
 * catches up on work it could not do in the middle of something else:
 * switching tasks when the tick asked for it, and delivering signals.
 */
#include "kernel/entry.h"
#include "arch/x86_64/special_insns.h"
#include "kernel/sched.h"

/*
 * exit_to_user_mode - called with the user registers in @regs (which signal
 * delivery may rewrite), interrupts on or off; returns with interrupts off,
 * nothing left to do, ready for iretq/sysretq.
 */
void exit_to_user_mode(struct pt_regs *regs)
{
	for (;;) {
		local_irq_disable();
		if (need_resched()) {
			local_irq_enable();
			schedule();
			continue;
		}
		if (signal_pending(current)) {
			local_irq_enable();
			arch_do_signal_or_restart(regs);
			continue;
		}
		break;
	}
}
