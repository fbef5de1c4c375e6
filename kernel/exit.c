/*
 * kernel/exit.c - the end of a task (Linux kernel/exit.c).
 *
 *   do_exit(code)
 *     mm_release()      clear_child_tid + futex wake; a vfork parent resumes
 *     exit_mm()         drop the address space (mmput)
 *     exit_files()      drop the fd table and the cwd
 *     exit_notify()     children go to init; the last thread of a process
 *                       becomes a zombie and its parent gets SIGCHLD; a
 *                       non-leader thread reaps itself
 *     schedule()        for the last time (TASK_DEAD)
 *
 * A task cannot free the kernel stack it runs on, so the next task does it
 * in finish_task_switch(). A zombie keeps its task_struct (the parent's
 * reference) until wait4() reaps it.
 *
 * When init (pid 1) exits the machine has nothing left to do: the kernel
 * prints its status and powers off (leaves QEMU).
 */
#include "kernel/sched.h"
#include "arch/x86_64/qemu.h"
#include "arch/x86_64/special_insns.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/syscalls.h"
#include "mm/audit.h"
#include "mm/mm_types.h"
#include "mm/pgtable.h"
#include "mm/slab.h"

void task_free_stack(struct task_struct *t);
void release_task_resources(struct task_struct *t);

/* Linux's wait status encoding: exit code in bits 8-15, or the signal in 0-6. */
#define W_EXITCODE(code, sig) (((code) & 0xff) << 8 | ((sig) & 0x7f))

static void exit_mm(struct task_struct *t)
{
	struct mm_struct *mm = t->mm;

	if (!mm)
		return;
	mm_release(t);
	/* Off the user page tables before they can be freed. */
	local_irq_disable();
	task_lock(t);
	t->mm = NULL;
	t->active_mm = NULL;
	task_unlock(t);
	write_cr3(virt_to_phys(swapper_pg_dir));
	local_irq_enable();
	mmput(mm);
}

/* find_new_reaper - orphans go to init (pid 1), or to the idle task before init exists. */
static struct task_struct *find_new_reaper(void)
{
	struct task_struct *init = find_task_by_pid(1);

	return init && init != current ? init : &init_task;
}

/*
 * exit_notify - tasklist_lock held. Hand our children to init; if we are
 * the last thread of the process, become a zombie and tell the parent.
 * Returns true if nobody will reap us (we reap ourselves).
 */
static bool exit_notify(struct task_struct *t)
{
	struct task_struct *child, *next, *reaper = find_new_reaper();
	struct signal_struct *sig = t->signal;
	bool zombies = false;

	list_for_each_entry_safe(child, next, &t->children, sibling) {
		list_del(&child->sibling);
		child->real_parent = reaper;
		list_add_tail(&child->sibling, &reaper->children);
		if (child->exit_state == EXIT_ZOMBIE)
			zombies = true;
	}
	if (zombies && reaper->signal)
		wake_up(&reaper->signal->wait_chldexit);

	list_del_init(&t->thread_node);
	sig->nr_threads--;
	/* Its fault counts stay with the process (getrusage RUSAGE_SELF). */
	sig->min_flt += t->min_flt;
	sig->maj_flt += t->maj_flt;
	sig->nvcsw += t->nvcsw;
	sig->nivcsw += t->nivcsw;

	if (!thread_group_leader(t)) {
		/* A thread: nobody waits for it. If it was the last one and the
		 * leader is a zombie already, the leader's parent can reap now. */
		if (sig->nr_threads == 0 && t->group_leader->exit_state == EXIT_ZOMBIE)
			do_notify_parent(t->group_leader);
		return true;
	}
	t->exit_state = EXIT_ZOMBIE;
	if (sig->nr_threads == 0)
		do_notify_parent(t);
	return false;
}

/*
 * do_notify_parent - tasklist_lock held; @leader's whole process is done.
 * Send its exit_signal (SIGCHLD) and wake a parent in wait4().
 */
void do_notify_parent(struct task_struct *leader)
{
	struct task_struct *parent = leader->real_parent;
	struct signal_struct *sig = leader->signal;
	int status = sig->group_exiting ? sig->group_exit_code : leader->exit_code;
	kernel_siginfo_t info = { .si_signo = leader->exit_signal };

	/* What the parent's SA_SIGINFO handler sees: who, and how it ended. */
	info.si_code = (status & 0x7f) ? CLD_KILLED : CLD_EXITED;
	info.chld.pid = leader->tgid;
	info.chld.status = (status & 0x7f) ? (status & 0x7f) : (status >> 8) & 0xff;
	/* Kernel threads (the selftest runner) reap with kernel_wait(), no signal. */
	if (leader->exit_signal > 0 && !(parent->flags & PF_KTHREAD))
		send_sig_info(leader->exit_signal, &info, parent);
	if (parent->signal)
		wake_up(&parent->signal->wait_chldexit);
}

void __noreturn do_exit(int code)
{
	struct task_struct *t = current;
	unsigned long flags;
	bool autoreap;

	BUG_ON(t == &init_task);
	t->flags |= PF_EXITING;
	t->exit_code = code;
	t->exit_result = code;

	if (t->pid == 1 && t->mm) {
		int st = t->signal ? t->signal->group_exit_code : code;

		printk("init exited: %s %d; powering off\n",
		       (st & 0x7f) ? "killed by signal" : "exit status",
		       (st & 0x7f) ? (st & 0x7f) : (st >> 8) & 0xff);
		/* Leave QEMU: 0x10 for status 0; 0x40 | status otherwise (make run decodes it). */
		qemu_exit(st == 0 ? QEMU_EXIT_SUCCESS : 0x40 | (((st & 0x7f) ? 128 + (st & 0x7f) : st >> 8) & 0x3f));
	}

	if (t->mm) {  /* a user process (not a kernel thread): audit after it lets go */
		exit_mm(t);
		mm_audit_hook("after exit");
	}
	if (t->files) {
		put_files_struct(t->files);
		t->files = NULL;
	}
	if (t->cwd) {
		iput(t->cwd);
		t->cwd = NULL;
	}

	spin_lock_irqsave(&tasklist_lock, flags);
	if (t->signal)
		autoreap = exit_notify(t);
	else
		autoreap = true;  /* a kernel thread */
	if (autoreap) {
		t->exit_state = EXIT_DEAD;
		list_del_init(&t->tasks);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);

	if (autoreap)
		exit_task_signals(t);
	t->state = TASK_DEAD;
	schedule();
	BUG();  /* a dead task is never picked again */
}

/* do_group_exit - every thread of the process ends; @code is the wait status. */
void __noreturn do_group_exit(int code)
{
	struct signal_struct *sig = current->signal;

	if (sig) {
		unsigned long flags;

		spin_lock_irqsave(&current->sighand->siglock, flags);
		if (!sig->group_exiting) {
			sig->group_exiting = true;
			sig->group_exit_code = code;
			zap_other_threads(current);
		} else {
			code = sig->group_exit_code;
		}
		spin_unlock_irqrestore(&current->sighand->siglock, flags);
	}
	do_exit(code);
}

/* kthread_finish - see switch.asm: a kernel thread's fn returned @ret. */
void kthread_finish(int ret)
{
	if (current->flags & PF_KTHREAD)
		do_exit(ret);
	/* kernel_execve() made it a user process: switch.asm goes to user mode. */
}

/*
 * finish_task_switch - called on the new task's stack right after a switch
 * (interrupts off). If the task we came from is dead, free its stack and
 * drop the reference it held on itself.
 */
void finish_task_switch(struct task_struct *prev)
{
	if (prev->state != TASK_DEAD)
		return;
	task_free_stack(prev);
	wake_up(&task_dead_wq);
	put_task_struct(prev);
}

/*
 * release_task - wait4() reaps zombie @p: off the task list, its signal
 * state freed, and the parent's reference dropped. tasklist_lock held.
 */
static void release_task(struct task_struct *p)
{
	list_del_init(&p->sibling);
	list_del_init(&p->tasks);
	p->exit_state = EXIT_DEAD;
}

bool child_zombie_ready(pid_t pid);

struct rusage_user {
	long ru_utime[2], ru_stime[2];
	long ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap,
	     ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};

#define WNOHANG   1
#define WUNTRACED 2
#define __WALL    0x40000000
#define __WCLONE  0x80000000

/*
 * do_wait - find a zombie child matching @pid (-1 any, > 0 that one, 0 or
 * < -1: any, as there are no process groups), reap it and return its pid
 * with its status in *@status. 0 with WNOHANG if none is ready; -ECHILD if
 * there is no such child; -ERESTARTSYS if a signal interrupted the wait.
 */
static long do_wait(pid_t pid, int *status, int options, struct rusage_user *ru)
{
	struct signal_struct *sig = current->signal;
	long ret;

	for (;;) {
		struct task_struct *c, *found = NULL;
		bool any = false;
		unsigned long flags;

		spin_lock_irqsave(&tasklist_lock, flags);
		/* Children of any thread of this process count. */
		struct task_struct *t;

		list_for_each_entry(t, &sig->thread_head, thread_node) {
			list_for_each_entry(c, &t->children, sibling) {
				if (pid > 0 && c->pid != pid)
					continue;
				any = true;
				if (c->exit_state == EXIT_ZOMBIE && c->signal->nr_threads == 0) {
					found = c;
					break;
				}
			}
			if (found)
				break;
		}
		if (found) {
			struct signal_struct *cs = found->signal;

			release_task(found);
			/* The child's counts (its threads', and its own children's) become ours. */
			sig->cmin_flt += cs->min_flt + cs->cmin_flt;
			sig->cmaj_flt += cs->maj_flt + cs->cmaj_flt;
			sig->cnvcsw += cs->nvcsw + cs->cnvcsw;
			sig->cnivcsw += cs->nivcsw + cs->cnivcsw;
			spin_unlock_irqrestore(&tasklist_lock, flags);
			*status = cs->group_exiting ? cs->group_exit_code : found->exit_code;
			if (ru) {
				memset(ru, 0, sizeof(*ru));
				ru->ru_minflt = cs->min_flt + cs->cmin_flt;
				ru->ru_majflt = cs->maj_flt + cs->cmaj_flt;
				ru->ru_nvcsw = cs->nvcsw + cs->cnvcsw;
				ru->ru_nivcsw = cs->nivcsw + cs->cnivcsw;
			}
			ret = found->pid;
			exit_task_signals(found);
			put_task_struct(found);
			return ret;
		}
		spin_unlock_irqrestore(&tasklist_lock, flags);
		if (!any)
			return -ECHILD;
		if (options & WNOHANG)
			return 0;
		ret = wait_event_interruptible(sig->wait_chldexit, child_zombie_ready(pid));
		if (ret)
			return ret;
	}
}

/* child_zombie_ready - the wait condition of do_wait(): a matching child is reapable. */
bool child_zombie_ready(pid_t pid)
{
	struct task_struct *t, *c;
	unsigned long flags;
	bool ready = false;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(t, &current->signal->thread_head, thread_node)
		list_for_each_entry(c, &t->children, sibling)
			if ((pid <= 0 || c->pid == pid) && c->exit_state == EXIT_ZOMBIE &&
			    c->signal->nr_threads == 0)
				ready = true;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ready;
}

long do_wait_status(pid_t pid, int *status, int options)
{
	return do_wait(pid, status, options, NULL);
}

long sys_wait4(SYSCALL_ARGS)
{
	pid_t pid = (pid_t)a0;
	int status = 0;
	struct rusage_user ru;
	long ret;

	if (a2 & ~(WNOHANG | WUNTRACED | __WALL | __WCLONE))
		return -EINVAL;
	ret = do_wait(pid, &status, (int)a2, a3 ? &ru : NULL);
	if (ret > 0) {
		if (a1 && put_user(status, (int __user *)a1))
			return -EFAULT;
		if (a3 && copy_to_user((void __user *)a3, &ru, sizeof(ru)))
			return -EFAULT;
	}
	return ret;
}

long sys_exit(SYSCALL_ARGS)
{
	do_exit(W_EXITCODE(a0, 0));
}

long sys_exit_group(SYSCALL_ARGS)
{
	do_group_exit(W_EXITCODE(a0, 0));
}

#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1

long sys_getrusage(SYSCALL_ARGS)
{
	struct rusage_user ru;
	int who = (int)a0;

	memset(&ru, 0, sizeof(ru));
	if (who == RUSAGE_SELF) {
		struct signal_struct *sig = current->signal;
		struct task_struct *t;

		/* The whole process: the exited threads, and every live one. */
		ru.ru_minflt = sig->min_flt;
		ru.ru_majflt = sig->maj_flt;
		ru.ru_nvcsw = sig->nvcsw;
		ru.ru_nivcsw = sig->nivcsw;
		list_for_each_entry(t, &sig->thread_head, thread_node) {
			ru.ru_minflt += t->min_flt;
			ru.ru_majflt += t->maj_flt;
			ru.ru_nvcsw += t->nvcsw;
			ru.ru_nivcsw += t->nivcsw;
		}
	} else if (who == RUSAGE_THREAD) {
		ru.ru_minflt = current->min_flt;
		ru.ru_majflt = current->maj_flt;
		ru.ru_nvcsw = current->nvcsw;
		ru.ru_nivcsw = current->nivcsw;
	} else if (who == RUSAGE_CHILDREN) {
		ru.ru_minflt = current->signal->cmin_flt;
		ru.ru_majflt = current->signal->cmaj_flt;
		ru.ru_nvcsw = current->signal->cnvcsw;
		ru.ru_nivcsw = current->signal->cnivcsw;
	} else {
		return -EINVAL;
	}
	return copy_to_user((void __user *)a1, &ru, sizeof(ru)) ? -EFAULT : 0;
}

/*
 * de_thread - exec in a multi-threaded process: every other thread dies
 * (SIGKILL) and we wait until they are gone. If we are not the leader,
 * Linux swaps pids with it; we keep it simple and refuse that case.
 */
int de_thread(void)
{
	struct signal_struct *sig = current->signal;
	unsigned long flags;

	if (!sig || sig->nr_threads == 1)
		return 0;
	if (!thread_group_leader(current))
		return -EBUSY;
	spin_lock_irqsave(&current->sighand->siglock, flags);
	zap_other_threads(current);
	spin_unlock_irqrestore(&current->sighand->siglock, flags);
	wait_event(task_dead_wq, READ_ONCE(sig->nr_threads) == 1);
	return 0;
}
