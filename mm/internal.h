/*
 * mm/internal.h - what the files of the mm layer share among themselves
 * (Linux mm/internal.h and bits of include/linux/mm.h, rmap.h, tlbflush.h).
 * Nothing outside mm/ (but the selftests) should need this header.
 *
 *   mm_core.c  mm_struct lifetime: mm_alloc, mmput, dup_mm, use_mm
 *   vma.c      VMA objects and the sorted VMA list: find, link, split, merge
 *   mmap.c     mmap/munmap/brk and their syscalls, exit_mmap
 *   mprotect.c mprotect: split, new flags, change_protection, merge back
 *   memory.c   the zero page, counters, zapping pages, shared anonymous memory
 *   fault.c    handle_mm_fault and the fault handlers
 *   copy.c     copy_page_range (fork)
 *
 * Locking order (all files): mm->mmap_lock (sleeping) -> mm->page_table_lock
 * (spinlock) -> zone_lock / slab locks (inside alloc_page, kmalloc).
 * fork takes two mms: old->mmap_lock -> new->mmap_lock, and in
 * copy_pte_range new->page_table_lock -> old->page_table_lock.
 */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include "kernel/list.h"
#include "mm/mm.h"
#include "mm/pgtable.h"
#include "kernel/printk.h"

/* The end of the user half's page tables (one past the last user PGD entry). */
#define USER_PGTABLES_CEILING 0x0000800000000000UL
#define DEFAULT_MAX_MAP_COUNT 65530   /* Linux vm.max_map_count */

/* ---- VMAs ---- */

static inline unsigned long vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

/* linear_page_index - the file page (vm_pgoff units) that @address falls in. */
static inline unsigned long linear_page_index(const struct vm_area_struct *vma,
					      unsigned long address)
{
	return ((address - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
}

/* vma_is_anonymous - private anonymous memory: no vm_ops at all (Linux's test). */
static inline bool vma_is_anonymous(const struct vm_area_struct *vma)
{
	return !vma->vm_ops;
}

/* The neighbours of @vma in its mm's sorted list, or NULL at either end. */
static inline struct vm_area_struct *vma_next(struct vm_area_struct *vma)
{
	struct list_head *n = vma->vm_list.next;

	return n == &vma->vm_mm->mmap ? NULL : list_entry(n, struct vm_area_struct, vm_list);
}

static inline struct vm_area_struct *vma_prev(struct vm_area_struct *vma)
{
	struct list_head *p = vma->vm_list.prev;

	return p == &vma->vm_mm->mmap ? NULL : list_entry(p, struct vm_area_struct, vm_list);
}

/* vma.c: VMA objects and the list. mmap_lock held (for writing, to change it). */
struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);
struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig);
void vm_area_free(struct vm_area_struct *vma);
/* remove_vma - ->close, drop the file reference, free the VMA (already unlinked). */
void remove_vma(struct vm_area_struct *vma);
/* vma_link - put @vma into @mm's sorted list; it must not overlap another VMA. */
void vma_link(struct mm_struct *mm, struct vm_area_struct *vma);
/* vma_unlink - take @vma out of @mm's list (not freed). */
void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma);

/*
 * split_vma - cut @vma at @addr (page-aligned, strictly inside) into two
 * VMAs, the new one linked below (@new_below) or above @vma. mmap_lock
 * held for writing. 0 or -ENOMEM, with nothing changed.
 */
int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr,
	      int new_below);
/*
 * vma_merge - let the linked @vma absorb its neighbours where they match
 * (flags, file, offsets). Returns the VMA now covering @vma's range, which
 * may be its predecessor (@vma is then freed). mmap_lock held for writing.
 */
struct vm_area_struct *vma_merge(struct mm_struct *mm, struct vm_area_struct *vma);

/* mmap.c */
/* vm_get_page_prot - the PTE protection for pages of a VMA with @vm_flags (protection_map). */
pgprot_t vm_get_page_prot(unsigned long vm_flags);
/* exit_mmap - the end of an address space: every page, table and VMA freed. */
void exit_mmap(struct mm_struct *mm);

/* vma_set_page_prot - vm_page_prot to match @vma's (new) vm_flags. */
static inline void vma_set_page_prot(struct vm_area_struct *vma)
{
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
}

/* calc_vm_prot_bits - PROT_READ/WRITE/EXEC into VM_READ/WRITE/EXEC (Linux mman.h). */
static inline unsigned long calc_vm_prot_bits(unsigned long prot)
{
	return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

/* ---- reverse-map counts: how many PTEs map a page (page->_mapcount) ---- */

/* page_add_new_anon_rmap - a fresh private page gets its first PTE in @vma. */
static inline void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma,
					  unsigned long address)
{
	SetPageAnon(page);
	page->mapping = NULL;
	page->index = linear_page_index(vma, address);
	__atomic_store_n(&page->_mapcount, 1, __ATOMIC_RELAXED);
	mod_node_page_state(NR_ANON_MAPPED, 1);
}

/* page_add_file_rmap - one more PTE maps a page-cache or shmem page (a fault). */
static inline void page_add_file_rmap(struct page *page)
{
	if (__atomic_add_fetch(&page->_mapcount, 1, __ATOMIC_RELAXED) == 1)
		mod_node_page_state(NR_FILE_MAPPED, 1);
}

/* page_dup_rmap - fork: one more PTE maps a page that is mapped already. */
static inline void page_dup_rmap(struct page *page)
{
	__atomic_add_fetch(&page->_mapcount, 1, __ATOMIC_RELAXED);
}

/*
 * page_remove_rmap - one PTE fewer; the last one takes the page out of
 * NR_ANON_MAPPED or NR_FILE_MAPPED. The PTE's reference is dropped
 * separately (put_page).
 */
static inline void page_remove_rmap(struct page *page)
{
	int left = __atomic_sub_fetch(&page->_mapcount, 1, __ATOMIC_RELAXED);

	BUG_ON(left < 0);
	if (left == 0)
		mod_node_page_state(PageAnon(page) ? NR_ANON_MAPPED : NR_FILE_MAPPED, -1);
}

/* mm_counter - which rss counter a mapped page counts in (Linux's rule). */
static inline int mm_counter(const struct page *page)
{
	if (PageAnon(page))
		return MM_ANONPAGES;
	return PageSwapBacked(page) ? MM_SHMEMPAGES : MM_FILEPAGES;
}

/*
 * vm_normal_page - the struct page a present PTE maps, or NULL for the
 * zero page (which no PTE holds a reference to) and for frames without a
 * struct page.
 */
static inline struct page *vm_normal_page(struct vm_area_struct *vma, unsigned long addr,
					  pte_t pte)
{
	unsigned long pfn = pte_pfn(pte);

	(void)vma;
	(void)addr;
	if (is_zero_pfn(pfn) || !pfn_valid(pfn))
		return NULL;
	return pfn_to_page(pfn);
}

/* ---- TLB: only the CPU that has the mm loaded can cache its entries (one CPU) ---- */

/* mm_is_loaded - is @mm's PGD the one in CR3 right now? */
static inline bool mm_is_loaded(const struct mm_struct *mm)
{
	return (read_cr3() & PTE_PFN_MASK) == virt_to_phys(mm->pgd);
}

/*
 * flush_tlb_page / flush_tlb_range / flush_tlb_mm - after a PTE lost
 * permissions or changed frame. An mm that is not loaded has nothing in
 * this CPU's TLB (user PTEs are never global, CR3 loads flush them). With
 * several CPUs this is where the shootdown IPIs would go.
 */
static inline void flush_tlb_page(struct vm_area_struct *vma, unsigned long addr)
{
	if (mm_is_loaded(vma->vm_mm))
		invlpg(addr);
}

static inline void flush_tlb_mm(struct mm_struct *mm)
{
	if (mm_is_loaded(mm))
		flush_tlb_local();
}

static inline void flush_tlb_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	if (!mm_is_loaded(mm))
		return;
	if ((end - start) >> PAGE_SHIFT > 32) {
		flush_tlb_local();
		return;
	}
	for (; start < end; start += PAGE_SIZE)
		invlpg(start);
}

/* ---- page tables of an address space (memory.c) ---- */

/*
 * mm_pud_alloc / mm_pmd_alloc / mm_pte_alloc - pud_alloc() & co. that
 * count the new table in mm->nr_ptes. Caller holds mm->page_table_lock
 * (so two faults cannot both fill the same empty entry). NULL on ENOMEM.
 */
pud_t *mm_pud_alloc(struct mm_struct *mm, pgd_t *pgd, unsigned long addr);
pmd_t *mm_pmd_alloc(struct mm_struct *mm, pud_t *pud, unsigned long addr);
pte_t *mm_pte_alloc(struct mm_struct *mm, pmd_t *pmd, unsigned long addr);

/*
 * free_pgtables - free the page tables of @mm that only the VMAs on
 * @vmas (a list via vm_list, in address order: the detached VMAs of an
 * munmap, or mm->mmap at exit) used. @floor is the end of the VMA below
 * them (0 if none), @ceiling the start of the one above
 * (USER_PGTABLES_CEILING if none): tables that also map addresses outside
 * [floor, ceiling) stay. Entry: mmap_lock held for writing, the VMAs'
 * pages zapped; takes page_table_lock. Keeps mm->nr_ptes right.
 */
void free_pgtables(struct mm_struct *mm, struct list_head *vmas, unsigned long floor,
		   unsigned long ceiling);

/*
 * zap_page_range - clear every PTE of [start, start+size) in @vma: drop
 * each page's mapcount, rss and the PTE's reference (after the TLB flush).
 * Page tables stay (free_pgtables() frees them). mmap_lock held.
 */
void zap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long size);

/*
 * change_protection - give every PTE of [start, end) in @vma the
 * protection @newprot (same frame, A/D bits kept), flush the TLB.
 * mmap_lock held for writing. Returns the number of PTEs changed.
 */
unsigned long change_protection(struct vm_area_struct *vma, unsigned long start,
				unsigned long end, pgprot_t newprot);

/* copy.c: copy_page_range - fork: the PTEs of @src_vma into @dst_vma (see copy.c). */
int copy_page_range(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma);

/* memory.c: shmem_zero_setup - back a MAP_SHARED|MAP_ANONYMOUS VMA with a shared object. */
int shmem_zero_setup(struct vm_area_struct *vma);
bool vma_is_shmem_anon(const struct vm_area_struct *vma);
/* shmem_anon_add_page - userfaultfd's COPY into shared anonymous memory; 0 or -EEXIST. */
int shmem_anon_add_page(struct vm_area_struct *vma, unsigned long pgoff, struct page *page);

#endif
