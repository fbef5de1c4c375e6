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
/* not a fault-injection point: kmalloc's own slab pages (kmalloc itself is one) */
#define __GFP_NOINJECT (1u << 1)

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
/* __put_page - put_page()'s slow path: the last reference went (or one too many). */
void __put_page(struct page *page, int left);

/*
 * put_page - drop a reference to a single page; frees it at 0. Inline, as
 * in Linux: dropping a reference that is not the last is one atomic
 * instruction. Dropping one that was not there (the count goes negative)
 * is a bug that __put_page() reports.
 */
static inline void put_page(struct page *page)
{
	int left = __atomic_sub_fetch(&page->_refcount, 1, __ATOMIC_ACQ_REL);

	if (unlikely(left <= 0))
		__put_page(page, left);
}

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

/*
 * ---- address spaces of processes (mm/mmap.c, mm/memory.c, mm/fork.c) ----
 * struct mm_struct, struct vm_area_struct, struct vm_fault, VM_* and
 * VM_FAULT_* are in mm/mm_types.h.
 */
struct mm_struct;
struct vm_area_struct;
struct file;
struct pt_regs;

/* User address space limits. */
#define TASK_SIZE        0x00007ffffffff000UL   /* == TASK_SIZE_MAX */
#define STACK_TOP        TASK_SIZE
#define STACK_SIZE_MAX   (8UL << 20)            /* the stack VMA exec makes */
#define TASK_UNMAPPED_BASE 0x00007f0000000000UL /* mmap() hint-less allocations go below this, top-down */

/* mmap prot and flags: Linux's values. */
#define PROT_NONE  0x0
#define PROT_READ  0x1
#define PROT_WRITE 0x2
#define PROT_EXEC  0x4
#define MAP_SHARED    0x01
#define MAP_PRIVATE   0x02
#define MAP_FIXED     0x10
#define MAP_ANONYMOUS 0x20
#define MAP_GROWSDOWN 0x0100
#define MAP_NORESERVE 0x4000
#define MAP_POPULATE  0x8000
#define MAP_FIXED_NOREPLACE 0x100000

/* mm_alloc - an empty address space: a new PGD sharing the kernel half. NULL on ENOMEM. */
struct mm_struct *mm_alloc(void);
void mmget(struct mm_struct *mm);
/* mmget_not_zero - mmget() unless the address space is already gone (mm_users 0). */
bool mmget_not_zero(struct mm_struct *mm);
/* mmgrab / mmdrop - keep only the struct mm_struct alive (mm_count), not its pages. */
void mmgrab(struct mm_struct *mm);
void mmdrop(struct mm_struct *mm);
/* mmput - drop a user; the last one frees every VMA, page and page table (exit_mmap). */
void mmput(struct mm_struct *mm);
/*
 * dup_mm - fork's copy of @old (Linux dup_mm -> dup_mmap -> copy_page_range):
 * the same VMAs; private writable pages write-protected in both. Takes
 * old->mmap_lock itself. NULL on ENOMEM, with nothing left behind.
 */
struct mm_struct *dup_mm(struct mm_struct *old);

/* find_vma - the first VMA with vm_end > @addr (it may start above @addr). mmap_lock held. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
/*
 * do_mmap - map [addr, addr+len) in current->mm (Linux do_mmap; mmap_lock
 * held for writing). @file is NULL for anonymous memory. Returns the start
 * address or -errno (as unsigned long).
 */
unsigned long do_mmap(struct file *file, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags, unsigned long pgoff);
/* vm_mmap - do_mmap taking current->mm's mmap_lock itself (exec uses it). */
unsigned long vm_mmap(struct file *file, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags, unsigned long pgoff);
/* do_munmap - unmap [start, start+len) of @mm, splitting VMAs; mmap_lock held for writing. */
int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len);

/*
 * handle_mm_fault - resolve a fault at @address in @vma (mmap_lock held for
 * reading). Returns VM_FAULT_* bits; with VM_FAULT_RETRY, mmap_lock has been
 * released. Never sends a signal: arch/x86_64/fault.c does that.
 */
unsigned int handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			     unsigned int flags, struct pt_regs *regs);

/* The shared page of zeroes that anonymous reads map (never freed, no refcount taken). */
extern struct page *zero_page;

/*
 * ---- address spaces, continued: the rest of the mm layer's interface ----
 * (mm/mm_core.c, mm/vma.c, mm/mmap.c, mm/mprotect.c, mm/memory.c, mm/fault.c,
 * mm/copy.c; what only mm/ itself needs is in mm/internal.h)
 */
#define MAP_SHARED_VALIDATE 0x03     /* MAP_SHARED, and refuse unknown flags */
#define MAP_TYPE            0x0f     /* the bits that say SHARED or PRIVATE */
#define PROT_GROWSDOWN 0x01000000
#define PROT_GROWSUP   0x02000000

/* MMAP_MIN_ADDR - nothing is mapped below this (Linux vm.mmap_min_addr): NULL stays a fault. */
#define MMAP_MIN_ADDR 0x10000UL

/*
 * use_mm / unuse_mm - a kernel thread (current->mm == NULL) runs with @mm
 * as its address space: current->mm = @mm, CR3 = @mm's PGD, so that
 * copy_to_user() & co. reach @mm's user half and fault into it. The
 * caller keeps a reference (mm_users) for as long as it uses @mm (Linux
 * kthread_use_mm / kthread_unuse_mm).
 */
void use_mm(struct mm_struct *mm);
void unuse_mm(struct mm_struct *mm);
/*
 * activate_mm - load @next's page tables on this CPU (exec: after
 * current->mm = @next). @prev may be NULL. Does not touch references.
 */
void activate_mm(struct mm_struct *prev, struct mm_struct *next);

/* find_vma_intersection - the first VMA overlapping [start, end), or NULL. mmap_lock held. */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
					     unsigned long end);
/* vm_munmap - do_munmap() on current->mm, taking mmap_lock itself. 0 or -EINVAL. */
int vm_munmap(unsigned long start, unsigned long len);
/* do_mprotect - mprotect(2) on current->mm (Linux do_mprotect_pkey() without pkeys). */
int do_mprotect(unsigned long start, unsigned long len, unsigned long prot);
/*
 * vm_brk_flags - map anonymous zero-fill memory at [addr, addr+len) of
 * current->mm, as the heap and an ELF's bss are (@flags: 0 or VM_EXEC),
 * replacing whatever was mapped there (as Linux does). Takes mmap_lock.
 * 0, -EINVAL (unaligned @addr, bad @flags) or -ENOMEM.
 */
int vm_brk_flags(unsigned long addr, unsigned long len, unsigned long flags);
/* mm_populate - fault in every page of [start, start+len) of current->mm (MAP_POPULATE). */
void mm_populate(unsigned long start, unsigned long len);

/* Resident pages of an address space, by kind (read without the lock: a snapshot). */
static inline unsigned long get_mm_counter(struct mm_struct *mm, int member)
{
	return READ_ONCE(mm->rss[member]);
}
static inline unsigned long get_mm_rss(struct mm_struct *mm)
{
	return get_mm_counter(mm, MM_FILEPAGES) + get_mm_counter(mm, MM_ANONPAGES) +
	       get_mm_counter(mm, MM_SHMEMPAGES);
}

/*
 * vm_events - what the allocator, the fault and the fork paths did, since
 * boot (Linux's /proc/vmstat event counters; the names are the lines
 * /proc/vmstat shows). The first four are Linux's own; the rest are this
 * kernel's, which Linux does not count.
 */
struct vm_event_state {
	unsigned long pgalloc_normal; /* pages handed out by alloc_pages() (2^order per call) */
	unsigned long pgfree;         /* pages given back to the free lists (not the boot hand-over) */
	unsigned long pgfault;        /* handle_mm_fault() calls */
	unsigned long pgmajfault;     /* ... that were major (waited for I/O or a uffd handler) */
	unsigned long cow_copy;       /* private copies made for a write: wp_page_copy, do_cow_fault */
	unsigned long cow_reuse;      /* COW faults that kept the page (wp_page_reuse, refcount 1) */
	unsigned long zero_page_map;  /* anonymous reads that mapped the zero page */
	unsigned long fork_pte_copy;  /* PTEs copied by fork (copy_pte_range) */
	unsigned long pgtable_alloc;  /* page-table pages allocated (after boot) */
	unsigned long pgtable_free;   /* ... and freed */
	unsigned long fork_resched;   /* times copy_pte_range let others run half-way */
	unsigned long oom_kill;       /* processes the OOM killer killed (mm/oom_kill.c) */
};
extern struct vm_event_state vm_events;
#define count_vm_events(item, n) __atomic_add_fetch(&vm_events.item, (n), __ATOMIC_RELAXED)
#define count_vm_event(item) count_vm_events(item, 1)

/*
 * Pages by state, over all of memory (Linux's node_stat_item on its one
 * node; /proc/meminfo and /proc/vmstat show them). Each moves where the
 * state changes, so each is exact at every moment:
 *
 *   NR_ANON_MAPPED  anonymous pages mapped by at least one PTE: +1 at the
 *                   first mapping (page_add_new_anon_rmap), -1 when the
 *                   last PTE goes (page_remove_rmap)
 *   NR_FILE_MAPPED  page-cache and shmem pages mapped by at least one PTE
 *                   (page_add_file_rmap / page_remove_rmap, likewise)
 *   NR_FILE_PAGES   pages in a page cache: files' (kernel/filemap.c) and
 *                   shared anonymous memory's (mm/memory.c)
 *   NR_SHMEM        pages of shared anonymous memory (PG_swapbacked)
 *
 * mm/audit.c checks the first three against mem_map[].
 */
enum node_stat_item {
	NR_ANON_MAPPED, NR_FILE_MAPPED, NR_FILE_PAGES, NR_SHMEM, NR_VM_NODE_STAT_ITEMS
};
extern long vm_node_stat[NR_VM_NODE_STAT_ITEMS];

/* mod_node_page_state - Mirrors Linux mod_node_page_state() without the node: @item += @delta. */
static inline void mod_node_page_state(enum node_stat_item item, long delta)
{
	__atomic_add_fetch(&vm_node_stat[item], delta, __ATOMIC_RELAXED);
}

/* global_node_page_state - the count of @item now (never below 0, as in Linux). */
static inline unsigned long global_node_page_state(enum node_stat_item item)
{
	long x = __atomic_load_n(&vm_node_stat[item], __ATOMIC_RELAXED);

	return x < 0 ? 0 : (unsigned long)x;
}

/* zero_page_init - set up zero_page (mm_init() calls it once). */
void zero_page_init(void);
/* zero_pfn - the zero page's frame number, set with zero_page (Linux's zero_pfn). */
extern unsigned long zero_pfn;
static inline bool is_zero_pfn(unsigned long pfn)
{
	return pfn == zero_pfn;
}

#endif
