/*
 * mm/vma.c - the VMAs of an address space as objects and as a list
 * (Linux mm/vma.c, and vm_area_alloc & co. from kernel/fork.c). The
 * system calls that use them are in mm/mmap.c and mm/mprotect.c:
 *
 *   objects      vm_area_alloc, vm_area_dup, vm_area_free, remove_vma
 *   the list     find_vma, find_vma_intersection, vma_link, vma_unlink
 *   reshaping    split_vma: one VMA becomes two (munmap, mprotect)
 *                vma_merge: a VMA absorbs equal neighbours (mmap, brk,
 *                mprotect)
 *
 * The VMAs of an mm are a list sorted by address (mm->mmap, vma->vm_list),
 * never overlapping. Linux uses a maple tree; a list walk is O(n) and fine
 * for the few dozen VMAs a process here has.
 *
 * Nothing here touches a PTE: a split or merge only moves VMA boundaries,
 * and the pages stay mapped where they are.
 *
 * Locking: every function here that changes the list runs with mmap_lock
 * held for writing; find_vma needs it at least for reading.
 */
#include "mm/internal.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/printk.h"
#include "mm/slab.h"

/* ---- VMA objects ---- */

/* vm_area_alloc - a zeroed VMA of @mm, not linked anywhere. NULL on ENOMEM. */
struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma = kzalloc(sizeof(*vma), GFP_KERNEL);

	if (vma) {
		vma->vm_mm = mm;
		INIT_LIST_HEAD(&vma->vm_list);
	}
	return vma;
}

/* vm_area_dup - a copy of @orig, not linked, no references taken (callers do). */
struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig)
{
	struct vm_area_struct *new = kmalloc(sizeof(*new), GFP_KERNEL);

	if (new) {
		*new = *orig;
		INIT_LIST_HEAD(&new->vm_list);
	}
	return new;
}

void vm_area_free(struct vm_area_struct *vma)
{
	kfree(vma);
}

/* ---- finding VMAs ---- */

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	list_for_each_entry(vma, &mm->mmap, vm_list)
		if (vma->vm_end > addr)
			return vma;
	return NULL;
}

struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
					     unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	return vma && vma->vm_start < end ? vma : NULL;
}

/* vma_link - put @vma into its mm's sorted list. It must not overlap anything. */
void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *next = find_vma(mm, vma->vm_start);

	BUG_ON(next && next->vm_start < vma->vm_end);
	list_add_tail(&vma->vm_list, next ? &next->vm_list : &mm->mmap);
	mm->map_count++;
}

/* vma_unlink - take @vma out of its mm's list; it is not freed (remove_vma does that). */
void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma)
{
	list_del_init(&vma->vm_list);
	mm->map_count--;
}

/* remove_vma - Mirrors Linux remove_vma(): ->close, the file reference, the VMA. */
void remove_vma(struct vm_area_struct *vma)
{
	if (vma->vm_ops && vma->vm_ops->close)
		vma->vm_ops->close(vma);
	if (vma->vm_file)
		fput(vma->vm_file);
	vm_area_free(vma);
}

/*
 * split_vma - Mirrors Linux __split_vma(); leaves out mempolicy and
 * anon_vma cloning. Cuts @vma at @addr (page-aligned, strictly inside)
 * into two VMAs with the same backing; with @new_below the new VMA is the
 * lower part and @vma keeps the upper one, else the other way round. The
 * file offset of the upper part moves with it. 0 or -ENOMEM (too many
 * VMAs, or no memory), with nothing changed.
 */
int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr,
	      int new_below)
{
	struct vm_area_struct *new;

	if (mm->map_count >= DEFAULT_MAX_MAP_COUNT)
		return -ENOMEM;
	new = vm_area_dup(vma);
	if (!new)
		return -ENOMEM;
	if (new_below) {
		new->vm_end = addr;
		vma->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
		vma->vm_start = addr;
	} else {
		new->vm_start = addr;
		new->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
		vma->vm_end = addr;
	}
	if (new->vm_file)
		get_file(new->vm_file);
	if (new->vm_ops && new->vm_ops->open)
		new->vm_ops->open(new);
	vma_link(mm, new);
	return 0;
}

/*
 * can_vma_merge - may @a and the VMA @b right after it become one? The
 * same flags, file, vm_ops and uffd context, and one continuous stretch of
 * the backing (file offsets; anonymous VMAs count vm_start in pages, as
 * Linux does, so they always match).
 */
static bool can_vma_merge(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && a->vm_flags == b->vm_flags &&
	       a->vm_file == b->vm_file && a->vm_ops == b->vm_ops &&
	       a->vm_private_data == b->vm_private_data &&
	       a->vm_userfaultfd_ctx == b->vm_userfaultfd_ctx &&
	       b->vm_pgoff == a->vm_pgoff + vma_pages(a);
}

/*
 * vma_merge - Mirrors the idea of Linux vma_merge() (whose 8 cases come
 * from merging before the new VMA exists); here the VMA is already in
 * place and absorbs its neighbours. Returns the VMA that now covers
 * @vma's range (@vma or its predecessor).
 */
struct vm_area_struct *vma_merge(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *next = vma_next(vma), *prev = vma_prev(vma);

	if (next && can_vma_merge(vma, next)) {
		vma->vm_end = next->vm_end;
		vma->has_anon_pages |= next->has_anon_pages;
		vma_unlink(mm, next);
		remove_vma(next);
	}
	if (prev && can_vma_merge(prev, vma)) {
		prev->vm_end = vma->vm_end;
		prev->has_anon_pages |= vma->has_anon_pages;
		vma_unlink(mm, vma);
		remove_vma(vma);
		vma = prev;
	}
	return vma;
}
