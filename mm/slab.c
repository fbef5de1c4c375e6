/*
 * mm/slab.c - kmalloc(): small kernel objects carved out of whole pages.
 * Mirrors the idea of Linux mm/slub.c with kmalloc caches only; no
 * kmem_cache_create(), no per-CPU slabs, no constructors, no NUMA.
 *
 * Nine size classes, 8, 16, 32, ... 2048 bytes, one struct kmem_cache each.
 * A slab is one page from alloc_pages(gfp, 0) cut into PAGE_SIZE / size
 * equal objects; its struct page says so (PG_slab, slab_cache, freelist,
 * inuse, objects). A free object holds the address of the next free object
 * of its slab in its first 8 bytes. With slab debugging on (`slub_debug`
 * on the command line, and always under `ktest=`, as Linux's slub_debug
 * does) the rest of it is filled with POISON_FREE (0x6b), so that a write
 * after kfree() is noticed when the object is handed out again, and kfree()
 * searches the slab's whole free list for a double free. Without it both
 * cost nothing: kmalloc() and kfree() are a few dozen instructions.
 *
 *   one slab of kmalloc-1024 (a 4 KiB page), objects 1 and 3 free:
 *
 *     page_address(page)
 *     v
 *     +-----------+-----------+-----------+-----------+
 *     |  in use   | next|6b6b.|  in use   | NULL|6b6b.|
 *     +-----------+-----------+-----------+-----------+
 *                   ^     |                 ^
 *                   |     +-----------------+
 *     page->freelist+                              inuse = 2, objects = 4
 *
 * A cache keeps the slabs that have at least one free object on its
 * partial list; a full slab is on no list (kfree() finds it through
 * virt_to_page() anyway) and goes back on the partial list when an object
 * is freed. When a slab's last object is freed the page goes straight back
 * to the buddy allocator, so an idle cache holds no memory at all.
 *
 * Requests above KMALLOC_MAX_CACHE_SIZE get their own block from
 * alloc_pages() (the smallest order that fits); its head page is marked
 * PG_large_kmalloc with private = order.
 *
 * Locking order: kmem_cache.lock, then zone_lock (mm/page_alloc.c) - a new
 * slab is allocated with the cache lock held. Empty slabs are given back
 * after the cache lock is dropped. Both locks are taken with interrupts off,
 * so kmalloc()/kfree() work in interrupt handlers too.
 */
#include "mm/slab.h"
#include "mm/fail_alloc.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"

#define POISON_FREE 0x6b  /* fills freed objects, as in Linux */

struct kmem_cache {
	const char *name;               /* "kmalloc-64" */
	unsigned int object_size;       /* bytes per object: the size class */
	unsigned int objects_per_slab;  /* PAGE_SIZE / object_size */

	spinlock_t lock;
	/* -- protected by lock (with the slab fields of this cache's pages) -- */
	struct list_head partial;       /* slabs with >= 1 free object, via page->slab_list */
	unsigned long nr_slabs;         /* pages held: partial and full slabs */
	unsigned long objects_in_use;   /* handed out, not yet freed */
	unsigned long total_allocs;     /* stats: objects ever handed out */
	unsigned long total_frees;      /* stats: objects ever freed */
};

#define NR_KMALLOC_CACHES 9             /* 8 << 0 ... 8 << 8 = 2048 */
BUILD_BUG_ON((KMALLOC_MIN_SIZE << (NR_KMALLOC_CACHES - 1)) != KMALLOC_MAX_CACHE_SIZE);

static const char *const kmalloc_names[NR_KMALLOC_CACHES] = {
	"kmalloc-8", "kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-128",
	"kmalloc-256", "kmalloc-512", "kmalloc-1024", "kmalloc-2048",
};

/* Poisoning and the double-free search; fixed before the first kmalloc(). */
bool slub_debug;

/* Set up once by kmalloc_init(); each cache protects itself (see above). */
static struct kmem_cache kmalloc_caches[NR_KMALLOC_CACHES];
static bool kmalloc_ready;
/* Live PG_large_kmalloc blocks, and the pages they span; updated atomically, no lock. */
static unsigned long large_in_use;
static unsigned long large_pages;

/* kmalloc_index - the cache for @size (1..KMALLOC_MAX_CACHE_SIZE): smallest class >= size. */
static unsigned int kmalloc_index(size_t size)
{
	unsigned int i = 0;

	while ((size_t)KMALLOC_MIN_SIZE << i < size)
		i++;
	return i;
}

/* ---- one slab ---- */

/*
 * check_free_pointer - is @obj a possible free-list entry of @page: NULL, or
 * the start of one of its objects? Panics on a corrupted free list (an
 * object overwritten after kfree(), most likely). Caller holds the lock.
 */
static void check_free_pointer(struct kmem_cache *s, struct page *page, void *obj)
{
	unsigned long off = (unsigned long)obj - (unsigned long)page_address(page);

	if (obj && (off >= (unsigned long)page->objects * s->object_size ||
		    off % s->object_size != 0))
		panic("kmalloc: %s: free list of the slab at %p corrupted: %p is not "
		      "one of its objects (use after free?)", s->name, page_address(page), obj);
}

/*
 * check_poison - the object @obj is about to be handed out again: every
 * byte after its free-list link must still be POISON_FREE. Panics naming
 * the first changed byte otherwise. Caller holds the lock.
 */
static void check_poison(struct kmem_cache *s, const void *obj)
{
	const u8 *b = obj;

	for (unsigned int i = sizeof(void *); i < s->object_size; i++)
		if (unlikely(b[i] != POISON_FREE))
			panic("kmalloc: %s: object %p was written after kfree(): byte %u is "
			      "%#x, not %#x", s->name, obj, i, b[i], POISON_FREE);
}

/*
 * allocate_slab - a new slab for @s: one page, every object poisoned and on
 * the page's free list in address order, the slab on the partial list.
 * Entry/exit: s->lock held (takes zone_lock inside). Returns the page, or
 * NULL when the buddy allocator has no page.
 */
static struct page *allocate_slab(struct kmem_cache *s, gfp_t gfp)
{
	/* kmalloc() already had its fault-injection turn: one decision a call */
	struct page *page = alloc_pages((gfp & ~__GFP_ZERO) | __GFP_NOINJECT, 0);
	char *base;
	void *next = NULL;

	if (!page)
		return NULL;
	base = page_address(page);
	if (slub_debug)
		memset(base, POISON_FREE, PAGE_SIZE);
	for (unsigned int i = s->objects_per_slab; i-- > 0;) {
		*(void **)(base + i * s->object_size) = next;
		next = base + i * s->object_size;
	}
	SetPageSlab(page);
	page->slab_cache = s;
	page->freelist = next;
	page->inuse = 0;
	page->objects = s->objects_per_slab;
	list_add(&page->slab_list, &s->partial);
	s->nr_slabs++;
	return page;
}

/*
 * slab_alloc - one object from @s: from the first partial slab, or from a
 * new slab when none has room. Takes s->lock (irqsave). Returns the object
 * (poison checked, contents undefined) or NULL when out of pages.
 */
static void *slab_alloc(struct kmem_cache *s, gfp_t gfp)
{
	struct page *page;
	void *obj = NULL;
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	if (list_empty(&s->partial)) {
		page = allocate_slab(s, gfp);
		if (!page)
			goto out_unlock;
	} else {
		page = list_first_entry(&s->partial, struct page, slab_list);
	}
	obj = page->freelist;
	check_free_pointer(s, page, obj);
	BUG_ON(!obj);  /* a slab on the partial list has a free object */
	if (slub_debug)
		check_poison(s, obj);
	page->freelist = *(void **)obj;
	check_free_pointer(s, page, page->freelist);
	page->inuse++;
	if (!page->freelist)  /* now full: off the partial list */
		list_del(&page->slab_list);
	s->objects_in_use++;
	s->total_allocs++;
out_unlock:
	spin_unlock_irqrestore(&s->lock, flags);
	return obj;
}

/*
 * slab_free - give @obj back to its slab @page of cache @s: poison it, push
 * it on the slab's free list; a full slab goes back on the partial list, an
 * empty one goes back to the buddy allocator.
 * Takes s->lock (irqsave); frees the page after dropping it. Panics if @obj
 * is not the start of an object or is already free (double free).
 */
static void slab_free(struct kmem_cache *s, struct page *page, void *obj)
{
	unsigned long off = (unsigned long)obj - (unsigned long)page_address(page);
	struct page *empty = NULL;
	unsigned long flags;
	bool was_full;

	spin_lock_irqsave(&s->lock, flags);
	if (off % s->object_size != 0 || off >= (unsigned long)page->objects * s->object_size)
		panic("kfree(%p): not the start of an object of %s (offset %#lx in its slab)",
		      obj, s->name, off);
	if (obj == page->freelist)  /* the commonest double free, even without debugging */
		panic("kfree(%p): double free of an object of %s", obj, s->name);
	if (slub_debug) {
		for (void *f = page->freelist; f; f = *(void **)f) {
			check_free_pointer(s, page, f);
			if (f == obj)
				panic("kfree(%p): double free of an object of %s", obj, s->name);
		}
		memset((char *)obj + sizeof(void *), POISON_FREE,
		       s->object_size - sizeof(void *));
	}
	*(void **)obj = page->freelist;
	was_full = page->freelist == NULL;
	page->freelist = obj;
	page->inuse--;
	s->objects_in_use--;
	s->total_frees++;
	if (page->inuse == 0) {
		if (!was_full)  /* a one-object slab was full, so on no list */
			list_del(&page->slab_list);
		s->nr_slabs--;
		empty = page;
	} else if (was_full) {
		list_add(&page->slab_list, &s->partial);
	}
	spin_unlock_irqrestore(&s->lock, flags);

	if (empty) {
		/* No one can reach the page now: not on a list, no live object. */
		ClearPageSlab(empty);
		empty->slab_cache = NULL;
		empty->freelist = NULL;
		empty->inuse = 0;
		empty->objects = 0;
		__free_pages(empty, 0);
	}
}

/* ---- kmalloc, kfree, ksize ---- */

/* large_order - the smallest order whose block holds @size bytes, or MAX_ORDER + 1. */
static unsigned int large_order(size_t size)
{
	unsigned int order = 0;

	while (order <= MAX_ORDER && (PAGE_SIZE << order) < size)
		order++;
	return order;
}

/*
 * kmalloc - see mm/slab.h. Returns an object aligned to its size class
 * (page-aligned above KMALLOC_MAX_CACHE_SIZE), zeroed for __GFP_ZERO, or
 * NULL for size 0 or when memory is short. Takes a cache lock or zone_lock
 * with interrupts off; never sleeps.
 */
void *kmalloc(size_t size, gfp_t gfp)
{
	struct kmem_cache *s;
	struct page *page;
	unsigned int order;
	void *obj;

	if (unlikely(!kmalloc_ready))
		panic("kmalloc(%zu) before kmalloc_init()", size);
	if (size == 0)
		return NULL;
	if (size > KMALLOC_MAX_CACHE_SIZE) {
		order = large_order(size);
		page = alloc_pages(gfp, order);  /* NULL for order > MAX_ORDER */
		if (!page)
			return NULL;
		SetPageLargeKmalloc(page);
		page->private = order;
		__atomic_add_fetch(&large_in_use, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&large_pages, 1UL << order, __ATOMIC_RELAXED);
		return page_address(page);
	}
	if (should_fail_alloc())  /* fault injection (mm/fail_alloc.c) */
		return NULL;
	s = &kmalloc_caches[kmalloc_index(size)];
	obj = slab_alloc(s, gfp);
	if (obj && (gfp & __GFP_ZERO))
		memset(obj, 0, s->object_size);
	return obj;
}

/*
 * kmalloc_page - the struct page behind a pointer that @who ("kfree",
 * "ksize") was given, which must be a slab page or the head of a large
 * kmalloc block. Panics with a clear message otherwise.
 */
static struct page *kmalloc_page(const void *p, const char *who)
{
	unsigned long addr = (unsigned long)p;
	struct page *page;

	if (addr < PAGE_OFFSET || !pfn_valid(PFN_DOWN(__pa(addr))))
		panic("%s(%p): not a kmalloc() address (outside the direct map of RAM)", who, p);
	page = virt_to_page(p);
	if (PageSlab(page))
		return page;
	if (PageLargeKmalloc(page)) {
		if (p != page_address(page))
			panic("%s(%p): points inside the large kmalloc block at %p", who, p,
			      page_address(page));
		return page;
	}
	panic("%s(%p): not a kmalloc() object: pfn %#lx is neither a slab page nor a "
	      "large kmalloc block (flags %#lx, double free?)", who, p, page_to_pfn(page),
	      page->flags);
}

/*
 * kfree - give back an object from kmalloc(); kfree(NULL) does nothing.
 * Panics on a pointer kmalloc() did not return or on an obvious double free.
 */
void kfree(const void *p)
{
	struct page *page;
	unsigned int order;

	if (!p)
		return;
	page = kmalloc_page(p, "kfree");
	if (PageSlab(page)) {
		slab_free(page->slab_cache, page, (void *)p);
		return;
	}
	order = page->private;
	ClearPageLargeKmalloc(page);
	page->private = 0;
	__atomic_sub_fetch(&large_in_use, 1, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&large_pages, 1UL << order, __ATOMIC_RELAXED);
	__free_pages(page, order);
}

/* ksize - usable bytes at @p: its size class, or PAGE_SIZE << order; 0 for NULL. */
size_t ksize(const void *p)
{
	struct page *page;

	if (!p)
		return 0;
	page = kmalloc_page(p, "ksize");
	if (PageSlab(page))
		return page->slab_cache->object_size;
	return PAGE_SIZE << page->private;
}

/*
 * kmalloc_objects_in_use - live objects: slab objects of every cache plus
 * large blocks. Reads each counter without its lock: exact when nothing
 * allocates concurrently (the selftest runner), a snapshot otherwise.
 */
unsigned long kmalloc_objects_in_use(void)
{
	unsigned long n = __atomic_load_n(&large_in_use, __ATOMIC_RELAXED);

	for (unsigned int i = 0; i < NR_KMALLOC_CACHES; i++)
		n += READ_ONCE(kmalloc_caches[i].objects_in_use);
	return n;
}

/*
 * nr_slab_pages - pages that hold kmalloc() memory: every cache's slabs
 * and the large blocks (Linux counts both as unreclaimable slab). A
 * snapshot, like kmalloc_objects_in_use().
 */
unsigned long nr_slab_pages(void)
{
	unsigned long n = __atomic_load_n(&large_pages, __ATOMIC_RELAXED);

	for (unsigned int i = 0; i < NR_KMALLOC_CACHES; i++)
		n += READ_ONCE(kmalloc_caches[i].nr_slabs);
	return n;
}

/*
 * kmalloc_init - set up the size-class caches; they hold no slab yet.
 * Called once by mm_init() after the page allocator has memory; one CPU.
 */
void kmalloc_init(void)
{
	BUG_ON(kmalloc_ready);
	for (unsigned int i = 0; i < NR_KMALLOC_CACHES; i++) {
		struct kmem_cache *s = &kmalloc_caches[i];

		s->name = kmalloc_names[i];
		s->object_size = KMALLOC_MIN_SIZE << i;
		s->objects_per_slab = PAGE_SIZE / s->object_size;
		spin_lock_init(&s->lock, s->name);
		INIT_LIST_HEAD(&s->partial);
		s->nr_slabs = 0;
		s->objects_in_use = 0;
		s->total_allocs = 0;
		s->total_frees = 0;
	}
	kmalloc_ready = true;
}
