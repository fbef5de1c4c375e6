/*
 * tests/ktest/test_fault.c - the fault handlers, each reached two ways:
 * by calling handle_mm_fault() on a test mm (what the #PF entry would do),
 * and by real kernel-mode page faults - copy_to_user() / copy_from_user()
 * into the test mm while the ktest thread runs with it (use_mm), which go
 * through exc_page_fault -> do_user_addr_fault -> handle_mm_fault. Checked
 * each time: which frame the PTE maps, its permissions, the page's
 * refcount and mapcount, the rss counters, the vm_events counters.
 */
#include "tests/ktest/ktest.h"
#include "arch/x86_64/fault.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "tests/ktest/ktest_mm.h"

#define P PAGE_SIZE
#define W FAULT_FLAG_WRITE

static struct ktest_file kfile;

KTEST(fault_anon_read_maps_zero_page)
{
	struct mm_struct *mm = ktest_mm_enter();
	unsigned long zeromaps = vm_events.zero_page_map, minflt = current->min_flt;
	int zref = page_ref_count(zero_page), zmap = page_mapcount(zero_page);
	pte_t pte;

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), 2 * P, KT_RW, KT_ANON), KT_ADDR(0));
	EXPECT_TRUE(pte_none(ktest_pte(mm, KT_ADDR(0))));   /* nothing before the fault */
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(0) + 100, 0), 0);
	pte = ktest_pte(mm, KT_ADDR(0));
	EXPECT_TRUE(pte_present(pte));
	EXPECT_EQ(pte_pfn(pte), page_to_pfn(zero_page));
	EXPECT_FALSE(pte_write(pte));
	EXPECT_TRUE(pte_user(pte));
	EXPECT_FALSE(pte_exec(pte));
	EXPECT_EQ(page_ref_count(zero_page), zref);         /* no reference per PTE */
	EXPECT_EQ(page_mapcount(zero_page), zmap);
	EXPECT_EQ(get_mm_rss(mm), 0);
	EXPECT_EQ(vm_events.zero_page_map, zeromaps + 1);
	EXPECT_EQ(current->min_flt, minflt + 1);
	EXPECT_TRUE(pte_none(ktest_pte(mm, KT_ADDR(1))));   /* only the faulting page */
	EXPECT_EQ(mm->nr_ptes, 3);                           /* PUD, PMD, PTE tables */
	ktest_mm_leave(mm);
}

KTEST(fault_anon_write_maps_new_page)
{
	struct mm_struct *mm = ktest_mm_enter();
	struct page *page;
	pte_t pte;

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), P, KT_RW, KT_ANON), KT_ADDR(0));
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(0), W), 0);
	pte = ktest_pte(mm, KT_ADDR(0));
	page = ktest_page(mm, KT_ADDR(0));
	ASSERT_NOT_NULL(page);
	EXPECT_NE(page, zero_page);
	EXPECT_TRUE(pte_write(pte));
	EXPECT_TRUE(pte_dirty(pte));
	EXPECT_EQ(page_ref_count(page), 1);
	EXPECT_EQ(page_mapcount(page), 1);
	EXPECT_TRUE(PageAnon(page));
	EXPECT_EQ(get_mm_counter(mm, MM_ANONPAGES), 1);
	EXPECT_EQ(get_mm_counter(mm, MM_FILEPAGES), 0);
	EXPECT_EQ(*(u64 *)page_address(page), 0);            /* zeroed */
	/* a second write fault on the same page changes nothing */
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(0) + 8, W), 0);
	EXPECT_PTR_EQ(ktest_page(mm, KT_ADDR(0)), page);
	EXPECT_EQ(page_ref_count(page), 1);
	EXPECT_TRUE(ktest_vma(mm, KT_ADDR(0)) && ktest_vma(mm, KT_ADDR(0))->has_anon_pages);
	ktest_mm_leave(mm);
}

KTEST(fault_write_after_read_replaces_zero_page)
{
	struct mm_struct *mm = ktest_mm_enter();
	unsigned long copies = vm_events.cow_copy;
	int zref = page_ref_count(zero_page);
	struct page *page;

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), P, KT_RW, KT_ANON), KT_ADDR(0));
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(0), 0), 0);
	EXPECT_PTR_EQ(ktest_page(mm, KT_ADDR(0)), zero_page);
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(0), W), 0);       /* do_wp_page -> wp_page_copy */
	page = ktest_page(mm, KT_ADDR(0));
	ASSERT_NOT_NULL(page);
	EXPECT_NE(page, zero_page);
	EXPECT_TRUE(pte_write(ktest_pte(mm, KT_ADDR(0))));
	EXPECT_EQ(page_ref_count(page), 1);
	EXPECT_EQ(page_mapcount(page), 1);
	EXPECT_EQ(page_ref_count(zero_page), zref);
	EXPECT_EQ(get_mm_counter(mm, MM_ANONPAGES), 1);
	EXPECT_EQ(vm_events.cow_copy, copies + 1);
	ktest_mm_leave(mm);
}

KTEST(fault_write_to_readonly_mapping_refused)
{
	struct mm_struct *mm = ktest_mm_enter();
	char buf[16] = "no";
	u64 v = 1;

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), P, PROT_READ, KT_ANON), KT_ADDR(0));
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(0), W), VM_FAULT_SIGSEGV);
	EXPECT_TRUE(pte_none(ktest_pte(mm, KT_ADDR(0))));
	/* the same through a real fault: access_error, then the fixup */
	EXPECT_EQ(put_user(v, (u64 __user *)KT_ADDR(0)), -EFAULT);
	EXPECT_EQ(copy_to_user((void __user *)KT_ADDR(0), buf, sizeof(buf)), sizeof(buf));
	/* reading is fine: the zero page, which still cannot be written */
	EXPECT_EQ(get_user(v, (u64 __user *)KT_ADDR(0)), 0);
	EXPECT_EQ(v, 0);
	EXPECT_PTR_EQ(ktest_page(mm, KT_ADDR(0)), zero_page);
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(0), W), VM_FAULT_SIGSEGV);
	EXPECT_EQ(put_user(v, (u64 __user *)KT_ADDR(0)), -EFAULT);
	EXPECT_PTR_EQ(ktest_page(mm, KT_ADDR(0)), zero_page);
	EXPECT_EQ(get_mm_rss(mm), 0);
	/* nothing at all mapped there */
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(5), 0), VM_FAULT_SIGSEGV);
	EXPECT_EQ(copy_from_user(buf, (void __user *)KT_ADDR(5), sizeof(buf)), sizeof(buf));
	EXPECT_EQ(put_user(v, (u64 __user *)KT_ADDR(5)), -EFAULT);
	ktest_mm_leave(mm);
}

KTEST(fault_uaccess_demand_pages)
{
	struct mm_struct *mm = ktest_mm_enter();
	char in[32] = "written by copy_to_user", out[32];
	unsigned long faults = pgfault_count, minflt = current->min_flt;
	struct page *page;

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), 4 * P, KT_RW, KT_ANON), KT_ADDR(0));
	/* a write into an untouched page: one fault, a new page */
	EXPECT_EQ(copy_to_user((void __user *)(KT_ADDR(1) + 100), in, sizeof(in)), 0);
	EXPECT_EQ(pgfault_count, faults + 1);
	EXPECT_EQ(current->min_flt, minflt + 1);
	page = ktest_page(mm, KT_ADDR(1));
	ASSERT_NOT_NULL(page);
	EXPECT_EQ(memcmp((char *)page_address(page) + 100, in, sizeof(in)), 0);
	EXPECT_EQ(page_ref_count(page), 1);
	EXPECT_EQ(page_mapcount(page), 1);
	/* read back: no fault now */
	EXPECT_EQ(copy_from_user(out, (void __user *)(KT_ADDR(1) + 100), sizeof(out)), 0);
	EXPECT_EQ(memcmp(out, in, sizeof(in)), 0);
	EXPECT_EQ(pgfault_count, faults + 1);
	/* a read of an untouched page: zeroes, from the zero page */
	memset(out, 'x', sizeof(out));
	EXPECT_EQ(copy_from_user(out, (void __user *)KT_ADDR(2), sizeof(out)), 0);
	EXPECT_EQ(out[0], 0);
	EXPECT_EQ(out[31], 0);
	EXPECT_PTR_EQ(ktest_page(mm, KT_ADDR(2)), zero_page);
	/* one copy spanning the zero page and an untouched page: both get own pages */
	EXPECT_EQ(copy_to_user((void __user *)(KT_ADDR(3) - 10), in, sizeof(in)), 0);
	EXPECT_NOT_NULL(ktest_page(mm, KT_ADDR(3)));
	EXPECT_NE(ktest_page(mm, KT_ADDR(2)), zero_page);
	EXPECT_EQ(get_mm_counter(mm, MM_ANONPAGES), 3);
	/* ... and a copy running past the end of the VMA stops there */
	EXPECT_EQ(copy_to_user((void __user *)(KT_ADDR(4) - 10), in, sizeof(in)), sizeof(in) - 10);
	ktest_mm_leave(mm);
}

/*
 * The copies move quadwords, then bytes; a fault in either must still stop
 * at the exact first inaccessible byte. Every start offset 1..40 bytes
 * before the end of the VMA, every length 1..48: bytes left, bytes copied
 * (and, for copy_from_user, the rest zeroed) must be exact.
 */
KTEST(fault_uaccess_partial_copies_are_exact)
{
	struct mm_struct *mm = ktest_mm_enter();
	char in[48], out[48];
	unsigned long end = KT_ADDR(1), bad = 0;

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), P, KT_RW, KT_ANON), KT_ADDR(0));
	for (int i = 0; i < 48; i++)
		in[i] = (char)(i + 1);
	for (unsigned long before = 1; before <= 40; before++) {
		for (unsigned long n = 1; n <= 48; n++) {
			unsigned long want = n > before ? n - before : 0;
			unsigned long ok = n - want;
			void __user *u = (void __user *)(end - before);

			bad += copy_to_user(u, in, n) != want;
			memset(out, 'x', sizeof(out));
			bad += copy_from_user(out, u, n) != want;
			bad += memcmp(out, in, ok) != 0;
			for (unsigned long i = ok; i < n; i++)
				bad += out[i] != 0;
			bad += out[n < 48 ? n : 47] != (n < 48 ? 'x' : out[47]);
			bad += clear_user(u, n) != want;
			bad += copy_from_user(out, u, ok) != 0;
			for (unsigned long i = 0; i < ok; i++)
				bad += out[i] != 0;
		}
	}
	EXPECT_EQ(bad, 0);
	ktest_mm_leave(mm);
}

KTEST(fault_uaccess_write_after_read)
{
	struct mm_struct *mm = ktest_mm_enter();
	unsigned long copies = vm_events.cow_copy;
	u32 v = 0;
	struct page *page;

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), P, KT_RW, KT_ANON), KT_ADDR(0));
	EXPECT_EQ(get_user(v, (u32 __user *)KT_ADDR(0)), 0);
	EXPECT_EQ(v, 0);
	EXPECT_PTR_EQ(ktest_page(mm, KT_ADDR(0)), zero_page);
	/* a kernel write to the read-only zero-page PTE: CR0.WP makes it fault */
	EXPECT_EQ(put_user(0xc0ffeeu, (u32 __user *)KT_ADDR(0)), 0);
	page = ktest_page(mm, KT_ADDR(0));
	ASSERT_NOT_NULL(page);
	EXPECT_NE(page, zero_page);
	EXPECT_EQ(*(u32 *)page_address(page), 0xc0ffeeu);
	EXPECT_EQ(*(u32 *)page_address(zero_page), 0);       /* the zero page stays zero */
	EXPECT_EQ(vm_events.cow_copy, copies + 1);
	ktest_mm_leave(mm);
}

KTEST(fault_prot_none_and_back)
{
	struct mm_struct *mm = ktest_mm_enter();
	struct page *page;
	u32 v = 0;

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), P, PROT_NONE, KT_ANON), KT_ADDR(0));
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(0), 0), VM_FAULT_SIGSEGV);
	EXPECT_EQ(get_user(v, (u32 __user *)KT_ADDR(0)), -EFAULT);
	EXPECT_EQ(do_mprotect(KT_ADDR(0), P, KT_RW), 0);
	EXPECT_EQ(put_user(77u, (u32 __user *)KT_ADDR(0)), 0);
	page = ktest_page(mm, KT_ADDR(0));
	ASSERT_NOT_NULL(page);
	/* PROT_NONE over a mapped page: the entry stays (frame kept) but is not present */
	EXPECT_EQ(do_mprotect(KT_ADDR(0), P, PROT_NONE), 0);
	EXPECT_FALSE(pte_present(ktest_pte(mm, KT_ADDR(0))));
	EXPECT_PTR_EQ(ktest_page(mm, KT_ADDR(0)), page);
	EXPECT_EQ(get_user(v, (u32 __user *)KT_ADDR(0)), -EFAULT);
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(0), 0), VM_FAULT_SIGSEGV);
	EXPECT_EQ(page_mapcount(page), 1);
	/* readable again: the same page, the same contents */
	EXPECT_EQ(do_mprotect(KT_ADDR(0), P, PROT_READ), 0);
	EXPECT_EQ(get_user(v, (u32 __user *)KT_ADDR(0)), 0);
	EXPECT_EQ(v, 77);
	EXPECT_PTR_EQ(ktest_page(mm, KT_ADDR(0)), page);
	ktest_mm_leave(mm);
}

KTEST(fault_mprotect_keeps_cow_rule)
{
	struct mm_struct *mm = ktest_mm_enter();
	unsigned long reuses = vm_events.cow_reuse, copies = vm_events.cow_copy;
	struct page *page;

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), P, KT_RW, KT_ANON), KT_ADDR(0));
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(0), W), 0);
	page = ktest_page(mm, KT_ADDR(0));
	EXPECT_EQ(do_mprotect(KT_ADDR(0), P, PROT_READ), 0);
	EXPECT_FALSE(pte_write(ktest_pte(mm, KT_ADDR(0))));
	/* back to RW: a private PTE becomes writable only in a fault */
	EXPECT_EQ(do_mprotect(KT_ADDR(0), P, KT_RW), 0);
	EXPECT_FALSE(pte_write(ktest_pte(mm, KT_ADDR(0))));
	EXPECT_TRUE(pte_dirty(ktest_pte(mm, KT_ADDR(0))));   /* A/D bits survive */
	/* the write fault finds refcount 1: reuse, no copy */
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(0), W), 0);
	EXPECT_PTR_EQ(ktest_page(mm, KT_ADDR(0)), page);
	EXPECT_TRUE(pte_write(ktest_pte(mm, KT_ADDR(0))));
	EXPECT_EQ(vm_events.cow_reuse, reuses + 1);
	EXPECT_EQ(vm_events.cow_copy, copies);
	/* a pinned page (an extra reference) is copied instead: CVE-2020-29374 */
	EXPECT_EQ(do_mprotect(KT_ADDR(0), P, PROT_READ), 0);
	EXPECT_EQ(do_mprotect(KT_ADDR(0), P, KT_RW), 0);
	get_page(page);
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(0), W), 0);
	EXPECT_NE(ktest_page(mm, KT_ADDR(0)), page);
	EXPECT_EQ(vm_events.cow_copy, copies + 1);
	EXPECT_EQ(page_mapcount(page), 0);
	EXPECT_EQ(page_ref_count(page), 1);                  /* only our pin is left */
	put_page(page);
	ktest_mm_leave(mm);
}

KTEST(fault_file_read_maps_cache_page)
{
	struct mm_struct *mm;
	struct page *cache;
	pte_t pte;
	u8 c = 0;

	ASSERT_EQ(ktest_file_get(&kfile, FMODE_READ, true), 0);
	cache = kfile.pages[1];
	mm = ktest_mm_enter();
	if (mm) {
		EXPECT_EQ(vm_mmap(&kfile.file, KT_ADDR(0), 2 * P, KT_RW, MAP_PRIVATE, 1), KT_ADDR(0));
		EXPECT_EQ(ktest_fault(mm, KT_ADDR(0), 0), 0);   /* do_read_fault */
		pte = ktest_pte(mm, KT_ADDR(0));
		EXPECT_EQ(pte_pfn(pte), page_to_pfn(cache));
		EXPECT_FALSE(pte_write(pte));                   /* private: read-only */
		EXPECT_EQ(page_ref_count(cache), 2);            /* the cache's + the PTE's */
		EXPECT_EQ(page_mapcount(cache), 1);
		EXPECT_EQ(get_mm_counter(mm, MM_FILEPAGES), 1);
		EXPECT_EQ(get_mm_counter(mm, MM_ANONPAGES), 0);
		EXPECT_EQ(kfile.faults, 1);
		/* a real fault on the next page: file page 2 */
		EXPECT_EQ(get_user(c, (u8 __user *)KT_ADDR(1)), 0);
		EXPECT_EQ(c, 'C');
		EXPECT_EQ(kfile.faults, 2);
		/* munmap gives back the PTEs' references */
		EXPECT_EQ(vm_munmap(KT_ADDR(0), 2 * P), 0);
		EXPECT_EQ(page_ref_count(cache), 1);
		EXPECT_EQ(page_mapcount(cache), 0);
		EXPECT_EQ(get_mm_rss(mm), 0);
		ktest_mm_leave(mm);
	}
	EXPECT_EQ(ktest_file_put(&kfile), 1);
}

KTEST(fault_file_private_write_copies)
{
	struct mm_struct *mm;
	unsigned long copies = vm_events.cow_copy;
	struct page *cache, *page;

	ASSERT_EQ(ktest_file_get(&kfile, FMODE_READ, true), 0);
	cache = kfile.pages[0];
	mm = ktest_mm_enter();
	if (mm) {
		EXPECT_EQ(vm_mmap(&kfile.file, KT_ADDR(0), 2 * P, KT_RW, MAP_PRIVATE, 0), KT_ADDR(0));
		/* first access a write: do_cow_fault - a private copy, cache untouched */
		EXPECT_EQ(put_user('z', (u8 __user *)KT_ADDR(0)), 0);
		page = ktest_page(mm, KT_ADDR(0));
		ASSERT_NOT_NULL(page);
		EXPECT_NE(page, cache);
		EXPECT_TRUE(PageAnon(page));
		EXPECT_EQ(((u8 *)page_address(page))[0], 'z');
		EXPECT_EQ(((u8 *)page_address(page))[1], 'A');  /* copied from the file */
		EXPECT_EQ(((u8 *)page_address(cache))[0], 'A');
		EXPECT_EQ(page_ref_count(cache), 1);
		EXPECT_EQ(page_mapcount(cache), 0);
		EXPECT_TRUE(pte_write(ktest_pte(mm, KT_ADDR(0))));
		EXPECT_EQ(get_mm_counter(mm, MM_ANONPAGES), 1);
		EXPECT_EQ(vm_events.cow_copy, copies + 1);
		/* read first, then write: wp_page_copy of a page-cache page (Dirty COW) */
		cache = kfile.pages[1];
		EXPECT_EQ(ktest_fault(mm, KT_ADDR(1), 0), 0);
		EXPECT_PTR_EQ(ktest_page(mm, KT_ADDR(1)), cache);
		EXPECT_EQ(get_mm_counter(mm, MM_FILEPAGES), 1);
		EXPECT_EQ(put_user('y', (u8 __user *)KT_ADDR(1)), 0);
		page = ktest_page(mm, KT_ADDR(1));
		EXPECT_NE(page, cache);
		EXPECT_EQ(((u8 *)page_address(cache))[0], 'B');   /* never written */
		EXPECT_EQ(page_ref_count(cache), 1);
		EXPECT_EQ(page_mapcount(cache), 0);
		EXPECT_EQ(get_mm_counter(mm, MM_FILEPAGES), 0);
		EXPECT_EQ(get_mm_counter(mm, MM_ANONPAGES), 2);
		EXPECT_FALSE(PageDirty(cache));
		ktest_mm_leave(mm);
	}
	EXPECT_EQ(ktest_file_put(&kfile), 1);
}

KTEST(fault_file_shared_write_dirties_cache_page)
{
	struct mm_struct *mm;
	struct page *cache;

	ASSERT_EQ(ktest_file_get(&kfile, FMODE_READ | FMODE_WRITE, true), 0);
	cache = kfile.pages[2];
	mm = ktest_mm_enter();
	if (mm) {
		EXPECT_EQ(vm_mmap(&kfile.file, KT_ADDR(0), P, KT_RW, MAP_SHARED, 2), KT_ADDR(0));
		EXPECT_EQ(ktest_fault(mm, KT_ADDR(0), W), 0);   /* do_shared_fault */
		EXPECT_PTR_EQ(ktest_page(mm, KT_ADDR(0)), cache);
		EXPECT_TRUE(pte_write(ktest_pte(mm, KT_ADDR(0))));
		EXPECT_TRUE(PageDirty(cache));
		EXPECT_EQ(page_ref_count(cache), 2);
		EXPECT_EQ(page_mapcount(cache), 1);
		EXPECT_EQ(get_mm_counter(mm, MM_FILEPAGES), 1);
		/* the write lands in the page cache itself */
		EXPECT_EQ(put_user('w', (u8 __user *)(KT_ADDR(0) + 9)), 0);
		EXPECT_EQ(((u8 *)page_address(cache))[9], 'w');
		/* the same through a real fault, on file page 3 */
		EXPECT_EQ(vm_mmap(&kfile.file, KT_ADDR(1), P, KT_RW, MAP_SHARED, 3), KT_ADDR(1));
		EXPECT_EQ(put_user('v', (u8 __user *)KT_ADDR(1)), 0);
		EXPECT_PTR_EQ(ktest_page(mm, KT_ADDR(1)), kfile.pages[3]);
		EXPECT_EQ(((u8 *)page_address(kfile.pages[3]))[0], 'v');
		EXPECT_TRUE(PageDirty(kfile.pages[3]));
		ktest_mm_leave(mm);
	}
	EXPECT_EQ(ktest_file_put(&kfile), 1);
}

KTEST(fault_wp_page_shared_redirties)
{
	struct mm_struct *mm;
	unsigned long copies = vm_events.cow_copy, reuses = vm_events.cow_reuse;
	struct page *cache;
	pte_t *ptep;

	ASSERT_EQ(ktest_file_get(&kfile, FMODE_READ | FMODE_WRITE, true), 0);
	cache = kfile.pages[0];
	mm = ktest_mm_enter();
	if (mm) {
		EXPECT_EQ(vm_mmap(&kfile.file, KT_ADDR(0), P, KT_RW, MAP_SHARED, 0), KT_ADDR(0));
		/* a read maps the cache page with vm_page_prot: writable, shared */
		EXPECT_EQ(ktest_fault(mm, KT_ADDR(0), 0), 0);
		EXPECT_TRUE(pte_write(ktest_pte(mm, KT_ADDR(0))));
		EXPECT_FALSE(PageDirty(cache));
		/*
		 * Writeback cleans the page and write-protects its PTEs (Linux
		 * page_mkclean), so that the next write is noticed: done by hand
		 * here. That write goes to wp_page_shared: the same page becomes
		 * writable and dirty again, nothing is copied.
		 */
		ptep = page_walk(mm->pgd, KT_ADDR(0), false);
		ASSERT_NOT_NULL(ptep);
		ptep_set_wrprotect(ptep);
		flush_tlb_local();
		EXPECT_EQ(put_user('s', (u8 __user *)KT_ADDR(0)), 0);
		EXPECT_PTR_EQ(ktest_page(mm, KT_ADDR(0)), cache);
		EXPECT_TRUE(pte_write(ktest_pte(mm, KT_ADDR(0))));
		EXPECT_TRUE(PageDirty(cache));
		EXPECT_EQ(((u8 *)page_address(cache))[0], 's');
		EXPECT_EQ(vm_events.cow_copy, copies);
		EXPECT_EQ(vm_events.cow_reuse, reuses);     /* not a COW event */
		EXPECT_EQ(page_ref_count(cache), 2);
		ktest_mm_leave(mm);
	}
	EXPECT_EQ(ktest_file_put(&kfile), 1);
}

KTEST(fault_tlb_flushed_by_mprotect_and_munmap)
{
	struct mm_struct *mm = ktest_mm_enter();
	u32 v = 0;

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), 2 * P, KT_RW, KT_ANON), KT_ADDR(0));
	/* both pages written: the TLB now holds writable translations */
	EXPECT_EQ(put_user(1u, (u32 __user *)KT_ADDR(0)), 0);
	EXPECT_EQ(put_user(2u, (u32 __user *)KT_ADDR(1)), 0);
	/* a stale writable entry would let these writes through */
	EXPECT_EQ(do_mprotect(KT_ADDR(0), P, PROT_READ), 0);
	EXPECT_EQ(put_user(3u, (u32 __user *)KT_ADDR(0)), -EFAULT);
	EXPECT_EQ(get_user(v, (u32 __user *)KT_ADDR(0)), 0);
	EXPECT_EQ(v, 1);
	/* ... and a stale entry after munmap would write into a freed page */
	EXPECT_EQ(vm_munmap(KT_ADDR(1), P), 0);
	EXPECT_EQ(put_user(4u, (u32 __user *)KT_ADDR(1)), -EFAULT);
	EXPECT_EQ(get_user(v, (u32 __user *)KT_ADDR(1)), -EFAULT);
	ktest_mm_leave(mm);
}

KTEST(fault_zap_page_range_flushes_then_frees)
{
	struct mm_struct *mm = ktest_mm_enter();
	struct vm_area_struct *vma;
	unsigned long free_before;
	u32 v = 0;

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), P, KT_RW, KT_ANON), KT_ADDR(0));
	EXPECT_EQ(put_user(0x1234u, (u32 __user *)KT_ADDR(0)), 0);
	EXPECT_EQ(get_user(v, (u32 __user *)KT_ADDR(0)), 0);   /* cached in the TLB */
	free_before = nr_free_pages();
	/* what MADV_DONTNEED does: the pages go, the VMA and tables stay */
	down_write(&mm->mmap_lock);
	vma = find_vma(mm, KT_ADDR(0));
	if (vma)
		zap_page_range(vma, KT_ADDR(0), P);
	up_write(&mm->mmap_lock);
	EXPECT_EQ(nr_free_pages(), free_before + 1);
	EXPECT_TRUE(pte_none(ktest_pte(mm, KT_ADDR(0))));
	EXPECT_EQ(get_mm_rss(mm), 0);
	EXPECT_EQ(mm->nr_ptes, 3);
	/* a stale translation would still read the freed page */
	EXPECT_EQ(get_user(v, (u32 __user *)KT_ADDR(0)), 0);
	EXPECT_EQ(v, 0);
	EXPECT_PTR_EQ(ktest_page(mm, KT_ADDR(0)), zero_page);
	ktest_mm_leave(mm);
}

KTEST(fault_file_beyond_eof_sigbus)
{
	struct mm_struct *mm;
	u8 c;

	ASSERT_EQ(ktest_file_get(&kfile, FMODE_READ, true), 0);
	kfile.nr_pages = 1;  /* the file is one page long, the mapping two */
	mm = ktest_mm_enter();
	if (mm) {
		EXPECT_EQ(vm_mmap(&kfile.file, KT_ADDR(0), 2 * P, PROT_READ, MAP_PRIVATE, 0), KT_ADDR(0));
		EXPECT_EQ(ktest_fault(mm, KT_ADDR(0), 0), 0);
		EXPECT_EQ(ktest_fault(mm, KT_ADDR(1), 0), VM_FAULT_SIGBUS);
		EXPECT_TRUE(pte_none(ktest_pte(mm, KT_ADDR(1))));
		EXPECT_EQ(get_user(c, (u8 __user *)KT_ADDR(1)), -EFAULT);  /* fixed up */
		EXPECT_EQ(get_user(c, (u8 __user *)KT_ADDR(0)), 0);
		EXPECT_EQ(c, 'A');
		ktest_mm_leave(mm);
	}
	EXPECT_EQ(ktest_file_put(&kfile), 1);
}

KTEST(fault_shared_anon_is_one_object)
{
	struct mm_struct *mm = ktest_mm_enter();
	struct vm_area_struct *vma;
	struct page *page;

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), 3 * P, KT_RW, MAP_SHARED | MAP_ANONYMOUS), KT_ADDR(0));
	vma = ktest_vma(mm, KT_ADDR(0));
	ASSERT_NOT_NULL(vma);
	EXPECT_TRUE(vma_is_shmem_anon(vma));
	EXPECT_TRUE(pgprot_val(vma->vm_page_prot) & _PAGE_RW);
	EXPECT_EQ(put_user(0x5151u, (u32 __user *)KT_ADDR(1)), 0);
	page = ktest_page(mm, KT_ADDR(1));
	ASSERT_NOT_NULL(page);
	EXPECT_FALSE(PageAnon(page));                       /* a "file" page: never COWed */
	EXPECT_NOT_NULL(page->mapping);
	EXPECT_EQ(page_ref_count(page), 2);                 /* the object's + the PTE's */
	EXPECT_EQ(page_mapcount(page), 1);
	EXPECT_TRUE(PageSwapBacked(page));                  /* counted as shmem, not file */
	EXPECT_EQ(get_mm_counter(mm, MM_SHMEMPAGES), 1);
	EXPECT_EQ(get_mm_counter(mm, MM_FILEPAGES), 0);
	/* split it: both halves still reach the same object and page */
	EXPECT_EQ(do_mprotect(KT_ADDR(0), P, PROT_READ), 0);
	EXPECT_EQ(ktest_nr_vmas(mm), 2);
	EXPECT_EQ(vm_munmap(KT_ADDR(1), P), 0);             /* the PTE goes, the page stays */
	EXPECT_EQ(page_ref_count(page), 1);
	EXPECT_EQ(page_mapcount(page), 0);
	EXPECT_EQ(ktest_mmap(KT_ADDR(10), P, KT_RW, MAP_SHARED | MAP_ANONYMOUS), KT_ADDR(10));
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(2), 0), 0);       /* index 2 of the first object */
	EXPECT_NE(ktest_page(mm, KT_ADDR(2)), zero_page);
	ktest_mm_leave(mm);                                  /* the leak check sees all of it freed */
}

KTEST(fault_munmap_frees_pages_and_tables)
{
	struct mm_struct *mm = ktest_mm_enter();
	unsigned long tables = nr_pgtable_pages, free_pages;
	/* 4 pages around a 2 MiB boundary (two PTE tables), 1 far away (another PUD) */
	unsigned long a = KT_BASE + PMD_SIZE - 2 * P, far = KT_BASE + 4 * PUD_SIZE;

	ASSERT_NOT_NULL(mm);
	free_pages = nr_free_pages();
	EXPECT_EQ(ktest_mmap(a, 4 * P, KT_RW, KT_ANON | MAP_FIXED), a);
	EXPECT_EQ(ktest_mmap(far, P, KT_RW, KT_ANON | MAP_FIXED), far);
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(ktest_fault(mm, a + i * P, W), 0);
	EXPECT_EQ(ktest_fault(mm, far, W), 0);
	EXPECT_EQ(get_mm_counter(mm, MM_ANONPAGES), 5);
	/* a: one PUD, one PMD and two PTE tables; far: its own PMD and PTE table */
	EXPECT_EQ(mm->nr_ptes, 6);
	EXPECT_EQ(nr_pgtable_pages, tables + 6);
	/* unmapping one PTE table's pages frees that table */
	EXPECT_EQ(vm_munmap(a, 2 * P), 0);
	EXPECT_EQ(mm->nr_ptes, 5);
	EXPECT_EQ(get_mm_counter(mm, MM_ANONPAGES), 3);
	/* the other PTE table goes, and the PMD table above both; the PUD table stays for far */
	EXPECT_EQ(vm_munmap(a + 2 * P, 2 * P), 0);
	EXPECT_EQ(mm->nr_ptes, 3);
	EXPECT_EQ(vm_munmap(far, P), 0);
	EXPECT_EQ(mm->nr_ptes, 0);
	EXPECT_EQ(nr_pgtable_pages, tables);
	EXPECT_EQ(get_mm_rss(mm), 0);
	EXPECT_EQ(nr_free_pages(), free_pages);              /* pages and tables all back */
	EXPECT_TRUE(pgd_none(mm->pgd[pgd_index(a)]));
	ktest_mm_leave(mm);
}

KTEST(fault_out_of_memory)
{
	struct mm_struct *mm = ktest_mm_enter();
	struct ktest_hog hog;
	u64 v = 0;

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), 3 * P, KT_RW, KT_ANON), KT_ADDR(0));
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(0), W), 0);       /* the page tables exist now */
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(2), 0), 0);       /* the zero page */
	ktest_hog(&hog, 0);
	EXPECT_EQ(nr_free_pages(), 0);
	/* do_anonymous_page cannot allocate: OOM, nothing mapped */
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(1), W), VM_FAULT_OOM);
	EXPECT_TRUE(pte_none(ktest_pte(mm, KT_ADDR(1))));
	/* wp_page_copy cannot allocate: OOM, the zero page stays */
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(2), W), VM_FAULT_OOM);
	EXPECT_PTR_EQ(ktest_page(mm, KT_ADDR(2)), zero_page);
	/* a kernel-mode fault that runs out of memory is fixed up, not killed */
	EXPECT_EQ(put_user(v, (u64 __user *)KT_ADDR(1)), -EFAULT);
	EXPECT_EQ(get_mm_counter(mm, MM_ANONPAGES), 1);
	ktest_hog_release(&hog);
	EXPECT_EQ(put_user(v, (u64 __user *)KT_ADDR(1)), 0);
	EXPECT_EQ(get_mm_counter(mm, MM_ANONPAGES), 2);
	ktest_mm_leave(mm);
}

KTEST(fault_populate)
{
	struct mm_struct *mm = ktest_mm_enter();

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), 3 * P, KT_RW, KT_ANON | MAP_POPULATE), KT_ADDR(0));
	EXPECT_EQ(get_mm_counter(mm, MM_ANONPAGES), 3);     /* private writable: own pages */
	EXPECT_TRUE(pte_write(ktest_pte(mm, KT_ADDR(2))));
	EXPECT_EQ(ktest_mmap(KT_ADDR(8), 2 * P, PROT_READ, KT_ANON | MAP_POPULATE), KT_ADDR(8));
	EXPECT_PTR_EQ(ktest_page(mm, KT_ADDR(9)), zero_page);  /* read-only: the zero page */
	EXPECT_EQ(get_mm_counter(mm, MM_ANONPAGES), 3);
	ktest_mm_leave(mm);
}

static struct ktest_case fault_cases[] = {
	KTEST_CASE(fault_anon_read_maps_zero_page),
	KTEST_CASE(fault_anon_write_maps_new_page),
	KTEST_CASE(fault_write_after_read_replaces_zero_page),
	KTEST_CASE(fault_write_to_readonly_mapping_refused),
	KTEST_CASE(fault_uaccess_demand_pages),
	KTEST_CASE(fault_uaccess_partial_copies_are_exact),
	KTEST_CASE(fault_uaccess_write_after_read),
	KTEST_CASE(fault_prot_none_and_back),
	KTEST_CASE(fault_mprotect_keeps_cow_rule),
	KTEST_CASE(fault_file_read_maps_cache_page),
	KTEST_CASE(fault_file_private_write_copies),
	KTEST_CASE(fault_file_shared_write_dirties_cache_page),
	KTEST_CASE(fault_wp_page_shared_redirties),
	KTEST_CASE(fault_tlb_flushed_by_mprotect_and_munmap),
	KTEST_CASE(fault_zap_page_range_flushes_then_frees),
	KTEST_CASE(fault_file_beyond_eof_sigbus),
	KTEST_CASE(fault_shared_anon_is_one_object),
	KTEST_CASE(fault_munmap_frees_pages_and_tables),
	KTEST_CASE(fault_out_of_memory),
	KTEST_CASE(fault_populate),
	{}
};

static struct ktest_suite fault_suite = {
	.name = "fault",
	.cases = fault_cases,
};
ktest_register_suite(fault_suite);
