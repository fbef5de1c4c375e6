/*
 * arch/x86_64/pgtable.h - page-table entries and the helpers that read and
 * change them (Linux arch/x86/include/asm/pgtable*.h). Code outside this
 * file never tests or sets a PTE bit by hand; it calls pte_write(),
 * pte_wrprotect(), pte_mkdirty() ...
 *
 * 4-level paging splits a 48-bit virtual address into four 9-bit indexes:
 *
 *   47      39 38      30 29      21 20      12 11          0
 *  +----------+----------+----------+----------+-------------+
 *  | PGD idx  | PUD idx  | PMD idx  | PTE idx  | page offset |
 *  +----------+----------+----------+----------+-------------+
 *     PML4       PDPT       PD         PT        (Intel's names)
 *
 * Bits 63..48 must copy bit 47 ("canonical" addresses): the lower half is
 * user space, the upper half the kernel. Linux's fifth level, p4d, is folded
 * away with 4-level paging, so we go straight from pgd to pud.
 *
 * An entry at every level:
 *
 *   63  62    52 51            12 11  9 8 7  6 5 4   3   2   1 0
 *  +--+--------+----------------+-----+-+--+-+-+---+---+---+-+-+
 *  |NX| avail  | frame number   |avail|G|PS|D|A|PCD|PWT|U/S|W|P|
 *  +--+--------+----------------+-----+-+--+-+-+---+---+---+-+-+
 *   P   present        W    writable       U/S  user accessible
 *   A   accessed (set by the CPU)          D    dirty (set by the CPU on write)
 *   PS  in a PUD/PMD: maps a 1 GiB / 2 MiB page, no next level
 *   G   global: survives CR3 reloads (kernel pages)
 *   NX  no execute (needs EFER.NXE)
 * Bits 9-11 and 52-58 are free for software; _PAGE_SOFTW1 is used by the
 * memory-management code: it is _PAGE_UFFD_WP, "write-protected by a
 * userfaultfd monitor" (Linux uses bit 10 for it; any free bit will do).
 *
 * With P clear the CPU ignores every other bit, so software may keep its
 * own things in a not-present entry. Three kinds of entry are not present:
 *
 *   none          0: nothing here (a fault makes the page)
 *   PROT_NONE     a frame number and maybe A/D/_PAGE_UFFD_WP, no protection
 *                 bits: the page stays mapped but any access faults
 *                 (pte_protnone; mprotect gives the access back)
 *   PTE marker    _PAGE_PTE_MARKER (_PAGE_SOFTW2) and marker bits where a
 *                 frame number would be; no frame, no reference, no rss
 *
 * A PTE marker (Linux's, a swap entry of type SWP_PTE_MARKER there; we
 * have no swap, so the encoding is our own) remembers something about a
 * page that is not mapped here: PTE_MARKER_UFFD_WP, "the monitor
 * write-protected this page before it was faulted in", which shared
 * memory needs - its page may exist (in another process) while this
 * mm has no PTE for it:
 *
 *   63      52 51                       12 11 10  9          1  0
 *  +----------+---------------------------+--+--+--+---------+--+
 *  |    0     | marker bits (PTE_MARKER_*)| 0| 1| 0|    0    | 0|
 *  +----------+---------------------------+--+--+--+---------+--+
 *                                             ^ _PAGE_PTE_MARKER  ^ not present
 *
 * No PROT_NONE entry ever has bit 10 (pte_modify keeps only the frame,
 * A, D and _PAGE_UFFD_WP), so the three kinds cannot be confused.
 */
#ifndef ARCH_X86_64_PGTABLE_H
#define ARCH_X86_64_PGTABLE_H

#include "kernel/types.h"

#define _PAGE_PRESENT  (1UL << 0)
#define _PAGE_RW       (1UL << 1)
#define _PAGE_USER     (1UL << 2)
#define _PAGE_PWT      (1UL << 3)
#define _PAGE_PCD      (1UL << 4)
#define _PAGE_ACCESSED (1UL << 5)
#define _PAGE_DIRTY    (1UL << 6)
#define _PAGE_PSE      (1UL << 7)
#define _PAGE_GLOBAL   (1UL << 8)
#define _PAGE_SOFTW1   (1UL << 9)
#define _PAGE_UFFD_WP  _PAGE_SOFTW1
#define _PAGE_SOFTW2   (1UL << 10)
#define _PAGE_PTE_MARKER _PAGE_SOFTW2
#define _PAGE_NX       (1UL << 63)

#define PTE_PFN_MASK   0x000ffffffffff000UL
#define PTE_FLAGS_MASK (~PTE_PFN_MASK)

#define PGDIR_SHIFT 39
#define PUD_SHIFT   30
#define PMD_SHIFT   21
#define PTRS_PER_TABLE 512
#define PUD_SIZE (1UL << PUD_SHIFT)
#define PMD_SIZE (1UL << PMD_SHIFT)
#define PGDIR_SIZE (1UL << PGDIR_SHIFT)
#define PUD_MASK (~(PUD_SIZE - 1))
#define PMD_MASK (~(PMD_SIZE - 1))
#define PGDIR_MASK (~(PGDIR_SIZE - 1))

/* One type per level, so the compiler catches a pmd used as a pte. */
typedef struct { u64 pgd; } pgd_t;
typedef struct { u64 pud; } pud_t;
typedef struct { u64 pmd; } pmd_t;
typedef struct { u64 pte; } pte_t;
typedef struct { u64 pgprot; } pgprot_t;

#define __pgprot(x) ((pgprot_t){ (x) })
#define pgprot_val(p) ((p).pgprot)
#define pte_val(x) ((x).pte)
#define pmd_val(x) ((x).pmd)
#define pud_val(x) ((x).pud)
#define pgd_val(x) ((x).pgd)
#define __pte(x) ((pte_t){ (x) })
#define __pmd(x) ((pmd_t){ (x) })
#define __pud(x) ((pud_t){ (x) })
#define __pgd(x) ((pgd_t){ (x) })

/* Protections for whole pages (Linux's PAGE_KERNEL & co). */
#define PAGE_NONE         __pgprot(0)
#define PAGE_KERNEL       __pgprot(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL | _PAGE_NX)
#define PAGE_KERNEL_RO    __pgprot(_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL | _PAGE_NX)
#define PAGE_KERNEL_ROX   __pgprot(_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL)
#define PAGE_KERNEL_EXEC  __pgprot(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL)
#define PAGE_SHARED_EXEC  __pgprot(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)
#define PAGE_SHARED       __pgprot(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX)
#define PAGE_READONLY     __pgprot(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX)
#define PAGE_READONLY_EXEC __pgprot(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)

/* Entries that point at the next-level table: everything allowed here, the leaf decides. */
#define _KERNPG_TABLE (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define _PAGE_TABLE   (_KERNPG_TABLE | _PAGE_USER)

/* ---- indexes ---- */
static inline unsigned long pgd_index(unsigned long a) { return (a >> PGDIR_SHIFT) & 511; }
static inline unsigned long pud_index(unsigned long a) { return (a >> PUD_SHIFT) & 511; }
static inline unsigned long pmd_index(unsigned long a) { return (a >> PMD_SHIFT) & 511; }
static inline unsigned long pte_index(unsigned long a) { return (a >> 12) & 511; }

/* ---- PTE tests ---- */
static inline bool pte_none(pte_t p)    { return pte_val(p) == 0; }
static inline bool pte_present(pte_t p) { return pte_val(p) & _PAGE_PRESENT; }
static inline bool pte_write(pte_t p)   { return pte_val(p) & _PAGE_RW; }
static inline bool pte_user(pte_t p)    { return pte_val(p) & _PAGE_USER; }
static inline bool pte_dirty(pte_t p)   { return pte_val(p) & _PAGE_DIRTY; }
static inline bool pte_young(pte_t p)   { return pte_val(p) & _PAGE_ACCESSED; }
static inline bool pte_global(pte_t p)  { return pte_val(p) & _PAGE_GLOBAL; }
static inline bool pte_exec(pte_t p)    { return !(pte_val(p) & _PAGE_NX); }
static inline unsigned long pte_pfn(pte_t p) { return (pte_val(p) & PTE_PFN_MASK) >> 12; }
static inline pgprot_t pte_pgprot(pte_t p) { return __pgprot(pte_val(p) & PTE_FLAGS_MASK); }
static inline bool pte_same(pte_t a, pte_t b) { return pte_val(a) == pte_val(b); }

/* ---- PTE changes (return a new value; nothing is written) ---- */
static inline pte_t pfn_pte(unsigned long pfn, pgprot_t prot) { return __pte((pfn << 12) | pgprot_val(prot)); }
static inline pte_t pte_mkwrite(pte_t p)   { return __pte(pte_val(p) | _PAGE_RW); }
static inline pte_t pte_wrprotect(pte_t p) { return __pte(pte_val(p) & ~_PAGE_RW); }
static inline pte_t pte_mkdirty(pte_t p)   { return __pte(pte_val(p) | _PAGE_DIRTY); }
static inline pte_t pte_mkclean(pte_t p)   { return __pte(pte_val(p) & ~_PAGE_DIRTY); }
static inline pte_t pte_mkyoung(pte_t p)   { return __pte(pte_val(p) | _PAGE_ACCESSED); }
static inline pte_t pte_mkold(pte_t p)     { return __pte(pte_val(p) & ~_PAGE_ACCESSED); }
/* pte_clear_flags - Linux's: @p without the flag bits in @clear (never the frame). */
static inline pte_t pte_clear_flags(pte_t p, u64 clear)
{
	return __pte(pte_val(p) & ~(clear & PTE_FLAGS_MASK));
}
/* pte_modify - same frame, A/D bits and uffd-wp bit; new protection. */
static inline pte_t pte_modify(pte_t p, pgprot_t prot)
{
	return __pte((pte_val(p) & (PTE_PFN_MASK | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_UFFD_WP)) |
		     pgprot_val(prot));
}
/*
 * The userfaultfd write-protect bit (Linux pte_uffd_wp & co.): a present
 * PTE the monitor protected with UFFDIO_WRITEPROTECT. It is always
 * read-only as well; a write to it goes to the monitor, not to COW. (A
 * page that is not mapped yet carries the same protection in a PTE
 * marker, PTE_MARKER_UFFD_WP, below.)
 */
static inline bool pte_uffd_wp(pte_t p)        { return pte_val(p) & _PAGE_UFFD_WP; }
static inline pte_t pte_mkuffd_wp(pte_t p)     { return __pte((pte_val(p) | _PAGE_UFFD_WP) & ~_PAGE_RW); }
static inline pte_t pte_clear_uffd_wp(pte_t p) { return __pte(pte_val(p) & ~_PAGE_UFFD_WP); }

/*
 * PTE markers (Linux include/linux/swapops.h: make_pte_marker & co.),
 * drawn above. The only marker is PTE_MARKER_UFFD_WP (Linux's value).
 */
typedef unsigned long pte_marker;
#define PTE_MARKER_UFFD_WP (1UL << 0)
#define PTE_MARKER_MASK    PTE_MARKER_UFFD_WP

/* make_pte_marker - a not-present entry carrying @marker (non-zero, PTE_MARKER_* bits). */
static inline pte_t make_pte_marker(pte_marker marker)
{
	return __pte(_PAGE_PTE_MARKER | ((marker & PTE_MARKER_MASK) << 12));
}
static inline bool is_pte_marker(pte_t p)
{
	return (pte_val(p) & (_PAGE_PRESENT | _PAGE_PTE_MARKER)) == _PAGE_PTE_MARKER;
}
/* pte_marker_get - the marker bits of @p, 0 if it is not a marker. */
static inline pte_marker pte_marker_get(pte_t p)
{
	return is_pte_marker(p) ? (pte_val(p) & PTE_PFN_MASK) >> 12 : 0;
}
/* pte_marker_uffd_wp - is @p a marker saying "write-protected by the monitor"? */
static inline bool pte_marker_uffd_wp(pte_t p) { return pte_marker_get(p) & PTE_MARKER_UFFD_WP; }
/* pte_none_mostly - none, or only a marker: no page is mapped (Linux's name). */
static inline bool pte_none_mostly(pte_t p) { return pte_none(p) || is_pte_marker(p); }
/* pte_protnone - a PROT_NONE entry: not present, but it keeps (and holds) a frame. */
static inline bool pte_protnone(pte_t p) { return !pte_present(p) && !pte_none_mostly(p); }
/* pte_maps_frame - present or PROT_NONE: the entry holds a reference to its frame (or the zero page). */
static inline bool pte_maps_frame(pte_t p) { return pte_present(p) || pte_protnone(p); }

/* ---- PTE slots: every read and write of a live entry goes through these ---- */
static inline pte_t ptep_get(pte_t *ptep) { return __pte(__atomic_load_n(&ptep->pte, __ATOMIC_RELAXED)); }
static inline void set_pte(pte_t *ptep, pte_t p) { __atomic_store_n(&ptep->pte, pte_val(p), __ATOMIC_RELAXED); }
static inline void pte_clear(pte_t *ptep) { set_pte(ptep, __pte(0)); }
/* ptep_get_and_clear - atomically take the entry out (the CPU may be setting A/D). */
static inline pte_t ptep_get_and_clear(pte_t *ptep) { return __pte(__atomic_exchange_n(&ptep->pte, 0, __ATOMIC_RELAXED)); }
/* ptep_set_wrprotect - clear W in place, atomically (fork's copy_pte_range uses it on the parent). */
static inline void ptep_set_wrprotect(pte_t *ptep) { __atomic_and_fetch(&ptep->pte, ~_PAGE_RW, __ATOMIC_RELAXED); }

/* ---- upper levels ---- */
static inline bool pgd_none(pgd_t e) { return pgd_val(e) == 0; }
static inline bool pud_none(pud_t e) { return pud_val(e) == 0; }
static inline bool pmd_none(pmd_t e) { return pmd_val(e) == 0; }
static inline bool pgd_present(pgd_t e) { return pgd_val(e) & _PAGE_PRESENT; }
static inline bool pud_present(pud_t e) { return pud_val(e) & _PAGE_PRESENT; }
static inline bool pmd_present(pmd_t e) { return pmd_val(e) & _PAGE_PRESENT; }
/* pud_leaf/pmd_leaf - maps a 1 GiB / 2 MiB page itself instead of a table. */
static inline bool pud_leaf(pud_t e) { return pud_val(e) & _PAGE_PSE; }
static inline bool pmd_leaf(pmd_t e) { return pmd_val(e) & _PAGE_PSE; }
static inline phys_addr_t pgd_table_phys(pgd_t e) { return pgd_val(e) & PTE_PFN_MASK; }
static inline phys_addr_t pud_table_phys(pud_t e) { return pud_val(e) & PTE_PFN_MASK; }
static inline phys_addr_t pmd_table_phys(pmd_t e) { return pmd_val(e) & PTE_PFN_MASK; }

#endif
