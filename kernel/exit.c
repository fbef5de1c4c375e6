/*
 * kernel/exit.c - the end of a task (Linux kernel/exit.c).
 *
 * do_exit() releases what the task holds, marks it TASK_DEAD and schedules
 * away for good. Its kernel stack cannot be freed while it runs on it, so
 * the next task does that in finish_task_switch() (kernel/sched.c calls it
 * right after every switch).
 */
#include "kernel/sched.h"
#include "kernel/printk.h"

void task_free_stack(struct task_struct *t);

void __noreturn do_exit(int code)
{
	struct task_struct *t = current;
	unsigned long flags;

	BUG_ON(t == &init_task);
	t->flags |= PF_EXITING;
	t->exit_result = code;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_del_init(&t->tasks);
	t->exit_state = EXIT_DEAD;
	spin_unlock_irqrestore(&tasklist_lock, flags);

	t->state = TASK_DEAD;
	schedule();
	BUG();  /* a dead task is never picked again */
}

/* kthread_exit_hook - a kernel thread's function returned @ret (switch.asm). */
void __noreturn kthread_exit_hook(int ret)
{
	do_exit(ret);
}

/*
 * finish_task_switch - called on the new task's stack right after a switch
 * (rq_lock still held, interrupts off). If the task we came from is dead,
 * free its stack and drop the reference it held on itself.
 */
void finish_task_switch(struct task_struct *prev)
{
	if (prev->state != TASK_DEAD)
		return;
	task_free_stack(prev);
	wake_up(&task_dead_wq);
	put_task_struct(prev);
}
