/*
 * kernel/wait.h - wait queues: how a task sleeps until something happens
 * (Linux include/linux/wait.h).
 *
 * The sleeping side follows one pattern, which is free of lost wake-ups
 * because the task is on the queue and marked sleeping *before* it checks
 * the condition:
 *
 *     DEFINE_WAIT(wait);
 *     for (;;) {
 *             prepare_to_wait(&wq, &wait, TASK_INTERRUPTIBLE);
 *             if (condition)
 *                     break;
 *             if (signal_pending(current)) { ret = -EINTR; break; }
 *             schedule();
 *     }
 *     finish_wait(&wq, &wait);
 *
 * The waking side makes the condition true, then calls wake_up(&wq). The
 * wait_event*() macros below wrap the loop.
 */
#ifndef KERNEL_WAIT_H
#define KERNEL_WAIT_H

#include "kernel/errno.h"
#include "kernel/list.h"
#include "kernel/spinlock.h"

struct task_struct;

typedef struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;  /* of wait_queue_entry, under lock */
} wait_queue_head_t;

typedef struct wait_queue_entry {
	struct task_struct *task;
	struct list_head entry;  /* on wait_queue_head.head, under its lock */
} wait_queue_entry_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) \
	{ .lock = __SPIN_LOCK_UNLOCKED(name.lock), .head = LIST_HEAD_INIT(name.head) }
#define DECLARE_WAIT_QUEUE_HEAD(name) wait_queue_head_t name = __WAIT_QUEUE_HEAD_INITIALIZER(name)
#define DEFINE_WAIT(name) \
	wait_queue_entry_t name = { .task = current, .entry = LIST_HEAD_INIT(name.entry) }

void init_waitqueue_head(wait_queue_head_t *wq);
/* prepare_to_wait - queue @wait on @wq (if not yet) and set current->state = @state. */
void prepare_to_wait(wait_queue_head_t *wq, wait_queue_entry_t *wait, long state);
/* finish_wait - TASK_RUNNING again and off the queue. */
void finish_wait(wait_queue_head_t *wq, wait_queue_entry_t *wait);
/* wake_up - make every task waiting on @wq runnable; they re-check their conditions. */
void wake_up(wait_queue_head_t *wq);
/* wq_has_sleeper - is anyone queued on @wq? */
bool waitqueue_active(wait_queue_head_t *wq);

/*
 * ___wait_event - the loop of the pattern above: sleep in @state until
 * @cond, or until @stop (checked after @cond) says to give up, which makes
 * the result -ERESTARTSYS (the syscall layer turns it into -EINTR).
 */
#define ___wait_event(wq, cond, state, stop)                            \
	({                                                              \
		int __ret = 0;                                          \
		DEFINE_WAIT(__wait);                                    \
		for (;;) {                                              \
			prepare_to_wait(&(wq), &__wait, state);         \
			if (cond)                                       \
				break;                                  \
			if (stop) {                                     \
				__ret = -ERESTARTSYS;                   \
				break;                                  \
			}                                               \
			schedule();                                     \
		}                                                       \
		finish_wait(&(wq), &__wait);                            \
		__ret;                                                  \
	})

/* wait_event_interruptible - sleep until @cond (0) or any signal (-ERESTARTSYS). */
#define wait_event_interruptible(wq, cond) \
	___wait_event(wq, cond, TASK_INTERRUPTIBLE, signal_pending(current))

/* wait_event_killable - the same, but only a fatal signal (SIGKILL) ends the wait. */
#define wait_event_killable(wq, cond) \
	___wait_event(wq, cond, TASK_KILLABLE, fatal_signal_pending(current))

/* wait_event - uninterruptible: nothing but @cond ends it. */
#define wait_event(wq, cond) \
	((void)___wait_event(wq, cond, TASK_UNINTERRUPTIBLE, false))

#endif
