/*
 * tests/ktest/test_vma.c - the VMAs of an address space: mm_alloc, mmap
 * placement (hint, MAP_FIXED, top-down below mmap_base), munmap splitting
 * and trimming, merging of neighbours, mprotect splitting and merging
 * back, brk, and every errno of mmap/munmap/mprotect. Each case runs on
 * its own mm, made the ktest thread's current->mm with use_mm().
 */
#include "tests/ktest/ktest.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "tests/ktest/ktest_mm.h"

long sys_mmap(SYSCALL_ARGS);
long sys_munmap(SYSCALL_ARGS);
long sys_mprotect(SYSCALL_ARGS);
long sys_brk(SYSCALL_ARGS);

#define P PAGE_SIZE
#define VM_RW_DEFAULT (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)

static struct ktest_file kfile;

/* vma_is - @mm has a VMA exactly [start, end) with @flags. */
static bool vma_is(struct mm_struct *mm, unsigned long start, unsigned long end,
		   unsigned long flags)
{
	struct vm_area_struct *vma = ktest_vma(mm, start);

	return vma && vma->vm_start == start && vma->vm_end == end && vma->vm_flags == flags;
}

KTEST(vma_mm_alloc_shares_kernel_half)
{
	struct mm_struct *mm = mm_alloc();
	int user_entries = 0, kernel_diff = 0;

	ASSERT_NOT_NULL(mm);
	for (int i = 0; i < USER_PGD_ENTRIES; i++)
		user_entries += !pgd_none(mm->pgd[i]);
	for (int i = USER_PGD_ENTRIES; i < PTRS_PER_TABLE; i++)
		kernel_diff += pgd_val(mm->pgd[i]) != pgd_val(swapper_pg_dir[i]);
	EXPECT_EQ(user_entries, 0);
	EXPECT_EQ(kernel_diff, 0);
	EXPECT_EQ(mm->mm_users, 1);
	EXPECT_EQ(mm->mmap_base, TASK_UNMAPPED_BASE);
	EXPECT_TRUE(list_empty(&mm->mmap));
	EXPECT_TRUE(PagePgtable(virt_to_page(mm->pgd)));
	mmget(mm);
	mmput(mm);                       /* not the last user: nothing freed */
	EXPECT_EQ(mm->mm_users, 1);
	EXPECT_EQ(pgd_val(mm->pgd[511]), pgd_val(swapper_pg_dir[511]));
	mmput(mm);                       /* the leak check sees the PGD come back */
}

KTEST(vma_use_mm_loads_the_tables)
{
	struct mm_struct *mm = ktest_mm_enter();

	ASSERT_NOT_NULL(mm);
	EXPECT_PTR_EQ(current->mm, mm);
	EXPECT_TRUE(mm_is_loaded(mm));
	schedule();                      /* the scheduler keeps them loaded */
	EXPECT_TRUE(mm_is_loaded(mm));
	ktest_mm_leave(mm);
	EXPECT_NULL(current->mm);
	EXPECT_EQ(read_cr3() & PTE_PFN_MASK, virt_to_phys(swapper_pg_dir));
}

KTEST(vma_mmap_at_hint)
{
	struct mm_struct *mm = ktest_mm_enter();
	struct vm_area_struct *vma;
	unsigned long a;

	ASSERT_NOT_NULL(mm);
	a = ktest_mmap(KT_ADDR(0), 3 * P, KT_RW, KT_ANON);
	EXPECT_EQ(a, KT_ADDR(0));
	vma = ktest_vma(mm, a + P);
	EXPECT_NOT_NULL(vma);
	if (vma) {
		EXPECT_EQ(vma->vm_start, KT_ADDR(0));
		EXPECT_EQ(vma->vm_end, KT_ADDR(3));
		EXPECT_EQ(vma->vm_flags, VM_RW_DEFAULT);
		EXPECT_EQ(vma->vm_pgoff, KT_ADDR(0) >> PAGE_SHIFT);
		EXPECT_NULL(vma->vm_file);
		EXPECT_NULL(vma->vm_ops);
		/* private writable: mapped read-only until a write (COW), no exec */
		EXPECT_FALSE(pgprot_val(vma->vm_page_prot) & _PAGE_RW);
		EXPECT_TRUE(pgprot_val(vma->vm_page_prot) & _PAGE_NX);
		EXPECT_TRUE(pgprot_val(vma->vm_page_prot) & _PAGE_USER);
		EXPECT_TRUE(pgprot_val(vma->vm_page_prot) & _PAGE_PRESENT);
	}
	EXPECT_EQ(mm->total_vm, 3);
	/* the hint is taken: top-down placement below mmap_base instead */
	EXPECT_EQ(ktest_mmap(KT_ADDR(1), P, PROT_READ, KT_ANON), mm->mmap_base - P);
	/* an unaligned hint is rounded up to a page */
	EXPECT_EQ(ktest_mmap(KT_ADDR(10) + 123, P, PROT_READ, KT_ANON), KT_ADDR(11));
	/* a hint below MMAP_MIN_ADDR is raised to it */
	EXPECT_EQ(ktest_mmap(0x1000, P, PROT_READ, KT_ANON), MMAP_MIN_ADDR);
	EXPECT_EQ(ktest_nr_vmas(mm), 4);
	ktest_mm_leave(mm);
}

KTEST(vma_mmap_top_down)
{
	struct mm_struct *mm = ktest_mm_enter();
	unsigned long a, b, c;

	ASSERT_NOT_NULL(mm);
	a = ktest_mmap(0, 2 * P, KT_RW, KT_ANON);
	EXPECT_EQ(a, mm->mmap_base - 2 * P);
	b = ktest_mmap(0, 3 * P, PROT_READ, KT_ANON);
	EXPECT_EQ(b, a - 3 * P);
	c = ktest_mmap(0, P, KT_RW, KT_ANON);
	EXPECT_EQ(c, b - P);
	EXPECT_EQ(ktest_nr_vmas(mm), 3);
	/* a 3-page hole: a 2-page mapping takes its top */
	EXPECT_EQ(vm_munmap(b, 3 * P), 0);
	EXPECT_EQ(ktest_mmap(0, 2 * P, PROT_READ, KT_ANON), a - 2 * P);
	/* a 4-page one does not fit the rest of the hole: it goes below c */
	EXPECT_EQ(ktest_mmap(0, 4 * P, PROT_READ, KT_ANON), c - 4 * P);
	/* no room below mmap_base: bottom-up above it */
	mm->mmap_base = MMAP_MIN_ADDR + P;
	EXPECT_EQ(ktest_mmap(0, 2 * P, PROT_READ, KT_ANON), mm->mmap_base);
	EXPECT_EQ(ktest_mmap(0, P, PROT_EXEC, KT_ANON), MMAP_MIN_ADDR);
	ktest_mm_leave(mm);
}

KTEST(vma_mmap_fixed)
{
	struct mm_struct *mm = ktest_mm_enter();

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), 4 * P, KT_RW, KT_ANON), KT_ADDR(0));
	/* MAP_FIXED over the middle replaces it: three VMAs */
	EXPECT_EQ(ktest_mmap(KT_ADDR(1), 2 * P, PROT_READ, KT_ANON | MAP_FIXED), KT_ADDR(1));
	EXPECT_EQ(ktest_nr_vmas(mm), 3);
	EXPECT_TRUE(vma_is(mm, KT_ADDR(0), KT_ADDR(1), VM_RW_DEFAULT));
	EXPECT_TRUE(vma_is(mm, KT_ADDR(1), KT_ADDR(3), VM_READ | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC));
	EXPECT_TRUE(vma_is(mm, KT_ADDR(3), KT_ADDR(4), VM_RW_DEFAULT));
	/* MAP_FIXED with the same flags again: merged back into one */
	EXPECT_EQ(ktest_mmap(KT_ADDR(1), 2 * P, KT_RW, KT_ANON | MAP_FIXED), KT_ADDR(1));
	EXPECT_EQ(ktest_nr_vmas(mm), 1);
	EXPECT_TRUE(vma_is(mm, KT_ADDR(0), KT_ADDR(4), VM_RW_DEFAULT));
	EXPECT_EQ(mm->total_vm, 4);
	/* MAP_FIXED_NOREPLACE: not over a mapping, fine in a hole */
	EXPECT_EQ((long)ktest_mmap(KT_ADDR(3), 2 * P, KT_RW, KT_ANON | MAP_FIXED_NOREPLACE), -EEXIST);
	EXPECT_EQ(ktest_mmap(KT_ADDR(8), P, KT_RW, KT_ANON | MAP_FIXED_NOREPLACE), KT_ADDR(8));
	/* MAP_FIXED: unaligned -> EINVAL, below MMAP_MIN_ADDR -> EPERM, beyond user space -> ENOMEM */
	EXPECT_EQ((long)ktest_mmap(KT_ADDR(9) + 8, P, KT_RW, KT_ANON | MAP_FIXED), -EINVAL);
	EXPECT_EQ((long)ktest_mmap(P, P, KT_RW, KT_ANON | MAP_FIXED), -EPERM);
	EXPECT_EQ((long)ktest_mmap(TASK_SIZE - P, 2 * P, KT_RW, KT_ANON | MAP_FIXED), -ENOMEM);
	EXPECT_EQ(ktest_mmap(TASK_SIZE - P, P, KT_RW, KT_ANON | MAP_FIXED), TASK_SIZE - P);
	EXPECT_EQ(ktest_nr_vmas(mm), 3);
	ktest_mm_leave(mm);
}

KTEST(vma_munmap_splits_and_trims)
{
	struct mm_struct *mm = ktest_mm_enter();
	struct vm_area_struct *vma;

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), 6 * P, KT_RW, KT_ANON), KT_ADDR(0));
	/* the middle: two VMAs left, the upper one keeps its offset */
	EXPECT_EQ(vm_munmap(KT_ADDR(2), 2 * P), 0);
	EXPECT_EQ(ktest_nr_vmas(mm), 2);
	EXPECT_TRUE(vma_is(mm, KT_ADDR(0), KT_ADDR(2), VM_RW_DEFAULT));
	EXPECT_TRUE(vma_is(mm, KT_ADDR(4), KT_ADDR(6), VM_RW_DEFAULT));
	EXPECT_NULL(ktest_vma(mm, KT_ADDR(2)));
	EXPECT_NULL(ktest_vma(mm, KT_ADDR(3)));
	vma = ktest_vma(mm, KT_ADDR(4));
	if (vma)
		EXPECT_EQ(vma->vm_pgoff, KT_ADDR(4) >> PAGE_SHIFT);
	EXPECT_EQ(mm->total_vm, 4);
	/* a hole: nothing to do, not an error */
	EXPECT_EQ(vm_munmap(KT_ADDR(2), 2 * P), 0);
	EXPECT_EQ(ktest_nr_vmas(mm), 2);
	/* across the tail of one VMA, a hole and the head of the next */
	EXPECT_EQ(vm_munmap(KT_ADDR(1), 4 * P), 0);
	EXPECT_TRUE(vma_is(mm, KT_ADDR(0), KT_ADDR(1), VM_RW_DEFAULT));
	EXPECT_TRUE(vma_is(mm, KT_ADDR(5), KT_ADDR(6), VM_RW_DEFAULT));
	/* an unaligned length is rounded up */
	EXPECT_EQ(vm_munmap(KT_ADDR(0), 1), 0);
	EXPECT_NULL(ktest_vma(mm, KT_ADDR(0)));
	/* everything, in one go over a wide range */
	EXPECT_EQ(vm_munmap(KT_BASE, 1UL << 30), 0);
	EXPECT_EQ(ktest_nr_vmas(mm), 0);
	EXPECT_EQ(mm->total_vm, 0);
	/* errors: unaligned start, zero length, outside user space */
	EXPECT_EQ(vm_munmap(KT_ADDR(0) + 1, P), -EINVAL);
	EXPECT_EQ(vm_munmap(KT_ADDR(0), 0), -EINVAL);
	EXPECT_EQ(vm_munmap(TASK_SIZE - P, 2 * P), -EINVAL);
	EXPECT_EQ(sys_munmap(KT_ADDR(0) + 8, P, 0, 0, 0, 0), -EINVAL);
	EXPECT_EQ(sys_munmap(KT_ADDR(0), 0, 0, 0, 0, 0), -EINVAL);
	ktest_mm_leave(mm);
}

KTEST(vma_merge_neighbours)
{
	struct mm_struct *mm = ktest_mm_enter();

	ASSERT_NOT_NULL(mm);
	/* adjacent anonymous mappings with the same flags become one */
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), 2 * P, KT_RW, KT_ANON), KT_ADDR(0));
	EXPECT_EQ(ktest_mmap(KT_ADDR(2), 2 * P, KT_RW, KT_ANON), KT_ADDR(2));
	EXPECT_EQ(ktest_nr_vmas(mm), 1);
	EXPECT_TRUE(vma_is(mm, KT_ADDR(0), KT_ADDR(4), VM_RW_DEFAULT));
	/* different protection: not merged */
	EXPECT_EQ(ktest_mmap(KT_ADDR(4), P, PROT_READ, KT_ANON), KT_ADDR(4));
	EXPECT_EQ(ktest_nr_vmas(mm), 2);
	/* filling a gap merges with both sides */
	EXPECT_EQ(ktest_mmap(KT_ADDR(10), P, KT_RW, KT_ANON), KT_ADDR(10));
	EXPECT_EQ(ktest_mmap(KT_ADDR(12), P, KT_RW, KT_ANON), KT_ADDR(12));
	EXPECT_EQ(ktest_nr_vmas(mm), 4);
	EXPECT_EQ(ktest_mmap(KT_ADDR(11), P, KT_RW, KT_ANON), KT_ADDR(11));
	EXPECT_EQ(ktest_nr_vmas(mm), 3);
	EXPECT_TRUE(vma_is(mm, KT_ADDR(10), KT_ADDR(13), VM_RW_DEFAULT));
	/* two shared anonymous mappings are different memory: never merged */
	EXPECT_EQ(ktest_mmap(KT_ADDR(20), P, KT_RW, MAP_SHARED | MAP_ANONYMOUS), KT_ADDR(20));
	EXPECT_EQ(ktest_mmap(KT_ADDR(21), P, KT_RW, MAP_SHARED | MAP_ANONYMOUS), KT_ADDR(21));
	EXPECT_EQ(ktest_nr_vmas(mm), 5);
	ktest_mm_leave(mm);
}

KTEST(vma_file_merge_needs_contiguous_offsets)
{
	struct mm_struct *mm;
	struct vm_area_struct *vma;

	ASSERT_EQ(ktest_file_get(&kfile, FMODE_READ, true), 0);
	mm = ktest_mm_enter();
	if (mm) {
		/* file pages 0-1 then 2-3 right after: one VMA, one file reference */
		EXPECT_EQ(vm_mmap(&kfile.file, KT_ADDR(0), 2 * P, PROT_READ, MAP_PRIVATE, 0), KT_ADDR(0));
		EXPECT_EQ(vm_mmap(&kfile.file, KT_ADDR(2), 2 * P, PROT_READ, MAP_PRIVATE, 2), KT_ADDR(2));
		EXPECT_EQ(ktest_nr_vmas(mm), 1);
		EXPECT_EQ(kfile.file.f_count, 2);
		/* page 0 again right after: the offsets do not continue */
		EXPECT_EQ(vm_mmap(&kfile.file, KT_ADDR(4), P, PROT_READ, MAP_PRIVATE, 0), KT_ADDR(4));
		EXPECT_EQ(ktest_nr_vmas(mm), 2);
		EXPECT_EQ(kfile.file.f_count, 3);
		/* munmap of the middle: both halves hold the file, the upper one at offset 3 */
		EXPECT_EQ(vm_munmap(KT_ADDR(1), 2 * P), 0);
		EXPECT_EQ(kfile.file.f_count, 4);
		vma = ktest_vma(mm, KT_ADDR(3));
		EXPECT_NOT_NULL(vma);
		if (vma)
			EXPECT_EQ(vma->vm_pgoff, 3);
		ktest_mm_leave(mm);
	}
	EXPECT_EQ(ktest_file_put(&kfile), 1);   /* every VMA gave its reference back */
}

KTEST(vma_mprotect_splits_and_merges_back)
{
	struct mm_struct *mm = ktest_mm_enter();
	struct vm_area_struct *vma;

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), 3 * P, KT_RW, KT_ANON), KT_ADDR(0));
	EXPECT_EQ(do_mprotect(KT_ADDR(1), P, PROT_READ), 0);
	EXPECT_EQ(ktest_nr_vmas(mm), 3);
	EXPECT_TRUE(vma_is(mm, KT_ADDR(0), KT_ADDR(1), VM_RW_DEFAULT));
	EXPECT_TRUE(vma_is(mm, KT_ADDR(1), KT_ADDR(2), VM_RW_DEFAULT & ~VM_WRITE));
	EXPECT_TRUE(vma_is(mm, KT_ADDR(2), KT_ADDR(3), VM_RW_DEFAULT));
	/* back to read-write: one VMA again */
	EXPECT_EQ(do_mprotect(KT_ADDR(1), P, KT_RW), 0);
	EXPECT_EQ(ktest_nr_vmas(mm), 1);
	EXPECT_TRUE(vma_is(mm, KT_ADDR(0), KT_ADDR(3), VM_RW_DEFAULT));
	/* across VMAs with different flags: all of them change, and merge */
	EXPECT_EQ(ktest_mmap(KT_ADDR(3), 2 * P, PROT_READ, KT_ANON), KT_ADDR(3));
	EXPECT_EQ(ktest_nr_vmas(mm), 2);
	EXPECT_EQ(sys_mprotect(KT_ADDR(0), 5 * P, PROT_READ | PROT_EXEC, 0, 0, 0), 0);
	EXPECT_EQ(ktest_nr_vmas(mm), 1);
	vma = ktest_vma(mm, KT_ADDR(4));
	EXPECT_NOT_NULL(vma);
	if (vma) {
		EXPECT_EQ(vma->vm_start, KT_ADDR(0));
		EXPECT_EQ(vma->vm_flags, (VM_RW_DEFAULT & ~VM_WRITE) | VM_EXEC);
		EXPECT_FALSE(pgprot_val(vma->vm_page_prot) & _PAGE_NX);
	}
	/* len 0 is a no-op, even where nothing is mapped */
	EXPECT_EQ(do_mprotect(KT_ADDR(100), 0, PROT_READ), 0);
	/* PROT_NONE: no access at all */
	EXPECT_EQ(do_mprotect(KT_ADDR(0), P, PROT_NONE), 0);
	vma = ktest_vma(mm, KT_ADDR(0));
	if (vma)
		EXPECT_EQ(pgprot_val(vma->vm_page_prot), pgprot_val(PAGE_NONE));
	ktest_mm_leave(mm);
}

KTEST(vma_mprotect_errors)
{
	struct mm_struct *mm;
	struct vm_area_struct *vma;

	ASSERT_EQ(ktest_file_get(&kfile, FMODE_READ, true), 0);
	mm = ktest_mm_enter();
	if (mm) {
		EXPECT_EQ(ktest_mmap(KT_ADDR(0), 2 * P, KT_RW, KT_ANON), KT_ADDR(0));
		EXPECT_EQ(ktest_mmap(KT_ADDR(3), 2 * P, KT_RW, KT_ANON), KT_ADDR(3));
		/* EINVAL: unaligned start, unknown prot bits */
		EXPECT_EQ(do_mprotect(KT_ADDR(0) + 16, P, PROT_READ), -EINVAL);
		EXPECT_EQ(sys_mprotect(KT_ADDR(0), P, 0x100, 0, 0, 0), -EINVAL);
		/* ENOMEM: nothing mapped at the start ... */
		EXPECT_EQ(do_mprotect(KT_ADDR(2), P, PROT_READ), -ENOMEM);
		EXPECT_EQ(do_mprotect(KT_ADDR(50), P, PROT_READ), -ENOMEM);
		/* ... or a hole in the middle; as in Linux, what lies before it changed */
		EXPECT_EQ(do_mprotect(KT_ADDR(0), 5 * P, PROT_READ), -ENOMEM);
		EXPECT_TRUE(vma_is(mm, KT_ADDR(0), KT_ADDR(2), VM_RW_DEFAULT & ~VM_WRITE));
		EXPECT_TRUE(vma_is(mm, KT_ADDR(3), KT_ADDR(5), VM_RW_DEFAULT));
		/* EACCES: PROT_WRITE on a MAP_SHARED mapping of a read-only file */
		EXPECT_EQ(vm_mmap(&kfile.file, KT_ADDR(10), 2 * P, PROT_READ, MAP_SHARED, 0), KT_ADDR(10));
		vma = ktest_vma(mm, KT_ADDR(10));
		EXPECT_NOT_NULL(vma);
		if (vma) {
			EXPECT_TRUE(vma->vm_flags & VM_MAYSHARE);
			EXPECT_FALSE(vma->vm_flags & VM_SHARED);
			EXPECT_FALSE(vma->vm_flags & VM_MAYWRITE);
		}
		EXPECT_EQ(do_mprotect(KT_ADDR(10), P, KT_RW), -EACCES);
		EXPECT_EQ(do_mprotect(KT_ADDR(10), P, PROT_READ | PROT_EXEC), 0);
		ktest_mm_leave(mm);
	}
	EXPECT_EQ(ktest_file_put(&kfile), 1);
}

KTEST(vma_mmap_errors)
{
	struct mm_struct *mm;
	struct vm_area_struct *vma;

	ASSERT_EQ(ktest_file_get(&kfile, FMODE_READ, true), 0);
	mm = ktest_mm_enter();
	if (!mm)
		goto out;
	/* EINVAL: zero length, neither SHARED nor PRIVATE, unaligned offset */
	EXPECT_EQ((long)ktest_mmap(0, 0, KT_RW, KT_ANON), -EINVAL);
	EXPECT_EQ((long)ktest_mmap(0, P, KT_RW, MAP_ANONYMOUS), -EINVAL);
	EXPECT_EQ((long)ktest_mmap(0, P, KT_RW, MAP_ANONYMOUS | 0x4), -EINVAL);
	EXPECT_EQ(sys_mmap(0, P, PROT_READ, MAP_PRIVATE, 3, 100), -EINVAL);
	EXPECT_EQ(sys_mmap(0, 0, PROT_READ, KT_ANON, -1, 0), -EINVAL);
	EXPECT_EQ((long)vm_mmap(&kfile.file, 0, P, PROT_READ, MAP_ANONYMOUS | 0x4, 0), -EINVAL);
	/* EBADF: no such descriptor (the ktest thread has no file table at all) */
	EXPECT_EQ(sys_mmap(0, P, PROT_READ, MAP_PRIVATE, -1, 0), -EBADF);
	EXPECT_EQ(sys_mmap(0, P, PROT_READ, MAP_SHARED, 5, 0), -EBADF);
	/* ENOMEM: longer than user space, or a length that wraps when rounded */
	EXPECT_EQ((long)ktest_mmap(0, TASK_SIZE, PROT_READ, KT_ANON), -ENOMEM);
	EXPECT_EQ((long)ktest_mmap(0, -1UL, PROT_READ, KT_ANON), -ENOMEM);
	/* MAP_SHARED_VALIDATE refuses unknown flags of a file mapping */
	EXPECT_EQ((long)vm_mmap(&kfile.file, 0, P, PROT_READ, MAP_SHARED_VALIDATE | 0x80000, 0),
		  -95 /* EOPNOTSUPP */);
	/* an offset that wraps the page index */
	EXPECT_EQ((long)vm_mmap(&kfile.file, 0, 2 * P, PROT_READ, MAP_PRIVATE, -1UL),
		  -75 /* EOVERFLOW */);
	/* EACCES: shared and writable on a read-only file */
	EXPECT_EQ((long)vm_mmap(&kfile.file, 0, P, KT_RW, MAP_SHARED, 0), -EACCES);
	/* but private and writable is fine: writes go to private copies */
	EXPECT_EQ(vm_mmap(&kfile.file, KT_ADDR(0), P, KT_RW, MAP_PRIVATE, 0), KT_ADDR(0));
	/* EACCES: a file opened without read permission */
	kfile.file.f_mode = FMODE_WRITE;
	EXPECT_EQ((long)vm_mmap(&kfile.file, 0, P, PROT_READ, MAP_PRIVATE, 0), -EACCES);
	EXPECT_EQ((long)vm_mmap(&kfile.file, 0, P, PROT_WRITE, MAP_SHARED, 0), -EACCES);
	/* read-write file, MAP_SHARED: VM_SHARED, writable PTEs */
	kfile.file.f_mode = FMODE_READ | FMODE_WRITE;
	EXPECT_EQ(vm_mmap(&kfile.file, KT_ADDR(4), P, KT_RW, MAP_SHARED, 1), KT_ADDR(4));
	vma = ktest_vma(mm, KT_ADDR(4));
	EXPECT_NOT_NULL(vma);
	if (vma) {
		EXPECT_EQ(vma->vm_flags, VM_RW_DEFAULT | VM_SHARED | VM_MAYSHARE);
		EXPECT_TRUE(pgprot_val(vma->vm_page_prot) & _PAGE_RW);
		EXPECT_PTR_EQ(vma->vm_file, &kfile.file);
		EXPECT_EQ(vma->vm_pgoff, 1);
	}
	/* ENODEV: a file that cannot be mapped */
	kfile.file.f_op = NULL;
	EXPECT_EQ((long)vm_mmap(&kfile.file, 0, P, PROT_READ, MAP_PRIVATE, 0), -ENODEV);
	EXPECT_EQ(ktest_nr_vmas(mm), 2);
	EXPECT_EQ(kfile.file.f_count, 3);
	ktest_mm_leave(mm);
out:
	EXPECT_EQ(ktest_file_put(&kfile), 1);
}

KTEST(vma_brk_grows_and_shrinks)
{
	struct mm_struct *mm = ktest_mm_enter();
	unsigned long start = KT_ADDR(100), free_before;
	char buf[64] = "heap";

	ASSERT_NOT_NULL(mm);
	mm->start_brk = mm->brk = start;
	EXPECT_EQ(sys_brk(0, 0, 0, 0, 0, 0), start);
	/* grow by 3 pages and a bit: 4 pages mapped, the break where asked */
	EXPECT_EQ(sys_brk(start + 3 * P + 5, 0, 0, 0, 0, 0), start + 3 * P + 5);
	EXPECT_EQ(mm->brk, start + 3 * P + 5);
	EXPECT_TRUE(vma_is(mm, start, start + 4 * P, VM_RW_DEFAULT));
	/* the heap is ordinary memory: writing faults its pages in */
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(copy_to_user((void __user *)(start + i * P), buf, sizeof(buf)), 0);
	EXPECT_EQ(get_mm_counter(mm, MM_ANONPAGES), 4);
	/* shrink: the pages above the new break are freed */
	free_before = nr_free_pages();
	EXPECT_EQ(sys_brk(start + P, 0, 0, 0, 0, 0), start + P);
	EXPECT_EQ(nr_free_pages(), free_before + 3);
	EXPECT_EQ(get_mm_counter(mm, MM_ANONPAGES), 1);
	EXPECT_TRUE(vma_is(mm, start, start + P, VM_RW_DEFAULT));
	/* never below start_brk: the current break comes back */
	EXPECT_EQ(sys_brk(start - P, 0, 0, 0, 0, 0), start + P);
	/* not into another mapping, and a guard page stays before it */
	EXPECT_EQ(ktest_mmap(start + 5 * P, P, PROT_READ, KT_ANON | MAP_FIXED), start + 5 * P);
	EXPECT_EQ(sys_brk(start + 6 * P, 0, 0, 0, 0, 0), start + P);
	EXPECT_EQ(sys_brk(start + 4 * P + 1, 0, 0, 0, 0, 0), start + P);
	EXPECT_EQ(sys_brk(start + 4 * P, 0, 0, 0, 0, 0), start + 4 * P);
	/* down to start_brk: no heap VMA left */
	EXPECT_EQ(sys_brk(start, 0, 0, 0, 0, 0), start);
	EXPECT_NULL(ktest_vma(mm, start));
	EXPECT_EQ(get_mm_counter(mm, MM_ANONPAGES), 0);
	/* the heap extends a data VMA that ends where it starts */
	EXPECT_EQ(ktest_mmap(start - 2 * P, 2 * P, KT_RW, KT_ANON | MAP_FIXED), start - 2 * P);
	EXPECT_EQ(sys_brk(start + 2 * P, 0, 0, 0, 0, 0), start + 2 * P);
	EXPECT_TRUE(vma_is(mm, start - 2 * P, start + 2 * P, VM_RW_DEFAULT));
	/* vm_brk_flags (exec's bss): replaces what was mapped */
	EXPECT_EQ(vm_brk_flags(start + 5 * P, 2 * P, 0), 0);
	EXPECT_TRUE(vma_is(mm, start + 5 * P, start + 7 * P, VM_RW_DEFAULT));
	EXPECT_EQ(vm_brk_flags(start + 5 * P + 1, P, 0), -EINVAL);
	ktest_mm_leave(mm);
}

static struct ktest_case vma_cases[] = {
	KTEST_CASE(vma_mm_alloc_shares_kernel_half),
	KTEST_CASE(vma_use_mm_loads_the_tables),
	KTEST_CASE(vma_mmap_at_hint),
	KTEST_CASE(vma_mmap_top_down),
	KTEST_CASE(vma_mmap_fixed),
	KTEST_CASE(vma_munmap_splits_and_trims),
	KTEST_CASE(vma_merge_neighbours),
	KTEST_CASE(vma_file_merge_needs_contiguous_offsets),
	KTEST_CASE(vma_mprotect_splits_and_merges_back),
	KTEST_CASE(vma_mprotect_errors),
	KTEST_CASE(vma_mmap_errors),
	KTEST_CASE(vma_brk_grows_and_shrinks),
	{}
};

static struct ktest_suite vma_suite = {
	.name = "vma",
	.cases = vma_cases,
};
ktest_register_suite(vma_suite);
