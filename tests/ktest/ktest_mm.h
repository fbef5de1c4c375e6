/*
 * tests/ktest/ktest_mm.h - helpers for the address-space selftests
 * (test_vma.c, test_fault.c, test_fork_mm.c): a test mm the ktest thread
 * switches to, lookups of PTEs and VMAs, a fake file with a page cache,
 * and a memory hog that leaves an exact number of pages free (to drive the
 * ENOMEM paths).
 */
#ifndef TESTS_KTEST_KTEST_MM_H
#define TESTS_KTEST_KTEST_MM_H

#include "kernel/fs.h"
#include "kernel/list.h"
#include "mm/internal.h"

/* User addresses the tests map at (all above MMAP_MIN_ADDR, below mmap_base). */
#define KT_BASE 0x10000000UL
#define KT_ADDR(n) (KT_BASE + (unsigned long)(n) * PAGE_SIZE)

#define KT_RW (PROT_READ | PROT_WRITE)
#define KT_ANON (MAP_PRIVATE | MAP_ANONYMOUS)

/*
 * ktest_mm_enter - a new mm, made current->mm (use_mm) so that do_mmap,
 * the syscalls and copy_to_user work on it. NULL on ENOMEM.
 * ktest_mm_leave - back to no mm, and the mm is freed (mmput).
 */
struct mm_struct *ktest_mm_enter(void);
void ktest_mm_leave(struct mm_struct *mm);

/* ktest_mmap - vm_mmap() of anonymous memory (no file) in current->mm. */
unsigned long ktest_mmap(unsigned long addr, unsigned long len, unsigned long prot,
			 unsigned long flags);

/*
 * ktest_fault - what the #PF handler does, minus the signal: find the VMA
 * under mmap_lock and call handle_mm_fault(). VM_FAULT_SIGSEGV if no VMA
 * covers @addr.
 */
vm_fault_t ktest_fault(struct mm_struct *mm, unsigned long addr, unsigned int flags);

/* ktest_pte - the PTE for @addr in @mm, or an empty one if there is no table. */
pte_t ktest_pte(struct mm_struct *mm, unsigned long addr);
/* ktest_page - the struct page @addr maps in @mm (zero page, PROT_NONE included), or NULL. */
struct page *ktest_page(struct mm_struct *mm, unsigned long addr);
/* ktest_vma - the VMA that contains @addr, or NULL. */
struct vm_area_struct *ktest_vma(struct mm_struct *mm, unsigned long addr);
/* ktest_nr_vmas - VMAs in @mm, counted by walking the list (checks map_count too). */
int ktest_nr_vmas(struct mm_struct *mm);

/*
 * struct ktest_file - a file that is only a page cache: KT_FILE_PAGES
 * pages, page i filled with the byte 'A' + i. Its ->mmap sets vm_ops
 * whose ->fault hands out the cached page (SIGBUS beyond nr_pages, as for
 * beyond EOF). f_count starts at 1, the test's own reference: mm code
 * must give back every reference it takes (ktest_file_put checks).
 */
#define KT_FILE_PAGES 4

struct ktest_file {
	struct file file;
	struct address_space mapping;
	struct page *pages[KT_FILE_PAGES];
	unsigned long nr_pages;     /* pages inside "EOF" (<= KT_FILE_PAGES) */
	int faults;                 /* ->fault calls */
};

/* ktest_file_get - set up *@kf with @f_mode (FMODE_*) and, if @mmap, a ->mmap. 0 or -ENOMEM. */
int ktest_file_get(struct ktest_file *kf, unsigned int f_mode, bool mmap);
/* ktest_file_put - free the pages; returns the file's f_count before (1 if nothing leaked). */
int ktest_file_put(struct ktest_file *kf);

/*
 * struct ktest_hog - all memory but @leave pages, taken from the page
 * allocator. ktest_hog_release gives it back.
 */
struct ktest_hog {
	struct list_head blocks;    /* head pages, page->index = order */
	unsigned long pages;
};

void ktest_hog(struct ktest_hog *h, unsigned long leave);
void ktest_hog_release(struct ktest_hog *h);

#endif
