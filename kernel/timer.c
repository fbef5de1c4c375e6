/* kernel/timer.c - one-shot timers, and sleeping for a while (see timer.h). */
#include "kernel/timer.h"
#include "arch/x86_64/time.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"

static DEFINE_SPINLOCK(timer_lock);
static LIST_HEAD(timer_pending);  /* under timer_lock */

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *))
{
	t->function = fn;
	t->pending = false;
	INIT_LIST_HEAD(&t->entry);
}

void mod_timer(struct timer_list *t, unsigned long expires)
{
	unsigned long flags;

	spin_lock_irqsave(&timer_lock, flags);
	if (t->pending)
		list_del(&t->entry);
	t->expires = expires;
	list_add_tail(&t->entry, &timer_pending);
	t->pending = true;
	spin_unlock_irqrestore(&timer_lock, flags);
}

bool del_timer(struct timer_list *t)
{
	unsigned long flags;
	bool was;

	spin_lock_irqsave(&timer_lock, flags);
	was = t->pending;
	if (was) {
		list_del(&t->entry);
		t->pending = false;
	}
	spin_unlock_irqrestore(&timer_lock, flags);
	return was;
}

/*
 * run_timers - called from the timer interrupt. Each expired timer is taken
 * off the list before its function runs (unlocked), so the function may
 * re-arm it.
 */
void run_timers(void)
{
	for (;;) {
		struct timer_list *t, *found = NULL;

		spin_lock(&timer_lock);
		list_for_each_entry(t, &timer_pending, entry) {
			if ((long)(jiffies - t->expires) >= 0) {
				found = t;
				break;
			}
		}
		if (found) {
			list_del(&found->entry);
			found->pending = false;
		}
		spin_unlock(&timer_lock);
		if (!found)
			return;
		found->function(found);
	}
}

struct sleeper {
	struct timer_list timer;
	struct task_struct *task;
};

static void process_timeout(struct timer_list *t)
{
	wake_up_process(container_of(t, struct sleeper, timer)->task);
}

/*
 * schedule_timeout - sleep (in the state the caller set) until woken or
 * @ticks have passed. Returns the ticks left (0 if the time ran out).
 */
long schedule_timeout(long ticks)
{
	struct sleeper s = { .task = current };
	unsigned long expire = jiffies + ticks;

	timer_setup(&s.timer, process_timeout);
	mod_timer(&s.timer, expire);
	schedule();
	del_timer(&s.timer);
	long left = (long)(expire - jiffies);

	return left < 0 ? 0 : left;
}

void msleep(unsigned int ms)
{
	long ticks = ((long)ms * HZ + 999) / 1000;

	while (ticks > 0) {
		current->state = TASK_UNINTERRUPTIBLE;
		ticks = schedule_timeout(ticks);
	}
}
