/*
 * kernel/signal.c - signal state queries (delivery comes with processes).
 */
#include "kernel/sched.h"
#include "kernel/entry.h"

bool signal_pending(struct task_struct *t)
{
	sigset_t pend = t->pending.signal;

	if (t->signal)
		pend |= t->signal->shared_pending.signal;
	return (pend & ~t->blocked) != 0;
}

bool fatal_signal_pending(struct task_struct *t)
{
	return (t->pending.signal & sigmask(SIGKILL)) != 0;
}

/*
 * arch_do_signal_or_restart - deliver one pending signal. Until handlers
 * and default actions exist for processes, every signal that reaches a
 * task on its way to user mode is fatal.
 */
void arch_do_signal_or_restart(struct pt_regs *regs)
{
	(void)regs;
	do_exit(128 + __builtin_ctzll(current->pending.signal & ~current->blocked) + 1);
}
