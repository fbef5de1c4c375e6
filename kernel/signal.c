/*
 * kernel/signal.c - sending and delivering signals (Linux kernel/signal.c).
 *
 * Sending puts the signal's bit in a pending set - the thread's own
 * (tgkill, faults) or the process's shared one (kill) - remembers its
 * siginfo, and wakes a thread that can take it. Standard signals do not
 * queue: a second SIGCHLD while one is pending is merged into it.
 *
 * Delivery happens on the way back to user mode (exit_to_user_mode calls
 * arch_do_signal_or_restart): get_signal() takes the lowest pending
 * unblocked signal and either performs the default action itself
 * (ignore, or terminate the whole process) or returns it so that
 * handle_signal() builds a frame on the user stack and points RIP at the
 * handler (arch/x86_64/signal.c). rt_sigreturn undoes the frame.
 *
 * Locking: sighand->siglock protects the pending sets and blocked masks of
 * every task sharing the sighand (and the handlers). Order: tasklist_lock
 * -> siglock -> rq_lock.
 */
#include "kernel/signal.h"
#include "arch/x86_64/ptrace.h"
#include "arch/x86_64/signal.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/entry.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscalls.h"
#include "mm/slab.h"


void __noreturn do_group_exit(int code);

/* ---- state --------------------------------------------------------------- */

struct signal_struct *alloc_signal_struct(void)
{
	struct signal_struct *sig = kzalloc(sizeof(*sig), GFP_KERNEL);

	if (!sig)
		return NULL;
	INIT_LIST_HEAD(&sig->thread_head);
	INIT_LIST_HEAD(&sig->shared_pending.list);
	init_waitqueue_head(&sig->wait_chldexit);
	return sig;
}

struct sighand_struct *alloc_sighand_struct(void)
{
	struct sighand_struct *sh = kzalloc(sizeof(*sh), GFP_KERNEL);

	if (!sh)
		return NULL;
	sh->count = 1;
	spin_lock_init(&sh->siglock, "siglock");
	return sh;
}

static void flush_sigqueue(struct sigpending *p)
{
	struct sigqueue *q, *n;

	list_for_each_entry_safe(q, n, &p->list, list) {
		list_del(&q->list);
		kfree(q);
	}
	p->signal = 0;
}

/* flush_sigqueue_mask - siglock held: forget the signals in @mask, bits and siginfo. */
static void flush_sigqueue_mask(sigset_t mask, struct sigpending *p)
{
	struct sigqueue *q, *n;

	list_for_each_entry_safe(q, n, &p->list, list) {
		if (mask & sigmask(q->info.si_signo)) {
			list_del(&q->list);
			kfree(q);
		}
	}
	p->signal &= ~mask;
}

/*
 * exit_task_signals - a task is going away for good: free its queued
 * siginfo, its share of the handlers, and - if it is the last of its
 * process - the process's signal_struct.
 */
void exit_task_signals(struct task_struct *t)
{
	flush_sigqueue(&t->pending);
	if (t->sighand) {
		if (__atomic_sub_fetch(&t->sighand->count, 1, __ATOMIC_ACQ_REL) == 0)
			kfree(t->sighand);
		t->sighand = NULL;
	}
	if (t->signal && thread_group_leader(t) && t->signal->nr_threads == 0) {
		flush_sigqueue(&t->signal->shared_pending);
		kfree(t->signal);
		t->signal = NULL;
	}
}

/* flush_signal_handlers - exec: handled signals go back to SIG_DFL; ignored stay ignored. */
void flush_signal_handlers(struct task_struct *t)
{
	for (int i = 0; i < _NSIG; i++) {
		struct k_sigaction *ka = &t->sighand->action[i];

		if (ka->handler != SIG_IGN)
			ka->handler = SIG_DFL;
		ka->flags = 0;
		ka->restorer = NULL;
		ka->mask = 0;
	}
}

bool signal_group_exiting(struct task_struct *t)
{
	return t->signal && READ_ONCE(t->signal->group_exiting);
}

bool fatal_signal_pending(struct task_struct *t)
{
	return (READ_ONCE(t->pending.signal) & sigmask(SIGKILL)) != 0;
}

/* ---- sending ------------------------------------------------------------- */

static bool sig_kernel_ignore(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT ||
	       sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* sig_ignored - would @sig be thrown away on arrival? (siglock held) */
static bool sig_ignored(struct task_struct *t, int sig)
{
	void __user *h = t->sighand->action[sig - 1].handler;

	if (sig == SIGKILL)
		return false;
	if (t->blocked & sigmask(sig))
		return false;  /* it waits; the handler may change before unblocking */
	return h == SIG_IGN || (h == SIG_DFL && sig_kernel_ignore(sig));
}

/*
 * signal_wake_up - @t has a new signal: wake it if it sleeps interruptibly
 * (or killably, for SIGKILL), and make it look on its way out of the kernel.
 */
static void signal_wake_up(struct task_struct *t, bool fatal)
{
	wake_up_state(t, TASK_INTERRUPTIBLE | (fatal ? TASK_WAKEKILL : 0));
}

/*
 * __send_signal - siglock held. Queue @sig with @info for @t (the thread
 * itself, or its whole process if @group). Returns 0.
 */
static int __send_signal(int sig, kernel_siginfo_t *info, struct task_struct *t, bool group)
{
	struct sigpending *pending = group ? &t->signal->shared_pending : &t->pending;
	struct sigqueue *q;

	if (sig_ignored(t, sig))
		return 0;
	if (!(pending->signal & sigmask(sig))) {
		q = kzalloc(sizeof(*q), GFP_KERNEL);
		if (q) {  /* without memory the signal still arrives, without its info */
			q->info = *info;
			list_add_tail(&q->list, &pending->list);
		}
		pending->signal |= sigmask(sig);
	}
	if (sig == SIGKILL) {
		/* SIGKILL for one thread kills the process: every thread gets it. */
		struct task_struct *th;

		list_for_each_entry(th, &t->signal->thread_head, thread_node) {
			th->pending.signal |= sigmask(SIGKILL);
			signal_wake_up(th, true);
		}
		return 0;
	}
	if (group) {
		struct task_struct *th;

		list_for_each_entry(th, &t->signal->thread_head, thread_node)
			if (!(th->blocked & sigmask(sig)))
				signal_wake_up(th, false);
	} else {
		signal_wake_up(t, false);
	}
	return 0;
}

static int send_signal_locked(int sig, kernel_siginfo_t *info, struct task_struct *t, bool group)
{
	unsigned long flags;
	int ret;

	if (!t->sighand || !t->signal || t->exit_state)
		return -ESRCH;
	spin_lock_irqsave(&t->sighand->siglock, flags);
	ret = __send_signal(sig, info, t, group);
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	return ret;
}

int send_sig_info(int sig, kernel_siginfo_t *info, struct task_struct *t)
{
	return send_signal_locked(sig, info, t, true);
}

int send_sig(int sig, struct task_struct *t, int priv)
{
	kernel_siginfo_t info = { .si_signo = sig, .si_code = priv ? SI_KERNEL : SI_USER };

	if (!priv)
		info.kill.pid = current->tgid;
	return send_signal_locked(sig, &info, t, false);
}

/*
 * force_sig_info - a signal the current task cannot refuse (a fault): if it
 * is blocked or ignored, the handler is reset to SIG_DFL and the signal
 * unblocked, so the default action (death) happens. Mirrors Linux
 * force_sig_info_to_task().
 */
static int force_sig_info(kernel_siginfo_t *info)
{
	struct task_struct *t = current;
	struct k_sigaction *ka = &t->sighand->action[info->si_signo - 1];
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&t->sighand->siglock, flags);
	if (ka->handler == SIG_IGN || (t->blocked & sigmask(info->si_signo))) {
		ka->handler = SIG_DFL;
		t->blocked &= ~sigmask(info->si_signo);
	}
	ret = __send_signal(info->si_signo, info, t, false);
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	return ret;
}

int force_sig_fault(int sig, int code, void __user *addr)
{
	kernel_siginfo_t info = { .si_signo = sig, .si_code = code };

	info.fault.addr = addr;
	return force_sig_info(&info);
}

/* force_fatal_sig - current must die of @sig, handler or not (exec failing late). */
void force_fatal_sig(int sig)
{
	kernel_siginfo_t info = { .si_signo = sig, .si_code = SI_KERNEL };
	unsigned long flags;

	spin_lock_irqsave(&current->sighand->siglock, flags);
	current->sighand->action[sig - 1].handler = SIG_DFL;
	current->blocked &= ~sigmask(sig);
	spin_unlock_irqrestore(&current->sighand->siglock, flags);
	force_sig_info(&info);
}

/* zap_other_threads - siglock held: SIGKILL to every other thread of @t's process. */
void zap_other_threads(struct task_struct *t)
{
	struct task_struct *th;

	list_for_each_entry(th, &t->signal->thread_head, thread_node) {
		if (th == t)
			continue;
		th->pending.signal |= sigmask(SIGKILL);
		signal_wake_up(th, true);
	}
}

/* find_process - the thread-group leader with tgid @pid, or NULL. tasklist_lock held. */
static struct task_struct *find_process(pid_t pid)
{
	struct task_struct *t = find_task_by_pid(pid);

	if (!t || !t->signal || t->exit_state)
		return NULL;
	return t->group_leader;
}

int kill_pid(pid_t pid, int sig)
{
	kernel_siginfo_t info = { .si_signo = sig, .si_code = SI_USER };
	struct task_struct *t;
	unsigned long flags;
	int ret = -ESRCH;

	info.kill.pid = current->tgid;
	spin_lock_irqsave(&tasklist_lock, flags);
	t = find_process(pid);
	if (t)
		ret = sig ? send_signal_locked(sig, &info, t, true) : 0;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

/* kill_all - kill(-1, sig): every process but init and the caller's. */
static int kill_all(int sig, bool except_self)
{
	kernel_siginfo_t info = { .si_signo = sig, .si_code = SI_USER };
	struct task_struct *t;
	unsigned long flags;
	int count = 0;

	info.kill.pid = current->tgid;
	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(t, &task_list, tasks) {
		if (!thread_group_leader(t) || !t->signal || t->exit_state || t->tgid == 1 ||
		    (except_self && t->tgid == current->tgid))
			continue;
		count++;
		if (sig)
			send_signal_locked(sig, &info, t, true);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return count ? 0 : -ESRCH;
}

void signal_console_users(int sig)
{
	kill_all(sig, false);
}

/* ---- delivering ---------------------------------------------------------- */

/* dequeue - siglock held: take the lowest pending signal not in @mask; 0 if none. */
static int dequeue(struct sigpending *p, sigset_t mask, kernel_siginfo_t *info)
{
	sigset_t ready = p->signal & ~mask;
	struct sigqueue *q;
	int sig;

	if (!ready)
		return 0;
	sig = __builtin_ctzll(ready) + 1;
	p->signal &= ~sigmask(sig);
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = SI_KERNEL;
	list_for_each_entry(q, &p->list, list) {
		if (q->info.si_signo == sig) {
			*info = q->info;
			list_del(&q->list);
			kfree(q);
			break;
		}
	}
	return sig;
}

struct ksignal {
	int sig;
	kernel_siginfo_t info;
	struct k_sigaction ka;
};

/*
 * get_signal - take pending signals until one needs a handler (return
 * true, filled in @ks) or none is left (false). Default actions happen
 * here: ignore, or terminate the whole process (never returns then).
 */
static bool get_signal(struct ksignal *ks)
{
	struct task_struct *t = current;
	unsigned long flags;

	for (;;) {
		int sig;

		spin_lock_irqsave(&t->sighand->siglock, flags);
		/* SIGKILL first: nothing can block or handle it. */
		if (t->pending.signal & sigmask(SIGKILL)) {
			t->pending.signal &= ~sigmask(SIGKILL);
			spin_unlock_irqrestore(&t->sighand->siglock, flags);
			do_group_exit(SIGKILL);
		}
		sig = dequeue(&t->pending, t->blocked, &ks->info);
		if (!sig)
			sig = dequeue(&t->signal->shared_pending, t->blocked, &ks->info);
		if (!sig) {
			spin_unlock_irqrestore(&t->sighand->siglock, flags);
			return false;
		}
		ks->sig = sig;
		ks->ka = t->sighand->action[sig - 1];
		if (ks->ka.handler != SIG_DFL && ks->ka.handler != SIG_IGN) {
			if (ks->ka.flags & SA_RESETHAND)
				t->sighand->action[sig - 1].handler = SIG_DFL;
			spin_unlock_irqrestore(&t->sighand->siglock, flags);
			return true;
		}
		spin_unlock_irqrestore(&t->sighand->siglock, flags);
		if (ks->ka.handler == SIG_IGN || sig_kernel_ignore(sig))
			continue;  /* (stop signals too: there is no job control) */
		/* Init survives signals it does not handle, as in Linux. */
		if (t->tgid == 1)
			continue;
		do_group_exit(sig);  /* the wait status of "killed by sig" */
	}
}

/*
 * syscall_restart - @regs come from a syscall that returned -ERESTARTSYS
 * (a sleep interrupted by a signal). With a handler that lacks SA_RESTART
 * the caller sees -EINTR; otherwise the syscall instruction runs again.
 */
static void syscall_restart(struct pt_regs *regs, struct ksignal *ks)
{
	if (regs->vector != PT_VECTOR_SYSCALL)
		return;
	regs->vector = PT_VECTOR_SYSCALL_NORESTART;
	if ((long)regs->rax != -ERESTARTSYS)
		return;
	if (ks && !(ks->ka.flags & SA_RESTART)) {
		regs->rax = -EINTR;
		return;
	}
	regs->rax = regs->orig_rax;
	regs->rip -= 2;  /* the length of "syscall" */
}

void arch_do_signal_or_restart(struct pt_regs *regs)
{
	struct ksignal ks;
	unsigned long flags;

	if (!current->sighand) {
		/* A kernel thread: nothing to deliver to. */
		current->pending.signal = 0;
		return;
	}
	if (!get_signal(&ks)) {
		syscall_restart(regs, NULL);
		if (current->restore_sigmask) {  /* sigsuspend woken by an ignored signal */
			current->restore_sigmask = false;
			current->blocked = current->saved_sigmask;
		}
		return;
	}
	syscall_restart(regs, &ks);
	/* After sigsuspend, the frame records the mask from before it. */
	sigset_t old = current->restore_sigmask ? current->saved_sigmask : current->blocked;

	current->restore_sigmask = false;
	if (setup_rt_frame(ks.sig, &ks.info, &ks.ka, old, regs)) {
		/* No room for the frame on the user stack: die of SIGSEGV. */
		force_fatal_sig(SIGSEGV);
		return;
	}
	spin_lock_irqsave(&current->sighand->siglock, flags);
	current->blocked |= ks.ka.mask;
	if (!(ks.ka.flags & SA_NODEFER))
		current->blocked |= sigmask(ks.sig);
	current->blocked &= ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
	spin_unlock_irqrestore(&current->sighand->siglock, flags);
}

/* ---- system calls -------------------------------------------------------- */

static bool valid_signal(unsigned long sig)
{
	return sig >= 1 && sig <= _NSIG;
}

long sys_rt_sigaction(SYSCALL_ARGS)
{
	int sig = (int)a0;
	struct k_sigaction new, old;
	unsigned long flags;

	if (a3 != sizeof(sigset_t) || !valid_signal(sig))
		return -EINVAL;
	if (a1 && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (a1 && copy_from_user(&new, (const void __user *)a1, sizeof(new)))
		return -EFAULT;
	spin_lock_irqsave(&current->sighand->siglock, flags);
	old = current->sighand->action[sig - 1];
	if (a1) {
		new.mask &= ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
		current->sighand->action[sig - 1] = new;
		/* Setting SIG_IGN discards what is pending (POSIX). */
		if (new.handler == SIG_IGN || (new.handler == SIG_DFL && sig_kernel_ignore(sig))) {
			struct task_struct *th;

			flush_sigqueue_mask(sigmask(sig), &current->signal->shared_pending);
			list_for_each_entry(th, &current->signal->thread_head, thread_node)
				flush_sigqueue_mask(sigmask(sig), &th->pending);
		}
	}
	spin_unlock_irqrestore(&current->sighand->siglock, flags);
	if (a2 && copy_to_user((void __user *)a2, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_rt_sigprocmask(SYSCALL_ARGS)
{
	sigset_t set, old = current->blocked;
	unsigned long flags;

	if (a3 != sizeof(sigset_t))
		return -EINVAL;
	if (a1) {
		if (copy_from_user(&set, (const void __user *)a1, sizeof(set)))
			return -EFAULT;
		set &= ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
		spin_lock_irqsave(&current->sighand->siglock, flags);
		switch (a0) {
		case SIG_BLOCK:
			current->blocked |= set;
			break;
		case SIG_UNBLOCK:
			current->blocked &= ~set;
			break;
		case SIG_SETMASK:
			current->blocked = set;
			break;
		default:
			spin_unlock_irqrestore(&current->sighand->siglock, flags);
			return -EINVAL;
		}
		spin_unlock_irqrestore(&current->sighand->siglock, flags);
	}
	if (a2 && copy_to_user((void __user *)a2, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_rt_sigpending(SYSCALL_ARGS)
{
	sigset_t set = (current->pending.signal | current->signal->shared_pending.signal) &
		       current->blocked;

	if (a1 != sizeof(sigset_t))
		return -EINVAL;
	return copy_to_user((void __user *)a0, &set, sizeof(set)) ? -EFAULT : 0;
}

long sys_rt_sigreturn(SYSCALL_ARGS)
{
	struct pt_regs *regs = current_pt_regs();
	sigset_t mask;
	unsigned long flags;

	if (restore_rt_frame(regs, &mask)) {
		force_fatal_sig(SIGSEGV);
		return 0;
	}
	spin_lock_irqsave(&current->sighand->siglock, flags);
	current->blocked = mask & ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
	spin_unlock_irqrestore(&current->sighand->siglock, flags);
	/*
	 * Not a syscall any more: no restart logic, RAX is the interrupted
	 * code's, and the return must be iretq - sysretq would clobber RCX
	 * and R11, which the interrupted code may be using.
	 */
	regs->vector = PT_VECTOR_SYSCALL_IRET;
	return regs->rax;
}

/* sleep_until_signal - sleep interruptibly until a signal is pending; -EINTR. */
static long sleep_until_signal(void)
{
	while (!signal_pending(current)) {
		current->state = TASK_INTERRUPTIBLE;
		if (!signal_pending(current))
			schedule();
		current->state = TASK_RUNNING;
	}
	return -EINTR;
}

/* sys_pause - sleep until a signal runs a handler (then -EINTR) or kills us. */
long sys_pause(SYSCALL_ARGS)
{
	return sleep_until_signal();
}

/*
 * sys_rt_sigsuspend - replace the blocked mask with *@mask and sleep until
 * a signal arrives; the handler runs with that mask, and the old one comes
 * back afterwards (current->saved_sigmask, recorded in the signal frame).
 */
long sys_rt_sigsuspend(SYSCALL_ARGS)
{
	sigset_t mask;
	unsigned long flags;

	if (a1 != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, (const void __user *)a0, sizeof(mask)))
		return -EFAULT;
	spin_lock_irqsave(&current->sighand->siglock, flags);
	current->saved_sigmask = current->blocked;
	current->restore_sigmask = true;
	current->blocked = mask & ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
	spin_unlock_irqrestore(&current->sighand->siglock, flags);
	return sleep_until_signal();
}

long sys_kill(SYSCALL_ARGS)
{
	pid_t pid = (pid_t)a0;
	int sig = (int)a1;

	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	if (pid > 0)
		return kill_pid(pid, sig);
	if (pid == -1)
		return kill_all(sig, true);
	/* Process groups do not exist here: 0 means "my process". */
	if (pid == 0)
		return kill_pid(current->tgid, sig);
	return -ESRCH;
}

static long do_tkill(pid_t tgid, pid_t tid, int sig)
{
	kernel_siginfo_t info = { .si_signo = sig, .si_code = SI_TKILL };
	struct task_struct *t;
	unsigned long flags;
	long ret = -ESRCH;

	if (tid <= 0 || sig < 0 || sig > _NSIG)
		return -EINVAL;
	info.kill.pid = current->tgid;
	spin_lock_irqsave(&tasklist_lock, flags);
	t = find_task_by_pid(tid);
	if (t && t->signal && !t->exit_state && (tgid <= 0 || t->tgid == tgid))
		ret = sig ? send_signal_locked(sig, &info, t, false) : 0;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

long sys_tgkill(SYSCALL_ARGS)
{
	if ((pid_t)a0 <= 0)
		return -EINVAL;
	return do_tkill((pid_t)a0, (pid_t)a1, (int)a2);
}

long sys_tkill(SYSCALL_ARGS)
{
	return do_tkill(0, (pid_t)a0, (int)a1);
}
