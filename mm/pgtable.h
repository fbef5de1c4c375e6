/*
 * mm/pgtable.h - walking and changing 4-level page tables.
 *
 * Everything later (address spaces, faults, fork) is built on these. A
 * page-table page is one 4 KiB frame of 512 entries, reached through the
 * direct map: table = __va(entry's frame address).
 *
 * Kernel half: every address space shares PGD entries 256..511 with
 * swapper_pg_dir. mm_init() fills all the ones the kernel uses at boot, and
 * free_empty_pgtables() never frees a kernel-half PUD page, so those entries never
 * change afterwards and copying them once per address space is enough.
 */
#ifndef MM_PGTABLE_H
#define MM_PGTABLE_H

#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/tlbflush.h"
#include "kernel/types.h"
#include "mm/mm.h"

/* The kernel's own top-level table (Linux: init_mm.pgd). */
extern pgd_t swapper_pg_dir[PTRS_PER_TABLE];

#define USER_PGD_ENTRIES 256  /* PGD entries 0..255 map user space */

static inline pgd_t *pgd_offset_pgd(pgd_t *pgd, unsigned long addr) { return pgd + pgd_index(addr); }
static inline pud_t *pud_offset(pgd_t *pgdp, unsigned long addr)
{
	return (pud_t *)__va(pgd_table_phys(*pgdp)) + pud_index(addr);
}
static inline pmd_t *pmd_offset(pud_t *pudp, unsigned long addr)
{
	return (pmd_t *)__va(pud_table_phys(*pudp)) + pmd_index(addr);
}
static inline pte_t *pte_offset_kernel(pmd_t *pmdp, unsigned long addr)
{
	return (pte_t *)__va(pmd_table_phys(*pmdp)) + pte_index(addr);
}

/*
 * pud_alloc/pmd_alloc/pte_alloc - the entry for @addr one level down,
 * allocating (zeroed) the next-level table if the entry is empty. Tables for
 * user addresses get _PAGE_USER in the upper entries (the leaf PTE decides).
 * Return NULL if a page cannot be had, or if a huge page already maps the
 * range at this level.
 */
pud_t *pud_alloc(pgd_t *pgdp, unsigned long addr);
pmd_t *pmd_alloc(pud_t *pudp, unsigned long addr);
pte_t *pte_alloc(pmd_t *pmdp, unsigned long addr);

/*
 * page_walk - the PTE slot for @addr in @pgd (xv6's walk()). With @alloc,
 * missing tables are created; without, NULL means "no table there". Also
 * NULL when a 2 MiB / 1 GiB page maps @addr (there is no PTE slot).
 */
pte_t *page_walk(pgd_t *pgd, unsigned long addr, bool alloc);

/*
 * map_page - map the 4 KiB page at @va to physical @pa with @prot.
 * Returns 0, -EINVAL (unaligned or non-canonical @va, unaligned @pa),
 * -EEXIST (something is mapped there already) or -ENOMEM.
 */
int map_page(pgd_t *pgd, unsigned long va, phys_addr_t pa, pgprot_t prot);
/*
 * unmap_page - clear the PTE for @va and flush it from the TLB. The old
 * entry goes to *@old (if not NULL). Returns 0 or -ENOENT (nothing mapped).
 * Page-table pages stay; free_empty_pgtables() reclaims empty ones.
 */
int unmap_page(pgd_t *pgd, unsigned long va, pte_t *old);
/* protect_page - new protection for a mapped page, same frame; flushes. 0 or -ENOENT. */
int protect_page(pgd_t *pgd, unsigned long va, pgprot_t prot);

/*
 * translate - what @va maps to: the physical address, the leaf entry's
 * flags and the level of the leaf (1 = 4 KiB PTE, 2 = 2 MiB, 3 = 1 GiB).
 * Returns false when @va is not mapped. Any out-pointer may be NULL.
 */
bool translate(pgd_t *pgd, unsigned long va, phys_addr_t *pa, u64 *flags, int *level);

/*
 * free_empty_pgtables - free every page-table page below @pgd that maps
 * only addresses in [start, end) and has no entry left, found by reading
 * the tables (512 entries each). For kernel mappings and the selftests'
 * private page tables; a process's tables go by its VMAs instead
 * (free_pgtables() in mm/memory.c, Linux's floor/ceiling rule).
 * Top-level kernel-half entries are never cleared (see above).
 */
void free_empty_pgtables(pgd_t *pgd, unsigned long start, unsigned long end);

/*
 * The *_addr_end() helpers (as in Linux): the end of the table entry that
 * covers @addr, or @end if that comes first. They let each level loop over
 * exactly the entries that [addr, end) touches.
 */
static inline unsigned long pgd_addr_end(unsigned long addr, unsigned long end)
{
	unsigned long b = (addr + PGDIR_SIZE) & PGDIR_MASK;

	return b - 1 < end - 1 ? b : end;
}

static inline unsigned long pud_addr_end(unsigned long addr, unsigned long end)
{
	unsigned long b = (addr + PUD_SIZE) & PUD_MASK;

	return b - 1 < end - 1 ? b : end;
}

static inline unsigned long pmd_addr_end(unsigned long addr, unsigned long end)
{
	unsigned long b = (addr + PMD_SIZE) & PMD_MASK;

	return b - 1 < end - 1 ? b : end;
}

/* Page-table pages handed out by the buddy allocator and not yet freed. */
extern unsigned long nr_pgtable_pages;

/* The allocator page tables use; memblock before mm_init() is done, buddy after. */
phys_addr_t pgtable_alloc_page(void);
void pgtable_free_page(phys_addr_t table);
extern bool after_bootmem;

static inline bool addr_is_canonical(unsigned long a)
{
	return a < 0x0000800000000000UL || a >= 0xffff800000000000UL;
}

#endif
