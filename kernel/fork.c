/*
 * kernel/fork.c - creating tasks (Linux kernel/fork.c).
 *
 *   kernel_clone(args)               fork(), vfork(), clone()   [processes]
 *     copy_process()
 *       dup_task_struct()            task_struct + kernel stack
 *       copy_files / copy_fs / copy_sighand / copy_signal / copy_mm
 *       copy_thread()                the child's first kernel stack frame
 *     wake_up_new_task()
 *
 *   kthread_create(fn, arg, name)    a kernel thread: no mm, runs fn(arg)
 *
 * Tasks are reference counted (usage): the task itself holds one until its
 * last schedule() after exit; a parent, a joiner or a lookup may hold more.
 */
#include "kernel/sched.h"
#include "arch/x86_64/process.h"
#include "arch/x86_64/time.h"
#include "kernel/errno.h"
#include "kernel/kstack.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/slab.h"

DEFINE_SPINLOCK(tasklist_lock);
LIST_HEAD(task_list);
static pid_t last_pid;
DECLARE_WAIT_QUEUE_HEAD(task_dead_wq);

void get_task_struct(struct task_struct *t)
{
	__atomic_add_fetch(&t->usage, 1, __ATOMIC_RELAXED);
}

void put_task_struct(struct task_struct *t)
{
	if (__atomic_sub_fetch(&t->usage, 1, __ATOMIC_ACQ_REL) == 0) {
		BUG_ON(t->stack);
		kfree(t);
	}
}

/* alloc_pid - the next free pid (pids are never 0 and wrap at 32768). */
static pid_t alloc_pid(void)
{
	for (;;) {
		pid_t pid = last_pid = last_pid >= 32767 ? 1 : last_pid + 1;

		if (!find_task_by_pid(pid))
			return pid;
	}
}

struct task_struct *find_task_by_pid(pid_t pid)
{
	struct task_struct *t;

	list_for_each_entry(t, &task_list, tasks)
		if (t->pid == pid)
			return t;
	return NULL;
}

unsigned long nr_tasks(void)
{
	unsigned long n = 0, flags;
	struct list_head *l;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each(l, &task_list)
		n++;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return n;
}

void set_task_comm(struct task_struct *t, const char *name)
{
	strlcpy(t->comm, name, sizeof(t->comm));
}

/*
 * dup_task_struct - a zeroed task_struct with its own kernel stack and one
 * reference (the task's own), not yet visible to anyone. NULL on ENOMEM.
 */
struct task_struct *dup_task_struct(void)
{
	struct task_struct *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	t->stack = alloc_kernel_stack(&t->stack_slot);
	if (!t->stack) {
		kfree(t);
		return NULL;
	}
	t->usage = 1;
	t->state = TASK_UNINTERRUPTIBLE;  /* not runnable until woken */
	INIT_LIST_HEAD(&t->run_list);
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	INIT_LIST_HEAD(&t->thread_node);
	INIT_LIST_HEAD(&t->tasks);
	INIT_LIST_HEAD(&t->pending.list);
	t->start_time = jiffies;
	return t;
}

/* task_free_stack - after the dead task's last switch (exit.c). */
void task_free_stack(struct task_struct *t)
{
	free_kernel_stack(t->stack, t->stack_slot);
	t->stack = NULL;
}

/*
 * attach_task - give @t a pid and put it on the task list. Called with
 * nothing held.
 */
void attach_task(struct task_struct *t, bool new_group)
{
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	t->pid = alloc_pid();
	if (new_group)
		t->tgid = t->pid;
	list_add_tail(&t->tasks, &task_list);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

struct task_struct *kthread_create(int (*fn)(void *), void *arg, const char *name)
{
	struct task_struct *t = dup_task_struct();

	if (!t)
		return NULL;
	t->flags = PF_KTHREAD;
	t->exit_signal = -1;
	t->real_parent = &init_task;
	t->group_leader = t;
	set_task_comm(t, name);
	copy_thread(t, fn, arg, NULL, 0);
	attach_task(t, true);
	return t;
}

struct task_struct *kthread_run(int (*fn)(void *), void *arg, const char *name)
{
	struct task_struct *t = kthread_create(fn, arg, name);

	if (t) {
		get_task_struct(t);  /* the caller's, for kthread_join */
		sched_add(t);
	}
	return t;
}

int kthread_join(struct task_struct *t)
{
	int ret;

	wait_event(task_dead_wq, READ_ONCE(t->stack) == NULL);
	ret = t->exit_result;
	put_task_struct(t);
	return ret;
}
