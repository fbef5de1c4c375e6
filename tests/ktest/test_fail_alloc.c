/*
 * tests/ktest/test_fail_alloc.c - fault injection, and what it proves:
 * every allocation of an exec (and of the program it runs, which forks)
 * can fail, one at a time, and the kernel unwinds each failure cleanly -
 * an error code or a dead process, never a crash, and (checked by the
 * runner after the case) no page, kmalloc object or audit violation left
 * behind. The same for the allocations of one copy-on-write fault, one
 * at a time, checked at the level of handle_mm_fault().
 */
#include "tests/ktest/ktest.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/init.h"
#include "mm/audit.h"
#include "mm/fail_alloc.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "tests/ktest/ktest_mm.h"

#define P PAGE_SIZE

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

/*
 * One copy-on-write fault to fail: @setup builds the address space(s)
 * afresh each time (a failure may leave page tables behind, which would
 * change the next attempt), the fault is a write to @addr in the child if
 * there is one, else in @mm.
 */
struct cow_state {
	struct mm_struct *mm, *child;
	unsigned long addr;
	struct page *page;    /* what the faulting PTE maps before the fault (NULL: nothing) */
	char value;           /* the first byte of the data the fault must see */
	int refs;             /* page's refcount before the fault */
};

static struct ktest_file kfile;

/* cow_setup_after_fork - a parent writes a page and forks; the child will write it. */
static bool cow_setup_after_fork(struct cow_state *s)
{
	s->mm = ktest_mm_enter();
	s->addr = KT_ADDR(0);
	s->value = 'p';
	if (!s->mm || ktest_mmap(s->addr, P, KT_RW, KT_ANON) != s->addr ||
	    put_user(s->value, (char __user *)s->addr))
		return false;
	s->child = dup_mm(s->mm);
	s->page = ktest_page(s->mm, s->addr);
	s->refs = 2;
	return s->child && s->page;
}

/*
 * cow_setup_file - a private mapping of a file (the page cache: kfile,
 * page 0 full of 'A') in a PGD entry of its own: the first write needs a
 * PUD, a PMD and a PTE table and the copy (do_cow_fault).
 */
static bool cow_setup_file(struct cow_state *s)
{
	s->mm = ktest_mm_enter();
	s->addr = 0x7e0000000000UL;
	s->value = 'A';
	s->page = NULL;
	return s->mm && vm_mmap(&kfile.file, s->addr, P, KT_RW, MAP_PRIVATE, 0) == s->addr;
}

static void cow_teardown(struct cow_state *s)
{
	if (s->child)
		mmput(s->child);
	ktest_mm_leave(s->mm);
	memset(s, 0, sizeof(*s));
}

/* cow_fault - the write fault, where the test makes it. */
static vm_fault_t cow_fault(struct cow_state *s)
{
	return ktest_fault(s->child ? s->child : s->mm, s->addr, FAULT_FLAG_WRITE);
}

/* cow_unchanged - a failed fault left everything as it was. */
static bool cow_unchanged(struct cow_state *s)
{
	struct mm_struct *mm = s->child ? s->child : s->mm;
	pte_t pte = ktest_pte(mm, s->addr);

	if (!s->page)  /* nothing was mapped, and still is not; the cache is untouched */
		return pte_none(pte) && page_ref_count(kfile.pages[0]) == 1 &&
		       *(char *)page_address(kfile.pages[0]) == 'A';
	return ktest_page(mm, s->addr) == s->page && !pte_write(pte) &&
	       ktest_page(s->mm, s->addr) == s->page && page_ref_count(s->page) == s->refs &&
	       *(char *)page_address(s->page) == s->value;
}

/*
 * cow_done - the fault succeeded: a private, writable copy with the data,
 * and the original (the parent's page, the cache page) untouched - also by
 * a write to the copy.
 */
static bool cow_done(struct cow_state *s)
{
	struct mm_struct *mm = s->child ? s->child : s->mm;
	struct page *orig = s->page ? s->page : kfile.pages[0];
	struct page *copy = ktest_page(mm, s->addr);

	if (!copy || copy == orig || !PageAnon(copy) || page_ref_count(copy) != 1 ||
	    !pte_write(ktest_pte(mm, s->addr)) || *(char *)page_address(copy) != s->value)
		return false;
	*(char *)page_address(copy) = 'w';
	return *(char *)page_address(orig) == s->value && page_ref_count(orig) == 1;
}

/* cow_audit - the memory audit of the test's address spaces (they belong to no task). */
static int cow_audit(struct cow_state *s)
{
	struct mm_struct *mms[2] = { s->mm, s->child };

	return mm_audit_mms(mms, s->child ? 2 : 1);
}

/*
 * fail_each_allocation - fail allocation 1 of the fault, then (on a fresh
 * set-up) allocation 2, 3 ... until a fault in which none fails. Each
 * failed fault must return VM_FAULT_OOM, change nothing and pass the
 * audit; the same fault retried without injection must then succeed with
 * the right data; after the teardown no page and no kmalloc object may be
 * missing. Returns the number of allocations the fault makes.
 */
static int fail_each_allocation(struct ktest *test, bool (*setup)(struct cow_state *s))
{
	struct cow_state s = { 0 };
	int n;

	for (n = 1; n < 64; n++) {
		unsigned long pages = nr_free_pages(), objs = kmalloc_objects_in_use();
		bool ready = setup(&s), hit;
		vm_fault_t ret;

		if (!ready)
			cow_teardown(&s);
		ASSERT_TRUE(ready);
		fail_alloc_nth(n);
		ret = cow_fault(&s);
		hit = fail_alloc_injected() > 0;
		fail_alloc_off();
		if (hit) {
			EXPECT_EQ(ret, VM_FAULT_OOM);
			EXPECT_TRUE(cow_unchanged(&s));
			EXPECT_EQ(cow_audit(&s), 0);
			ret = cow_fault(&s);  /* the retry, with memory */
		}
		EXPECT_EQ(ret, 0);
		EXPECT_TRUE(cow_done(&s));
		EXPECT_EQ(cow_audit(&s), 0);
		cow_teardown(&s);
		EXPECT_EQ(nr_free_pages(), pages);
		EXPECT_EQ(kmalloc_objects_in_use(), objs);
		if (!hit)
			break;
	}
	return n - 1;
}

/*
 * fail_alloc_each_allocation_of_a_cow_fault_after_fork - the child writes
 * a page it shares with its parent (do_wp_page -> wp_page_copy).
 */
KTEST(fail_alloc_each_allocation_of_a_cow_fault_after_fork)
{
	int n = fail_each_allocation(test, cow_setup_after_fork);

	ktest_info("a COW fault after fork: failed each of its %d allocation(s)", n);
	EXPECT_EQ(n, 1);  /* the copy; fork made the page tables */
}

/*
 * fail_alloc_each_allocation_of_a_file_cow_fault - the first write to a
 * private file mapping (do_cow_fault), where no page table exists yet.
 */
KTEST(fail_alloc_each_allocation_of_a_file_cow_fault)
{
	int n;

	ASSERT_EQ(ktest_file_get(&kfile, FMODE_READ | FMODE_WRITE, true), 0);
	n = fail_each_allocation(test, cow_setup_file);
	ktest_info("a file COW fault in an empty PGD entry: failed each of its %d allocations", n);
	EXPECT_EQ(n, 4);  /* PUD, PMD and PTE table, the copy */
	EXPECT_EQ(ktest_file_put(&kfile), 1);
}

static struct ktest_case fail_alloc_cases[] = {
	KTEST_CASE(fail_alloc_nth_fails_exactly_one),
	KTEST_CASE(fail_alloc_every_and_random),
	KTEST_CASE(fail_alloc_each_allocation_of_exec_fork_cow_exit),
	KTEST_CASE(fail_alloc_each_allocation_of_a_cow_fault_after_fork),
	KTEST_CASE(fail_alloc_each_allocation_of_a_file_cow_fault),
	{}
};

static struct ktest_suite fail_alloc_suite = {
	.name = "fail_alloc",
	.cases = fail_alloc_cases,
};
ktest_register_suite(fail_alloc_suite);
