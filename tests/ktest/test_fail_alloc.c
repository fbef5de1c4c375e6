/*
 * tests/ktest/test_fail_alloc.c - fault injection, and what it proves:
 * every allocation of an exec (and of the program it runs, which forks)
 * can fail, one at a time, and the kernel unwinds each failure cleanly -
 * an error code or a dead process, never a crash, and (checked by the
 * runner after the case) no page, kmalloc object or audit violation left
 * behind.
 */
#include "tests/ktest/ktest.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/printk.h"
#include "kernel/init.h"
#include "mm/audit.h"
#include "mm/fail_alloc.h"
#include "mm/mm.h"
#include "mm/slab.h"

KTEST(fail_alloc_nth_fails_exactly_one)
{
	struct page *p[5];

	fail_alloc_nth(3);
	for (int i = 0; i < 5; i++)
		p[i] = alloc_page(GFP_KERNEL);
	fail_alloc_off();
	EXPECT_NOT_NULL(p[0]);
	EXPECT_NOT_NULL(p[1]);
	EXPECT_NULL(p[2]);
	EXPECT_NOT_NULL(p[3]);
	EXPECT_NOT_NULL(p[4]);
	for (int i = 0; i < 5; i++)
		if (p[i])
			put_page(p[i]);
}

KTEST(fail_alloc_every_and_random)
{
	void *o[12];
	int failed = 0, again = 0;

	fail_alloc_every(4);
	for (int i = 0; i < 12; i++)
		o[i] = kmalloc(64, GFP_KERNEL);
	EXPECT_EQ(fail_alloc_injected(), 3);
	fail_alloc_off();
	for (int i = 0; i < 12; i++) {
		EXPECT_EQ(o[i] == NULL, i % 4 == 3);
		kfree(o[i]);
	}
	/* The same seed fails the same allocations. */
	fail_alloc_random(300, 42);
	for (int i = 0; i < 12; i++) {
		o[i] = kmalloc(32, GFP_KERNEL);
		failed += !o[i];
	}
	for (int i = 0; i < 12; i++)
		kfree(o[i]);
	fail_alloc_random(300, 42);
	for (int i = 0; i < 12; i++) {
		o[i] = kmalloc(32, GFP_KERNEL);
		again += !o[i];
	}
	fail_alloc_off();
	for (int i = 0; i < 12; i++)
		kfree(o[i]);
	EXPECT_GT(failed, 0);
	EXPECT_LT(failed, 12);
	EXPECT_EQ(again, failed);
}

/*
 * spawn_quietly - run @path (here /bin/cowdemo, which forks and COW-faults:
 * exec, fork, the fault handlers and exit all allocate) with its output on
 * a pipe that is drained and dropped. Returns the spawn result (pid or
 * -errno) and the wait status in *status.
 */
static long spawn_quietly(const char *path, int *status)
{
	const char *argv[] = { path, NULL };
	struct file *p[2];
	char buf[256];
	loff_t pos = 0;
	long pid;

	*status = -1;
	if (create_pipe_files(p, 0))
		return -ENOMEM;
	pid = user_spawn(path, argv, NULL, p[0], p[1], p[1]);
	fput(p[1]);
	if (pid > 0) {
		while (kernel_read(p[0], buf, sizeof(buf), &pos) > 0)
			;
		kernel_wait(pid, status);
		/* If it died early, its children are ours now (pid 1): reap them all. */
		int st;

		while (kernel_wait(-1, &st) > 0)
			;
	}
	fput(p[0]);
	return pid;
}

KTEST(fail_alloc_each_allocation_of_exec_fork_cow_exit)
{
	int status, n, clean_runs = 0, errors = 0, deaths = 0;
	long r;

	/* Fail allocation 1, then 2, then 3 ... until a run sees no failure. */
	for (n = 1; n < 2000; n++) {
		unsigned long pages = nr_free_pages(), objs = kmalloc_objects_in_use();

		fail_alloc_nth(n);
		r = spawn_quietly("/bin/cowdemo", &status);
		bool hit = fail_alloc_injected() > 0;

		fail_alloc_off();
		if (!hit) {
			EXPECT_GT(r, 0);
			EXPECT_EQ(status, 0);
			clean_runs++;
			break;
		}
		if (r < 0)
			errors++;          /* exec (or setting up the process) failed cleanly */
		else if (status != 0)
			deaths++;          /* the program failed or was killed: fine */
		EXPECT_EQ(mm_audit("under fault injection"), 0);
		/* Each failure must leave nothing behind; say which one if it does. */
		if (nr_free_pages() != pages || kmalloc_objects_in_use() != objs) {
			ktest_info("failing allocation %d (spawn %ld, status %#x) leaked %ld pages, "
				   "%ld kmalloc objects", n, r, status, (long)(pages - nr_free_pages()),
				   (long)(kmalloc_objects_in_use() - objs));
			EXPECT_EQ(nr_free_pages(), pages);
		}
	}
	ktest_info("failed each of %d allocations in turn: %d spawn errors, %d failed runs",
		   n - 1, errors, deaths);
	EXPECT_EQ(clean_runs, 1);
	EXPECT_GT(n, 20);  /* exec + fork + COW really allocate that often */
}

static struct ktest_case fail_alloc_cases[] = {
	KTEST_CASE(fail_alloc_nth_fails_exactly_one),
	KTEST_CASE(fail_alloc_every_and_random),
	KTEST_CASE(fail_alloc_each_allocation_of_exec_fork_cow_exit),
	{}
};

static struct ktest_suite fail_alloc_suite = {
	.name = "fail_alloc",
	.cases = fail_alloc_cases,
};
ktest_register_suite(fail_alloc_suite);
