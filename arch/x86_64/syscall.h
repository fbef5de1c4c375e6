/* arch/x86_64/syscall.h - the syscall instruction's set-up (syscall.c). */
#ifndef ARCH_X86_64_SYSCALL_H
#define ARCH_X86_64_SYSCALL_H

#include "arch/x86_64/ptrace.h"

void syscall_init(void);
bool do_syscall_64(struct pt_regs *regs);

#endif
