/* arch/x86_64/signal.h - signal frames on the user stack (arch/x86_64/signal.c). */
#ifndef ARCH_X86_64_SIGNAL_H
#define ARCH_X86_64_SIGNAL_H

#include "arch/x86_64/ptrace.h"
#include "kernel/signal.h"

/*
 * setup_rt_frame - push a struct rt_sigframe for @sig on the user stack
 * and point @regs at the handler. Returns 0 or -EFAULT.
 */
int setup_rt_frame(int sig, kernel_siginfo_t *info, struct k_sigaction *ka,
		   sigset_t blocked, struct pt_regs *regs);
/* restore_rt_frame - rt_sigreturn: reload @regs (and the FPU) from the frame; the saved mask in *mask. */
int restore_rt_frame(struct pt_regs *regs, sigset_t *mask);

struct pt_regs *current_pt_regs(void);

#endif
