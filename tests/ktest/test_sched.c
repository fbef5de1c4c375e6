/*
 * tests/ktest/test_sched.c - kernel threads, the scheduler, wait queues,
 * sleeping locks and timers. Each case starts kernel threads and joins
 * them, so the leak check also proves that a dead thread's stack and
 * task_struct come back.
 */
#include "tests/ktest/ktest.h"
#include "arch/x86_64/stacktrace.h"
#include "arch/x86_64/time.h"
#include "kernel/kstack.h"
#include "kernel/rwsem.h"
#include "kernel/sched.h"
#include "kernel/timer.h"
#include "mm/pgtable.h"

static int return_arg(void *arg)
{
	return (int)(long)arg;
}

KTEST(sched_kthread_runs_and_exits)
{
	unsigned long tasks = nr_tasks();
	struct task_struct *t = kthread_run(return_arg, (void *)42L, "kt-ret");

	ASSERT_NOT_NULL(t);
	EXPECT_NE(t->pid, 0);
	EXPECT_NE(t->pid, current->pid);
	EXPECT_EQ(kthread_join(t), 42);
	EXPECT_EQ(nr_tasks(), tasks);
}

KTEST(sched_kthread_stack_has_guard)
{
	struct task_struct *t = kthread_create(return_arg, NULL, "kt-guard");
	unsigned long base;

	ASSERT_NOT_NULL(t);
	base = (unsigned long)t->stack;
	EXPECT_TRUE(translate(swapper_pg_dir, base, NULL, NULL, NULL));
	EXPECT_TRUE(translate(swapper_pg_dir, base + THREAD_SIZE - 1, NULL, NULL, NULL));
	EXPECT_FALSE(translate(swapper_pg_dir, base - 1, NULL, NULL, NULL));
	EXPECT_FALSE(translate(swapper_pg_dir, base - THREAD_SIZE, NULL, NULL, NULL));
	EXPECT_TRUE(stack_guard_page_hit(base - 8));
	EXPECT_FALSE(stack_guard_page_hit(base + 64));
	get_task_struct(t);
	sched_add(t);
	EXPECT_EQ(kthread_join(t), 0);
}

struct waiter {
	wait_queue_head_t wq;
	volatile int flag;
	volatile int woke_with;
};

static int wait_for_flag(void *arg)
{
	struct waiter *w = arg;

	wait_event(w->wq, w->flag != 0);
	w->woke_with = w->flag;
	return 0;
}

KTEST(sched_wait_queue_wakes_sleeper)
{
	struct waiter w = { .flag = 0 };
	struct task_struct *t;

	init_waitqueue_head(&w.wq);
	t = kthread_run(wait_for_flag, &w, "kt-wait");
	ASSERT_NOT_NULL(t);
	msleep(20);  /* let it go to sleep */
	EXPECT_EQ(t->state, TASK_UNINTERRUPTIBLE);
	EXPECT_TRUE(waitqueue_active(&w.wq));
	EXPECT_EQ(w.woke_with, 0);
	w.flag = 7;
	wake_up(&w.wq);
	kthread_join(t);
	EXPECT_EQ(w.woke_with, 7);
	EXPECT_FALSE(waitqueue_active(&w.wq));
}

struct pingpong {
	wait_queue_head_t wq;
	volatile int turn;   /* 0: ping's turn, 1: pong's */
	int rounds;
	int trace[40];
	volatile int n;
};

static int pingpong_fn(void *arg)
{
	struct pingpong *pp = arg;
	int me = current->comm[4] == 'o' ? 1 : 0;  /* "kt-ping" or "kt-pong" */

	for (int i = 0; i < pp->rounds; i++) {
		wait_event(pp->wq, pp->turn == me);
		pp->trace[pp->n++] = me;
		pp->turn = !me;
		wake_up(&pp->wq);
	}
	return 0;
}

KTEST(sched_ping_pong)
{
	struct pingpong pp = { .turn = 0, .rounds = 20, .n = 0 };
	struct task_struct *a, *b;

	init_waitqueue_head(&pp.wq);
	b = kthread_run(pingpong_fn, &pp, "kt-pong");
	a = kthread_run(pingpong_fn, &pp, "kt-ping");
	ASSERT_NOT_NULL(a);
	ASSERT_NOT_NULL(b);
	kthread_join(a);
	kthread_join(b);
	ASSERT_EQ(pp.n, 40);
	for (int i = 0; i < 40; i++)
		EXPECT_EQ(pp.trace[i], i % 2);
}

static volatile unsigned long spin_count;
static volatile bool spin_stop;

static int spinner(void *arg)
{
	while (!spin_stop) {
		spin_count++;
		cond_resched();
	}
	return 0;
}

KTEST(sched_msleep_lets_others_run)
{
	unsigned long j0 = jiffies;
	struct task_struct *t;

	spin_count = 0;
	spin_stop = false;
	t = kthread_run(spinner, NULL, "kt-spin");
	ASSERT_NOT_NULL(t);
	msleep(50);
	EXPECT_GE(jiffies - j0, 5);
	EXPECT_GT(spin_count, 0);   /* it ran while we slept */
	spin_stop = true;
	kthread_join(t);
}

static volatile bool cr_stop;
static volatile unsigned long cr_count[2];

static int counter_fn(void *arg)
{
	long i = (long)arg;

	while (!cr_stop) {
		cr_count[i]++;
		cond_resched();
	}
	return 0;
}

KTEST(sched_round_robin_via_cond_resched)
{
	struct task_struct *a, *b;

	cr_stop = false;
	cr_count[0] = cr_count[1] = 0;
	a = kthread_run(counter_fn, (void *)0L, "kt-rr0");
	b = kthread_run(counter_fn, (void *)1L, "kt-rr1");
	ASSERT_NOT_NULL(a);
	ASSERT_NOT_NULL(b);
	get_task_struct(a);  /* to read their counters after they are gone */
	get_task_struct(b);
	msleep(200);   /* 200 ticks: many 1-tick slices each */
	cr_stop = true;
	kthread_join(a);
	kthread_join(b);
	EXPECT_GT(cr_count[0], 0);
	EXPECT_GT(cr_count[1], 0);
	EXPECT_GT(a->nivcsw + b->nivcsw, 0);  /* the tick took the CPU from them */
	put_task_struct(a);
	put_task_struct(b);
}

struct rwsem_test {
	struct rw_semaphore sem;
	volatile int events[8];
	volatile int n;
};

static int rwsem_reader(void *arg)
{
	struct rwsem_test *rt = arg;

	down_read(&rt->sem);
	rt->events[rt->n++] = 2;  /* reader got in */
	up_read(&rt->sem);
	return 0;
}

KTEST(sched_rwsem_writer_excludes_reader)
{
	struct rwsem_test rt = { .n = 0 };
	struct task_struct *r;

	init_rwsem(&rt.sem);
	down_write(&rt.sem);
	r = kthread_run(rwsem_reader, &rt, "kt-reader");
	ASSERT_NOT_NULL(r);
	msleep(30);
	rt.events[rt.n++] = 1;    /* writer still holds it: reader must not have run */
	up_write(&rt.sem);
	kthread_join(r);
	ASSERT_EQ(rt.n, 2);
	EXPECT_EQ(rt.events[0], 1);
	EXPECT_EQ(rt.events[1], 2);
	/* Two readers at once are fine; a writer is not. */
	down_read(&rt.sem);
	EXPECT_TRUE(down_read_trylock(&rt.sem));
	EXPECT_FALSE(down_write_trylock(&rt.sem));
	up_read(&rt.sem);
	up_read(&rt.sem);
	EXPECT_TRUE(down_write_trylock(&rt.sem));
	EXPECT_FALSE(down_read_trylock(&rt.sem));
	up_write(&rt.sem);
	EXPECT_FALSE(rwsem_is_locked(&rt.sem));
}

static volatile unsigned long fired_at;

static void timer_fn(struct timer_list *t)
{
	fired_at = jiffies;
}

KTEST(sched_timer_fires_once)
{
	struct timer_list t;
	unsigned long start = jiffies;

	fired_at = 0;
	timer_setup(&t, timer_fn);
	mod_timer(&t, start + 3);
	msleep(60);
	EXPECT_GE(fired_at, start + 3);
	EXPECT_FALSE(del_timer(&t));   /* already fired and off the list */
	fired_at = 0;
	mod_timer(&t, jiffies + 1000);
	EXPECT_TRUE(del_timer(&t));    /* cancelled before it fired */
	msleep(20);
	EXPECT_EQ(fired_at, 0);
}

static struct ktest_case sched_cases[] = {
	KTEST_CASE(sched_kthread_runs_and_exits),
	KTEST_CASE(sched_kthread_stack_has_guard),
	KTEST_CASE(sched_wait_queue_wakes_sleeper),
	KTEST_CASE(sched_ping_pong),
	KTEST_CASE(sched_msleep_lets_others_run),
	KTEST_CASE(sched_round_robin_via_cond_resched),
	KTEST_CASE(sched_rwsem_writer_excludes_reader),
	KTEST_CASE(sched_timer_fires_once),
	{}
};

static struct ktest_suite sched_suite = {
	.name = "sched",
	.cases = sched_cases,
};
ktest_register_suite(sched_suite);
