/*
 * kernel/poll.c - poll() and ppoll(): sleep until one of several files is
 * ready (Linux fs/select.c).
 *
 * The whole trick is to wait on many wait queues at once:
 *
 *   do_poll:  state = TASK_INTERRUPTIBLE
 *             for each fd: mask = f_op->poll(f, pt)   first pass: pt != NULL, so each
 *                                                     ->poll calls poll_wait(f, wq, pt),
 *                                                     which queues us on wq
 *             anything ready, a signal, or time up?  -> done
 *             schedule_timeout()                      any of those queues' wake_up()
 *                                                     makes us runnable again
 *             (loop; later passes have pt == NULL: we are queued already)
 *   then:     take ourselves off every queue (poll_freewait)
 *
 * No wake-up is lost: we are on every queue and marked sleeping *before*
 * we look at the files, so an event after the look sets us TASK_RUNNING
 * and schedule() returns at once - the wait.h pattern, over many queues.
 * It is also why ->poll must not sleep: taking a mutex would set our state
 * back to TASK_RUNNING (see the comment on struct file_operations).
 */
#include "kernel/fs.h"
#include "arch/x86_64/time.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "mm/slab.h"

#define POLL_WQ_PER_FD 2     /* pipes wait on two queues; nothing needs more */

/* One registration: us on one wait queue. */
struct poll_table_entry {
	wait_queue_head_t *wq;
	wait_queue_entry_t wait;
};

/* struct poll_table_struct - what poll_wait() gets: where to note registrations. */
struct poll_table_struct {
	struct poll_table_entry *entries;
	int nr, max;
	bool overflow;       /* more queues than room: poll by ticks instead */
};

/*
 * poll_wait - called by ->poll methods: if @pt is not NULL, queue the
 * current task on @wq until poll_freewait(). Never sleeps; takes @wq's lock.
 */
void poll_wait(struct file *f, wait_queue_head_t *wq, struct poll_table_struct *pt)
{
	struct poll_table_entry *e;
	unsigned long flags;

	(void)f;
	if (!pt || !wq)
		return;
	if (pt->nr == pt->max) {
		pt->overflow = true;
		return;
	}
	e = &pt->entries[pt->nr++];
	e->wq = wq;
	e->wait.task = current;
	INIT_LIST_HEAD(&e->wait.entry);
	spin_lock_irqsave(&wq->lock, flags);
	list_add_tail(&e->wait.entry, &wq->head);
	spin_unlock_irqrestore(&wq->lock, flags);
}

/* poll_freewait - leave every queue poll_wait() put us on. */
static void poll_freewait(struct poll_table_struct *pt)
{
	unsigned long flags;

	for (int i = 0; i < pt->nr; i++) {
		struct poll_table_entry *e = &pt->entries[i];

		spin_lock_irqsave(&e->wq->lock, flags);
		list_del_init(&e->wait.entry);
		spin_unlock_irqrestore(&e->wq->lock, flags);
	}
}

/*
 * poll_one - fill @p->revents for one descriptor: the file's ready bits
 * masked by the events asked for (POLLERR, POLLHUP always count), or
 * POLLNVAL for a closed fd; a negative fd is skipped (0).
 */
static unsigned int poll_one(struct pollfd *p, struct poll_table_struct *pt)
{
	unsigned int mask;
	struct file *f;

	if (p->fd < 0)
		return p->revents = 0;
	f = fget(p->fd);
	if (!f)
		return p->revents = POLLNVAL;
	if (f->f_op->poll)
		mask = f->f_op->poll(f, pt);
	else    /* regular files and directories are always ready */
		mask = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
	fput(f);
	mask &= (unsigned short)p->events | POLLERR | POLLHUP;
	return p->revents = (short)mask;
}

/*
 * do_poll - the loop described at the top. @timeout is in ticks, < 0 for
 * none; *@left gets the ticks that were left. Returns the number of
 * descriptors with revents != 0, 0 on timeout, -EINTR on a signal, -ENOMEM.
 */
static long do_poll(struct pollfd *fds, unsigned int nfds, long timeout, long *left)
{
	struct poll_table_struct table = { .max = nfds * POLL_WQ_PER_FD };
	struct poll_table_struct *pt = &table;
	long count, sleep;

	if (timeout == 0 || nfds == 0)
		pt = NULL;   /* no waiting: nothing to register */
	if (pt && !(table.entries = kmalloc(table.max * sizeof(*table.entries), GFP_KERNEL)))
		return -ENOMEM;

	for (;;) {
		current->state = TASK_INTERRUPTIBLE;
		count = 0;
		for (unsigned int i = 0; i < nfds; i++)
			if (poll_one(&fds[i], pt))
				count++;
		pt = NULL;               /* registered once is enough */
		if (count || timeout == 0)
			break;
		if (signal_pending(current)) {
			count = -EINTR;
			break;
		}
		/* Queues we could not register on are watched by looking every tick. */
		sleep = table.overflow && (timeout < 0 || timeout > 1) ? 1 : timeout;
		if (sleep < 0) {
			schedule();
		} else {
			long rem = schedule_timeout(sleep);

			if (timeout > 0)
				timeout -= sleep - rem;   /* 0: one last look, then give up */
		}
	}
	current->state = TASK_RUNNING;
	if (table.entries) {
		poll_freewait(&table);
		kfree(table.entries);
	}
	*left = timeout;
	return count;
}

/* kernel_poll - do_poll on kernel memory (the tests); @timeout in ticks, < 0 forever. */
long kernel_poll(struct pollfd *fds, unsigned int nfds, long timeout)
{
	long left;

	return do_poll(fds, nfds, timeout, &left);
}

/*
 * poll_copy - copy in @nfds pollfds, run do_poll, copy revents back.
 * -EINVAL for more fds than a task can have open, -EFAULT, -ENOMEM.
 */
static long poll_copy(unsigned long ufds, unsigned long nfds, long timeout, long *left)
{
	struct pollfd *fds = NULL;
	size_t size = nfds * sizeof(*fds);
	long ret;

	if (nfds > NR_OPEN_MAX)
		return -EINVAL;
	if (nfds) {
		fds = kmalloc(size, GFP_KERNEL);
		if (!fds)
			return -ENOMEM;
		if (copy_from_user(fds, (void __user *)ufds, size)) {
			ret = -EFAULT;
			goto out_free;
		}
	}
	ret = do_poll(fds, (unsigned int)nfds, timeout, left);
	if (ret >= 0 && nfds && copy_to_user((void __user *)ufds, fds, size))
		ret = -EFAULT;
out_free:
	kfree(fds);
	return ret;
}

static long ms_to_ticks(unsigned long ms)
{
	return (long)((ms * HZ + 999) / 1000);
}

/* poll(fds, nfds, timeout_ms) - 7: timeout < 0 waits forever, 0 does not wait. */
long sys_poll(SYSCALL_ARGS)
{
	int ms = (int)a2;
	long left;

	return poll_copy(a0, a1, ms < 0 ? -1 : ms_to_ticks(ms), &left);
}

struct timespec {
	long tv_sec;
	long tv_nsec;
};

/* set_blocked - current's signal mask, under siglock when the task has handlers. */
static void set_blocked(sigset_t mask)
{
	struct sighand_struct *sh = current->sighand;
	unsigned long flags;

	if (sh)
		spin_lock_irqsave(&sh->siglock, flags);
	current->blocked = mask;
	if (sh)
		spin_unlock_irqrestore(&sh->siglock, flags);
}

/*
 * ppoll(fds, nfds, tmo_p, sigmask, sigsetsize) - 271: a timespec timeout
 * (NULL: forever), written back with the time left; and a signal mask in
 * force while waiting. Simplification: the old mask comes back as soon as
 * ppoll returns (Linux keeps the temporary one until the handler of the
 * signal that woke it has run).
 */
long sys_ppoll(SYSCALL_ARGS)
{
	struct timespec ts;
	sigset_t mask, saved = current->blocked;
	long timeout = -1, left, ret;

	if (a2) {
		if (copy_from_user(&ts, (void __user *)a2, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
			return -EINVAL;
		timeout = ts.tv_sec > 100000000L ? -1 :
			ts.tv_sec * HZ + (ts.tv_nsec + (1000000000L / HZ) - 1) / (1000000000L / HZ);
	}
	if (a3) {
		if (a4 != sizeof(sigset_t))
			return -EINVAL;
		if (copy_from_user(&mask, (void __user *)a3, sizeof(mask)))
			return -EFAULT;
		set_blocked(mask & ~(sigmask(SIGKILL) | sigmask(SIGSTOP)));
	}
	ret = poll_copy(a0, a1, timeout, &left);
	if (a3)
		set_blocked(saved);
	if (a2 && ret >= 0 && timeout >= 0) {
		ts.tv_sec = left / HZ;
		ts.tv_nsec = (left % HZ) * (1000000000L / HZ);
		if (copy_to_user((void __user *)a2, &ts, sizeof(ts)))
			ret = -EFAULT;
	}
	return ret;
}
