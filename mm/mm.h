/*
 * mm/mm.h - physical memory: page frames, the direct map, the page allocator.
 *
 * Virtual address space of the kernel (x86-64, 4-level paging, 48 bits):
 *
 *   0x0000000000000000 - 0x00007fffffffffff   user space (per process)
 *   0xffff888000000000 + phys                 direct map of all RAM (PAGE_OFFSET)
 *   0xffffc90000000000 - 0xffffc97fffffffff   KMAP area: kernel mappings made
 *                                             page by page (tests, later vmalloc)
 *   0xffffffff80000000 + phys                 the kernel image
 *
 * Any RAM frame is reachable at __va(phys); __pa() goes back (direct-map
 * addresses only: kernel-image symbols use __pa_symbol()).
 */
#ifndef MM_MM_H
#define MM_MM_H

#include "kernel/compiler.h"
#include "kernel/types.h"
#include "mm/mm_types.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x) ALIGN_UP((unsigned long)(x), PAGE_SIZE)

#define PAGE_OFFSET     0xffff888000000000UL
#define KMAP_AREA_START 0xffffc90000000000UL
#define KMAP_AREA_END   0xffffc98000000000UL  /* one PGD slot: 512 GiB */

#define __va(pa) ((void *)((unsigned long)(pa) + PAGE_OFFSET))
#define __pa(va) ((phys_addr_t)((unsigned long)(va) - PAGE_OFFSET))

#define PFN_DOWN(x) ((unsigned long)(x) >> PAGE_SHIFT)
#define PFN_UP(x)   (((unsigned long)(x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_PHYS(pfn) ((phys_addr_t)(pfn) << PAGE_SHIFT)

extern struct page *mem_map;    /* mem_map[pfn] for pfn < max_pfn */
extern unsigned long max_pfn;   /* one past the highest RAM frame */

static inline struct page *pfn_to_page(unsigned long pfn) { return &mem_map[pfn]; }
static inline unsigned long page_to_pfn(const struct page *p) { return p - mem_map; }
static inline phys_addr_t page_to_phys(const struct page *p) { return PFN_PHYS(page_to_pfn(p)); }
static inline void *page_address(const struct page *p) { return __va(page_to_phys(p)); }
static inline struct page *virt_to_page(const void *kaddr) { return pfn_to_page(PFN_DOWN(__pa(kaddr))); }
static inline bool pfn_valid(unsigned long pfn) { return pfn < max_pfn; }

/* virt_to_phys - for a direct-map address or a kernel-image symbol alike. */
static inline phys_addr_t virt_to_phys(const void *x)
{
	unsigned long a = (unsigned long)x;

	return a >= 0xffffffff80000000UL ? a - 0xffffffff80000000UL : __pa(a);
}

/* ---- reference counts (see mm_types.h) ---- */
static inline int page_ref_count(const struct page *p) { return __atomic_load_n(&p->_refcount, __ATOMIC_RELAXED); }
static inline void set_page_count(struct page *p, int v) { __atomic_store_n(&p->_refcount, v, __ATOMIC_RELAXED); }
static inline void get_page(struct page *p) { __atomic_add_fetch(&p->_refcount, 1, __ATOMIC_RELAXED); }
/* put_page_testzero - drop a reference; true if it was the last one. */
static inline bool put_page_testzero(struct page *p) { return __atomic_sub_fetch(&p->_refcount, 1, __ATOMIC_ACQ_REL) == 0; }
static inline int page_mapcount(const struct page *p) { return __atomic_load_n(&p->_mapcount, __ATOMIC_RELAXED); }

/* ---- the page allocator (mm/page_alloc.c) ---- */
typedef unsigned int gfp_t;
#define GFP_KERNEL 0u
#define __GFP_ZERO (1u << 0)   /* fill the pages with zeroes */

#define MAX_ORDER 10           /* largest block: 2^10 pages = 4 MiB */

/*
 * alloc_pages - 2^order physically contiguous frames, aligned to their size.
 * Returns the first frame's struct page with _refcount 1, or NULL when no
 * block that large is free. May be called with interrupts off.
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order);
static inline struct page *alloc_page(gfp_t gfp) { return alloc_pages(gfp, 0); }
/* __free_pages - drop a reference to a block from alloc_pages(); frees it at 0. */
void __free_pages(struct page *page, unsigned int order);
/* put_page - drop a reference to a single page; frees it at 0. */
void put_page(struct page *page);

/* Address-based forms (direct-map addresses). 0 on failure. */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
static inline unsigned long get_zeroed_page(gfp_t gfp) { return __get_free_pages(gfp | __GFP_ZERO, 0); }
void free_pages(unsigned long addr, unsigned int order);
static inline void free_page(unsigned long addr) { free_pages(addr, 0); }

/* nr_free_pages - free frames in the buddy allocator, all orders together. */
unsigned long nr_free_pages(void);
/* nr_free_blocks - free blocks of exactly 2^order frames. */
unsigned long nr_free_blocks(unsigned int order);
/* totalram_pages - frames handed to the allocator at boot. */
unsigned long totalram_pages(void);

/*
 * free_area_init / memblock_free_all - set up the allocator over mem_map
 * and give it every frame memblock does not hold (mm/init.c calls both).
 */
void free_area_init(void);
void __free_pages_core(struct page *page, unsigned int order);

/* ---- boot (mm/init.c) ---- */
void mm_init(void);

#endif
