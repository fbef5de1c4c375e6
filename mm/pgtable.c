/*
 * mm/pgtable.c - 4-level page-table walks, mapping and unmapping of single
 * pages, translation, and freeing of empty tables (see pgtable.h).
 *
 * Locking: these functions take no lock. The caller holds whatever
 * protects the address space (for a process, mm->page_table_lock or
 * mmap_lock; at boot and in the selftests nothing else runs).
 */
#include "mm/pgtable.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/memblock.h"

pgd_t swapper_pg_dir[PTRS_PER_TABLE] __aligned(4096);
unsigned long nr_pgtable_pages;
bool after_bootmem;

/*
 * pgtable_alloc_page - a zeroed frame for a page table, or 0. Before the
 * buddy allocator is up the frame comes from memblock and is reserved for
 * good (the direct map and the kernel image mapping live there).
 */
phys_addr_t pgtable_alloc_page(void)
{
	struct page *page;

	if (!after_bootmem)
		return memblock_alloc(PAGE_SIZE, PAGE_SIZE);
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return 0;
	SetPagePgtable(page);
	nr_pgtable_pages++;
	count_vm_event(pgtable_alloc);
	return page_to_phys(page);
}

void pgtable_free_page(phys_addr_t table)
{
	struct page *page = pfn_to_page(PFN_DOWN(table));

	if (PageReserved(page))  /* a boot-time table: keep it */
		return;
	BUG_ON(!PagePgtable(page));
	ClearPagePgtable(page);
	nr_pgtable_pages--;
	count_vm_event(pgtable_free);
	put_page(page);
}

/* table_entry_flags - what an upper-level entry pointing at a new table gets. */
static u64 table_entry_flags(unsigned long addr)
{
	return addr < 0x0000800000000000UL ? _PAGE_TABLE : _KERNPG_TABLE;
}

/*
 * alloc_table_entry - make the upper-level entry *@entry point at a new,
 * zeroed table if it is empty. Returns false if no page could be had.
 */
static bool alloc_table_entry(u64 *entry, unsigned long addr)
{
	phys_addr_t t;

	if (*entry)
		return true;
	t = pgtable_alloc_page();
	if (!t)
		return false;
	*entry = t | table_entry_flags(addr);
	return true;
}

pud_t *pud_alloc(pgd_t *pgdp, unsigned long addr)
{
	if (!alloc_table_entry(&pgdp->pgd, addr))
		return NULL;
	return pud_offset(pgdp, addr);
}

pmd_t *pmd_alloc(pud_t *pudp, unsigned long addr)
{
	if (!alloc_table_entry(&pudp->pud, addr) || pud_leaf(*pudp))
		return NULL;
	return pmd_offset(pudp, addr);
}

pte_t *pte_alloc(pmd_t *pmdp, unsigned long addr)
{
	if (!alloc_table_entry(&pmdp->pmd, addr) || pmd_leaf(*pmdp))
		return NULL;
	return pte_offset_kernel(pmdp, addr);
}

pte_t *page_walk(pgd_t *pgd, unsigned long addr, bool alloc)
{
	pgd_t *pgdp = pgd_offset_pgd(pgd, addr);
	pud_t *pudp;
	pmd_t *pmdp;

	if (alloc) {
		pudp = pud_alloc(pgdp, addr);
		pmdp = pudp ? pmd_alloc(pudp, addr) : NULL;
		return pmdp ? pte_alloc(pmdp, addr) : NULL;
	}
	if (!pgd_present(*pgdp))
		return NULL;
	pudp = pud_offset(pgdp, addr);
	if (!pud_present(*pudp) || pud_leaf(*pudp))
		return NULL;
	pmdp = pmd_offset(pudp, addr);
	if (!pmd_present(*pmdp) || pmd_leaf(*pmdp))
		return NULL;
	return pte_offset_kernel(pmdp, addr);
}

int map_page(pgd_t *pgd, unsigned long va, phys_addr_t pa, pgprot_t prot)
{
	pte_t *ptep;

	if (!IS_ALIGNED(va, PAGE_SIZE) || !IS_ALIGNED(pa, PAGE_SIZE) || !addr_is_canonical(va))
		return -EINVAL;
	ptep = page_walk(pgd, va, true);
	if (!ptep)
		return translate(pgd, va, NULL, NULL, NULL) ? -EEXIST : -ENOMEM;
	if (!pte_none(ptep_get(ptep)))
		return -EEXIST;
	set_pte(ptep, pfn_pte(PFN_DOWN(pa), prot));
	return 0;
}

int unmap_page(pgd_t *pgd, unsigned long va, pte_t *old)
{
	pte_t *ptep = page_walk(pgd, va, false);
	pte_t pte;

	if (!ptep || pte_none(ptep_get(ptep)))
		return -ENOENT;
	pte = ptep_get_and_clear(ptep);
	flush_tlb_one_kernel(va);
	if (old)
		*old = pte;
	return 0;
}

int protect_page(pgd_t *pgd, unsigned long va, pgprot_t prot)
{
	pte_t *ptep = page_walk(pgd, va, false);

	if (!ptep || !pte_present(ptep_get(ptep)))
		return -ENOENT;
	set_pte(ptep, pte_modify(ptep_get(ptep), prot));
	flush_tlb_one_kernel(va);
	return 0;
}

bool translate(pgd_t *pgd, unsigned long va, phys_addr_t *pa, u64 *flags, int *level)
{
	pgd_t *pgdp = pgd_offset_pgd(pgd, va);
	u64 leaf;
	phys_addr_t phys;
	int lvl;

	if (!addr_is_canonical(va) || !pgd_present(*pgdp))
		return false;
	pud_t *pudp = pud_offset(pgdp, va);

	if (!pud_present(*pudp))
		return false;
	if (pud_leaf(*pudp)) {
		leaf = pud_val(*pudp);
		phys = (leaf & PTE_PFN_MASK & PUD_MASK) | (va & ~PUD_MASK);
		lvl = 3;
		goto found;
	}
	pmd_t *pmdp = pmd_offset(pudp, va);

	if (!pmd_present(*pmdp))
		return false;
	if (pmd_leaf(*pmdp)) {
		leaf = pmd_val(*pmdp);
		phys = (leaf & PTE_PFN_MASK & PMD_MASK) | (va & ~PMD_MASK);
		lvl = 2;
		goto found;
	}
	pte_t pte = ptep_get(pte_offset_kernel(pmdp, va));

	if (!pte_present(pte))
		return false;
	leaf = pte_val(pte);
	phys = (leaf & PTE_PFN_MASK) | (va & ~PAGE_MASK);
	lvl = 1;
found:
	if (pa)
		*pa = phys;
	if (flags)
		*flags = leaf & PTE_FLAGS_MASK;
	if (level)
		*level = lvl;
	return true;
}

/* table_is_empty - no entry of the 512 in use. */
static bool table_is_empty(const u64 *table)
{
	for (int i = 0; i < PTRS_PER_TABLE; i++)
		if (table[i])
			return false;
	return true;
}

/* free_pmd_range - free empty PTE tables under one PMD table, then the PMD table if empty. */
static void free_pmd_range(pud_t *pudp, unsigned long addr, unsigned long end)
{
	pmd_t *pmdp = pmd_offset(pudp, addr);
	unsigned long next;

	do {
		next = pmd_addr_end(addr, end);
		if (pmd_present(*pmdp) && !pmd_leaf(*pmdp) &&
		    table_is_empty(__va(pmd_table_phys(*pmdp)))) {
			pgtable_free_page(pmd_table_phys(*pmdp));
			*pmdp = __pmd(0);
		}
	} while (pmdp++, addr = next, addr != end);

	if (table_is_empty(__va(pud_table_phys(*pudp)))) {
		pgtable_free_page(pud_table_phys(*pudp));
		*pudp = __pud(0);
	}
}

/* free_pud_range - the same one level up; a kernel-half PUD table always stays. */
static void free_pud_range(pgd_t *pgdp, unsigned long addr, unsigned long end)
{
	pud_t *pudp = pud_offset(pgdp, addr);
	bool user = addr < 0x0000800000000000UL;
	unsigned long next;

	do {
		next = pud_addr_end(addr, end);
		if (pud_present(*pudp) && !pud_leaf(*pudp))
			free_pmd_range(pudp, addr, next);
	} while (pudp++, addr = next, addr != end);

	if (user && table_is_empty(__va(pgd_table_phys(*pgdp)))) {
		pgtable_free_page(pgd_table_phys(*pgdp));
		*pgdp = __pgd(0);
	}
}

/*
 * free_empty_pgtables - free every page-table page under [start, end) that
 * has no entry left, bottom-up (a PTE table, then the PMD table it emptied,
 * ...). @start and @end are
 * page-aligned. Flushes the TLB (paging-structure caches included).
 */
void free_empty_pgtables(pgd_t *pgd, unsigned long start, unsigned long end)
{
	pgd_t *pgdp = pgd_offset_pgd(pgd, start);
	unsigned long addr = start, next;

	if (start >= end)
		return;
	do {
		next = pgd_addr_end(addr, end);
		if (pgd_present(*pgdp))
			free_pud_range(pgdp, addr, next);
	} while (pgdp++, addr = next, addr != end);
	flush_tlb_all();
}
