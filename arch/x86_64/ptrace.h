/*
 * arch/x86_64/ptrace.h - struct pt_regs: the registers of interrupted code,
 * as arch/x86_64/entry.asm leaves them on the stack (lowest address first).
 */
#ifndef ARCH_X86_64_PTRACE_H
#define ARCH_X86_64_PTRACE_H

#include "kernel/types.h"

struct pt_regs {
	/* pushed by common_interrupt */
	u64 r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	u64 rax, rcx, rdx, rsi, rdi;
	/* pushed by the vector stub (or the syscall entry) */
	u64 vector;      /* 0-255, or 0x100 for a syscall */
	union {
		u64 error_code;  /* the CPU's, or 0 for vectors without one */
		u64 orig_rax;    /* a syscall: its number (RAX is the result) */
	};
	/* pushed by the CPU */
	u64 rip, cs, rflags, rsp, ss;
};

/*
 * regs->vector of a pt_regs built by the syscall entry. The kernel changes
 * it while handling the syscall to say how to return:
 *   SYSCALL: may be restarted after a signal; sysretq may return
 *   SYSCALL_NORESTART: the restart decision is made; sysretq may return
 *   SYSCALL_IRET: every register must come back as it is in pt_regs
 *     (rt_sigreturn): iretq, since sysretq clobbers RCX and R11
 */
#define PT_VECTOR_SYSCALL           0x100
#define PT_VECTOR_SYSCALL_NORESTART 0x101
#define PT_VECTOR_SYSCALL_IRET      0x102

/* user_mode - did the interrupted code run in ring 3? */
static inline bool user_mode(const struct pt_regs *regs)
{
	return (regs->cs & 3) == 3;
}

#endif
