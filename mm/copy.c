/*
 * mm/copy.c - fork's copy of the page tables (Linux mm/memory.c,
 * copy_page_range and below):
 *
 *   dup_mmap (mm_core.c), per VMA
 *     copy_page_range(dst_vma, src_vma)     skip VMAs that need no copy
 *       copy_pud_range -> copy_pmd_range    allocate the child's tables;
 *                                           skip empty source tables untouched
 *         copy_pte_range                    both page-table locks; every 32
 *                                           "progress" units let others run
 *           copy_present_pte                one PTE:
 *
 *   parent PTE            child PTE                    the page
 *   ------------------    -------------------------    -----------------------------
 *   private, writable     read-only, old               get_page, mapcount++, child rss++
 *     -> made read-only     (both COW now: the first write copies, or reuses
 *                            once the refcount is back to 1 - do_wp_page)
 *   private, read-only    read-only, old               get_page, mapcount++, child rss++
 *   shared                same permissions, old, clean get_page, mapcount++, child rss++
 *   the zero page         the zero page, old           nothing: it is not counted
 *   a PTE marker          the marker if the child's    nothing: a marker holds no page
 *   (uffd-wp)             VMA is WP-registered (EVENT_FORK), else none
 *
 * The uffd-wp bit of a present PTE, too, goes to the child only where its
 * VMA is still registered for WP; without UFFD_FEATURE_EVENT_FORK the
 * child forgets every protection (copy_pte_marker, copy_present_pte).
 *
 * After all VMAs, dup_mmap flushes the parent's TLB: its PTEs lost write
 * permission and the CPU may still hold the writable translations.
 *
 * Locking: dup_mmap holds both mmap_locks for writing, so no fault or
 * munmap changes either mm. The page-table locks are taken child first,
 * then parent (the child is not visible to anyone yet, so this order
 * cannot deadlock against a fault in the parent).
 */
#include "mm/internal.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "mm/userfaultfd_k.h"

/*
 * vma_needs_copy - Mirrors Linux vma_needs_copy(). A file VMA without
 * private (anonymous) pages is left to fault in again in the child, from
 * the page cache. Everything else is copied: private anonymous memory,
 * file VMAs holding COW copies, and - unlike Linux, which backs it with a
 * shmem file and refaults it - shared anonymous memory, whose PTEs keep
 * their write permission in both. (Linux copies shmem PTEs too when the
 * child's VMA stays registered for uffd-wp, to keep the protection; the
 * copy does that here for every shared VMA.)
 */
static bool vma_needs_copy(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma)
{
	(void)dst_vma;
	if (!src_vma->vm_file)
		return true;
	return src_vma->has_anon_pages;
}

/*
 * What copying a PTE needs to know of the two VMAs, worked out once per
 * PTE table rather than once per PTE (small enough to live in registers).
 */
struct copy_ctx {
	struct vm_area_struct *src_vma;
	bool cow;                        /* is_cow_mapping(): write-protect both */
	u64 child_clear;                 /* flags the child's copy drops, see below */
	int rss_kind;                    /* the rss counter of every page here, or -1 */
};

/*
 * copy_present_pte - Mirrors Linux copy_present_pte(); leaves out pinned
 * pages (page_needs_cow_for_dma). Both page-table locks held. Copies @pte,
 * the value of *@src_pte (present or PROT_NONE), into the empty *@dst_pte
 * (see the table at the top of the file) and counts the page in @rss.
 */
static inline void copy_present_pte(const struct copy_ctx *c, int *rss, pte_t *dst_pte,
				    pte_t *src_pte, pte_t pte, unsigned long addr)
{
	struct page *page = vm_normal_page(c->src_vma, addr, pte);

	if (page) {
		get_page(page);
		page_dup_rmap(page);
		rss[c->rss_kind >= 0 ? c->rss_kind : mm_counter(page)]++;
	}
	/* A COW mapping: write-protect the parent's PTE and the child's copy. */
	if (c->cow && pte_write(pte)) {
		ptep_set_wrprotect(src_pte);
		pte = pte_wrprotect(pte);
	}
	set_pte(dst_pte, pte_clear_flags(pte, c->child_clear));
}

/*
 * copy_pte_marker - Mirrors Linux copy_pte_marker(): the markers of @pte
 * the child keeps - PTE_MARKER_UFFD_WP only in a VMA registered for WP.
 * 0: the child's PTE stays none.
 */
static pte_marker copy_pte_marker(pte_t pte, struct vm_area_struct *dst_vma)
{
	pte_marker srcm = pte_marker_get(pte), dstm = 0;

	if ((srcm & PTE_MARKER_UFFD_WP) && userfaultfd_wp(dst_vma))
		dstm |= PTE_MARKER_UFFD_WP;
	return dstm;
}

/*
 * copy_pte_range - Mirrors Linux copy_pte_range(); leaves out swap and
 * device entries and the pre-allocated page for pinned pages. Copies the
 * PTEs of [addr, end) (within one PTE table). Every 32 units of progress
 * (1 per empty PTE, 8 per copied one) it checks need_resched(); if set it
 * drops both locks, lets others run and resumes where it stopped (each
 * time others did run counts in vm_events.fork_resched). Returns 0 or -ENOMEM (the child's PTE table could not be allocated;
 * what was copied so far stays consistent).
 */
static int copy_pte_range(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma,
			  pmd_t *dst_pmd, pmd_t *src_pmd, unsigned long addr, unsigned long end)
{
	struct mm_struct *dst_mm = dst_vma->vm_mm, *src_mm = src_vma->vm_mm;
	const struct copy_ctx c = {
		.src_vma = src_vma,
		.cow = is_cow_mapping(src_vma->vm_flags),
		/*
		 * The child's copy is old (not accessed yet); clean in a shared
		 * mapping (the child has not written the page); without the
		 * uffd-wp bit unless the child's VMA is registered for WP.
		 */
		.child_clear = _PAGE_ACCESSED |
			       (src_vma->vm_flags & VM_SHARED ? _PAGE_DIRTY : 0) |
			       (userfaultfd_wp(dst_vma) ? 0 : _PAGE_UFFD_WP),
		/* private anonymous memory holds only anonymous pages */
		.rss_kind = vma_is_anonymous(src_vma) && !(src_vma->vm_flags & VM_SHARED) ?
			    MM_ANONPAGES : -1,
	};
	int rss[NR_MM_COUNTERS] = { 0 };
	unsigned long copied = 0;
	pte_t *dst_pte, *src_pte;
	int progress;

again:
	progress = 0;
	spin_lock(&dst_mm->page_table_lock);
	dst_pte = mm_pte_alloc(dst_mm, dst_pmd, addr);
	if (!dst_pte) {
		spin_unlock(&dst_mm->page_table_lock);
		return -ENOMEM;
	}
	spin_lock(&src_mm->page_table_lock);
	src_pte = pte_offset_kernel(src_pmd, addr);
	do {
		/* Let others run now and then, but only after some real work. */
		if (progress >= 32) {
			progress = 0;
			if (need_resched())
				break;
		}
		pte_t pte = ptep_get(src_pte);

		if (pte_none(pte)) {
			progress++;
			continue;
		}
		if (is_pte_marker(pte)) {        /* copy_nonpresent_pte()'s marker case */
			pte_marker marker = copy_pte_marker(pte, dst_vma);

			if (marker)
				set_pte(dst_pte, make_pte_marker(marker));
			progress++;
			continue;
		}
		/* present, or a PROT_NONE entry: either way it maps a frame */
		copy_present_pte(&c, rss, dst_pte, src_pte, pte, addr);
		copied++;
		progress += 8;
	} while (dst_pte++, src_pte++, addr += PAGE_SIZE, addr != end);
	/* The counts, once per table (Linux's add_mm_rss_vec). */
	for (int i = 0; i < NR_MM_COUNTERS; i++) {
		dst_mm->rss[i] += rss[i];
		rss[i] = 0;
	}
	count_vm_events(fork_pte_copy, copied);
	copied = 0;
	spin_unlock(&src_mm->page_table_lock);
	spin_unlock(&dst_mm->page_table_lock);
	if (cond_resched())
		count_vm_event(fork_resched);
	if (addr != end)
		goto again;
	return 0;
}

/* copy_pmd_range - Mirrors Linux copy_pmd_range(); no THP. Empty source entries are skipped. */
static int copy_pmd_range(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma,
			  pud_t *dst_pud, pud_t *src_pud, unsigned long addr, unsigned long end)
{
	struct mm_struct *dst_mm = dst_vma->vm_mm;
	pmd_t *src_pmd = pmd_offset(src_pud, addr), *dst_pmd;
	unsigned long next;

	spin_lock(&dst_mm->page_table_lock);
	dst_pmd = mm_pmd_alloc(dst_mm, dst_pud, addr);
	spin_unlock(&dst_mm->page_table_lock);
	if (!dst_pmd)
		return -ENOMEM;
	do {
		next = pmd_addr_end(addr, end);
		if (pmd_none(*src_pmd) || pmd_leaf(*src_pmd))
			continue;
		if (copy_pte_range(dst_vma, src_vma, dst_pmd, src_pmd, addr, next))
			return -ENOMEM;
	} while (dst_pmd++, src_pmd++, addr = next, addr != end);
	return 0;
}

/* copy_pud_range - Mirrors Linux copy_pud_range(); no huge PUDs, p4d folded away. */
static int copy_pud_range(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma,
			  pgd_t *dst_pgd, pgd_t *src_pgd, unsigned long addr, unsigned long end)
{
	struct mm_struct *dst_mm = dst_vma->vm_mm;
	pud_t *src_pud = pud_offset(src_pgd, addr), *dst_pud;
	unsigned long next;

	spin_lock(&dst_mm->page_table_lock);
	dst_pud = mm_pud_alloc(dst_mm, dst_pgd, addr);
	spin_unlock(&dst_mm->page_table_lock);
	if (!dst_pud)
		return -ENOMEM;
	do {
		next = pud_addr_end(addr, end);
		if (pud_none(*src_pud) || pud_leaf(*src_pud))
			continue;
		if (copy_pmd_range(dst_vma, src_vma, dst_pud, src_pud, addr, next))
			return -ENOMEM;
	} while (dst_pud++, src_pud++, addr = next, addr != end);
	return 0;
}

/*
 * copy_page_range - Mirrors Linux copy_page_range(); leaves out hugetlb,
 * PFN maps and mmu notifiers. Copies the PTEs of @src_vma (parent) into
 * the same range of @dst_vma (child, already linked into its mm). Entry:
 * both mmap_locks held for writing. Returns 0 or -ENOMEM; on -ENOMEM the
 * child holds a consistent prefix (every PTE it has is counted), which
 * mmput() tears down, and the parent may have PTEs write-protected -
 * harmless, a write fault reuses the page.
 */
int copy_page_range(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma)
{
	unsigned long addr = src_vma->vm_start, end = src_vma->vm_end, next;
	pgd_t *src_pgd = pgd_offset_pgd(src_vma->vm_mm->pgd, addr);
	pgd_t *dst_pgd = pgd_offset_pgd(dst_vma->vm_mm->pgd, addr);

	if (!vma_needs_copy(dst_vma, src_vma))
		return 0;
	do {
		next = pgd_addr_end(addr, end);
		if (pgd_none(*src_pgd))
			continue;
		if (copy_pud_range(dst_vma, src_vma, dst_pgd, src_pgd, addr, next))
			return -ENOMEM;
	} while (dst_pgd++, src_pgd++, addr = next, addr != end);
	return 0;
}
