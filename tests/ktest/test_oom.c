/*
 * tests/ktest/test_oom.c - running out of memory (mm/oom_kill.c, and
 * pagefault_out_of_memory in arch/x86_64/fault.c):
 *
 *   - the OOM killer chooses the process with the most memory, kills it
 *     with SIGKILL and prints Linux's report line naming its pid, name and
 *     sizes; the others live on;
 *   - the real thing: /bin/bystander works on its own memory while its
 *     child /bin/hog touches more memory than the machine has. The hog
 *     dies of SIGKILL with the report, the bystander - whose own page
 *     faults may be the ones that find no memory - carries on and ends
 *     with its data intact, and the kernel does not panic on the way
 *     (data pages, page-table pages and kernel allocations all fail at
 *     some point there).
 *
 * After each case the runner checks that every page of the dead hog is
 * back (free pages at their baseline) and runs the memory audit.
 */
#include "tests/ktest/ktest.h"
#include "kernel/printk.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/oom.h"
#include "tests/ktest/ktest_user.h"

#define MIB (1UL << 20)

static char log[8192];

/* log_since - what printk logged after @mark (its first 8 KiB), in log[]. */
static const char *log_since(u64 mark)
{
	printk_log_read(mark, log, sizeof(log));
	return log;
}

/* number_after - the decimal number right after @key in @s, or -1 if @key is not there. */
static long number_after(const char *s, const char *key)
{
	const char *p = s ? strstr(s, key) : NULL;

	return p ? (long)simple_strtoul(p + strlen(key), NULL, 10) : -1;
}

/*
 * oom_report - the report line for @pid in @s: "Out of memory: Killed
 * process PID (NAME) total-vm:..kB, anon-rss:..kB, ...", or NULL.
 */
static const char *oom_report(const char *s, int pid, const char *name)
{
	char want[64];

	snprintf(want, sizeof(want), "Out of memory: Killed process %d (%s) total-vm:", pid, name);
	return strstr(s, want);
}

/* wait_for_line - read @p's lines (shown as diagnostics) up to one starting with @prefix. */
static bool wait_for_line(struct ktest_proc *p, const char *prefix)
{
	char line[128];

	while (ktest_proc_readline(p, line, sizeof(line))) {
		ktest_info("%s", line);
		if (strncmp(line, prefix, strlen(prefix)) == 0)
			return true;
	}
	return false;
}

/*
 * oom_kills_the_biggest_process - two hogs hold 16 and 4 MiB; the OOM
 * killer, called as a fault would call it, kills the 16 MiB one (not the
 * caller, not the smaller one) and reports its pid, name and rss.
 */
KTEST(oom_kills_the_biggest_process)
{
	const char *big_argv[] = { "/bin/hog", "16", NULL }, *small_argv[] = { "/bin/hog", "4", NULL };
	unsigned long kills = vm_events.oom_kill;
	struct ktest_proc big, small;
	const char *report;
	int big_status, small_status;
	bool started;
	u64 mark;
	int err;

	ASSERT_EQ(ktest_proc_start(&small, "/bin/hog", small_argv, 30), 0);
	err = ktest_proc_start(&big, "/bin/hog", big_argv, 30);
	if (err)
		ktest_proc_finish(&small, true);  /* its watchdog is on our stack */
	ASSERT_EQ(err, 0);
	started = wait_for_line(&small, "hog: holding") && wait_for_line(&big, "hog: holding");
	EXPECT_TRUE(started);
	mark = printk_log_pos();
	if (started)
		EXPECT_TRUE(out_of_memory());
	big_status = ktest_proc_finish(&big, true);
	EXPECT_EQ(ktest_proc_write(&small, "\n"), 1);
	small_status = ktest_proc_finish(&small, true);

	EXPECT_EQ(KTEST_WTERMSIG(big_status), SIGKILL);
	EXPECT_EQ(small_status, 0);
	EXPECT_EQ(vm_events.oom_kill, kills + 1);
	report = oom_report(log_since(mark), big.pid, "hog");
	EXPECT_NOT_NULL(report);
	/* its 16 MiB, and a little more (the program itself, its stack) */
	EXPECT_GE(number_after(report, "anon-rss:"), 16 * 1024);
	EXPECT_LT(number_after(report, "anon-rss:"), 17 * 1024);
	EXPECT_GE(number_after(report, "total-vm:"), 1024L * 1024 * 1024);  /* its 1 TiB */
	EXPECT_GT(number_after(report, "pgtables:"), 0);
	EXPECT_NULL(oom_report(log, small.pid, "hog"));
}

/*
 * oom_hog_dies_bystander_carries_on - /bin/bystander (see user/bin/) and
 * its child /bin/hog, which touches memory until the machine has none.
 */
KTEST(oom_hog_dies_bystander_carries_on)
{
	const char *argv[] = { "/bin/bystander", NULL };
	unsigned long kills = vm_events.oom_kill;
	u64 mark = printk_log_pos();
	struct ktest_proc proc;
	const char *report;
	char line[160];
	long hog = -1;

	ASSERT_EQ(ktest_proc_start(&proc, "/bin/bystander", argv, 60), 0);
	while (ktest_proc_readline(&proc, line, sizeof(line))) {
		ktest_info("%s", line);
		if (hog < 0)
			hog = number_after(line, "hog pid ");
	}
	ktest_expect_exit_ok(test, "bystander", ktest_proc_finish(&proc, true));
	EXPECT_GT(hog, 0);
	EXPECT_EQ(vm_events.oom_kill, kills + 1);
	report = oom_report(log_since(mark), hog, "hog");
	EXPECT_NOT_NULL(report);
	/* The hog had nearly all of memory when it died. */
	EXPECT_GT(number_after(report, "anon-rss:") * 1024, (long)(totalram_pages() * PAGE_SIZE / 2));
	ktest_info("the OOM killer ran in a fault of the %s",
		   strstr(log, "bystander invoked oom-killer") ? "bystander (and chose the hog)"
							       : "hog itself");
}

static struct ktest_case oom_cases[] = {
	KTEST_CASE(oom_kills_the_biggest_process),
	KTEST_CASE(oom_hog_dies_bystander_carries_on),
	{}
};

static struct ktest_suite oom_suite = {
	.name = "oom",
	.cases = oom_cases,
};
ktest_register_suite(oom_suite);
