/*
 * mm/mmap.c - the system calls that map and unmap memory (Linux
 * mm/mmap.c, mm/util.c). The VMA list they change is mm/vma.c's;
 * mprotect is in mm/mprotect.c.
 *
 *   protection_map     VM_* flags into PTE protection (vm_get_page_prot)
 *   placement          get_unmapped_area: a hint if it is free, else the
 *                      highest gap below mm->mmap_base (top-down), else
 *                      above it
 *   mmap               sys_mmap -> ksys_mmap_pgoff -> vm_mmap_pgoff ->
 *                      do_mmap -> mmap_region
 *   munmap             sys_munmap -> do_munmap: split at the edges, zap the
 *                      pages, free the page tables, free the VMAs
 *   brk                sys_brk -> do_brk_flags / do_munmap
 *   exit               exit_mmap: everything
 *
 * Address-space layout of a process:
 *
 *   TASK_SIZE  +--------------------+
 *              | stack (grows down) |
 *              +--------------------+ mmap_base (TASK_UNMAPPED_BASE)
 *              | mmap area, filled  |
 *              | top-down           |
 *              |        ...         |
 *              | heap (brk, grows   |
 *              | up from start_brk) |
 *              | ELF data, bss      |
 *              | ELF text           |
 *   0x400000   +--------------------+
 *              nothing below MMAP_MIN_ADDR: a NULL pointer always faults
 *
 * Locking: every function here that changes VMAs runs with mmap_lock held
 * for writing. PTE work happens in memory.c under page_table_lock.
 */
#include "mm/internal.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscalls.h"


/*
 * LEGACY_MAP_MASK - the flags mmap() has always accepted, known or not
 * (MAP_DENYWRITE, MAP_LOCKED, MAP_STACK, ... are accepted and ignored here).
 * MAP_SHARED_VALIDATE of a file refuses anything else with -EOPNOTSUPP.
 */
#define LEGACY_MAP_MASK (MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | 0x0800 | \
			 0x1000 | 0x4000000 | MAP_GROWSDOWN | 0x2000 | MAP_NORESERVE | \
			 MAP_POPULATE | 0x10000 | 0x20000 | 0x40000)

/*
 * protection_map - Linux's table (arch/x86/mm/pgprot.c): the PTE
 * protection for each combination of READ, WRITE, EXEC, SHARED. A private
 * writable mapping maps read-only (PAGE_COPY): the first write faults and
 * gets its own page. Only a shared writable one maps writable. PROT_NONE
 * maps no access at all: the entry keeps its frame but is not present.
 */
#define PAGE_COPY      PAGE_READONLY
#define PAGE_COPY_EXEC PAGE_READONLY_EXEC

static const pgprot_t protection_map[16] = {
	[VM_NONE]                                    = PAGE_NONE,
	[VM_READ]                                    = PAGE_READONLY,
	[VM_WRITE]                                   = PAGE_COPY,
	[VM_WRITE | VM_READ]                         = PAGE_COPY,
	[VM_EXEC]                                    = PAGE_READONLY_EXEC,
	[VM_EXEC | VM_READ]                          = PAGE_READONLY_EXEC,
	[VM_EXEC | VM_WRITE]                         = PAGE_COPY_EXEC,
	[VM_EXEC | VM_WRITE | VM_READ]               = PAGE_COPY_EXEC,
	[VM_SHARED]                                  = PAGE_NONE,
	[VM_SHARED | VM_READ]                        = PAGE_READONLY,
	[VM_SHARED | VM_WRITE]                       = PAGE_SHARED,
	[VM_SHARED | VM_WRITE | VM_READ]             = PAGE_SHARED,
	[VM_SHARED | VM_EXEC]                        = PAGE_READONLY_EXEC,
	[VM_SHARED | VM_EXEC | VM_READ]              = PAGE_READONLY_EXEC,
	[VM_SHARED | VM_EXEC | VM_WRITE]             = PAGE_SHARED_EXEC,
	[VM_SHARED | VM_EXEC | VM_WRITE | VM_READ]   = PAGE_SHARED_EXEC,
};

pgprot_t vm_get_page_prot(unsigned long vm_flags)
{
	return protection_map[vm_flags & (VM_READ | VM_WRITE | VM_EXEC | VM_SHARED)];
}

/* calc_vm_flag_bits - MAP_* into VM_* (Linux mman.h; calc_vm_prot_bits is in internal.h). */
static unsigned long calc_vm_flag_bits(unsigned long flags)
{
	return flags & MAP_GROWSDOWN ? VM_GROWSDOWN : 0;
}

/* ---- placement ---- */

/*
 * unmapped_area_topdown - Mirrors Linux unmapped_area_topdown() (a list
 * walk instead of the gap tree): the highest @len-byte gap inside
 * [low, high). -ENOMEM if none.
 */
static unsigned long unmapped_area_topdown(struct mm_struct *mm, unsigned long len,
					   unsigned long low, unsigned long high)
{
	struct list_head *pos;
	unsigned long gap_end = high;

	if (high < low || high - low < len)
		return -ENOMEM;
	/* Walk down from the highest VMA; each one closes the gap above it. */
	for (pos = mm->mmap.prev; ; pos = pos->prev) {
		unsigned long gap_start = low, top;

		if (pos != &mm->mmap)
			gap_start = max(list_entry(pos, struct vm_area_struct, vm_list)->vm_end, low);
		top = min(gap_end, high);
		if (top >= gap_start && top - gap_start >= len)
			return top - len;
		if (pos == &mm->mmap || gap_start <= low)
			return -ENOMEM;
		gap_end = list_entry(pos, struct vm_area_struct, vm_list)->vm_start;
	}
}

/* unmapped_area - the lowest @len-byte gap inside [low, high), or -ENOMEM. */
static unsigned long unmapped_area(struct mm_struct *mm, unsigned long len,
				   unsigned long low, unsigned long high)
{
	struct vm_area_struct *vma;
	unsigned long gap_start = low;

	list_for_each_entry(vma, &mm->mmap, vm_list) {
		if (vma->vm_end <= gap_start)
			continue;
		if (vma->vm_start >= gap_start + len && gap_start + len <= high)
			return gap_start;
		gap_start = vma->vm_end;
	}
	return gap_start + len <= high ? gap_start : (unsigned long)-ENOMEM;
}

/*
 * get_unmapped_area - Mirrors Linux get_unmapped_area() ->
 * arch_get_unmapped_area_topdown(); leaves out file ->get_unmapped_area,
 * THP alignment and the stack guard gap. Where a @len-byte mapping goes:
 *   MAP_FIXED: @addr itself (page-aligned, inside user space)
 *   a hint:    @addr rounded to a page, if that range is free
 *   else:      the highest free range below mm->mmap_base, else the
 *              lowest one above it
 * Returns the address, -ENOMEM or -EINVAL.
 */
static unsigned long get_unmapped_area(struct mm_struct *mm, unsigned long addr,
				       unsigned long len, unsigned long flags)
{
	unsigned long ret;

	if (len > TASK_SIZE - MMAP_MIN_ADDR)
		return -ENOMEM;
	if (flags & MAP_FIXED) {
		if (addr & ~PAGE_MASK)
			return -EINVAL;
		if (addr > TASK_SIZE - len)
			return -ENOMEM;
		return addr;
	}
	if (addr) {
		addr = PAGE_ALIGN(addr);
		if (addr >= MMAP_MIN_ADDR && addr <= TASK_SIZE - len &&
		    !find_vma_intersection(mm, addr, addr + len))
			return addr;
	}
	ret = unmapped_area_topdown(mm, len, MMAP_MIN_ADDR, mm->mmap_base);
	if (IS_ERR_VALUE(ret))  /* the area below mmap_base is full: try above it */
		ret = unmapped_area(mm, len, mm->mmap_base, TASK_SIZE);
	return ret;
}

/* ---- mmap ---- */

/* dummy_vm_ops - for a file whose ->mmap set no vm_ops (Linux's, too). */
static const struct vm_operations_struct dummy_vm_ops;

/*
 * vma_alloc_range - a new VMA of @mm for [start, end) with @vm_flags and
 * @pgoff, vm_page_prot set to match, not linked (mmap_region and
 * do_brk_flags link it). NULL if @mm already has DEFAULT_MAX_MAP_COUNT
 * VMAs, or on ENOMEM.
 */
static struct vm_area_struct *vma_alloc_range(struct mm_struct *mm, unsigned long start,
					      unsigned long end, unsigned long vm_flags,
					      unsigned long pgoff)
{
	struct vm_area_struct *vma;

	if (mm->map_count >= DEFAULT_MAX_MAP_COUNT)
		return NULL;
	vma = vm_area_alloc(mm);
	if (!vma)
		return NULL;
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_flags = vm_flags;
	vma->vm_pgoff = pgoff;
	vma_set_page_prot(vma);
	return vma;
}

/*
 * mmap_region - Mirrors Linux mmap_region(); leaves out accounting,
 * mlock, uffd and the merge-before-allocate shortcut. Maps
 * [addr, addr+len) with @vm_flags: whatever was there goes first
 * (MAP_FIXED), then a new VMA is set up - the file's ->mmap, or shared
 * anonymous memory, or plain anonymous memory - linked and merged with
 * its neighbours. Returns @addr or -errno.
 */
static unsigned long mmap_region(struct mm_struct *mm, struct file *file, unsigned long addr,
				 unsigned long len, unsigned long vm_flags, unsigned long pgoff)
{
	struct vm_area_struct *vma;
	int error;

	/* Clear old maps (MAP_FIXED over existing ones). */
	if (do_munmap(mm, addr, len))
		return -ENOMEM;
	vma = vma_alloc_range(mm, addr, addr + len, vm_flags, pgoff);
	if (!vma)
		return -ENOMEM;

	if (file) {
		vma->vm_file = get_file(file);
		error = file->f_op->mmap(file, vma);
		if (error)
			goto unmap_and_free_vma;
		BUG_ON(vma->vm_start != addr || vma->vm_end != addr + len);
		if (!vma->vm_ops)  /* not anonymous memory: faults get SIGBUS */
			vma->vm_ops = &dummy_vm_ops;
	} else if (vm_flags & VM_SHARED) {
		error = shmem_zero_setup(vma);
		if (error)
			goto free_vma;
	}
	vma_set_page_prot(vma);  /* ->mmap may have changed the flags */
	vma_link(mm, vma);
	mm->total_vm += len >> PAGE_SHIFT;
	vma_merge(mm, vma);
	return addr;

unmap_and_free_vma:
	fput(vma->vm_file);
free_vma:
	vm_area_free(vma);
	return error;
}

/*
 * do_mmap - Mirrors Linux do_mmap(); leaves out hugetlb, MAP_LOCKED,
 * personality (READ_IMPLIES_EXEC) and security hooks. Contract in
 * mm/mm.h; current->mm, mmap_lock held for writing. The VM_MAY* bits say
 * what mprotect may add later: all of them, except that a MAP_SHARED
 * mapping of a file opened read-only loses VM_MAYWRITE (and VM_SHARED:
 * it can never write, so it behaves as private).
 */
unsigned long do_mmap(struct file *file, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags, unsigned long pgoff)
{
	struct mm_struct *mm = current->mm;
	unsigned long vm_flags;

	if (!len)
		return -EINVAL;
	if (!(flags & MAP_FIXED) && addr && addr < MMAP_MIN_ADDR)
		addr = MMAP_MIN_ADDR;  /* round_hint_to_min() */
	len = PAGE_ALIGN(len);
	if (!len)
		return -ENOMEM;
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	if (mm->map_count > DEFAULT_MAX_MAP_COUNT)
		return -ENOMEM;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;

	addr = get_unmapped_area(mm, addr, len, flags);
	if (IS_ERR_VALUE(addr))
		return addr;
	if (addr < MMAP_MIN_ADDR)
		return -EPERM;  /* security_mmap_addr() */
	if ((flags & MAP_FIXED_NOREPLACE) && find_vma_intersection(mm, addr, addr + len))
		return -EEXIST;

	vm_flags = calc_vm_prot_bits(prot) | calc_vm_flag_bits(flags) |
		   VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	if (file) {
		switch (flags & MAP_TYPE) {
		case MAP_SHARED_VALIDATE:
			if (flags & ~LEGACY_MAP_MASK)
				return -EOPNOTSUPP;
			/* fall through */
		case MAP_SHARED:
			if ((prot & PROT_WRITE) && !(file->f_mode & FMODE_WRITE))
				return -EACCES;
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			if (!(file->f_mode & FMODE_WRITE))
				vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
			/* fall through */
		case MAP_PRIVATE:
			if (!(file->f_mode & FMODE_READ))
				return -EACCES;
			if (!file->f_op || !file->f_op->mmap)
				return -ENODEV;
			if (vm_flags & VM_GROWSDOWN)
				return -EINVAL;
			break;
		default:
			return -EINVAL;
		}
	} else {
		switch (flags & MAP_TYPE) {
		case MAP_SHARED:
		case MAP_SHARED_VALIDATE:
			if (vm_flags & VM_GROWSDOWN)
				return -EINVAL;
			pgoff = 0;
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			break;
		case MAP_PRIVATE:
			pgoff = addr >> PAGE_SHIFT;  /* anonymous: the address, in pages */
			break;
		default:
			return -EINVAL;
		}
	}
	return mmap_region(mm, file, addr, len, vm_flags, pgoff);
}

/*
 * vm_mmap_pgoff - Mirrors Linux vm_mmap_pgoff(): do_mmap under mmap_lock,
 * then MAP_POPULATE's prefault without the write lock.
 */
static unsigned long vm_mmap_pgoff(struct file *file, unsigned long addr, unsigned long len,
				   unsigned long prot, unsigned long flags, unsigned long pgoff)
{
	struct mm_struct *mm = current->mm;
	unsigned long ret;

	down_write(&mm->mmap_lock);
	ret = do_mmap(file, addr, len, prot, flags, pgoff);
	up_write(&mm->mmap_lock);
	if (!IS_ERR_VALUE(ret) && (flags & MAP_POPULATE))
		mm_populate(ret, len);
	return ret;
}

/*
 * vm_mmap - see mm/mm.h. Note: takes a page offset, where Linux's vm_mmap
 * takes bytes (it is Linux's vm_mmap_pgoff under the name exec uses).
 */
unsigned long vm_mmap(struct file *file, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags, unsigned long pgoff)
{
	return vm_mmap_pgoff(file, addr, len, prot, flags, pgoff);
}

/*
 * mm_populate - Mirrors Linux __mm_populate() -> populate_vma_page_range();
 * leaves out GUP. Faults in each page of the range that is not mapped yet
 * (for a private writable VMA: writable, i.e. its own page). Errors are
 * ignored, as for MAP_POPULATE in Linux.
 */
void mm_populate(unsigned long start, unsigned long len)
{
	struct mm_struct *mm = current->mm;
	unsigned long addr, end = start + PAGE_ALIGN(len);

	down_read(&mm->mmap_lock);
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		struct vm_area_struct *vma = find_vma(mm, addr);
		unsigned int flags = 0;
		pte_t *pte;
		vm_fault_t ret;

		if (!vma || vma->vm_start >= end)
			break;
		if (vma->vm_start > addr)
			addr = vma->vm_start;
		if (!(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC))) {
			addr = vma->vm_end - PAGE_SIZE;  /* PROT_NONE: skip the VMA */
			continue;
		}
		if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE)
			flags |= FAULT_FLAG_WRITE;
		pte = page_walk(mm->pgd, addr, false);
		if (pte && pte_present(ptep_get(pte)) &&
		    (!(flags & FAULT_FLAG_WRITE) || pte_write(ptep_get(pte))))
			continue;
		ret = handle_mm_fault(vma, addr, flags, NULL);
		if (ret & VM_FAULT_RETRY)
			down_read(&mm->mmap_lock);
		if (ret & VM_FAULT_ERROR)
			break;
	}
	up_read(&mm->mmap_lock);
}

/* ---- munmap ---- */

/*
 * unmap_region - Mirrors Linux unmap_region(): zap the pages of the VMAs
 * on @list (already taken out of the mm, in address order), then free the
 * page tables only they used: those inside the gap between the VMA below
 * them (@prev, or none) and the one above (@next, or none).
 */
static void unmap_region(struct mm_struct *mm, struct list_head *list,
			 struct vm_area_struct *prev, struct vm_area_struct *next)
{
	struct vm_area_struct *vma;

	list_for_each_entry(vma, list, vm_list)
		zap_page_range(vma, vma->vm_start, vma->vm_end - vma->vm_start);
	free_pgtables(mm, list, prev ? prev->vm_end : 0,
		      next ? next->vm_start : USER_PGTABLES_CEILING);
}

/*
 * do_munmap - Mirrors Linux __do_munmap(); leaves out uffd unmap events,
 * mlock and the downgrade of mmap_lock. Contract in mm/mm.h. A range with
 * nothing mapped is not an error. The VMAs at the edges are split so that
 * exactly [start, end) goes: their pages (rss, mapcount, references),
 * then the empty page tables, then the VMAs (->close, file reference).
 * Returns 0, -EINVAL (unaligned, empty or outside user space), -ENOMEM (a
 * split failed; the range may then be partly split but nothing unmapped).
 */
int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	struct vm_area_struct *vma, *last, *tmp;
	unsigned long end;
	LIST_HEAD(detached);

	if ((start & ~PAGE_MASK) || start > TASK_SIZE || len > TASK_SIZE - start)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (len == 0)
		return -EINVAL;

	vma = find_vma(mm, start);
	if (!vma || vma->vm_start >= end)
		return 0;
	if (start > vma->vm_start && split_vma(mm, vma, start, 0))
		return -ENOMEM;
	last = find_vma(mm, end);
	if (last && end > last->vm_start && split_vma(mm, last, end, 1))
		return -ENOMEM;

	/* Detach the VMAs now exactly inside [start, end). */
	vma = find_vma(mm, start);
	while (vma && vma->vm_start < end) {
		tmp = vma_next(vma);
		vma_unlink(mm, vma);
		list_add_tail(&vma->vm_list, &detached);
		mm->total_vm -= vma_pages(vma);
		vma = tmp;
	}
	/* The neighbours of the gap: the VMA after it, and the one before that. */
	vma = find_vma(mm, start);
	last = vma ? vma_prev(vma) :
	       list_empty(&mm->mmap) ? NULL : list_last_entry(&mm->mmap, struct vm_area_struct, vm_list);
	unmap_region(mm, &detached, last, vma);
	list_for_each_entry_safe(vma, tmp, &detached, vm_list) {
		list_del(&vma->vm_list);
		remove_vma(vma);
	}
	return 0;
}

int vm_munmap(unsigned long start, unsigned long len)
{
	struct mm_struct *mm = current->mm;
	int ret;

	down_write(&mm->mmap_lock);
	ret = do_munmap(mm, start, len);
	up_write(&mm->mmap_lock);
	return ret;
}

/* ---- brk ---- */

#define VM_DATA_DEFAULT_FLAGS (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)

/*
 * do_brk_flags - Mirrors Linux do_brk_flags(); leaves out accounting and
 * mlock. Anonymous memory at [addr, addr+len), which must be free,
 * extending the VMA just below if it can. mmap_lock held for writing.
 */
static int do_brk_flags(struct mm_struct *mm, unsigned long addr, unsigned long len,
			unsigned long flags)
{
	struct vm_area_struct *vma;

	if (addr & ~PAGE_MASK || (flags & ~VM_EXEC))
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!len)
		return 0;
	if (addr < MMAP_MIN_ADDR || addr > TASK_SIZE || len > TASK_SIZE - addr)
		return -ENOMEM;
	if (find_vma_intersection(mm, addr, addr + len))
		return -ENOMEM;
	vma = vma_alloc_range(mm, addr, addr + len, flags | VM_DATA_DEFAULT_FLAGS,
			      addr >> PAGE_SHIFT);
	if (!vma)
		return -ENOMEM;
	vma_link(mm, vma);
	mm->total_vm += len >> PAGE_SHIFT;
	vma_merge(mm, vma);
	return 0;
}

/*
 * vm_brk_flags - Mirrors Linux vm_brk_flags(): what was mapped in the
 * range goes first (as with MAP_FIXED), then do_brk_flags().
 */
int vm_brk_flags(unsigned long addr, unsigned long len, unsigned long flags)
{
	struct mm_struct *mm = current->mm;
	int ret;

	if (!PAGE_ALIGN(len))
		return len ? -ENOMEM : 0;
	down_write(&mm->mmap_lock);
	ret = do_munmap(mm, addr, PAGE_ALIGN(len));
	if (!ret)
		ret = do_brk_flags(mm, addr, len, flags);
	up_write(&mm->mmap_lock);
	return ret;
}

/*
 * sys_brk - Mirrors Linux brk(2) (SYSCALL_DEFINE1(brk)); leaves out
 * RLIMIT_DATA, randomization and the stack guard gap. Moves the end of the
 * heap to @brk and returns the new end; on any failure (below start_brk,
 * into another mapping, no memory) returns the current end unchanged.
 * brk(0) asks for the current end. Shrinking unmaps (and frees) the pages
 * above the new end.
 */
long sys_brk(SYSCALL_ARGS)
{
	struct mm_struct *mm = current->mm;
	unsigned long brk = a0, newbrk, oldbrk, origbrk;
	struct vm_area_struct *next;

	down_write(&mm->mmap_lock);
	origbrk = mm->brk;
	if (brk < mm->start_brk)
		goto out;
	newbrk = PAGE_ALIGN(brk);
	oldbrk = PAGE_ALIGN(mm->brk);
	if (oldbrk == newbrk) {
		mm->brk = brk;
		goto success;
	}
	if (brk <= mm->brk) {  /* shrink: always allowed */
		if (do_munmap(mm, newbrk, oldbrk - newbrk))
			goto out;
		mm->brk = brk;
		goto success;
	}
	/* Grow: not into the next mapping, and keep a guard page before it. */
	next = find_vma(mm, oldbrk);
	if (next && newbrk + PAGE_SIZE > next->vm_start)
		goto out;
	if (do_brk_flags(mm, oldbrk, newbrk - oldbrk, 0) < 0)
		goto out;
	mm->brk = brk;
success:
	up_write(&mm->mmap_lock);
	return brk;
out:
	up_write(&mm->mmap_lock);
	return origbrk;
}

/* ---- the system calls ---- */

/*
 * ksys_mmap_pgoff - Mirrors Linux ksys_mmap_pgoff(); leaves out hugetlb.
 * A file mapping takes its own reference on the file (the VMA's), so the
 * one fget() gave is dropped at the end.
 */
static long ksys_mmap_pgoff(unsigned long addr, unsigned long len, unsigned long prot,
			    unsigned long flags, int fd, unsigned long pgoff)
{
	struct file *file = NULL;
	unsigned long ret;

	if (!(flags & MAP_ANONYMOUS)) {
		file = fget(fd);
		if (!file)
			return -EBADF;
	}
	ret = vm_mmap_pgoff(file, addr, len, prot, flags, pgoff);
	if (file)
		fput(file);
	return ret;
}

/* mmap(addr, len, prot, flags, fd, off) - x86-64 syscall 9. @off must be page-aligned. */
long sys_mmap(SYSCALL_ARGS)
{
	unsigned long off = a5;

	if (off & ~PAGE_MASK)
		return -EINVAL;
	return ksys_mmap_pgoff(a0, a1, a2, a3, (int)a4, off >> PAGE_SHIFT);
}

/* munmap(addr, len) - syscall 11. */
long sys_munmap(SYSCALL_ARGS)
{
	return vm_munmap(a0, a1);
}

/* ---- the end ---- */

/*
 * exit_mmap - Mirrors Linux exit_mmap(); leaves out mmu notifiers, oom
 * reaping and accounting. The last user is gone: zap every VMA's pages,
 * free all user page tables, free the VMAs. The mm must not be loaded in
 * CR3 (mmput sees to that).
 */
void exit_mmap(struct mm_struct *mm)
{
	struct vm_area_struct *vma, *tmp;

	down_write(&mm->mmap_lock);
	list_for_each_entry(vma, &mm->mmap, vm_list)
		zap_page_range(vma, vma->vm_start, vma->vm_end - vma->vm_start);
	free_pgtables(mm, &mm->mmap, 0, USER_PGTABLES_CEILING);
	list_for_each_entry_safe(vma, tmp, &mm->mmap, vm_list) {
		vma_unlink(mm, vma);
		remove_vma(vma);
	}
	mm->total_vm = 0;
	up_write(&mm->mmap_lock);
}
