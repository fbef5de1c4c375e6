/*
 * mm/mm_types.h - struct page: one per physical page frame (Linux
 * include/linux/mm_types.h, much smaller).
 *
 * All of them sit in one array, mem_map[], indexed by page frame number
 * (pfn = physical address >> 12). What a frame is used for decides which
 * fields mean something:
 *
 *   free (in the buddy allocator)  PG_buddy; lru on a free list; private = order
 *   slab (kmalloc objects)         PG_slab; slab_list, slab_cache, freelist, inuse
 *   page-table page                PG_pgtable
 *   page cache / anonymous         mapping + index; _mapcount = PTEs that map it
 *   reserved (kernel image, ...)   PG_reserved; never freed
 *
 * Reference counts: _refcount counts every reference (the allocator's
 * caller, each PTE, the page cache, kernel pins); the frame is freed when it
 * drops to 0. _mapcount counts only the PTEs. Unlike Linux, _mapcount
 * starts at 0 (Linux stores mapcount - 1).
 *
 * Kept at 56 bytes: one struct page per 4 KiB costs 1.4% of RAM.
 */
#ifndef MM_MM_TYPES_H
#define MM_MM_TYPES_H

#include "arch/x86_64/pgtable.h"
#include "kernel/list.h"
#include "kernel/rwsem.h"
#include "kernel/spinlock.h"
#include "kernel/types.h"

struct address_space;
struct kmem_cache;
struct file;
struct userfaultfd_ctx;
struct vm_operations_struct;

struct page {
	unsigned long flags;                      /* PG_* bits below */
	union {
		struct {  /* buddy, page cache, anonymous */
			struct list_head lru;             /* buddy: free-list link */
			struct address_space *mapping;    /* page cache: the file */
			unsigned long index;              /* page cache: page offset in file */
			unsigned long private;            /* buddy: order of the free block */
		};
		struct {  /* slab (mm/slab.c) */
			struct list_head slab_list;       /* on its cache's partial list */
			struct kmem_cache *slab_cache;    /* the cache this slab belongs to */
			void *freelist;                   /* first free object */
			unsigned int inuse;               /* objects handed out */
			unsigned int objects;             /* objects in this slab */
		};
	};
	int _refcount;
	int _mapcount;
};

/* page->flags bits */
enum pageflags {
	PG_reserved,  /* never handed to the allocator (kernel image, firmware, ...) */
	PG_buddy,     /* head of a free block in the buddy allocator */
	PG_slab,      /* holds kmalloc objects */
	PG_pgtable,   /* a page-table page */
	PG_large_kmalloc, /* head of a multi-page kmalloc() block; private = order */
	PG_dirty,     /* page cache: differs from what is stored */
	PG_anon,      /* anonymous memory (no file behind it) */
	PG_swapbacked,/* shared anonymous memory's page (Linux: shmem); counts in MM_SHMEMPAGES */
};

#define PAGE_FLAG_FUNCS(name, bit)                                                     \
	static inline bool Page##name(const struct page *p) { return p->flags & (1UL << (bit)); } \
	static inline void SetPage##name(struct page *p) { p->flags |= 1UL << (bit); }  \
	static inline void ClearPage##name(struct page *p) { p->flags &= ~(1UL << (bit)); }

PAGE_FLAG_FUNCS(Reserved, PG_reserved)
PAGE_FLAG_FUNCS(Buddy, PG_buddy)
PAGE_FLAG_FUNCS(Slab, PG_slab)
PAGE_FLAG_FUNCS(Pgtable, PG_pgtable)
PAGE_FLAG_FUNCS(LargeKmalloc, PG_large_kmalloc)
PAGE_FLAG_FUNCS(Dirty, PG_dirty)
PAGE_FLAG_FUNCS(Anon, PG_anon)
PAGE_FLAG_FUNCS(SwapBacked, PG_swapbacked)


/*
 * struct mm_struct - one address space (Linux include/linux/mm_types.h).
 * Shared by the threads of a process; mm_users counts them. mm_count
 * keeps the struct alone alive (Linux's split: mmget/mmput vs
 * mmgrab/mmdrop), for holders that must not pin the address space.
 *
 * Locking order: mmap_lock (sleeping, read for faults, write for
 * mmap/munmap/mprotect/brk) -> page_table_lock (spinlock, for PTE changes
 * and rss).
 */
/* rss counters: which kind of page a PTE maps (mm_counter() decides; Linux's names). */
enum { MM_FILEPAGES, MM_ANONPAGES, MM_SHMEMPAGES, NR_MM_COUNTERS };

struct mm_struct {
	pgd_t *pgd;                       /* top-level table; kernel half shared */
	int mm_users;                     /* tasks using it (atomic); the last one
	                                   * frees the pages, tables and VMAs */
	int mm_count;                     /* references to the struct itself (atomic):
	                                   * 1 for all the users together, +1 per
	                                   * mmgrab() (a userfaultfd context); the
	                                   * last mmdrop() frees the PGD and struct */

	struct rw_semaphore mmap_lock;
	/* -- mmap_lock -- */
	struct list_head mmap;            /* VMAs sorted by vm_start (vma->vm_list) */
	int map_count;                    /* number of VMAs */
	unsigned long start_code, end_code, start_data, end_data;
	unsigned long start_brk, brk;     /* the heap: [start_brk, brk) */
	unsigned long start_stack;
	unsigned long mmap_base;          /* mmap() allocates top-down below this */
	unsigned long total_vm;           /* pages in all VMAs */

	spinlock_t page_table_lock;
	/* -- page_table_lock -- */
	unsigned long rss[NR_MM_COUNTERS];/* resident pages by kind */
	unsigned long nr_ptes;            /* page-table pages under user space */
};

/* vm_flags: what a VMA allows, and what it is (Linux's values). */
#define VM_NONE       0x00000000UL
#define VM_READ       0x00000001UL
#define VM_WRITE      0x00000002UL
#define VM_EXEC       0x00000004UL
#define VM_SHARED     0x00000008UL
#define VM_MAYREAD    0x00000010UL   /* mprotect() may add VM_READ */
#define VM_MAYWRITE   0x00000020UL
#define VM_MAYEXEC    0x00000040UL
#define VM_MAYSHARE   0x00000080UL
#define VM_GROWSDOWN  0x00000100UL   /* the stack */
#define VM_UFFD_MISSING 0x00000200UL /* userfaultfd: report missing pages */
#define VM_UFFD_WP    0x00001000UL   /* userfaultfd: report writes to protected pages */
#define VM_DONTCOPY   0x00020000UL   /* not inherited by fork */
#define VM_ACCOUNT    0x00100000UL

/*
 * struct vm_area_struct - one range of an address space with one set of
 * permissions and one backing (anonymous memory, or a file at an offset).
 * [vm_start, vm_end), both page-aligned.
 */
struct vm_area_struct {
	unsigned long vm_start, vm_end;
	struct mm_struct *vm_mm;
	struct list_head vm_list;        /* in vm_mm->mmap, sorted (mmap_lock) */
	unsigned long vm_flags;          /* VM_* */
	pgprot_t vm_page_prot;           /* PTE protection for pages of this VMA */
	struct file *vm_file;            /* NULL: anonymous */
	unsigned long vm_pgoff;          /* file offset of vm_start, in pages */
	const struct vm_operations_struct *vm_ops;
	void *vm_private_data;           /* the owner of vm_ops' state (shared anonymous memory) */
	struct userfaultfd_ctx *vm_userfaultfd_ctx;  /* registered with this uffd, or NULL */
	/*
	 * has_anon_pages - an anonymous page was ever mapped here (Linux:
	 * vma->anon_vma != NULL, set by anon_vma_prepare() in the fault paths
	 * that make private pages). fork copies the PTEs of a file VMA only
	 * when it is set. Only ever goes from false to true (page_table_lock).
	 */
	bool has_anon_pages;
};

/* is_cow_mapping - private and (possibly) writable: pages are copied on write. */
static inline bool is_cow_mapping(unsigned long flags)
{
	return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
}

/* vm_fault_t: what a fault handler did (Linux's bits). */
typedef unsigned int vm_fault_t;
#define VM_FAULT_OOM      0x000001   /* no memory: the caller kills */
#define VM_FAULT_SIGBUS   0x000002   /* bad access to a valid mapping (beyond EOF, uffd SIGBUS) */
#define VM_FAULT_MAJOR    0x000004   /* had to wait (I/O, a userfaultfd handler) */
#define VM_FAULT_SIGSEGV  0x000040   /* no mapping, or no permission */
#define VM_FAULT_NOPAGE   0x000100   /* the handler installed the PTE itself */
#define VM_FAULT_LOCKED   0x000200   /* the page is returned locked */
#define VM_FAULT_RETRY    0x000400   /* mmap_lock was dropped; fault again */
#define VM_FAULT_ERROR (VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV)

/* Fault flags (struct vm_fault.flags). */
#define FAULT_FLAG_WRITE          0x01
#define FAULT_FLAG_ALLOW_RETRY    0x04  /* the handler may drop mmap_lock and return RETRY */
#define FAULT_FLAG_KILLABLE       0x10
#define FAULT_FLAG_TRIED          0x20  /* this is a retry */
#define FAULT_FLAG_USER           0x40  /* from user mode */
#define FAULT_FLAG_INSTRUCTION    0x100 /* an instruction fetch */
#define FAULT_FLAG_INTERRUPTIBLE  0x200

/*
 * struct vm_fault - everything about one fault, passed down the handlers
 * (Linux include/linux/mm.h): they read what they need and fill in the rest.
 */
struct vm_fault {
	struct vm_area_struct *vma;
	unsigned long address;    /* faulting address, page-aligned */
	unsigned long real_address;
	unsigned int flags;       /* FAULT_FLAG_* */
	unsigned long pgoff;      /* page offset in the file (file VMAs) */
	pmd_t *pmd;               /* the PMD entry above the PTE */
	pte_t *pte;               /* the PTE slot (NULL before it exists) */
	pte_t orig_pte;           /* the PTE as it was when the fault began */
	struct page *cow_page;    /* the new page of a copy-on-write */
	struct page *page;        /* the page the handler found or made */
};

/* What a file-backed VMA does on a fault (file systems fill it in). */
struct vm_operations_struct {
	/* open - a new VMA now shares this one's backing (split, fork). May be NULL. */
	void (*open)(struct vm_area_struct *vma);
	/* close - the VMA is going away (munmap, merge, exit). May be NULL. */
	void (*close)(struct vm_area_struct *vma);
	/* fault - find the page at vmf->pgoff, referenced, in vmf->page. */
	vm_fault_t (*fault)(struct vm_fault *vmf);
};

#endif
