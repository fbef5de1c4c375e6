/*
 * kernel/timer.h - one-shot timers run from the tick (Linux timer_list,
 * without the timer wheel: one list, checked every tick).
 */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include "kernel/list.h"

struct timer_list {
	unsigned long expires;                 /* in jiffies */
	void (*function)(struct timer_list *); /* runs in the timer interrupt */
	struct list_head entry;                /* on the pending list (timer_lock) */
	bool pending;
};

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *));
/* mod_timer - (re)arm @t to fire at @expires. */
void mod_timer(struct timer_list *t, unsigned long expires);
/* del_timer - disarm; true if it was pending. */
bool del_timer(struct timer_list *t);
/* run_timers - from the tick: fire every timer whose time has come. */
void run_timers(void);

/* struct timespec as user space passes it (Linux's __kernel_timespec on x86-64). */
struct timespec_user {
	long tv_sec, tv_nsec;
};

/*
 * timespec_to_ticks - a relative timeout in whole ticks, rounded up, too
 * long ones clamped as Linux does; -EINVAL if malformed (kernel/futex.c).
 */
long timespec_to_ticks(const struct timespec_user *ts);

#endif
