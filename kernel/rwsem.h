/*
 * kernel/rwsem.h - sleeping locks: the read-write semaphore (many readers
 * or one writer; mm->mmap_lock is one) and the mutex (Linux
 * include/linux/rwsem.h, mutex.h). A task that cannot get the lock sleeps
 * on the lock's wait queue instead of spinning, so these may be held across
 * sleeps (a page fault waiting for its userfaultfd handler holds none, but
 * mmap() allocating memory holds mmap_lock). Never take one with a spinlock
 * held or in an interrupt handler.
 */
#ifndef KERNEL_RWSEM_H
#define KERNEL_RWSEM_H

#include "kernel/spinlock.h"
#include "kernel/wait.h"

struct rw_semaphore {
	spinlock_t lock;
	/* -- lock -- */
	long count;                /* >0: that many readers; -1: a writer; 0: free */
	struct task_struct *owner; /* the writer, for reports */
	wait_queue_head_t wait;    /* tasks waiting for it */
};

void init_rwsem(struct rw_semaphore *sem);
void down_read(struct rw_semaphore *sem);
bool down_read_trylock(struct rw_semaphore *sem);
void up_read(struct rw_semaphore *sem);
void down_write(struct rw_semaphore *sem);
bool down_write_trylock(struct rw_semaphore *sem);
void up_write(struct rw_semaphore *sem);
/* downgrade_write - a writer becomes a reader without letting another writer in. */
void downgrade_write(struct rw_semaphore *sem);
bool rwsem_is_locked(struct rw_semaphore *sem);

struct mutex {
	struct rw_semaphore sem;   /* a mutex is a write-only rwsem here */
};

static inline void mutex_init(struct mutex *m) { init_rwsem(&m->sem); }
static inline void mutex_lock(struct mutex *m) { down_write(&m->sem); }
static inline bool mutex_trylock(struct mutex *m) { return down_write_trylock(&m->sem); }
static inline void mutex_unlock(struct mutex *m) { up_write(&m->sem); }
static inline bool mutex_is_locked(struct mutex *m) { return rwsem_is_locked(&m->sem); }

#endif
