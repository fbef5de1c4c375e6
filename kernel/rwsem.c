/*
 * kernel/rwsem.c - read-write semaphores (see rwsem.h). A waiter sleeps
 * uninterruptibly on sem->wait and re-tries when woken; every release wakes
 * all waiters (simple, and fair enough for a teaching kernel: Linux hands
 * the lock over in queue order).
 */
#include "kernel/rwsem.h"
#include "kernel/printk.h"
#include "kernel/sched.h"

void init_rwsem(struct rw_semaphore *sem)
{
	spin_lock_init(&sem->lock, "rwsem");
	sem->count = 0;
	sem->owner = NULL;
	init_waitqueue_head(&sem->wait);
}

bool down_read_trylock(struct rw_semaphore *sem)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&sem->lock, flags);
	/* A steady stream of readers can starve a writer; Linux queues fairly. */
	ok = sem->count >= 0;
	if (ok)
		sem->count++;
	spin_unlock_irqrestore(&sem->lock, flags);
	return ok;
}

bool down_write_trylock(struct rw_semaphore *sem)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&sem->lock, flags);
	ok = sem->count == 0;
	if (ok) {
		sem->count = -1;
		sem->owner = current;
	}
	spin_unlock_irqrestore(&sem->lock, flags);
	return ok;
}

void down_read(struct rw_semaphore *sem)
{
	wait_event(sem->wait, down_read_trylock(sem));
}

void down_write(struct rw_semaphore *sem)
{
	wait_event(sem->wait, down_write_trylock(sem));
}

void up_read(struct rw_semaphore *sem)
{
	unsigned long flags;

	spin_lock_irqsave(&sem->lock, flags);
	BUG_ON(sem->count <= 0);
	sem->count--;
	spin_unlock_irqrestore(&sem->lock, flags);
	wake_up(&sem->wait);
}

void up_write(struct rw_semaphore *sem)
{
	unsigned long flags;

	spin_lock_irqsave(&sem->lock, flags);
	BUG_ON(sem->count != -1);
	sem->count = 0;
	sem->owner = NULL;
	spin_unlock_irqrestore(&sem->lock, flags);
	wake_up(&sem->wait);
}

void downgrade_write(struct rw_semaphore *sem)
{
	unsigned long flags;

	spin_lock_irqsave(&sem->lock, flags);
	BUG_ON(sem->count != -1);
	sem->count = 1;
	sem->owner = NULL;
	spin_unlock_irqrestore(&sem->lock, flags);
	wake_up(&sem->wait);
}

bool rwsem_is_locked(struct rw_semaphore *sem)
{
	return READ_ONCE(sem->count) != 0;
}
