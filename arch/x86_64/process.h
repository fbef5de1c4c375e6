/* arch/x86_64/process.h - the stack of a task, and starting it (process.c). */
#ifndef ARCH_X86_64_PROCESS_H
#define ARCH_X86_64_PROCESS_H

#include "arch/x86_64/ptrace.h"
#include "kernel/sched.h"

/*
 * A task's kernel stack, THREAD_SIZE bytes; the user registers of a task
 * that came from user mode sit at the very top:
 *
 *   task_stack_top(t) -> +------------------+
 *                        | struct pt_regs   |  task_pt_regs(t): saved by entry.asm
 *                        +------------------+
 *                        | kernel frames    |
 *                        |       ...        |
 *   t->stack          -> +------------------+
 *                        | guard (unmapped) |
 */
static inline unsigned long task_stack_top(const struct task_struct *t)
{
	return (unsigned long)t->stack + THREAD_SIZE;
}

static inline struct pt_regs *task_pt_regs(const struct task_struct *t)
{
	return (struct pt_regs *)task_stack_top(t) - 1;
}

void copy_thread(struct task_struct *p, int (*fn)(void *), void *arg,
		 const struct pt_regs *regs, unsigned long usp);
void start_thread(struct pt_regs *regs, unsigned long ip, unsigned long sp);

#endif
