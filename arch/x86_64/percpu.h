/*
 * arch/x86_64/percpu.h - data that belongs to one CPU, reached through GS.
 *
 * In the kernel, GS.base points at this CPU's struct pcpu, so "the current
 * task" is one load: mov %gs:PCPU_CURRENT, %rax. User space has its own GS
 * base; the kernel swaps the two with the swapgs instruction on every entry
 * from ring 3 (syscall, interrupt, exception) and again on the way back.
 *
 * There is one CPU today, but nothing here assumes it: a second CPU would
 * get its own struct pcpu and its own GS.base.
 */
#ifndef ARCH_X86_64_PERCPU_H
#define ARCH_X86_64_PERCPU_H

/* Offsets used by entry.asm; checked against the struct in percpu.c. */
#define PCPU_SELF          0
#define PCPU_CURRENT       8
#define PCPU_TOP_OF_STACK 16   /* kernel RSP for syscalls: the current task's stack top */
#define PCPU_USER_RSP     24   /* scratch: user RSP during syscall entry */

#ifndef __ASSEMBLER__
#include "kernel/types.h"

struct task_struct;

struct pcpu {
	struct pcpu *self;
	struct task_struct *current_task;
	unsigned long top_of_stack;
	unsigned long user_rsp;
	int cpu;
	bool need_resched;            /* set by the tick, read on the way to user mode */
};

extern struct pcpu boot_pcpu;

static inline struct pcpu *this_cpu(void)
{
	struct pcpu *p;

	__asm__ __volatile__("movq %%gs:0, %0" : "=r"(p));
	return p;
}

static inline struct task_struct *get_current(void)
{
	struct task_struct *t;

	__asm__("movq %%gs:8, %0" : "=r"(t));  /* stable: a task is always itself */
	return t;
}
#define current get_current()

/* percpu_init - point GS.base at this CPU's struct pcpu (kernel side). */
void percpu_init(void);
#endif

#endif
