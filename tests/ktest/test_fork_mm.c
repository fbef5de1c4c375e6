/*
 * tests/ktest/test_fork_mm.c - fork's half of memory management: dup_mm
 * -> dup_mmap -> copy_page_range -> copy_pte_range, then do_wp_page
 * resolving the copy-on-write (copy in one process, reuse in the other),
 * and mmput of the child giving every page and table back. Also: the
 * parent's TLB is flushed, copy_pte_range yields half-way and resumes,
 * a sparse process forks in time proportional to its pages, and a fork
 * that runs out of memory at every possible point leaves nothing behind.
 */
#include "tests/ktest/ktest.h"
#include "arch/x86_64/fault.h"
#include "arch/x86_64/time.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "tests/ktest/ktest_mm.h"

#define P PAGE_SIZE
#define W FAULT_FLAG_WRITE

static struct ktest_file kfile;

KTEST(fork_mm_cow_write_protects_both)
{
	struct mm_struct *mm = ktest_mm_enter(), *child;
	unsigned long copied = vm_events.fork_pte_copy, faults;
	struct page *page;
	pte_t ppte, cpte;
	u32 v = 0;

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), 2 * P, KT_RW, KT_ANON), KT_ADDR(0));
	EXPECT_EQ(put_user(0xaaaau, (u32 __user *)KT_ADDR(0)), 0);  /* the TLB holds it writable */
	page = ktest_page(mm, KT_ADDR(0));
	ASSERT_NOT_NULL(page);
	EXPECT_TRUE(pte_write(ktest_pte(mm, KT_ADDR(0))));

	child = dup_mm(mm);
	ASSERT_NOT_NULL(child);
	ppte = ktest_pte(mm, KT_ADDR(0));
	cpte = ktest_pte(child, KT_ADDR(0));
	EXPECT_FALSE(pte_write(ppte));                 /* the parent's PTE too */
	EXPECT_FALSE(pte_write(cpte));
	EXPECT_EQ(pte_pfn(cpte), pte_pfn(ppte));
	EXPECT_FALSE(pte_young(cpte));                 /* the child's copy is old */
	EXPECT_TRUE(pte_dirty(cpte));
	EXPECT_EQ(page_ref_count(page), 2);
	EXPECT_EQ(page_mapcount(page), 2);
	EXPECT_EQ(get_mm_counter(child, MM_ANONPAGES), 1);
	EXPECT_EQ(get_mm_counter(mm, MM_ANONPAGES), 1);
	EXPECT_TRUE(pte_none(ktest_pte(child, KT_ADDR(1))));
	EXPECT_EQ(vm_events.fork_pte_copy, copied + 1);
	EXPECT_EQ(ktest_nr_vmas(child), 1);
	EXPECT_EQ(child->total_vm, 2);
	EXPECT_EQ(child->nr_ptes, 3);
	EXPECT_EQ(child->mm_users, 1);

	/*
	 * The parent writes again. dup_mm flushed its TLB, so the write
	 * faults (and copies: the child still shares the page); without the
	 * flush the stale writable translation would let it write straight
	 * into the child's memory.
	 */
	faults = pgfault_count;
	EXPECT_EQ(put_user(0xbbbbu, (u32 __user *)KT_ADDR(0)), 0);
	EXPECT_EQ(pgfault_count, faults + 1);
	EXPECT_EQ(*(u32 *)page_address(page), 0xaaaau);
	EXPECT_NE(ktest_page(mm, KT_ADDR(0)), page);
	EXPECT_EQ(get_user(v, (u32 __user *)KT_ADDR(0)), 0);
	EXPECT_EQ(v, 0xbbbbu);
	EXPECT_EQ(page_ref_count(page), 1);            /* the child's alone now */
	EXPECT_EQ(page_mapcount(page), 1);
	mmput(child);
	ktest_mm_leave(mm);
}

KTEST(fork_mm_zero_page_not_counted)
{
	struct mm_struct *mm = ktest_mm_enter(), *child;
	int zref = page_ref_count(zero_page), zmap = page_mapcount(zero_page);
	pte_t cpte;

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), P, KT_RW, KT_ANON), KT_ADDR(0));
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(0), 0), 0);
	child = dup_mm(mm);
	ASSERT_NOT_NULL(child);
	cpte = ktest_pte(child, KT_ADDR(0));
	EXPECT_EQ(pte_pfn(cpte), page_to_pfn(zero_page));
	EXPECT_FALSE(pte_write(cpte));
	EXPECT_EQ(page_ref_count(zero_page), zref);
	EXPECT_EQ(page_mapcount(zero_page), zmap);
	EXPECT_EQ(get_mm_rss(child), 0);
	/* the child's write replaces its zero page; the parent keeps its own */
	EXPECT_EQ(ktest_fault(child, KT_ADDR(0), W), 0);
	EXPECT_NE(ktest_page(child, KT_ADDR(0)), zero_page);
	EXPECT_PTR_EQ(ktest_page(mm, KT_ADDR(0)), zero_page);
	EXPECT_EQ(get_mm_counter(child, MM_ANONPAGES), 1);
	mmput(child);
	EXPECT_EQ(page_ref_count(zero_page), zref);
	ktest_mm_leave(mm);
}

KTEST(fork_mm_shared_keeps_write)
{
	struct mm_struct *mm = ktest_mm_enter(), *child;
	struct page *page;
	pte_t ppte, cpte;

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), 2 * P, KT_RW, MAP_SHARED | MAP_ANONYMOUS), KT_ADDR(0));
	EXPECT_EQ(put_user(0x5eu, (u32 __user *)KT_ADDR(0)), 0);
	page = ktest_page(mm, KT_ADDR(0));
	ASSERT_NOT_NULL(page);
	child = dup_mm(mm);
	ASSERT_NOT_NULL(child);
	ppte = ktest_pte(mm, KT_ADDR(0));
	cpte = ktest_pte(child, KT_ADDR(0));
	EXPECT_TRUE(pte_write(ppte));
	EXPECT_TRUE(pte_write(cpte));
	EXPECT_TRUE(pte_dirty(ppte));
	EXPECT_FALSE(pte_dirty(cpte));                 /* clean in the child */
	EXPECT_FALSE(pte_young(cpte));
	EXPECT_EQ(pte_pfn(cpte), page_to_pfn(page));
	EXPECT_EQ(page_ref_count(page), 3);            /* the object's + two PTEs */
	EXPECT_EQ(page_mapcount(page), 2);
	EXPECT_EQ(get_mm_counter(child, MM_SHMEMPAGES), 1);
	/* a page first touched after fork is still the same page in both */
	EXPECT_EQ(ktest_fault(child, KT_ADDR(1), W), 0);
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(1), 0), 0);
	EXPECT_PTR_EQ(ktest_page(mm, KT_ADDR(1)), ktest_page(child, KT_ADDR(1)));
	mmput(child);
	EXPECT_EQ(page_ref_count(page), 2);
	EXPECT_EQ(page_mapcount(page), 1);
	ktest_mm_leave(mm);
}

KTEST(fork_mm_child_copies_parent_reuses)
{
	struct mm_struct *mm = ktest_mm_enter(), *child;
	unsigned long copies, reuses;
	struct page *page, *cpage;

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), P, KT_RW, KT_ANON), KT_ADDR(0));
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(0), W), 0);
	page = ktest_page(mm, KT_ADDR(0));
	ASSERT_NOT_NULL(page);
	memset(page_address(page), 'p', 64);
	child = dup_mm(mm);
	ASSERT_NOT_NULL(child);
	copies = vm_events.cow_copy;
	reuses = vm_events.cow_reuse;

	/* the child writes: refcount 2, so it gets a copy */
	EXPECT_EQ(ktest_fault(child, KT_ADDR(0), W), 0);
	cpage = ktest_page(child, KT_ADDR(0));
	ASSERT_NOT_NULL(cpage);
	EXPECT_NE(cpage, page);
	EXPECT_EQ(((char *)page_address(cpage))[63], 'p');  /* copied */
	EXPECT_TRUE(pte_write(ktest_pte(child, KT_ADDR(0))));
	EXPECT_EQ(page_ref_count(cpage), 1);
	EXPECT_EQ(page_mapcount(cpage), 1);
	EXPECT_EQ(page_ref_count(page), 1);           /* the old page is the parent's alone */
	EXPECT_EQ(page_mapcount(page), 1);
	EXPECT_EQ(vm_events.cow_copy, copies + 1);
	EXPECT_EQ(vm_events.cow_reuse, reuses);
	EXPECT_EQ(get_mm_counter(child, MM_ANONPAGES), 1);

	/* the parent writes: refcount 1, so the page is reused in place */
	EXPECT_FALSE(pte_write(ktest_pte(mm, KT_ADDR(0))));
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(0), W), 0);
	EXPECT_PTR_EQ(ktest_page(mm, KT_ADDR(0)), page);
	EXPECT_TRUE(pte_write(ktest_pte(mm, KT_ADDR(0))));
	EXPECT_TRUE(pte_dirty(ktest_pte(mm, KT_ADDR(0))));
	EXPECT_EQ(vm_events.cow_copy, copies + 1);
	EXPECT_EQ(vm_events.cow_reuse, reuses + 1);
	EXPECT_EQ(page_ref_count(page), 1);
	mmput(child);
	ktest_mm_leave(mm);
}

KTEST(fork_mm_uaccess_in_child)
{
	struct mm_struct *mm = ktest_mm_enter(), *child;
	char buf[16];
	struct page *page;

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), P, KT_RW, KT_ANON), KT_ADDR(0));
	EXPECT_EQ(copy_to_user((void __user *)KT_ADDR(0), "parent", 7), 0);
	page = ktest_page(mm, KT_ADDR(0));
	child = dup_mm(mm);
	ASSERT_NOT_NULL(child);
	/* run as the child: its write is a real kernel-mode COW fault */
	unuse_mm(mm);
	use_mm(child);
	EXPECT_EQ(copy_from_user(buf, (void __user *)KT_ADDR(0), 7), 0);
	EXPECT_STREQ(buf, "parent");
	EXPECT_EQ(copy_to_user((void __user *)KT_ADDR(0), "child", 6), 0);
	EXPECT_NE(ktest_page(child, KT_ADDR(0)), page);
	unuse_mm(child);
	use_mm(mm);
	/* the parent still sees its own data, in its own page */
	EXPECT_EQ(copy_from_user(buf, (void __user *)KT_ADDR(0), 7), 0);
	EXPECT_STREQ(buf, "parent");
	EXPECT_PTR_EQ(ktest_page(mm, KT_ADDR(0)), page);
	mmput(child);
	ktest_mm_leave(mm);
}

KTEST(fork_mm_child_exit_returns_everything)
{
	struct mm_struct *mm, *child;
	unsigned long free_pages, tables;
	struct page *anon, *cache;

	ASSERT_EQ(ktest_file_get(&kfile, FMODE_READ | FMODE_WRITE, true), 0);
	mm = ktest_mm_enter();
	if (!mm)
		goto out;
	/* a bit of everything: anon written and read, shared anon, file private and shared */
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), 3 * P, KT_RW, KT_ANON), KT_ADDR(0));
	EXPECT_EQ(ktest_mmap(KT_ADDR(4), P, KT_RW, MAP_SHARED | MAP_ANONYMOUS), KT_ADDR(4));
	EXPECT_EQ(vm_mmap(&kfile.file, KT_ADDR(6), 2 * P, KT_RW, MAP_PRIVATE, 0), KT_ADDR(6));
	EXPECT_EQ(vm_mmap(&kfile.file, KT_ADDR(9), P, KT_RW, MAP_SHARED, 3), KT_ADDR(9));
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(0), W), 0);
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(1), 0), 0);
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(4), W), 0);
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(6), W), 0);       /* a COW copy: the VMA has anon pages */
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(7), 0), 0);
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(9), W), 0);
	anon = ktest_page(mm, KT_ADDR(0));
	cache = kfile.pages[1];
	free_pages = nr_free_pages();
	tables = nr_pgtable_pages;

	child = dup_mm(mm);
	ASSERT_NOT_NULL(child);
	EXPECT_EQ(kfile.file.f_count, 1 + 4);          /* two file VMAs in each mm */
	/* the private file VMA holds a COW page, so it was copied: both its PTEs */
	EXPECT_PTR_EQ(ktest_page(child, KT_ADDR(7)), cache);
	EXPECT_EQ(page_mapcount(cache), 2);
	/* the shared file VMA has no anonymous pages: left to fault in again */
	EXPECT_TRUE(pte_none(ktest_pte(child, KT_ADDR(9))));
	EXPECT_EQ(get_mm_counter(child, MM_ANONPAGES), 2);
	EXPECT_EQ(get_mm_counter(child, MM_FILEPAGES), 1);
	EXPECT_EQ(get_mm_counter(child, MM_SHMEMPAGES), 1);
	/* the child works a little: a COW copy, a new page, a file fault */
	EXPECT_EQ(ktest_fault(child, KT_ADDR(0), W), 0);
	EXPECT_EQ(ktest_fault(child, KT_ADDR(2), W), 0);
	EXPECT_EQ(ktest_fault(child, KT_ADDR(9), 0), 0);
	EXPECT_EQ(ktest_fault(child, KT_ADDR(7), W), 0);
	mmput(child);
	EXPECT_EQ(nr_free_pages(), free_pages);
	EXPECT_EQ(nr_pgtable_pages, tables);
	EXPECT_EQ(kfile.file.f_count, 1 + 2);
	EXPECT_EQ(page_ref_count(anon), 1);
	EXPECT_EQ(page_mapcount(anon), 1);
	EXPECT_EQ(page_ref_count(cache), 2);
	EXPECT_EQ(page_mapcount(cache), 1);
	EXPECT_EQ(page_ref_count(kfile.pages[3]), 2);
	ktest_mm_leave(mm);
out:
	EXPECT_EQ(ktest_file_put(&kfile), 1);
}

KTEST(fork_mm_dontcopy_and_uffd_flags)
{
	struct mm_struct *mm = ktest_mm_enter(), *child;
	struct vm_area_struct *vma;

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), P, KT_RW, KT_ANON), KT_ADDR(0));
	EXPECT_EQ(ktest_mmap(KT_ADDR(2), P, KT_RW, KT_ANON), KT_ADDR(2));
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(0), W), 0);
	down_write(&mm->mmap_lock);
	find_vma(mm, KT_ADDR(0))->vm_flags |= VM_DONTCOPY;     /* madvise(MADV_DONTFORK) */
	find_vma(mm, KT_ADDR(2))->vm_flags |= VM_UFFD_MISSING;
	up_write(&mm->mmap_lock);
	child = dup_mm(mm);
	ASSERT_NOT_NULL(child);
	EXPECT_EQ(ktest_nr_vmas(child), 1);
	EXPECT_NULL(ktest_vma(child, KT_ADDR(0)));
	EXPECT_TRUE(pte_none(ktest_pte(child, KT_ADDR(0))));
	EXPECT_EQ(child->total_vm, 1);
	vma = ktest_vma(child, KT_ADDR(2));
	EXPECT_NOT_NULL(vma);
	if (vma)
		EXPECT_FALSE(vma->vm_flags & VM_UFFD_MISSING);  /* no EVENT_FORK: unregistered */
	EXPECT_EQ(page_ref_count(ktest_page(mm, KT_ADDR(0))), 1);
	EXPECT_TRUE(pte_write(ktest_pte(mm, KT_ADDR(0))));  /* not copied, not write-protected */
	mmput(child);
	ktest_mm_leave(mm);
}

/* What a task that runs while fork is half-way sees of the parent's PTEs. */
struct fork_snoop {
	struct mm_struct *mm;
	unsigned long start;
	int n;
	int wrprotected;
	bool ran;
};

static int fork_snoop_fn(void *arg)
{
	struct fork_snoop *s = arg;

	s->ran = true;
	for (int i = 0; i < s->n; i++)
		if (!pte_write(ktest_pte(s->mm, s->start + i * PAGE_SIZE)))
			s->wrprotected++;
	return 0;
}

KTEST(fork_mm_copy_pte_range_yields_and_resumes)
{
	struct mm_struct *mm = ktest_mm_enter(), *child;
	const int n = 600;  /* more than one PTE table */
	unsigned long start = KT_BASE + PMD_SIZE - 100 * P;
	struct fork_snoop snoop = { .start = start, .n = n };
	unsigned long yields = vm_events.fork_resched;
	struct task_struct *t;
	int bad = 0;

	ASSERT_NOT_NULL(mm);
	snoop.mm = mm;
	EXPECT_EQ(ktest_mmap(start, n * P, KT_RW, KT_ANON | MAP_POPULATE), start);
	EXPECT_EQ(get_mm_counter(mm, MM_ANONPAGES), n);
	t = kthread_run(fork_snoop_fn, &snoop, "fork_snoop");
	ASSERT_NOT_NULL(t);
	set_need_resched();  /* copy_pte_range lets the snoop run at its first chance */
	child = dup_mm(mm);
	kthread_join(t);
	ASSERT_NOT_NULL(child);
	EXPECT_TRUE(snoop.ran);
	EXPECT_GE(vm_events.fork_resched, yields + 1);  /* and it was counted */
	/* it ran in the middle: some, not all, parent PTEs write-protected */
	EXPECT_GT(snoop.wrprotected, 0);
	EXPECT_LT(snoop.wrprotected, n);
	/* and the copy resumed where it stopped: every PTE is there */
	EXPECT_EQ(get_mm_counter(child, MM_ANONPAGES), n);
	for (int i = 0; i < n; i++) {
		unsigned long a = start + i * P;
		pte_t c = ktest_pte(child, a), p = ktest_pte(mm, a);

		bad += pte_pfn(c) != pte_pfn(p) || pte_write(c) || pte_write(p) ||
		       page_ref_count(ktest_page(mm, a)) != 2;
	}
	EXPECT_EQ(bad, 0);
	mmput(child);
	ktest_mm_leave(mm);
}

/*
 * A sparse process: one VMA over nearly all of user space (126 TiB) with six
 * pages in it, under different PGD, PUD and PMD entries. fork must cost what
 * the six pages cost, not what the range spans: copy_page_range skips every
 * empty upper-level entry without descending, and allocates a child table
 * only where the parent has one - so the child ends up with exactly the
 * parent's number of page-table pages. A walk that visited the empty PMD
 * entries alone (63 million of them) would take far longer than the bound.
 */
KTEST(fork_mm_sparse_skips_empty_tables)
{
	struct mm_struct *mm = ktest_mm_enter(), *child;
	const unsigned long start = KT_BASE, end = 0x7e0000000000UL;
	const unsigned long addrs[] = {
		start, start + 3 * PMD_SIZE + 5 * P, start + 7 * PUD_SIZE,
		3 * PGDIR_SIZE + 123 * PUD_SIZE + 45 * PMD_SIZE + 67 * P,
		128 * PGDIR_SIZE, end - P,
	};
	const int n = ARRAY_SIZE(addrs);
	unsigned long copied = vm_events.fork_pte_copy, tables, pgtables;
	u64 ns;
	int bad = 0;

	ASSERT_NOT_NULL(mm);
	ASSERT_EQ(ktest_mmap(start, end - start, KT_RW, KT_ANON | MAP_NORESERVE), start);
	for (int i = 0; i < n; i++)
		EXPECT_EQ(put_user(0x5a00ul + i, (u64 __user *)addrs[i]), 0);
	tables = mm->nr_ptes;
	pgtables = nr_pgtable_pages;
	EXPECT_GE(tables, 3 * 4);            /* 4 PGD branches, each PUD + PMD + PTE table */

	ns = ktime_get_ns();
	child = dup_mm(mm);
	ns = ktime_get_ns() - ns;
	ASSERT_NOT_NULL(child);
	EXPECT_EQ(child->nr_ptes, tables);   /* no table for an empty range */
	EXPECT_EQ(nr_pgtable_pages, pgtables + tables + 1);   /* + its PGD */
	EXPECT_EQ(vm_events.fork_pte_copy, copied + n);
	EXPECT_EQ(get_mm_counter(child, MM_ANONPAGES), n);
	EXPECT_EQ(child->total_vm, (end - start) / P);
	for (int i = 0; i < n; i++) {
		struct page *p = ktest_page(child, addrs[i]);

		bad += !p || p != ktest_page(mm, addrs[i]) ||
		       *(u64 *)page_address(p) != 0x5a00ul + i;
	}
	EXPECT_EQ(bad, 0);
	ktest_info("sparse fork: %d pages in a %lu GiB VMA, %lu page-table pages: %llu us",
		   n, (end - start) >> 30, tables, (unsigned long long)ns / 1000);
	EXPECT_LT(ns, 50 * 1000 * 1000ull);
	mmput(child);
	ktest_mm_leave(mm);
}

KTEST(fork_mm_enomem_leaves_nothing_behind)
{
	struct mm_struct *mm = ktest_mm_enter(), *child = NULL;
	unsigned long addrs[] = { KT_ADDR(0), KT_ADDR(1), KT_BASE + 2 * PUD_SIZE,
				  0x7e0000000000UL, KT_ADDR(8) };
	struct ktest_hog hog;
	int failures = 0, bad = 0;
	unsigned long leave;

	ASSERT_NOT_NULL(mm);
	/* pages under three PGD/PUD branches, and a shared page */
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), 2 * P, KT_RW, KT_ANON), KT_ADDR(0));
	EXPECT_EQ(ktest_mmap(addrs[2], P, KT_RW, KT_ANON), addrs[2]);
	EXPECT_EQ(ktest_mmap(addrs[3], P, KT_RW, KT_ANON), addrs[3]);
	EXPECT_EQ(ktest_mmap(addrs[4], P, KT_RW, MAP_SHARED | MAP_ANONYMOUS), addrs[4]);
	for (int i = 0; i < 5; i++)
		EXPECT_EQ(put_user((u64)i, (u64 __user *)addrs[i]), 0);

	/* fail the fork at every allocation it makes, one more page each time */
	for (leave = 0; leave < 64; leave++) {
		unsigned long before;

		ktest_hog(&hog, leave);
		before = nr_free_pages();
		child = dup_mm(mm);
		if (child) {
			mmput(child);
			ktest_hog_release(&hog);
			break;
		}
		failures++;
		/* the half-made child was torn down completely */
		if (nr_free_pages() != before)
			bad++;
		ktest_hog_release(&hog);
		/* the parent is as it was, but for write-protected PTEs */
		for (int i = 0; i < 5; i++) {
			struct page *p = ktest_page(mm, addrs[i]);
			u64 v = 99;

			bad += !p || page_mapcount(p) != 1 || page_ref_count(p) != (i == 4 ? 2 : 1);
			bad += get_user(v, (u64 __user *)addrs[i]) || v != (u64)i;
		}
	}
	EXPECT_EQ(bad, 0);
	EXPECT_NOT_NULL(child);               /* enough memory in the end */
	EXPECT_GE(failures, 5);               /* a PGD, tables on 3 branches, ... */
	ktest_info("dup_mm failed %d times before it had enough pages", failures);
	/* write-protected parent PTEs come back writable without a copy */
	EXPECT_EQ(put_user(7ul, (u64 __user *)addrs[0]), 0);
	EXPECT_EQ(page_ref_count(ktest_page(mm, addrs[0])), 1);
	EXPECT_EQ(get_mm_counter(mm, MM_ANONPAGES), 4);
	ktest_mm_leave(mm);
}

static struct ktest_case fork_mm_cases[] = {
	KTEST_CASE(fork_mm_cow_write_protects_both),
	KTEST_CASE(fork_mm_zero_page_not_counted),
	KTEST_CASE(fork_mm_shared_keeps_write),
	KTEST_CASE(fork_mm_child_copies_parent_reuses),
	KTEST_CASE(fork_mm_uaccess_in_child),
	KTEST_CASE(fork_mm_child_exit_returns_everything),
	KTEST_CASE(fork_mm_dontcopy_and_uffd_flags),
	KTEST_CASE(fork_mm_copy_pte_range_yields_and_resumes),
	KTEST_CASE(fork_mm_sparse_skips_empty_tables),
	KTEST_CASE(fork_mm_enomem_leaves_nothing_behind),
	{}
};

static struct ktest_suite fork_mm_suite = {
	.name = "fork_mm",
	.cases = fork_mm_cases,
};
ktest_register_suite(fork_mm_suite);
