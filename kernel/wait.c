/* kernel/wait.c - wait queues (see wait.h). */
#include "kernel/wait.h"
#include "kernel/sched.h"

void init_waitqueue_head(wait_queue_head_t *wq)
{
	spin_lock_init(&wq->lock, "waitqueue");
	INIT_LIST_HEAD(&wq->head);
}

void prepare_to_wait(wait_queue_head_t *wq, wait_queue_entry_t *wait, long state)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	if (list_empty(&wait->entry))
		list_add_tail(&wait->entry, &wq->head);
	/* Set the state under the queue lock: a waker holding it sees us asleep. */
	current->state = state;
	spin_unlock_irqrestore(&wq->lock, flags);
}

void finish_wait(wait_queue_head_t *wq, wait_queue_entry_t *wait)
{
	unsigned long flags;

	current->state = TASK_RUNNING;
	if (!list_empty(&wait->entry)) {
		spin_lock_irqsave(&wq->lock, flags);
		list_del_init(&wait->entry);
		spin_unlock_irqrestore(&wq->lock, flags);
	}
}

void wake_up(wait_queue_head_t *wq)
{
	unsigned long flags;
	wait_queue_entry_t *w;

	spin_lock_irqsave(&wq->lock, flags);
	list_for_each_entry(w, &wq->head, entry)
		wake_up_state(w->task, TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE);
	spin_unlock_irqrestore(&wq->lock, flags);
}

bool waitqueue_active(wait_queue_head_t *wq)
{
	return !list_empty(&wq->head);
}
