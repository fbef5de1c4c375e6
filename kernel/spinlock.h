/*
 * kernel/spinlock.h - spinlocks, written as if there were several CPUs.
 *
 * A spinlock is a word that one CPU at a time turns from 0 to 1 with an
 * atomic exchange. The _irqsave forms also disable interrupts on this CPU
 * for as long as the lock is held, so that an interrupt handler that takes
 * the same lock cannot deadlock against the code it interrupted. Take a
 * spinlock only for short, non-sleeping sections.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include "arch/x86_64/special_insns.h"
#include "kernel/compiler.h"
#include "kernel/types.h"

typedef struct spinlock {
	volatile u32 locked;  /* 0 free, 1 held */
	const char *name;     /* for lock reports */
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(n) { .locked = 0, .name = #n }
#define DEFINE_SPINLOCK(n) spinlock_t n = __SPIN_LOCK_UNLOCKED(n)

static inline void spin_lock_init(spinlock_t *l, const char *name)
{
	l->locked = 0;
	l->name = name;
}

static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (READ_ONCE(l->locked))
			cpu_relax();
}

static inline bool spin_trylock(spinlock_t *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(spinlock_t *l)
{
	return READ_ONCE(l->locked) != 0;
}

#define spin_lock_irqsave(l, flags)          \
	do {                                 \
		(flags) = local_irq_save();  \
		spin_lock(l);                \
	} while (0)

#define spin_unlock_irqrestore(l, flags)     \
	do {                                 \
		spin_unlock(l);              \
		local_irq_restore(flags);    \
	} while (0)

#endif
