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
#include "arch/x86_64/uaccess.h"
#include "kernel/fs.h"
#include "kernel/futex.h"
#include "kernel/syscalls.h"
#include "mm/audit.h"
#include "mm/mm.h"
#include "mm/mm_types.h"
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
	task_lock(t);
	strlcpy(t->comm, name, sizeof(t->comm));
	task_unlock(t);
}

/* get_task_comm - copy @t's name into @buf (NUL-terminated, cut to @size). Returns @buf. */
char *get_task_comm(char *buf, size_t size, struct task_struct *t)
{
	task_lock(t);
	strlcpy(buf, t->comm, size);
	task_unlock(t);
	return buf;
}

/*
 * get_task_mm - Mirrors Linux get_task_mm(), except that a kernel thread
 * which borrowed an mm (use_mm) gets it too. While t->mm is set, @t holds
 * a user of it; exit and exec clear or replace t->mm under task_lock
 * before they drop that user, so mmget() here never revives a dying mm.
 * Returns the mm with one more user, or NULL.
 */
struct mm_struct *get_task_mm(struct task_struct *t)
{
	struct mm_struct *mm;

	task_lock(t);
	mm = t->mm;
	if (mm)
		mmget(mm);
	task_unlock(t);
	return mm;
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
	spin_lock_init(&t->alloc_lock, "alloc_lock");
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

/* kthread_abort - undo kthread_create() for a thread that never ran. */
void kthread_abort(struct task_struct *t)
{
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_del_init(&t->tasks);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	task_free_stack(t);
	put_task_struct(t);
}

int kthread_join(struct task_struct *t)
{
	int ret;

	wait_event(task_dead_wq, READ_ONCE(t->stack) == NULL);
	ret = t->exit_result;
	put_task_struct(t);
	return ret;
}

/* ---- processes and threads --------------------------------------------- */

static int copy_files(unsigned long flags, struct task_struct *p)
{
	struct files_struct *cur = current->files;

	if (!cur)
		return 0;
	if (flags & CLONE_FILES) {
		__atomic_add_fetch(&cur->count, 1, __ATOMIC_RELAXED);
		p->files = cur;
		return 0;
	}
	p->files = dup_fd(cur);
	return p->files ? 0 : -ENOMEM;
}

static int copy_sighand(unsigned long flags, struct task_struct *p)
{
	struct sighand_struct *sh;

	if (flags & CLONE_SIGHAND) {
		__atomic_add_fetch(&current->sighand->count, 1, __ATOMIC_RELAXED);
		p->sighand = current->sighand;
		return 0;
	}
	sh = kmalloc(sizeof(*sh), GFP_KERNEL);
	if (!sh)
		return -ENOMEM;
	sh->count = 1;
	spin_lock_init(&sh->siglock, "siglock");
	memcpy(sh->action, current->sighand->action, sizeof(sh->action));
	p->sighand = sh;
	return 0;
}

static int copy_signal(unsigned long flags, struct task_struct *p)
{
	struct signal_struct *sig;

	if (flags & CLONE_THREAD) {
		p->signal = current->signal;
		return 0;
	}
	sig = alloc_signal_struct();
	if (!sig)
		return -ENOMEM;
	p->signal = sig;
	return 0;
}

static int copy_mm(unsigned long flags, struct task_struct *p)
{
	struct mm_struct *mm = current->mm;

	if (!mm)
		return 0;
	if (flags & CLONE_VM) {
		mmget(mm);
		p->mm = mm;
		return 0;
	}
	p->mm = dup_mm(mm);
	return p->mm ? 0 : -ENOMEM;
}

/* release_task_resources - undo the copy_* above (a failed fork, or exit). */
void release_task_resources(struct task_struct *p)
{
	if (p->mm) {
		mmput(p->mm);
		p->mm = NULL;
	}
	if (p->files) {
		put_files_struct(p->files);
		p->files = NULL;
	}
	if (p->cwd) {
		iput(p->cwd);
		p->cwd = NULL;
	}
	if (p->sighand) {
		if (__atomic_sub_fetch(&p->sighand->count, 1, __ATOMIC_ACQ_REL) == 0)
			kfree(p->sighand);
		p->sighand = NULL;
	}
}

/*
 * copy_process - a new task that copies (or, by @args->flags, shares)
 * current's resources. Not yet runnable. Returns the task or ERR_PTR.
 * Mirrors Linux copy_process(); leaves out namespaces, cgroups, ptrace,
 * credentials and rlimits.
 */
static struct task_struct *copy_process(struct kernel_clone_args *args)
{
	unsigned long flags = args->flags;
	struct task_struct *p;
	int err;

	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return ERR_PTR(-EINVAL);
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return ERR_PTR(-EINVAL);
	if (signal_group_exiting(current))
		return ERR_PTR(-EINTR);

	p = dup_task_struct();
	if (!p)
		return ERR_PTR(-ENOMEM);
	set_task_comm(p, current->comm);
	p->flags = current->flags & ~PF_EXITING;
	p->blocked = current->blocked;
	/* The parent's user FPU state, as it is now, goes to the child. */
	fxsave(&current->thread.fpu);
	p->thread.fpu = current->thread.fpu;
	p->thread.fsbase = (flags & CLONE_SETTLS) ? args->tls : current->thread.fsbase;

	err = copy_files(flags, p);
	if (err)
		goto bad_fork_cleanup;
	if (current->cwd) {
		iget(current->cwd);
		p->cwd = current->cwd;
	}
	err = copy_sighand(flags, p);
	if (err)
		goto bad_fork_cleanup;
	err = copy_signal(flags, p);
	if (err)
		goto bad_fork_cleanup;
	err = copy_mm(flags, p);
	if (err)
		goto bad_fork_cleanup;
	p->active_mm = p->mm;
	copy_thread(p, NULL, NULL, task_pt_regs(current), args->stack);
	p->set_child_tid = (flags & CLONE_CHILD_SETTID) ? args->child_tid : NULL;
	p->clear_child_tid = (flags & CLONE_CHILD_CLEARTID) ? args->child_tid : NULL;
	return p;

bad_fork_cleanup:
	if (p->signal && !(flags & CLONE_THREAD))
		kfree(p->signal);
	release_task_resources(p);
	task_free_stack(p);
	put_task_struct(p);
	return ERR_PTR(err);
}

/*
 * link_new_task - make @p visible: a pid, the task list, its parent's
 * children (a process) or its thread group (a thread).
 */
static void link_new_task(struct task_struct *p, struct kernel_clone_args *args)
{
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	p->pid = alloc_pid();
	if (args->flags & CLONE_THREAD) {
		p->tgid = current->tgid;
		p->group_leader = current->group_leader;
		p->real_parent = current->real_parent;
		p->exit_signal = -1;
	} else {
		p->tgid = p->pid;
		p->group_leader = p;
		p->real_parent = (args->flags & CLONE_PARENT) ? current->real_parent : current;
		p->exit_signal = args->exit_signal;
		list_add_tail(&p->sibling, &p->real_parent->children);
		get_task_struct(p);  /* the parent's, dropped when it reaps us */
	}
	list_add_tail(&p->thread_node, &p->signal->thread_head);
	p->signal->nr_threads++;
	p->signal->live++;
	list_add_tail(&p->tasks, &task_list);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

pid_t kernel_clone(struct kernel_clone_args *args)
{
	struct vfork_done vfork;
	struct task_struct *p = copy_process(args);
	pid_t pid;

	if (IS_ERR(p))
		return PTR_ERR(p);
	link_new_task(p, args);
	pid = p->pid;
	if (args->flags & CLONE_PARENT_SETTID)
		(void)put_user(pid, args->parent_tid);  /* Linux ignores a bad pointer here too */
	if (args->flags & CLONE_VFORK) {
		init_waitqueue_head(&vfork.wq);
		vfork.done = false;
		p->vfork_done = &vfork;
		get_task_struct(p);
	}
	sched_add(p);
	mm_audit_hook("after fork");
	if (args->flags & CLONE_VFORK) {
		/*
		 * The child borrows our memory: wait until it execs or exits.
		 * SIGKILL ends the wait (Linux's wait_for_vfork_done): then the
		 * child must no longer find our stack's vfork_done.
		 */
		if (wait_event_killable(vfork.wq, READ_ONCE(vfork.done))) {
			task_lock(p);
			p->vfork_done = NULL;
			task_unlock(p);
		}
		put_task_struct(p);
	}
	return pid;
}

long sys_fork(SYSCALL_ARGS)
{
	struct kernel_clone_args args = { .exit_signal = SIGCHLD };

	return kernel_clone(&args);
}

long sys_vfork(SYSCALL_ARGS)
{
	struct kernel_clone_args args = {
		.flags = CLONE_VFORK | CLONE_VM,
		.exit_signal = SIGCHLD,
	};

	return kernel_clone(&args);
}

/* clone(flags, newsp, parent_tid, child_tid, tls): the x86-64 argument order. */
long sys_clone(SYSCALL_ARGS)
{
	struct kernel_clone_args args = {
		.flags = a0 & ~CSIGNAL,
		.exit_signal = a0 & CSIGNAL,
		.stack = a1,
		.parent_tid = (int __user *)a2,
		.child_tid = (int __user *)a3,
		.tls = a4,
	};

	if (args.exit_signal >= _NSIG)
		return -EINVAL;
	return kernel_clone(&args);
}

long sys_set_tid_address(SYSCALL_ARGS)
{
	current->clear_child_tid = (int __user *)a0;
	return current->pid;
}

/*
 * mm_release - current is done with its mm (exec or exit): honour
 * CLONE_CHILD_CLEARTID (zero the word, wake a futex waiter: how
 * pthread_join learns that a thread ended) and release a vfork parent.
 */
void mm_release(struct task_struct *t)
{
	if (t->clear_child_tid) {
		if (t->mm && put_user(0, t->clear_child_tid) == 0)
			futex_wake((u32 __user *)t->clear_child_tid, 1);
		t->clear_child_tid = NULL;
	}
	task_lock(t);   /* against a killed vfork parent taking it back */
	if (t->vfork_done) {
		struct vfork_done *vd = t->vfork_done;

		t->vfork_done = NULL;
		vd->done = true;
		wake_up(&vd->wq);
	}
	task_unlock(t);
}
