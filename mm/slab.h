/*
 * mm/slab.h - kmalloc()/kfree(): small kernel objects (mm/slab.c).
 *
 * Requests up to KMALLOC_MAX_CACHE_SIZE bytes come from size-class caches
 * (8, 16, 32, ... 2048 bytes): each cache carves whole pages ("slabs") from
 * the buddy allocator into equal objects. Bigger requests get whole pages
 * straight from alloc_pages(). Every object is aligned to its size class
 * (at least 8 bytes); page-sized and larger blocks are page-aligned.
 */
#ifndef MM_SLAB_H
#define MM_SLAB_H

#include "kernel/types.h"
#include "mm/mm.h"

#define KMALLOC_MIN_SIZE 8
#define KMALLOC_MAX_CACHE_SIZE 2048

/*
 * kmalloc - @size bytes of kernel memory, or NULL (size 0 also gives NULL,
 * unlike Linux's ZERO_SIZE_PTR). __GFP_ZERO in @gfp zeroes them. Safe with
 * interrupts off; never sleeps.
 */
void *kmalloc(size_t size, gfp_t gfp);
static inline void *kzalloc(size_t size, gfp_t gfp) { return kmalloc(size, gfp | __GFP_ZERO); }
/* kfree - give back an object from kmalloc(); kfree(NULL) does nothing. */
void kfree(const void *p);
/* ksize - how many bytes the object at @p really has (its size class). */
size_t ksize(const void *p);

/* kmalloc_objects_in_use - live kmalloc() objects (the selftests' leak check). */
unsigned long kmalloc_objects_in_use(void);
/* nr_slab_pages - pages holding kmalloc() memory, slabs and large blocks (/proc/meminfo Slab). */
unsigned long nr_slab_pages(void);

/*
 * slub_debug - poison freed objects and check the poison on reuse, search
 * for double frees (see mm/slab.c). kmain() sets it from the command line
 * (`slub_debug`, or any `ktest=` run) before mm_init(); never changed after.
 */
extern bool slub_debug;

void kmalloc_init(void);

#endif
