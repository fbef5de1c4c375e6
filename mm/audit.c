/*
 * mm/audit.c - check the memory invariants that copy-on-write depends on.
 *
 * A teaching kernel's claims about COW should be checked by the kernel
 * itself. mm_audit walks every page table of the given address spaces and
 * checks, frame by frame:
 *
 *   1. a user PTE never maps a free frame (refcount 0) or a frame beyond RAM;
 *   2. page_mapcount(page) == the number of user PTEs that map the page;
 *   3. page_ref_count(page) >= mapcount (+1 if the page cache holds it):
 *      every PTE holds a reference;
 *   4. the copy-on-write invariant: a *writable* PTE in a private mapping
 *      (is_cow_mapping) maps a page with refcount 1 - nobody else can see
 *      the writes;
 *   5. the shared zero page is never mapped writable;
 *   6. every present PTE lies inside a VMA of its mm;
 *   7. each mm's rss counters equal its present PTEs (zero page excluded),
 *      kind by kind (anon, file, shmem), and mm->nr_ptes equals its user
 *      page-table pages;
 *   8. the global page-state counters /proc/meminfo shows agree with
 *      mem_map[]: NR_ANON_MAPPED and NR_FILE_MAPPED with the anonymous and
 *      other pages that have a mapcount, NR_SHMEM with the PG_swapbacked
 *      pages;
 *   9. userfaultfd write protection lives only where a monitor asked for
 *      it: a PTE marker is a known one (PTE_MARKER_UFFD_WP) and, like a
 *      PTE with the uffd-wp bit, lies in a VMA registered for WP.
 *
 * "Present" here means "holds a frame": a PROT_NONE entry is not present
 * for the CPU but keeps its page, its mapcount and its rss count, so it
 * is checked like a present one. A PTE marker holds nothing - no frame,
 * no reference, no rss - and counts for none of checks 1-8.
 *
 * The selftest runner calls mm_audit() after every case; with mm_audit=strict
 * on the kernel command line, fork, exec and exit call it too.
 *
 * Cost: one pass over the user page tables, one u32 per frame. Locking:
 * each mm's mmap_lock for reading while it is walked (its PTEs cannot
 * change under us on one CPU with the page-table walk not sleeping).
 */
#include "mm/audit.h"
#include "kernel/cmdline.h"
#include "kernel/multiboot2.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/internal.h"
#include "mm/slab.h"

bool mm_audit_strict;
unsigned long mm_audit_violations;

#define MAX_AUDIT_MMS 600
#define MAX_REPORTS   8     /* violations printed in full per audit */

struct audit {
	u32 *ptes;          /* per pfn: user PTEs that map it */
	int violations;
};

static void report_page(const char *what, unsigned long pfn)
{
	struct page *p = pfn_to_page(pfn);

	printk("mm_audit: %s: pfn %#lx: flags %#lx refcount %d mapcount %d mapping %p index %lu\n",
	       what, pfn, p->flags, page_ref_count(p), page_mapcount(p), p->mapping, p->index);
}

static void violation(struct audit *a, const char *what, struct mm_struct *mm,
		      unsigned long addr, pte_t pte)
{
	a->violations++;
	if (a->violations > MAX_REPORTS)
		return;
	printk("mm_audit: %s: mm %p addr %#lx pte %#lx\n", what, mm, addr, pte_val(pte));
	if (pte_maps_frame(pte) && pfn_valid(pte_pfn(pte)))
		report_page(what, pte_pfn(pte));
}

/* vma_covering - the VMA containing @addr, or NULL (mmap_lock held). */
static struct vm_area_struct *vma_covering(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return vma && vma->vm_start <= addr ? vma : NULL;
}

/* audit_pte - the per-PTE checks 1, 4, 5, 6, 9; counts the PTE for checks 2 and 7. */
static void audit_pte(struct audit *a, struct mm_struct *mm, unsigned long addr, pte_t pte,
		      unsigned long rss[NR_MM_COUNTERS])
{
	unsigned long pfn = pte_pfn(pte);
	struct vm_area_struct *vma = vma_covering(mm, addr);
	struct page *page;

	if (!vma)
		violation(a, "present PTE outside any VMA", mm, addr, pte);
	else if (pte_uffd_wp(pte) && !(vma->vm_flags & VM_UFFD_WP))
		violation(a, "uffd-wp bit in a VMA not registered for WP", mm, addr, pte);
	if (!pfn_valid(pfn)) {
		violation(a, "PTE maps a frame beyond RAM", mm, addr, pte);
		return;
	}
	page = pfn_to_page(pfn);
	if (page == zero_page) {
		if (pte_write(pte))
			violation(a, "the zero page is mapped writable", mm, addr, pte);
		return;
	}
	if (page_ref_count(page) <= 0) {
		violation(a, "PTE maps a free frame", mm, addr, pte);
		return;
	}
	a->ptes[pfn]++;
	rss[mm_counter(page)]++;
	if (vma && pte_write(pte) && is_cow_mapping(vma->vm_flags) && page_ref_count(page) != 1)
		violation(a, "writable private PTE on a shared page (COW broken)", mm, addr, pte);
}

/* audit_marker - check 8 for a PTE marker: a known marker, in a WP-registered VMA. */
static void audit_marker(struct audit *a, struct mm_struct *mm, unsigned long addr, pte_t pte)
{
	struct vm_area_struct *vma = vma_covering(mm, addr);

	if (pte_marker_get(pte) != PTE_MARKER_UFFD_WP)
		violation(a, "unknown PTE marker", mm, addr, pte);
	else if (!vma || !(vma->vm_flags & VM_UFFD_WP))
		violation(a, "uffd-wp PTE marker outside a VMA registered for WP", mm, addr, pte);
}

/* audit_mm - walk the user half of @mm's page tables. Returns 0 or -EBUSY. */
static int audit_mm(struct audit *a, struct mm_struct *mm)
{
	static const char *const kind[NR_MM_COUNTERS] = { "file", "anon", "shmem" };
	unsigned long rss[NR_MM_COUNTERS] = { 0 }, tables = 0;

	if (!down_read_trylock(&mm->mmap_lock))
		return -EBUSY;
	for (int i = 0; i < USER_PGD_ENTRIES; i++) {
		pgd_t *pgdp = &mm->pgd[i];

		if (!pgd_present(*pgdp))
			continue;
		tables++;
		for (int j = 0; j < PTRS_PER_TABLE; j++) {
			pud_t *pudp = (pud_t *)__va(pgd_table_phys(*pgdp)) + j;

			if (!pud_present(*pudp) || pud_leaf(*pudp))
				continue;
			tables++;
			for (int k = 0; k < PTRS_PER_TABLE; k++) {
				pmd_t *pmdp = (pmd_t *)__va(pud_table_phys(*pudp)) + k;

				if (!pmd_present(*pmdp) || pmd_leaf(*pmdp))
					continue;
				tables++;
				pte_t *pt = (pte_t *)__va(pmd_table_phys(*pmdp));

				for (int l = 0; l < PTRS_PER_TABLE; l++) {
					pte_t pte = ptep_get(&pt[l]);
					unsigned long addr = ((unsigned long)i << PGDIR_SHIFT) |
							     ((unsigned long)j << PUD_SHIFT) |
							     ((unsigned long)k << PMD_SHIFT) |
							     ((unsigned long)l << PAGE_SHIFT);

					if (pte_maps_frame(pte))
						audit_pte(a, mm, addr, pte, rss);
					else if (is_pte_marker(pte))
						audit_marker(a, mm, addr, pte);
				}
			}
		}
	}
	for (int i = 0; i < NR_MM_COUNTERS; i++) {
		if (rss[i] == mm->rss[i])
			continue;
		a->violations++;
		printk("mm_audit: mm %p: rss counter says %lu %s pages, its PTEs map %lu\n",
		       mm, mm->rss[i], kind[i], rss[i]);
	}
	if (tables != mm->nr_ptes) {
		a->violations++;
		printk("mm_audit: mm %p: nr_ptes %lu, but %lu page-table pages are under user space\n",
		       mm, mm->nr_ptes, tables);
	}
	up_read(&mm->mmap_lock);
	return 0;
}

/* show_mappers - every PTE of @mms that maps @pfn (for a violation report). */
static void show_mappers(struct mm_struct **mms, int n, unsigned long pfn)
{
	for (int m = 0; m < n; m++) {
		struct vm_area_struct *vma;

		list_for_each_entry(vma, &mms[m]->mmap, vm_list) {
			for (unsigned long addr = vma->vm_start; addr < vma->vm_end; addr += PAGE_SIZE) {
				pte_t *ptep = page_walk(mms[m]->pgd, addr, false);

				if (ptep && pte_maps_frame(ptep_get(ptep)) && pte_pfn(ptep_get(ptep)) == pfn)
					printk("mm_audit:   mapped by mm %p at %#lx pte %#lx\n", mms[m], addr,
					       pte_val(ptep_get(ptep)));
				if (!ptep)  /* no PTE table here: skip to the next 2 MiB */
					addr = (addr & PMD_MASK) + PMD_SIZE - PAGE_SIZE;
			}
		}
	}
}

/*
 * check_page_state - check 8: count what the global counters count, frame
 * by frame, and compare. No lock: exact while nothing maps, unmaps or
 * frees meanwhile (the loop does not sleep; on one CPU nothing else runs).
 */
static void check_page_state(struct audit *a)
{
	static const struct { enum node_stat_item item; const char *name; } items[] = {
		{ NR_ANON_MAPPED, "NR_ANON_MAPPED" },
		{ NR_FILE_MAPPED, "NR_FILE_MAPPED" },
		{ NR_SHMEM, "NR_SHMEM" },
	};
	unsigned long seen[NR_VM_NODE_STAT_ITEMS] = { 0 };

	for (unsigned long pfn = 0; pfn < max_pfn; pfn++) {
		struct page *p = pfn_to_page(pfn);

		if (page_mapcount(p) > 0)
			seen[PageAnon(p) ? NR_ANON_MAPPED : NR_FILE_MAPPED]++;
		if (PageSwapBacked(p))
			seen[NR_SHMEM]++;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(items); i++) {
		unsigned long counted = global_node_page_state(items[i].item);

		if (counted == seen[items[i].item])
			continue;
		a->violations++;
		printk("mm_audit: %s is %lu, but %lu pages are in that state\n", items[i].name,
		       counted, seen[items[i].item]);
	}
}

int mm_audit_mms(struct mm_struct **mms, int n)
{
	struct audit a = { 0 };
	size_t bytes = max_pfn * sizeof(u32);
	unsigned int order = 0;
	struct page *buf;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	buf = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);
	if (!buf) {
		printk("mm_audit: no memory for the audit; skipped\n");
		return 0;
	}
	a.ptes = page_address(buf);
	for (int i = 0; i < n; i++)
		if (audit_mm(&a, mms[i]) == -EBUSY)
			printk("mm_audit: mm %p is busy (mmap_lock held); not audited\n", mms[i]);

	/* Checks 2 and 3, frame by frame. */
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++) {
		struct page *p = pfn_to_page(pfn);
		int mapcount = page_mapcount(p), refs = page_ref_count(p);

		if (p == zero_page || (mapcount == 0 && a.ptes[pfn] == 0))
			continue;
		if ((u32)mapcount != a.ptes[pfn] ||
		    refs < mapcount + (p->mapping && !PageAnon(p) ? 1 : 0)) {
			a.violations++;
			if (a.violations <= MAX_REPORTS) {
				report_page((u32)mapcount != a.ptes[pfn] ? "mapcount differs from the PTEs"
									  : "fewer references than mappings",
					    pfn);
				printk("mm_audit:   %u user PTEs map it\n", a.ptes[pfn]);
				show_mappers(mms, n, pfn);
			}
		}
	}
	check_page_state(&a);
	__free_pages(buf, order);
	if (a.violations > MAX_REPORTS)
		printk("mm_audit: ... %d violations in all\n", a.violations);
	return a.violations;
}

int mm_audit(const char *when)
{
	static struct mm_struct *mms[MAX_AUDIT_MMS];
	struct task_struct *t;
	unsigned long flags;
	int n = 0, v;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(t, &task_list, tasks) {
		/* ->mm changes under task_lock (exec, exit, use_mm): read it so */
		struct mm_struct *mm = get_task_mm(t);
		bool seen = false;

		if (!mm)
			continue;
		for (int i = 0; i < n && !seen; i++)
			seen = mms[i] == mm;
		if (!seen && n < MAX_AUDIT_MMS)
			mms[n++] = mm;  /* its user kept: alive while we walk it */
		else
			mmput(mm);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	v = mm_audit_mms(mms, n);
	for (int i = 0; i < n; i++)
		mmput(mms[i]);
	if (v)
		printk("mm_audit: %d violation(s) %s\n", v, when);
	return v;
}

void mm_audit_hook(const char *when)
{
	if (mm_audit_strict)
		mm_audit_violations += mm_audit(when);
}
