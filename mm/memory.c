/*
 * mm/memory.c - the pages of an address space, outside the fault path
 * (Linux mm/memory.c; the fault handlers are in mm/fault.c, fork's copy in
 * mm/copy.c):
 *
 *   the zero page                 one shared page of zeroes for anonymous reads
 *   vm_events, vm_node_stat       counters for /proc/vmstat and /proc/meminfo
 *   mm_pud/pmd/pte_alloc          page tables of an mm, counted in mm->nr_ptes
 *   zap_page_range                unmapping: PTEs cleared, TLB flushed, pages put
 *     -> zap_pud_range -> zap_pmd_range -> zap_pte_range
 *   change_protection             mprotect's PTE rewrite (for mm/mprotect.c)
 *   shmem_zero_setup              MAP_SHARED|MAP_ANONYMOUS memory
 *
 * Reference counts of a mapped page (checked by the invariant audit):
 *
 *   _refcount >= _mapcount    each PTE holds one reference and one mapcount;
 *                             the page cache (or a shared anonymous object)
 *                             holds one more of its own
 *   zero page                 never counted per PTE: no reference, no mapcount, no rss
 *
 * Locking: PTE changes and rss under mm->page_table_lock; the callers hold
 * mmap_lock (read for faults, write for munmap/mprotect/exit).
 */
#include "mm/internal.h"
#include "mm/userfaultfd_k.h"
#include "mm/audit.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/slab.h"

struct vm_event_state vm_events;
long vm_node_stat[NR_VM_NODE_STAT_ITEMS];

/*
 * The zero page lives in the kernel image's .bss, as Linux's
 * empty_zero_page does: its struct page is reserved (never freed, never
 * handed out) and no one takes references to it.
 */
static u8 empty_zero_page[PAGE_SIZE] __aligned(PAGE_SIZE);
struct page *zero_page;
unsigned long zero_pfn;

void zero_page_init(void)
{
	zero_pfn = PFN_DOWN(virt_to_phys(empty_zero_page));
	zero_page = pfn_to_page(zero_pfn);
	BUG_ON(!PageReserved(zero_page));
}

/* ---- page tables, counted per mm ---- */

pud_t *mm_pud_alloc(struct mm_struct *mm, pgd_t *pgd, unsigned long addr)
{
	bool was_none = pgd_none(*pgd);
	pud_t *pud = pud_alloc(pgd, addr);

	if (pud && was_none)
		mm->nr_ptes++;
	return pud;
}

pmd_t *mm_pmd_alloc(struct mm_struct *mm, pud_t *pud, unsigned long addr)
{
	bool was_none = pud_none(*pud);
	pmd_t *pmd = pmd_alloc(pud, addr);

	if (pmd && was_none)
		mm->nr_ptes++;
	return pmd;
}

pte_t *mm_pte_alloc(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	bool was_none = pmd_none(*pmd);
	pte_t *pte = pte_alloc(pmd, addr);

	if (pte && was_none)
		mm->nr_ptes++;
	return pte;
}

/* ---- freeing page tables: Linux's free_pgd_range(), floor and ceiling ---- */

/*
 * Which page tables may go when [addr, end) is unmapped? Not simply those
 * that map nothing now: finding that out means reading all 512 entries of
 * every table. Linux reasons from the VMAs instead, and so do we. The
 * caller passes @floor, the end of the VMA below the range (0 if none),
 * and @ceiling, the start of the VMA above it (USER_PGTABLES_CEILING if
 * none). A table may be freed when the whole span it maps lies inside
 * [floor, ceiling): no other VMA can have an entry in it. So
 *
 *   - PTE tables (2 MiB each) are freed for the 2 MiB blocks that lie
 *     wholly in [floor, ceiling) and meet [addr, end);
 *   - a PMD table (1 GiB) goes when its whole GiB is inside, and a PUD
 *     table (512 GiB) when its whole 512 GiB are.
 *
 *        floor                                               ceiling
 *   ...prev VMA ]|<-------------- the gap ----------------->|[ next VMA...
 *          |  2 MiB  |  2 MiB  |  2 MiB  |  2 MiB  |  2 MiB  |
 *          stays      freed     freed     freed      stays
 *          (shared with prev)                       (shared with next)
 *
 * Every PTE in the range must already be zapped. Under mm_audit=strict
 * each table is checked to be empty before it goes.
 */

/* pgtable_release - clear the entry @e pointing at @table, free it, count it. */
static void pgtable_release(struct mm_struct *mm, u64 *e, phys_addr_t table)
{
	if (mm_audit_strict) {
		const u64 *t = __va(table);

		for (int i = 0; i < PTRS_PER_TABLE; i++)
			if (t[i])
				printk("BUG: freeing a page table with a live entry: "
				       "table %#lx[%d] = %#lx\n", (unsigned long)table, i,
				       (unsigned long)t[i]);
	}
	*e = 0;
	pgtable_free_page(table);
	mm->nr_ptes--;
}

/* free_pmd_range - the PTE tables under one PMD table, then it if its GiB is free. */
static void free_pmd_range(struct mm_struct *mm, pud_t *pud, unsigned long addr,
			   unsigned long end, unsigned long floor, unsigned long ceiling)
{
	pmd_t *pmd = pmd_offset(pud, addr);
	unsigned long start = addr, next;

	do {
		next = pmd_addr_end(addr, end);
		if (pmd_none(*pmd))
			continue;
		pgtable_release(mm, (u64 *)pmd, pmd_table_phys(*pmd));
	} while (pmd++, addr = next, addr != end);

	start &= PUD_MASK;
	if (start < floor)
		return;
	ceiling &= PUD_MASK;
	if (!ceiling || end - 1 > ceiling - 1)
		return;
	pgtable_release(mm, (u64 *)pud, pud_table_phys(*pud));
}

/* free_pud_range - the same one level up: PMD tables, then the PUD table. */
static void free_pud_range(struct mm_struct *mm, pgd_t *pgd, unsigned long addr,
			   unsigned long end, unsigned long floor, unsigned long ceiling)
{
	pud_t *pud = pud_offset(pgd, addr);
	unsigned long start = addr, next;

	do {
		next = pud_addr_end(addr, end);
		if (pud_none(*pud))
			continue;
		free_pmd_range(mm, pud, addr, next, floor, ceiling);
	} while (pud++, addr = next, addr != end);

	start &= PGDIR_MASK;
	if (start < floor)
		return;
	ceiling &= PGDIR_MASK;
	if (!ceiling || end - 1 > ceiling - 1)
		return;
	pgtable_release(mm, (u64 *)pgd, pgd_table_phys(*pgd));
}

/*
 * free_pgd_range - Mirrors Linux free_pgd_range(); no p4d level, no
 * mmu_gather (the tables are freed at once, the TLB flushed after).
 * Frees the page tables of [addr, end) that [floor, ceiling) allows (see
 * above). Caller holds mm->page_table_lock; the range is zapped.
 */
static void free_pgd_range(struct mm_struct *mm, unsigned long addr, unsigned long end,
			   unsigned long floor, unsigned long ceiling)
{
	pgd_t *pgd;
	unsigned long next;

	/* Trim to the 2 MiB blocks no neighbour shares: a PTE table maps 2 MiB. */
	addr &= PMD_MASK;
	if (addr < floor) {
		addr += PMD_SIZE;
		if (!addr)
			return;
	}
	ceiling &= PMD_MASK;
	if (!ceiling)
		return;
	if (end - 1 > ceiling - 1)
		end -= PMD_SIZE;
	if (addr > end - 1)
		return;

	pgd = pgd_offset_pgd(mm->pgd, addr);
	do {
		next = pgd_addr_end(addr, end);
		if (pgd_none(*pgd))
			continue;
		free_pud_range(mm, pgd, addr, next, floor, ceiling);
	} while (pgd++, addr = next, addr != end);
}

/*
 * free_pgtables - see internal.h. Mirrors Linux free_pgtables(): VMAs
 * closer together than a PMD are taken as one range (their tables are
 * shared anyway), so each table is looked at once.
 */
void free_pgtables(struct mm_struct *mm, struct list_head *vmas, unsigned long floor,
		   unsigned long ceiling)
{
	struct vm_area_struct *vma, *last;
	unsigned long before = mm->nr_ptes;

	spin_lock(&mm->page_table_lock);
	vma = list_first_entry_or_null(vmas, struct vm_area_struct, vm_list);
	while (vma) {
		unsigned long start = vma->vm_start;
		struct vm_area_struct *next;

		for (last = vma;; last = next) {
			next = list_is_last(&last->vm_list, vmas) ? NULL :
			       list_next_entry(last, vm_list);
			if (!next || next->vm_start > last->vm_end + PMD_SIZE)
				break;
		}
		free_pgd_range(mm, start, last->vm_end, floor,
			       next ? next->vm_start : ceiling);
		vma = next;
	}
	spin_unlock(&mm->page_table_lock);
	if (mm->nr_ptes != before)
		flush_tlb_all();   /* the paging-structure caches too */
}

/* ---- zapping: Linux's mmu_gather, in miniature ---- */

/*
 * struct mmu_gather - pages whose PTEs are gone but which may still sit in
 * a TLB. They are put only after the flush, so that no CPU can write into
 * a page that already belongs to someone else. (An address space that is
 * not loaded has nothing in the TLB: its pages are put at once.)
 */
#define MMU_GATHER_BATCH 32

struct mmu_gather {
	struct mm_struct *mm;
	bool unloaded;                 /* mm not in CR3 now: put pages at once */
	unsigned long start, end;      /* what to flush */
	unsigned int nr;
	struct page *pages[MMU_GATHER_BATCH];
};

static void tlb_flush_mmu(struct mmu_gather *tlb)
{
	if (tlb->end > tlb->start)
		flush_tlb_range(tlb->mm, tlb->start, tlb->end);
	tlb->start = tlb->end = 0;
	for (unsigned int i = 0; i < tlb->nr; i++)
		put_page(tlb->pages[i]);
	tlb->nr = 0;
}

/* __tlb_remove_page - queue @page; true when the batch is full (flush now). */
static bool __tlb_remove_page(struct mmu_gather *tlb, struct page *page)
{
	/*
	 * Not this CPU's address space (exit, or a teardown from outside): no
	 * TLB holds its entries - switching CR3 dropped them - so the page may
	 * go at once. One CPU only; with more, the others' TLBs would count.
	 */
	if (tlb->unloaded) {
		put_page(page);
		return false;
	}
	tlb->pages[tlb->nr++] = page;
	return tlb->nr == MMU_GATHER_BATCH;
}

/* tlb_track_range - [start, end) lost PTEs: widen what the next flush covers. */
static void tlb_track_range(struct mmu_gather *tlb, unsigned long start, unsigned long end)
{
	if (tlb->end <= tlb->start) {
		tlb->start = start;
		tlb->end = end;
		return;
	}
	tlb->start = min(tlb->start, start);
	tlb->end = max(tlb->end, end);
}

/*
 * zap_pte_range - Mirrors Linux zap_pte_range(); leaves out swap and
 * device entries, THP, rss batching and the dirty/accessed page state
 * beyond PG_dirty. Entry and exit: mmap_lock held, page_table_lock not.
 * Takes page_table_lock for the PTE changes and rss; a full gather batch
 * is flushed (TLB, then the pages) without giving up the lock.
 *
 * A PTE marker is simply cleared: it holds no frame, no reference and no
 * rss. Every zap here ends the VMA's range (munmap, exit), so no marker is
 * kept - Linux keeps them (and turns protected present PTEs into markers,
 * zap_install_uffd_wp_if_needed) only for zaps that keep the mapping,
 * MADV_DONTNEED and truncation, which this kernel does not have.
 */
static void zap_pte_range(struct mmu_gather *tlb, struct vm_area_struct *vma, pmd_t *pmd,
			  unsigned long addr, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t *pte = pte_offset_kernel(pmd, addr);
	unsigned long first = 0, last = 0;
	int rss[NR_MM_COUNTERS] = { 0 };
	/* private anonymous memory: every page anonymous, never "dirty file" */
	bool anon = vma_is_anonymous(vma) && !(vma->vm_flags & VM_SHARED);

	spin_lock(&mm->page_table_lock);
	tlb->unloaded = !mm_is_loaded(mm);   /* cannot change: nothing here sleeps */
	do {
		pte_t ptent = ptep_get(pte);
		struct page *page;

		if (pte_none(ptent))
			continue;
		if (is_pte_marker(ptent)) {    /* never in the TLB: nothing to flush */
			pte_clear(pte);
			continue;
		}
		/* What is left maps a frame: present, or a PROT_NONE entry. */
		ptent = ptep_get_and_clear(pte);
		if (!last)
			first = addr;
		last = addr + PAGE_SIZE;
		page = vm_normal_page(vma, addr, ptent);
		if (!page)
			continue;                   /* the zero page */
		if (anon) {
			rss[MM_ANONPAGES]--;
		} else {
			if (!PageAnon(page) && pte_dirty(ptent))
				SetPageDirty(page); /* a shared file page was written */
			rss[mm_counter(page)]--;
		}
		page_remove_rmap(page);
		if (__tlb_remove_page(tlb, page)) {
			tlb_track_range(tlb, first, last);
			first = last = 0;
			tlb_flush_mmu(tlb);
		}
	} while (pte++, addr += PAGE_SIZE, addr != end);
	if (last)
		tlb_track_range(tlb, first, last);
	for (int i = 0; i < NR_MM_COUNTERS; i++)
		mm->rss[i] += rss[i];
	spin_unlock(&mm->page_table_lock);
}

static void zap_pmd_range(struct mmu_gather *tlb, struct vm_area_struct *vma, pud_t *pud,
			  unsigned long addr, unsigned long end)
{
	pmd_t *pmd = pmd_offset(pud, addr);
	unsigned long next;

	do {
		next = pmd_addr_end(addr, end);
		if (pmd_none(*pmd) || pmd_leaf(*pmd))
			continue;
		zap_pte_range(tlb, vma, pmd, addr, next);
	} while (pmd++, addr = next, addr != end);
}

static void zap_pud_range(struct mmu_gather *tlb, struct vm_area_struct *vma, pgd_t *pgd,
			  unsigned long addr, unsigned long end)
{
	pud_t *pud = pud_offset(pgd, addr);
	unsigned long next;

	do {
		next = pud_addr_end(addr, end);
		if (pud_none(*pud) || pud_leaf(*pud))
			continue;
		zap_pmd_range(tlb, vma, pud, addr, next);
	} while (pud++, addr = next, addr != end);
}

/*
 * zap_page_range - Mirrors Linux zap_page_range() -> unmap_page_range();
 * leaves out mmu notifiers, hugetlb and the zap_details filter. See
 * internal.h for the contract.
 */
void zap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long size)
{
	struct mmu_gather tlb = { .mm = vma->vm_mm };
	unsigned long addr = start, end = start + size, next;
	pgd_t *pgd = pgd_offset_pgd(vma->vm_mm->pgd, addr);

	if (start >= end)
		return;
	do {
		next = pgd_addr_end(addr, end);
		if (pgd_none(*pgd))
			continue;
		zap_pud_range(&tlb, vma, pgd, addr, next);
	} while (pgd++, addr = next, addr != end);
	tlb_flush_mmu(&tlb);
}

/* ---- mprotect's half: rewriting PTEs ---- */

/*
 * change_protection - Mirrors Linux change_protection() ->
 * change_pte_range(); leaves out NUMA hinting, the uffd-wp modes (they
 * are uffd_wp_range's, mm/userfaultfd.c) and the "make exclusive
 * anonymous pages writable at once" shortcut: a private PTE becomes
 * writable only in a fault (the COW rule), and newprot never has RW for a
 * private VMA. A PTE the monitor write-protected stays read-only whatever
 * newprot says (a shared writable VMA's has RW), and a PTE marker stays as
 * it is: both keep the monitor's protection across mprotect, as in Linux.
 * Contract in internal.h.
 */
unsigned long change_protection(struct vm_area_struct *vma, unsigned long start,
				unsigned long end, pgprot_t newprot)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr, pages = 0;

	spin_lock(&mm->page_table_lock);
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		pte_t *pte = page_walk(mm->pgd, addr, false);
		pte_t ptent;

		if (!pte) {  /* no table: skip to the next PTE table */
			addr = pmd_addr_end(addr, end) - PAGE_SIZE;
			continue;
		}
		ptent = ptep_get(pte);
		if (pte_none_mostly(ptent))
			continue;
		ptent = pte_modify(ptep_get_and_clear(pte), newprot);
		if (pte_uffd_wp(ptent))
			ptent = pte_mkuffd_wp(ptent);   /* read-only, whatever newprot allows */
		set_pte(pte, ptent);
		pages++;
	}
	if (pages)
		flush_tlb_range(mm, start, end);
	spin_unlock(&mm->page_table_lock);
	return pages;
}

/* ---- shared anonymous memory ---- */

/*
 * MAP_SHARED|MAP_ANONYMOUS memory must be the same pages for every
 * process that inherits the mapping, including pages first touched after
 * fork. Linux backs it with a shmem file (shmem_zero_setup); here a
 * small object plays that file: an address_space whose pages are found
 * by index, refcounted by the VMAs that map it. Its pages are "file"
 * pages for the rest of mm: page->mapping set, not PG_anon, counted in
 * MM_FILEPAGES, never copied on write.
 */
struct shmem_anon {
	int refcount;                    /* VMAs using it (atomic) */
	struct address_space mapping;    /* the pages, in mapping.i_pages */
};

static void shmem_anon_open(struct vm_area_struct *vma)
{
	struct shmem_anon *obj = vma->vm_private_data;

	__atomic_add_fetch(&obj->refcount, 1, __ATOMIC_RELAXED);
}

/* shmem_anon_close - the last VMA is gone: the object drops its page references. */
static void shmem_anon_close(struct vm_area_struct *vma)
{
	struct shmem_anon *obj = vma->vm_private_data;
	struct page *page;
	unsigned long index;

	if (__atomic_sub_fetch(&obj->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	xa_for_each(&obj->mapping.i_pages, index, page) {
		xa_erase(&obj->mapping.i_pages, index);
		page->mapping = NULL;
		ClearPageSwapBacked(page);
		mod_node_page_state(NR_SHMEM, -1);
		mod_node_page_state(NR_FILE_PAGES, -1);
		BUG_ON(page_mapcount(page));
		put_page(page);
	}
	kfree(obj);
}

/* shmem_anon_find - the page at @index, with a new reference, or NULL. mapping.lock held. */
static struct page *shmem_anon_find(struct shmem_anon *obj, unsigned long index)
{
	struct page *page = xa_load(&obj->mapping.i_pages, index);

	if (page)
		get_page(page);
	return page;
}

/*
 * shmem_anon_insert - make @page the object's page at @index (free): the
 * object takes a reference of its own, and the page counts as shmem
 * (PG_swapbacked, NR_SHMEM, NR_FILE_PAGES). mapping.lock held. 0 or
 * -ENOMEM (nothing changed).
 */
static int shmem_anon_insert(struct shmem_anon *obj, unsigned long index, struct page *page)
{
	if (xa_store(&obj->mapping.i_pages, index, page))
		return -ENOMEM;
	page->mapping = &obj->mapping;
	page->index = index;
	SetPageSwapBacked(page);
	obj->mapping.nrpages++;
	mod_node_page_state(NR_SHMEM, 1);
	mod_node_page_state(NR_FILE_PAGES, 1);
	get_page(page);
	return 0;
}

/*
 * shmem_anon_fault - the ->fault of shared anonymous memory (Linux
 * shmem_fault(), no swap): the page at vmf->pgoff with a reference for
 * the caller, a new zeroed one if there is none yet.
 */
static vm_fault_t shmem_anon_fault(struct vm_fault *vmf)
{
	struct shmem_anon *obj = vmf->vma->vm_private_data;
	struct page *page, *new;
	vm_fault_t ret = 0;

	spin_lock(&obj->mapping.lock);
	page = shmem_anon_find(obj, vmf->pgoff);
	spin_unlock(&obj->mapping.lock);
	if (page)
		goto found;
	/* Missing, and registered with a userfaultfd: its handler provides it. */
	if (userfaultfd_missing(vmf->vma))
		return handle_userfault(vmf, VM_UFFD_MISSING);
	new = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!new)
		return VM_FAULT_OOM;
	spin_lock(&obj->mapping.lock);
	page = shmem_anon_find(obj, vmf->pgoff);  /* another fault may have added it */
	if (!page) {
		if (shmem_anon_insert(obj, vmf->pgoff, new) == 0) {
			page = new;    /* the object's reference and ours (the caller's) */
			new = NULL;
		} else {
			ret = VM_FAULT_OOM;
		}
	}
	spin_unlock(&obj->mapping.lock);
	if (new)
		put_page(new);
	if (ret)
		return ret;
found:
	vmf->page = page;
	return 0;
}

/*
 * shmem_anon_add_page - UFFDIO_COPY/ZEROPAGE into shared anonymous memory:
 * put @page in @vma's object at @pgoff (the object takes its own reference;
 * the caller keeps its one, for the PTE). -EEXIST if a page is there.
 */
int shmem_anon_add_page(struct vm_area_struct *vma, unsigned long pgoff, struct page *page)
{
	struct shmem_anon *obj = vma->vm_private_data;
	struct page *old;
	int err = 0;

	spin_lock(&obj->mapping.lock);
	old = shmem_anon_find(obj, pgoff);
	if (old) {
		put_page(old);
		err = -EEXIST;
	} else {
		err = shmem_anon_insert(obj, pgoff, page);
	}
	spin_unlock(&obj->mapping.lock);
	return err;
}

static const struct vm_operations_struct shmem_anon_vm_ops = {
	.open = shmem_anon_open,
	.close = shmem_anon_close,
	.fault = shmem_anon_fault,
};

bool vma_is_shmem_anon(const struct vm_area_struct *vma)
{
	return vma->vm_ops == &shmem_anon_vm_ops;
}

/*
 * shmem_zero_setup - Mirrors Linux shmem_zero_setup(); leaves out the
 * shmem file, swap and size limits. A new, empty object for @vma (whose
 * vm_pgoff is 0). 0 or -ENOMEM.
 */
int shmem_zero_setup(struct vm_area_struct *vma)
{
	struct shmem_anon *obj = kzalloc(sizeof(*obj), GFP_KERNEL);

	if (!obj)
		return -ENOMEM;
	obj->refcount = 1;
	spin_lock_init(&obj->mapping.lock, "shmem_anon");
	xa_init(&obj->mapping.i_pages);
	vma->vm_private_data = obj;
	vma->vm_ops = &shmem_anon_vm_ops;
	return 0;
}
