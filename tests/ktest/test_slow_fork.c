/*
 * tests/ktest/test_slow_fork.c - fork at scale. These cases need more
 * memory than the main test boot has (256 MiB) and take seconds each, so
 * they form a slow_* suite, which tests/run_tests.py boots on its own with
 * 2 GiB (make test runs it too; ktest=slow* alone runs only them):
 *
 *   - a process with 512 MiB resident forks while a ticking kernel thread
 *     records each of its iterations: the kernel is not preemptive, so the
 *     ticker runs during the fork only because copy_pte_range yields.
 *     Measured: how long the copy took, the longest gap in the ticker's
 *     progress, how often the copy yielded.
 *   - a ring-3 process with 1 GiB resident forks; parent and child check
 *     the data and copy-on-write both ways (/tests/slow_fork_1g).
 *   - 500 processes alive at once (/tests/slow_fork_500).
 *
 * The runner's leak check and memory audit after each case prove that both
 * ring-3 cases give back every page, table, kernel stack and task.
 */
#include "tests/ktest/ktest.h"
#include "arch/x86_64/time.h"
#include "kernel/string.h"
#include "mm/audit.h"
#include "tests/ktest/ktest_mm.h"
#include "tests/ktest/ktest_user.h"

#define P PAGE_SIZE
#define MIB (1UL << 20)

/*
 * What the ticker saw while the forker copied. The two run on one CPU,
 * taking turns, so no lock: each field is written by one side only while
 * the other is switched out. Times are kept twice: by the TSC (wall-clock
 * time) and in ticks (jiffies: the timer interrupts the guest got, which
 * stop when the host runs something else instead of this machine).
 */
struct ticker {
	bool stop;                 /* forker -> ticker: end the loop */
	bool measuring;            /* forker: the copy is under way */
	u64 start_ns;              /* forker: when the copy began */
	unsigned long start_tick;
	u64 last_ns;               /* ticker: its latest iteration during the copy */
	unsigned long last_tick;
	u64 longest_ns;            /* ticker: the longest gap since the start or */
	unsigned long longest_ticks; /* its previous iteration */
	unsigned long runs;        /* ticker: its iterations during the copy */
};

/*
 * ticker_fn - a kernel thread that does nothing but note the time and let
 * others run, over and over: the longest time between two of its
 * iterations is the longest time the CPU was kept from it.
 */
static int ticker_fn(void *arg)
{
	struct ticker *t = arg;

	while (!READ_ONCE(t->stop)) {
		u64 now = ktime_get_ns();
		unsigned long tick = jiffies;

		if (READ_ONCE(t->measuring)) {
			if (now - t->last_ns > t->longest_ns)
				t->longest_ns = now - t->last_ns;
			if (tick - t->last_tick > t->longest_ticks)
				t->longest_ticks = tick - t->last_tick;
			t->last_ns = now;
			t->last_tick = tick;
			t->runs++;
		}
		schedule();  /* still runnable: to the back of the queue */
	}
	return 0;
}

/*
 * slow_fork_512mib_yields - fork (dup_mm) a 512 MiB address space while
 * the ticker runs. The copy must let the ticker in: copy_pte_range must
 * have yielded, and the ticker's longest wait must be below a quarter of
 * the copy's duration. Without the cond_resched() in copy_pte_range the
 * ticker cannot run at all until the copy ends: one gap as long as the copy.
 *
 * The verdict is taken in ticks: under a hypervisor, wall-clock gaps also
 * hold the times the host ran other programs instead of this machine, up
 * to several milliseconds at random. Both are reported. A first, unmeasured
 * fork warms up: the first use of guest memory the host has not backed yet
 * costs the host milliseconds.
 */
KTEST(slow_fork_512mib_yields)
{
	const unsigned long len = 512 * MIB, n = len / P;
	struct mm_struct *mm = ktest_mm_enter(), *child;
	struct ticker tick = { 0 };
	unsigned long yields, copied, took_ticks, bad = 0;
	struct task_struct *t;
	u64 took_ns;

	ASSERT_NOT_NULL(mm);
	ASSERT_EQ(ktest_mmap(KT_BASE, len, KT_RW, KT_ANON | MAP_POPULATE), KT_BASE);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), n);
	child = dup_mm(mm);  /* the warm-up */
	ASSERT_NOT_NULL(child);
	mmput(child);
	t = kthread_run(ticker_fn, &tick, "ticker");
	ASSERT_NOT_NULL(t);
	schedule();  /* let it start */

	yields = vm_events.fork_resched;
	copied = vm_events.fork_pte_copy;
	tick.start_ns = tick.last_ns = ktime_get_ns();
	tick.start_tick = tick.last_tick = jiffies;
	WRITE_ONCE(tick.measuring, true);
	child = dup_mm(mm);
	WRITE_ONCE(tick.measuring, false);
	took_ns = ktime_get_ns() - tick.start_ns;
	took_ticks = jiffies - tick.start_tick;
	/* From the ticker's last iteration to the end of the copy is a gap too. */
	if (tick.start_ns + took_ns - tick.last_ns > tick.longest_ns)
		tick.longest_ns = tick.start_ns + took_ns - tick.last_ns;
	if (tick.start_tick + took_ticks - tick.last_tick > tick.longest_ticks)
		tick.longest_ticks = tick.start_tick + took_ticks - tick.last_tick;
	yields = vm_events.fork_resched - yields;
	copied = vm_events.fork_pte_copy - copied;
	WRITE_ONCE(tick.stop, true);
	kthread_join(t);

	ktest_info("fork %luMiB: copy took %lu ms (%lu ticks), longest gap %lu ms (%lu ticks), "
		   "copy_pte_range yielded %lu times", len / MIB, (unsigned long)(took_ns / 1000000),
		   took_ticks, (unsigned long)(tick.longest_ns / 1000000), tick.longest_ticks, yields);
	EXPECT_GT(yields, 0);
	EXPECT_GT(tick.runs, 0);
	EXPECT_LT(tick.longest_ticks * 4, took_ticks);
	if (child) {
		EXPECT_EQ(copied, n);
		EXPECT_EQ(get_mm_counter(child, MM_ANONPAGES), n);
		/* Two PTEs in every table: same page, read-only in both, two references. */
		for (unsigned long a = KT_BASE; a < KT_BASE + len; a += PMD_SIZE / 2 + 3 * P) {
			struct page *page = ktest_page(mm, a);

			bad += !page || page != ktest_page(child, a) || page_ref_count(page) != 2 ||
			       pte_write(ktest_pte(mm, a)) || pte_write(ktest_pte(child, a));
		}
		EXPECT_EQ(bad, 0);
		mmput(child);
	}
	EXPECT_NOT_NULL(child);
	ktest_mm_leave(mm);
}

/*
 * run_with_checkpoint - run the ring-3 test @path with -k, its output shown
 * as diagnostics. It stops once, at the line starting with @marker, until
 * we answer: then @check(@test, @arg) looks at the kernel's state while the
 * program's processes are all alive. Then the wait status is judged.
 */
static void run_with_checkpoint(struct ktest *test, const char *path, const char *marker,
				void (*check)(struct ktest *test, void *arg), void *arg)
{
	const char *argv[] = { path, "-k", NULL };
	struct ktest_proc proc;
	char line[160];
	int checked = 0;

	ASSERT_EQ(ktest_proc_start(&proc, path, argv, 120), 0);
	while (ktest_proc_readline(&proc, line, sizeof(line))) {
		ktest_info("%s", line);
		if (strncmp(line, marker, strlen(marker)) == 0) {
			check(test, arg);
			checked++;
			EXPECT_EQ(ktest_proc_write(&proc, "go\n"), 3);
		}
	}
	ktest_expect_exit_ok(test, path, ktest_proc_finish(&proc, true));
	EXPECT_EQ(checked, 1);
}

struct baseline {
	unsigned long free_pages, tasks;
};

/* With the 1 GiB parent and its child alive: the audit, and real copies. */
static void check_1g(struct ktest *test, void *arg)
{
	struct baseline *b = arg;
	unsigned long used = b->free_pages - nr_free_pages();

	EXPECT_EQ(mm_audit("with the 1 GiB parent and child alive"), 0);
	/* 1 GiB once (shared), plus the 4096 pages each side wrote: copies */
	ktest_info("in use with both alive: %lu MiB", used * P / MIB);
	EXPECT_GE(used, (1024 * MIB + 2 * 4096 * P) / P);
	EXPECT_LT(used, (1024 * MIB + 64 * MIB) / P);
}

/*
 * slow_fork_1gib_process - /tests/slow_fork_1g: a process with 1 GiB
 * resident forks, both sides check the data and copy-on-write; the audit
 * runs while both are alive; afterwards (the runner's leak check) every
 * page is back.
 */
KTEST(slow_fork_1gib_process)
{
	struct baseline b = { .free_pages = nr_free_pages() };

	run_with_checkpoint(test, "/tests/slow_fork_1g", "both alive", check_1g, &b);
	EXPECT_EQ(nr_free_pages(), b.free_pages);
}

/* With all 500 children alive: count them, audit all 501 address spaces. */
static void check_500(struct ktest *test, void *arg)
{
	struct baseline *b = arg;

	EXPECT_EQ(nr_tasks(), b->tasks + 501);
	EXPECT_EQ(mm_audit("with 500 processes alive"), 0);
	ktest_info("%lu tasks; in use: %lu MiB", nr_tasks(),
		   (b->free_pages - nr_free_pages()) * P / MIB);
}

/*
 * slow_fork_500_processes - /tests/slow_fork_500: 500 children alive at
 * once (the kernel sees 501 more tasks and audits them all), all reaped,
 * and then the tasks and the memory are back where they were.
 */
KTEST(slow_fork_500_processes)
{
	struct baseline b = { .free_pages = nr_free_pages(), .tasks = nr_tasks() };

	run_with_checkpoint(test, "/tests/slow_fork_500", "500 processes alive", check_500, &b);
	EXPECT_EQ(nr_tasks(), b.tasks);
	EXPECT_EQ(nr_free_pages(), b.free_pages);
}

static struct ktest_case slow_fork_cases[] = {
	KTEST_CASE(slow_fork_512mib_yields),
	KTEST_CASE(slow_fork_1gib_process),
	KTEST_CASE(slow_fork_500_processes),
	{}
};

static struct ktest_suite slow_fork_suite = {
	.name = "slow_fork",
	.cases = slow_fork_cases,
};
ktest_register_suite(slow_fork_suite);
