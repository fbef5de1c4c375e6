/*
 * tests/ktest/test_audit.c - the memory audit (mm/audit.c) passes on a
 * correct address space and its copy after fork, and catches each kind of
 * corruption it claims to: a wrong mapcount, a writable PTE on a page
 * shared for copy-on-write, a wrong rss counter, a wrong global page-state
 * counter, userfaultfd write protection (a PTE marker, a uffd-wp bit) in a
 * VMA not registered for it. Each corruption is made by hand, audited, then
 * undone. A PROT_NONE page is audited like a mapped one (it keeps its
 * frame, mapcount and rss).
 */
#include "tests/ktest/ktest.h"
#include "arch/x86_64/uaccess.h"
#include "mm/audit.h"
#include "mm/mm_types.h"
#include "mm/pgtable.h"
#include "tests/ktest/ktest_mm.h"

#define NPAGES 4

/* populated_mm - a test mm (current) with NPAGES written anonymous pages at *addr. */
static struct mm_struct *populated_mm(struct ktest *test, unsigned long *addr)
{
	struct mm_struct *mm = ktest_mm_enter();

	if (!mm)
		return NULL;
	*addr = ktest_mmap(0, NPAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS);
	for (int i = 0; i < NPAGES; i++) {
		char c = 'a' + i;

		if (copy_to_user((void __user *)(*addr + i * PAGE_SIZE), &c, 1))
			ktest_info("write to page %d failed", i);
	}
	return mm;
}

KTEST(audit_clean_mm_and_fork)
{
	unsigned long addr;
	struct mm_struct *mm = populated_mm(test, &addr), *child;

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(mm_audit_mms(&mm, 1), 0);
	child = dup_mm(mm);
	ASSERT_NOT_NULL(child);
	struct mm_struct *both[2] = { mm, child };

	EXPECT_EQ(mm_audit_mms(both, 2), 0);
	/* Auditing only one of the two sees mapcount 2 with one mapper: caught. */
	EXPECT_GT(mm_audit_mms(&mm, 1), 0);
	mmput(child);
	ktest_mm_leave(mm);
}

KTEST(audit_catches_wrong_mapcount)
{
	unsigned long addr;
	struct mm_struct *mm = populated_mm(test, &addr);
	struct page *p;

	ASSERT_NOT_NULL(mm);
	p = ktest_page(mm, addr);
	ASSERT_NOT_NULL(p);
	p->_mapcount++;
	EXPECT_GT(mm_audit_mms(&mm, 1), 0);
	p->_mapcount--;
	EXPECT_EQ(mm_audit_mms(&mm, 1), 0);
	ktest_mm_leave(mm);
}

KTEST(audit_catches_writable_cow_pte)
{
	unsigned long addr;
	struct mm_struct *mm = populated_mm(test, &addr), *child;
	pte_t *ptep, saved;

	ASSERT_NOT_NULL(mm);
	child = dup_mm(mm);
	ASSERT_NOT_NULL(child);
	struct mm_struct *both[2] = { mm, child };

	ptep = page_walk(mm->pgd, addr, false);
	ASSERT_NOT_NULL(ptep);
	saved = ptep_get(ptep);
	EXPECT_FALSE(pte_write(saved));  /* fork write-protected it */
	set_pte(ptep, pte_mkwrite(saved));  /* the bug COW exists to prevent */
	EXPECT_GT(mm_audit_mms(both, 2), 0);
	set_pte(ptep, saved);
	flush_tlb_all();
	EXPECT_EQ(mm_audit_mms(both, 2), 0);
	mmput(child);
	ktest_mm_leave(mm);
}

KTEST(audit_catches_wrong_rss)
{
	unsigned long addr;
	struct mm_struct *mm = populated_mm(test, &addr);

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(mm->rss[MM_ANONPAGES], NPAGES);
	mm->rss[MM_ANONPAGES]++;
	EXPECT_GT(mm_audit_mms(&mm, 1), 0);
	mm->rss[MM_ANONPAGES]--;
	EXPECT_EQ(mm_audit_mms(&mm, 1), 0);
	/* the right total, the wrong kind: caught too */
	mm->rss[MM_ANONPAGES]--;
	mm->rss[MM_SHMEMPAGES]++;
	EXPECT_GT(mm_audit_mms(&mm, 1), 0);
	mm->rss[MM_SHMEMPAGES]--;
	mm->rss[MM_ANONPAGES]++;
	EXPECT_EQ(mm_audit_mms(&mm, 1), 0);
	ktest_mm_leave(mm);
}

KTEST(audit_catches_wrong_page_state_counter)
{
	unsigned long addr;
	struct mm_struct *mm = populated_mm(test, &addr);

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(mm_audit_mms(&mm, 1), 0);
	mod_node_page_state(NR_ANON_MAPPED, 1);
	EXPECT_GT(mm_audit_mms(&mm, 1), 0);
	mod_node_page_state(NR_ANON_MAPPED, -1);
	mod_node_page_state(NR_SHMEM, 1);
	EXPECT_GT(mm_audit_mms(&mm, 1), 0);
	mod_node_page_state(NR_SHMEM, -1);
	/* unmapping the pages takes them out of NR_ANON_MAPPED again */
	EXPECT_EQ(vm_munmap(addr, NPAGES * PAGE_SIZE), 0);
	EXPECT_EQ(mm_audit_mms(&mm, 1), 0);
	ktest_mm_leave(mm);
}

KTEST(audit_counts_prot_none_pages)
{
	unsigned long addr;
	struct mm_struct *mm = populated_mm(test, &addr), *child;

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(do_mprotect(addr, PAGE_SIZE, PROT_NONE), 0);
	EXPECT_TRUE(pte_protnone(ktest_pte(mm, addr)));
	EXPECT_EQ(mm_audit_mms(&mm, 1), 0);
	child = dup_mm(mm);
	ASSERT_NOT_NULL(child);
	struct mm_struct *both[2] = { mm, child };

	EXPECT_EQ(mm_audit_mms(both, 2), 0);
	mmput(child);
	ktest_mm_leave(mm);
}

KTEST(audit_catches_stray_uffd_wp)
{
	unsigned long addr;
	struct mm_struct *mm = populated_mm(test, &addr);
	pte_t *ptep, saved;

	ASSERT_NOT_NULL(mm);
	ptep = page_walk(mm->pgd, addr, false);
	ASSERT_NOT_NULL(ptep);
	saved = ptep_get(ptep);
	/* the VMA is not registered with a userfaultfd: neither may be there */
	set_pte(ptep, pte_mkuffd_wp(saved));
	flush_tlb_all();
	EXPECT_GT(mm_audit_mms(&mm, 1), 0);
	set_pte(ptep, saved);
	EXPECT_EQ(mm_audit_mms(&mm, 1), 0);

	ptep = page_walk(mm->pgd, addr - PAGE_SIZE, false);   /* below the VMA, same table */
	ASSERT_NOT_NULL(ptep);
	ASSERT_TRUE(pte_none(ptep_get(ptep)));
	set_pte(ptep, make_pte_marker(PTE_MARKER_UFFD_WP));
	EXPECT_GT(mm_audit_mms(&mm, 1), 0);
	pte_clear(ptep);
	EXPECT_EQ(mm_audit_mms(&mm, 1), 0);
	ktest_mm_leave(mm);
}

static struct ktest_case audit_cases[] = {
	KTEST_CASE(audit_clean_mm_and_fork),
	KTEST_CASE(audit_catches_wrong_mapcount),
	KTEST_CASE(audit_catches_writable_cow_pte),
	KTEST_CASE(audit_catches_wrong_rss),
	KTEST_CASE(audit_counts_prot_none_pages),
	KTEST_CASE(audit_catches_stray_uffd_wp),
	KTEST_CASE(audit_catches_wrong_page_state_counter),
	{}
};

static struct ktest_suite audit_suite = {
	.name = "mm_audit",
	.cases = audit_cases,
};
ktest_register_suite(audit_suite);
