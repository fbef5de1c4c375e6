/*
 * mm/mprotect.c - changing the permissions of a range of an address space
 * (Linux mm/mprotect.c; split_vma and vma_merge are mm/vma.c's, the PTE
 * rewrite itself, change_protection, is in mm/memory.c):
 *
 *   sys_mprotect -> do_mprotect      check start, len and prot; then for each
 *                                    VMA the range covers, in address order:
 *     mprotect_fixup                 split the VMA at start and end, set the
 *                                    new vm_flags and vm_page_prot, rewrite
 *                                    the PTEs, merge with equal neighbours
 *       change_protection            every PTE of the range: same frame,
 *                                    new protection, TLB flushed
 *
 * What it does to VMAs: exactly [start, end) gets the new VM_READ,
 * VM_WRITE and VM_EXEC; every other flag stays. A VMA that sticks out of
 * the range is split first, so one call can turn one VMA into three, and
 * the changed part merges back into a neighbour whose flags now match it
 * (mprotect back to the old permissions leaves one VMA again). A
 * permission can only be added if the VMA has its VM_MAY* bit (do_mmap
 * decided those: a MAP_SHARED mapping of a read-only file has no
 * VM_MAYWRITE). The range must be mapped throughout.
 *
 * What it does to PTEs: each present one keeps its frame, its accessed and
 * dirty bits, its mapcount and its reference; only the protection bits
 * change, to vm_get_page_prot(new flags). No page is allocated or freed
 * and rss does not move. PROT_NONE keeps the frame in a not-present
 * entry, so a later mprotect can give it back.
 *
 * The COW rule: protection_map never gives a private VMA writable PTEs,
 * so mprotect(PROT_READ | PROT_WRITE) on a private mapping leaves every
 * present page read-only. The first write to each still faults into
 * do_wp_page (mm/fault.c), which copies the page - or, for an anonymous
 * page nobody else holds, makes that PTE writable in place. A page shared
 * with a fork child or the page cache is therefore never written through
 * mprotect. Only a shared writable VMA gets writable PTEs here at once.
 *
 * Locking: do_mprotect takes mmap_lock for writing for the whole call;
 * change_protection takes page_table_lock for the PTEs.
 */
#include "mm/internal.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"

#define PROT_SEM 0x8  /* accepted by mprotect, means nothing on x86 */

/*
 * mprotect_fixup - Mirrors Linux mprotect_fixup(); leaves out accounting
 * and mlock. Gives [start, end) of @vma (inside it) the flags @newflags:
 * split off what lies outside, set the flags and the PTE protection, then
 * merge with equal neighbours. *@pprev becomes the VMA now covering the
 * range. 0 or -ENOMEM.
 */
static int mprotect_fixup(struct mm_struct *mm, struct vm_area_struct *vma,
			  struct vm_area_struct **pprev, unsigned long start, unsigned long end,
			  unsigned long newflags)
{
	int error;

	if (newflags == vma->vm_flags) {
		*pprev = vma;
		return 0;
	}
	if (start != vma->vm_start) {
		error = split_vma(mm, vma, start, 1);
		if (error)
			return error;
	}
	if (end != vma->vm_end) {
		error = split_vma(mm, vma, end, 0);
		if (error)
			return error;
	}
	vma->vm_flags = newflags;
	vma_set_page_prot(vma);
	change_protection(vma, start, end, vma->vm_page_prot);
	*pprev = vma_merge(mm, vma);
	return 0;
}

/*
 * do_mprotect - Mirrors Linux do_mprotect_pkey(); leaves out pkeys,
 * PROT_GROWSDOWN/UP and READ_IMPLIES_EXEC. Contract in mm/mm.h. Returns
 * 0, -EINVAL (unaligned start, unknown prot bits), -ENOMEM (a hole in the
 * range, or no memory to split), -EACCES (adding a permission the VMA may
 * not have: PROT_WRITE on a MAP_SHARED mapping of a read-only file). Like
 * Linux, the part before a hole has already been changed then.
 */
int do_mprotect(unsigned long start, unsigned long len, unsigned long prot)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma, *prev;
	unsigned long end, nstart, tmp;
	int error;

	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end <= start)
		return -ENOMEM;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;

	down_write(&mm->mmap_lock);
	vma = find_vma(mm, start);
	error = -ENOMEM;
	if (!vma || vma->vm_start > start)
		goto out;
	for (nstart = start;;) {
		unsigned long newflags = calc_vm_prot_bits(prot) |
					 (vma->vm_flags & ~(VM_READ | VM_WRITE | VM_EXEC));

		/* newflags >> 4 shifts VM_MAY* onto VM_*: each new permission needs its MAY. */
		if ((newflags & ~(newflags >> 4)) & (VM_READ | VM_WRITE | VM_EXEC)) {
			error = -EACCES;
			goto out;
		}
		tmp = min(vma->vm_end, end);
		error = mprotect_fixup(mm, vma, &prev, nstart, tmp, newflags);
		if (error)
			goto out;
		nstart = max(tmp, prev->vm_end);
		if (nstart >= end)
			goto out;
		vma = vma_next(prev);
		if (!vma || vma->vm_start != nstart) {
			error = -ENOMEM;
			goto out;
		}
	}
out:
	up_write(&mm->mmap_lock);
	return error;
}

/* mprotect(start, len, prot) - syscall 10. */
long sys_mprotect(SYSCALL_ARGS)
{
	return do_mprotect(a0, a1, a2);
}
