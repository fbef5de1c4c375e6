/* kernel/entry.h - the way back to user mode (kernel/entry.c). */
#ifndef KERNEL_ENTRY_H
#define KERNEL_ENTRY_H

#include "arch/x86_64/ptrace.h"

void exit_to_user_mode(struct pt_regs *regs);
/*
 * arch_do_signal_or_restart - deliver one pending signal to the current
 * task (kernel/signal.c): run its default action, or set up @regs to enter
 * its handler.
 */
void arch_do_signal_or_restart(struct pt_regs *regs);

#endif
