/*
 * kernel/futex.c - futex(2) WAIT and WAKE for private futexes (Linux
 * kernel/futex/, with one list instead of a hash table).
 *
 * A futex is a u32 in user memory. User space does the fast path with
 * atomic instructions and only calls the kernel to sleep ("wait while
 * *uaddr == val") or to wake sleepers. The classic lost wake-up - the
 * waker changes the word and calls WAKE between the waiter's check and its
 * sleep - cannot happen because the waiter is queued *before* it reads the
 * word: a WAKE after that point finds it in the queue.
 */
#include "kernel/futex.h"
#include "arch/x86_64/time.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "kernel/timer.h"

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256

struct futex_q {
	struct list_head list;     /* on futex_queue (futex_lock) */
	struct mm_struct *mm;      /* key: the address space ... */
	unsigned long uaddr;       /* ... and the address in it */
	struct task_struct *task;
	bool woken;                /* (futex_lock) */
};

static DEFINE_SPINLOCK(futex_lock);
static LIST_HEAD(futex_queue);

int futex_wake(u32 __user *uaddr, int n)
{
	struct futex_q *q, *next;
	unsigned long flags;
	int woken = 0;

	spin_lock_irqsave(&futex_lock, flags);
	list_for_each_entry_safe(q, next, &futex_queue, list) {
		if (woken >= n)
			break;
		if (q->mm != current->mm || q->uaddr != (unsigned long)uaddr)
			continue;
		list_del_init(&q->list);
		q->woken = true;
		wake_up_process(q->task);
		woken++;
	}
	spin_unlock_irqrestore(&futex_lock, flags);
	return woken;
}

/*
 * timespec_to_ticks - a relative timeout, rounded up to whole ticks;
 * -EINVAL if malformed. A timeout too long to count in ticks is clamped
 * (to about 290 million years), as Linux clamps it, not refused.
 */
long timespec_to_ticks(const struct timespec_user *ts)
{
	const long max_sec = __LONG_MAX__ / HZ - 1;

	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000L)
		return -EINVAL;
	if (ts->tv_sec > max_sec)
		return max_sec * HZ;
	return ts->tv_sec * HZ + (ts->tv_nsec + (1000000000L / HZ) - 1) / (1000000000L / HZ);
}

/*
 * futex_wait - sleep while *uaddr == val, at most @ticks (< 0: forever).
 * Returns 0 (woken), -EAGAIN (the word had changed), -ETIMEDOUT,
 * -ERESTARTSYS (a signal) or -EFAULT.
 */
static long futex_wait(u32 __user *uaddr, u32 val, long ticks)
{
	struct futex_q q = { .mm = current->mm, .uaddr = (unsigned long)uaddr, .task = current };
	unsigned long flags;
	u32 cur;
	long ret = 0;

	if ((unsigned long)uaddr & 3)
		return -EINVAL;
	spin_lock_irqsave(&futex_lock, flags);
	list_add_tail(&q.list, &futex_queue);
	spin_unlock_irqrestore(&futex_lock, flags);

	/* Queued first, read second: see the top of the file. */
	if (get_user(cur, uaddr))
		ret = -EFAULT;
	else if (cur != val)
		ret = -EAGAIN;

	if (!ret) {
		spin_lock_irqsave(&futex_lock, flags);
		if (!q.woken)
			current->state = TASK_INTERRUPTIBLE;
		spin_unlock_irqrestore(&futex_lock, flags);
		if (ticks >= 0)
			ticks = schedule_timeout(ticks);
		else
			schedule();
		current->state = TASK_RUNNING;
	}

	spin_lock_irqsave(&futex_lock, flags);
	if (!q.woken) {
		list_del(&q.list);
		if (!ret)
			ret = signal_pending(current) ? -ERESTARTSYS : (ticks == 0 ? -ETIMEDOUT : 0);
	}
	spin_unlock_irqrestore(&futex_lock, flags);
	return ret;
}

/* futex(uaddr, op, val, timeout, uaddr2, val3) */
long sys_futex(SYSCALL_ARGS)
{
	int op = (int)a1 & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	struct timespec_user ts;
	long ticks = -1;

	switch (op) {
	case FUTEX_WAIT:
		if (a3) {
			if (copy_from_user(&ts, (const void __user *)a3, sizeof(ts)))
				return -EFAULT;
			ticks = timespec_to_ticks(&ts);
			if (ticks < 0)
				return -EINVAL;
		}
		return futex_wait((u32 __user *)a0, (u32)a2, ticks);
	case FUTEX_WAKE:
		if ((long)a0 & 3)
			return -EINVAL;
		return futex_wake((u32 __user *)a0, (int)a2 <= 0 ? 0 : (int)a2);
	default:
		return -ENOSYS;
	}
}
