/*
 * kernel/sched.c - a round-robin scheduler (Linux kernel/sched/core.c, with
 * one run queue and no priorities).
 *
 * The run queue holds every runnable task except the idle task (init_task,
 * pid 0), which runs only when the queue is empty. schedule() moves the
 * current task to the back of the queue if it is still runnable, or takes it
 * off if it went to sleep, and switches to the task at the front.
 *
 * Sleeping without lost wake-ups: a sleeper sets its state (prepare_to_wait)
 * *before* checking its condition; a waker sets the state back to
 * TASK_RUNNING under rq_lock. schedule() looks at the state under the same
 * lock, so a wake-up that comes between the check and schedule() simply
 * makes schedule() keep the task on the queue.
 *
 * rq_lock is held across the switch itself, as in Linux: the next task
 * releases it (finish_task_switch, or schedule_tail for a new task), so no
 * other CPU could pick the previous task while its stack is still in use.
 *
 * Locking order: tasklist_lock -> rq_lock -> timer_lock.
 */
#include "kernel/sched.h"
#include "arch/x86_64/special_insns.h"
#include "arch/x86_64/time.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "arch/x86_64/process.h"
#include "mm/mm_types.h"
#include "mm/pgtable.h"

/*
 * A task runs for at most one tick (1 ms at HZ=1000) while another waits:
 * the tick then sets need_resched, which takes effect on the way back to
 * user mode or at the next cond_resched() of a long kernel loop. Linux's
 * CFS gives two busy tasks about 3 ms each; a short slice keeps the wait
 * short behind a long kernel operation too (a fork copying 512 MiB of page
 * tables takes some 10 ms: tests/ktest/test_slow_fork.c).
 */
#define TIME_SLICE_TICKS 1

static DEFINE_SPINLOCK(rq_lock);
/* -- rq_lock -- */
static LIST_HEAD(run_queue);
static unsigned long nr_running;
static unsigned long nr_switches;

struct task_struct *__switch_to_asm(struct task_struct *prev, struct task_struct *next,
				    unsigned long *prev_sp, unsigned long next_sp);
void finish_task_switch(struct task_struct *prev);

void set_need_resched(void)
{
	WRITE_ONCE(this_cpu()->need_resched, true);
}

static void enqueue_task(struct task_struct *t)
{
	if (t->on_rq || t == &init_task)
		return;
	list_add_tail(&t->run_list, &run_queue);
	t->on_rq = true;
	nr_running++;
}

static void dequeue_task(struct task_struct *t)
{
	if (!t->on_rq)
		return;
	list_del(&t->run_list);
	t->on_rq = false;
	nr_running--;
}

void sched_add(struct task_struct *t)
{
	unsigned long flags;

	spin_lock_irqsave(&rq_lock, flags);
	t->state = TASK_RUNNING;
	t->time_slice = TIME_SLICE_TICKS;
	enqueue_task(t);
	spin_unlock_irqrestore(&rq_lock, flags);
}

bool wake_up_state(struct task_struct *t, long state)
{
	unsigned long flags;
	bool woke = false;

	spin_lock_irqsave(&rq_lock, flags);
	if (t->state & state) {
		t->state = TASK_RUNNING;
		enqueue_task(t);
		woke = true;
		/* The idle task halts until an interrupt; make it look again. */
		if (current == &init_task)
			set_need_resched();
	}
	spin_unlock_irqrestore(&rq_lock, flags);
	return woke;
}

bool wake_up_process(struct task_struct *t)
{
	return wake_up_state(t, TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE);
}

/* pick_next_task - the front of the queue, or the idle task. rq_lock held. */
static struct task_struct *pick_next_task(void)
{
	if (list_empty(&run_queue))
		return &init_task;
	return list_first_entry(&run_queue, struct task_struct, run_list);
}

/*
 * switch_mm - load @next's page tables. Kernel threads run on the kernel's
 * own tables (swapper_pg_dir), which every address space shares the upper
 * half of, so an exiting process can free its tables at once.
 */
static void switch_mm(struct task_struct *prev, struct task_struct *next)
{
	pgd_t *pgd = next->mm ? next->mm->pgd : swapper_pg_dir;
	unsigned long cr3 = virt_to_phys(pgd);

	(void)prev;
	if ((read_cr3() & PTE_PFN_MASK) != cr3)
		write_cr3(cr3);
	next->active_mm = next->mm;
}

/*
 * schedule - give the CPU to the next runnable task. Called by a task that
 * goes to sleep (state already set), that yields, or that was asked to by
 * the tick. Returns when this task is picked again. Must not be called with
 * a spinlock held (other than through the wait-queue helpers).
 */
void schedule(void)
{
	struct task_struct *prev = current, *next, *last = NULL;
	unsigned long flags;

	flags = local_irq_save();
	spin_lock(&rq_lock);
	this_cpu()->need_resched = false;

	if (prev->state != TASK_RUNNING) {
		/* A signal for an interruptible sleeper cancels the sleep. */
		if ((prev->state & TASK_INTERRUPTIBLE) && signal_pending(prev))
			prev->state = TASK_RUNNING;
		else if ((prev->state & TASK_WAKEKILL) && fatal_signal_pending(prev))
			prev->state = TASK_RUNNING;
		else
			dequeue_task(prev);
	}
	if (prev->on_rq) {  /* still runnable: to the back of the queue */
		list_del(&prev->run_list);
		list_add_tail(&prev->run_list, &run_queue);
		prev->nivcsw++;
	} else if (prev != &init_task) {
		prev->nvcsw++;
	}
	next = pick_next_task();
	next->time_slice = TIME_SLICE_TICKS;

	if (next != prev) {
		nr_switches++;
		switch_mm(prev, next);
		last = __switch_to_asm(prev, next, &prev->thread.sp, next->thread.sp);
		/*
		 * Running as prev again, on its own stack, some time later;
		 * "last" is the task that switched to us. rq_lock is still
		 * held - by the switch that brought us back.
		 */
	}
	spin_unlock(&rq_lock);
	if (last)
		finish_task_switch(last);
	local_irq_restore(flags);
}

/*
 * schedule_tail - the first thing a new task does (ret_from_fork_asm): drop
 * the run-queue lock its creator's schedule() took, and turn interrupts on.
 */
void schedule_tail(struct task_struct *prev)
{
	spin_unlock(&rq_lock);
	finish_task_switch(prev);
	local_irq_enable();
}

int cond_resched(void)
{
	if (!need_resched())
		return 0;
	schedule();
	return 1;
}

/*
 * scheduler_tick - from the timer interrupt: count down the running task's
 * slice and ask for a switch when it runs out (or when the idle task runs
 * and someone is waiting).
 */
void scheduler_tick(void)
{
	struct task_struct *t = current;

	if (t == &init_task) {
		if (!list_empty(&run_queue))
			set_need_resched();
		return;
	}
	if (--t->time_slice <= 0)
		set_need_resched();
}

/* The boot context becomes the idle task, pid 0, on the boot stack. */
struct task_struct init_task = {
	.state = TASK_RUNNING,
	.comm = "swapper",
	.alloc_lock = __SPIN_LOCK_UNLOCKED(init_task.alloc_lock),
	.usage = 1,
	.flags = PF_KTHREAD,
	.run_list = LIST_HEAD_INIT(init_task.run_list),
	.children = LIST_HEAD_INIT(init_task.children),
	.sibling = LIST_HEAD_INIT(init_task.sibling),
	.thread_node = LIST_HEAD_INIT(init_task.thread_node),
	.tasks = LIST_HEAD_INIT(init_task.tasks),
	.pending = { .list = LIST_HEAD_INIT(init_task.pending.list) },
	.group_leader = &init_task,
	.real_parent = &init_task,
};

static void tick(void)
{
	run_timers();
	scheduler_tick();
}

/*
 * sched_init - make the running boot code the idle task (pid 0) and start
 * taking ticks. Interrupts are off; percpu_init() has run.
 */
void sched_init(void)
{
	extern char boot_stack_bottom[];

	init_task.stack = boot_stack_bottom;
	this_cpu()->current_task = &init_task;
	this_cpu()->top_of_stack = task_stack_top(&init_task);
	timer_tick_hook = tick;
}

/* cpu_idle - what the idle task does forever: run others, or halt until an interrupt. */
void __noreturn cpu_idle(void)
{
	for (;;) {
		local_irq_disable();
		if (need_resched() || !list_empty(&run_queue)) {
			local_irq_enable();
			schedule();
		} else {
			safe_halt();  /* sti; hlt: no wake-up lost in between */
		}
	}
}

unsigned long nr_context_switches(void)
{
	return nr_switches;
}
