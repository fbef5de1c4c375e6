/*
 * mm/page_alloc.c - the physical page allocator: a binary buddy allocator
 * over one zone (all of RAM). Mirrors Linux mm/page_alloc.c; no zones or
 * nodes, no per-CPU page lists, no migrate types, no watermarks or reclaim.
 *
 * Free memory is kept as blocks of 2^order frames, order 0..MAX_ORDER, each
 * naturally aligned (the first pfn is a multiple of 2^order). free_area[o]
 * lists the free blocks of order o, linked through the head page's lru; the
 * head page has PG_buddy set and private = o, the other pages of the block
 * are left unmarked.
 *
 * Every block of order o has exactly one "buddy": the other half of the
 * block of order o+1 that contains it. Their pfns differ in bit o only:
 *
 *     buddy_pfn = pfn ^ (1 << order)        merged block starts at pfn & ~(1 << order)
 *
 *     order 2:  [ 8  9 10 11 ][12 13 14 15 ]   8 ^ 4 = 12, 12 ^ 4 = 8
 *     order 1:  [ 8  9 ][10 11 ]               8 ^ 2 = 10
 *     order 0:  [ 8 ][ 9 ]                     8 ^ 1 = 9
 *
 * Splitting (alloc_pages(gfp, 0) when the smallest free block is order 3,
 * pfns 8..15): take the block off free_area[3] and halve it until it is the
 * size asked for; each upper half goes onto the free list one order down
 * (expand()):
 *
 *     order 3   [ 8  9 10 11 12 13 14 15 ]      taken from free_area[3]
 *     order 2   [ 8  9 10 11 ][12 13 14 15 ]    12..15 -> free_area[2]
 *     order 1   [ 8  9 ][10 11 ]                10..11 -> free_area[1]
 *     order 0   [ 8 ][ 9 ]                       9     -> free_area[0]
 *                 ^ returned to the caller
 *
 * Merging is the same picture read bottom-up (__free_one_page()): freeing
 * pfn 8 at order 0 finds its buddy 9 free at order 0, so the two become the
 * order-1 block at 8; its buddy 10 is free at order 1 -> order 2 at 8; buddy
 * 12 free at order 2 -> order 3 at 8; and so on until the buddy is in use,
 * has a different order, lies beyond max_pfn, or the block is MAX_ORDER.
 * Because every free pair of buddies is merged at once, there are never two
 * free buddies of the same order on the lists.
 *
 * Reference counts: alloc_pages() hands out the head page with _refcount 1;
 * __free_pages()/put_page() drop one reference and free the block at 0.
 * Misuse (double free, freeing a reserved, slab or mapped page) is reported
 * by bad_page() and the kernel panics.
 *
 * Locking: one spinlock, zone_lock, taken with interrupts off, protects the
 * free lists, their counters and the PG_buddy/private state of free pages.
 * It is a leaf lock: nothing else is taken while it is held (mm/slab.c
 * takes it inside its cache locks). Zeroing and the bad_page() checks run
 * outside it, on pages that no one else can reach.
 */
#include "arch/x86_64/page_64.h"
#include "mm/fail_alloc.h"
#include "mm/mm.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"

struct free_area {
	struct list_head free_list;  /* heads of free blocks of this order, via page->lru */
	unsigned long nr_free;       /* blocks on free_list */
};

static spinlock_t zone_lock;
/* -- protected by zone_lock -- */
static struct free_area free_area[MAX_ORDER + 1];
static unsigned long totalram;   /* frames given to the allocator at boot */

/* ---- reporting misuse ---- */

static const char *const pageflag_names[] = {
	[PG_reserved] = "reserved",
	[PG_buddy] = "buddy",
	[PG_slab] = "slab",
	[PG_pgtable] = "pgtable",
	[PG_large_kmalloc] = "large_kmalloc",
	[PG_dirty] = "dirty",
	[PG_anon] = "anon",
	[PG_swapbacked] = "swapbacked",
};

/*
 * dump_page - print every field of @page, flags decoded ("reserved|slab").
 * Takes no lock: it is a diagnostic and may show a page in mid-change.
 */
static void dump_page(const struct page *page)
{
	char names[96];
	size_t len = 0;

	names[0] = '\0';
	for (unsigned int bit = 0; bit < ARRAY_SIZE(pageflag_names); bit++) {
		if (!(page->flags & (1UL << bit)) || len >= sizeof(names))
			continue;
		len += snprintf(names + len, sizeof(names) - len, "%s%s", len ? "|" : "",
				pageflag_names[bit]);
	}
	printk("page:%p pfn:%#lx refcount:%d mapcount:%d\n", page, page_to_pfn(page),
	       page_ref_count(page), page_mapcount(page));
	printk("  flags: %#lx(%s)\n", page->flags, names);
	printk("  lru: {%p, %p} mapping:%p index:%#lx private:%#lx\n", page->lru.next,
	       page->lru.prev, page->mapping, page->index, page->private);
}

/*
 * bad_page - a page is in a state the allocator must never see (freed twice,
 * freed while reserved, still mapped, ...). Prints @reason and the struct
 * page, then panics: going on would hand the same frame out twice.
 * Must be called without zone_lock held. Does not return.
 */
static void __noreturn bad_page(const struct page *page, const char *reason)
{
	printk("BUG: Bad page state: pfn %#lx: %s\n", page_to_pfn(page), reason);
	dump_page(page);
	panic("bad page state at pfn %#lx: %s", page_to_pfn(page), reason);
}

/* ---- the free lists (all under zone_lock) ---- */

/*
 * add_to_free_list - make @page the head of a free block of @order.
 * Caller holds zone_lock; the block's pages are free and not on any list.
 */
static void add_to_free_list(struct page *page, unsigned int order)
{
	SetPageBuddy(page);
	page->private = order;
	list_add(&page->lru, &free_area[order].free_list);
	free_area[order].nr_free++;
}

/*
 * del_from_free_list - take the free block headed by @page (of @order) off
 * its list; the head loses PG_buddy and its order. Caller holds zone_lock.
 */
static void del_from_free_list(struct page *page, unsigned int order)
{
	list_del(&page->lru);
	ClearPageBuddy(page);
	page->private = 0;
	free_area[order].nr_free--;
}

/*
 * page_is_buddy - is @buddy the head of a free block of exactly @order?
 * A page inside a bigger free block is not marked, so it never matches.
 * Caller holds zone_lock (PG_buddy and private are stable under it).
 */
static bool page_is_buddy(const struct page *buddy, unsigned int order)
{
	return PageBuddy(buddy) && buddy->private == order;
}

/*
 * __free_one_page - put the block of 2^order frames at @pfn on the free
 * lists, merging it with its buddy as long as the buddy is free at the same
 * order (see the picture at the top of the file).
 * Entry: zone_lock held; the block's frames have refcount 0 and no PG_buddy.
 * Exit: zone_lock still held; the block (maybe merged) is on a free list.
 */
static void __free_one_page(unsigned long pfn, unsigned int order)
{
	while (order < MAX_ORDER) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy;

		if (!pfn_valid(buddy_pfn))
			break;
		buddy = pfn_to_page(buddy_pfn);
		if (!page_is_buddy(buddy, order))
			break;
		del_from_free_list(buddy, order);
		pfn &= buddy_pfn;  /* the lower of the two halves heads the merged block */
		order++;
	}
	add_to_free_list(pfn_to_page(pfn), order);
}

/*
 * expand - split the block at @page of order @high down to order @low: each
 * upper half goes onto the free list one order below (see the top of file).
 * Entry/exit: zone_lock held; @page is off the free lists and stays the
 * caller's, now as a block of order @low.
 */
static void expand(struct page *page, unsigned int low, unsigned int high)
{
	unsigned long size = 1UL << high;

	while (high > low) {
		high--;
		size >>= 1;
		add_to_free_list(&page[size], high);
	}
}

/*
 * __rmqueue - take a free block of @order off the lists, splitting the
 * smallest larger one if no block of @order is free.
 * Entry/exit: zone_lock held. Returns the head page (PG_buddy cleared) or
 * NULL when no block of @order or larger is free.
 */
static struct page *__rmqueue(unsigned int order)
{
	for (unsigned int o = order; o <= MAX_ORDER; o++) {
		struct free_area *area = &free_area[o];
		struct page *page;

		if (list_empty(&area->free_list))
			continue;
		page = list_first_entry(&area->free_list, struct page, lru);
		del_from_free_list(page, o);
		expand(page, order, o);
		return page;
	}
	return NULL;
}

/* ---- allocating and freeing ---- */

/*
 * prep_new_page - turn a block just taken off the free lists into an
 * allocated one: head page refcount 1, everything else cleared; zero the
 * whole block for __GFP_ZERO. No lock: the block belongs to the caller.
 */
static void prep_new_page(struct page *page, unsigned int order, gfp_t gfp)
{
	if (unlikely(page_ref_count(page) != 0 || page_mapcount(page) != 0 ||
		     PageReserved(page)))
		bad_page(page, "free-list page in use (refcount, mapcount or reserved)");
	page->flags = 0;
	page->mapping = NULL;
	page->index = 0;
	page->private = 0;
	set_page_count(page, 1);
	__atomic_store_n(&page->_mapcount, 0, __ATOMIC_RELAXED);
	if (gfp & __GFP_ZERO)
		for (unsigned long i = 0; i < (1UL << order); i++)
			clear_page(page_address(page + i));
}

/*
 * alloc_pages - see mm/mm.h. Takes and drops zone_lock (irqsave), so it may
 * be called with interrupts off. Returns the head page of 2^order frames,
 * aligned to their size, or NULL for order > MAX_ORDER or when no block
 * that large is free.
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	struct page *page;
	unsigned long flags;

	if (order > MAX_ORDER || (!(gfp & __GFP_NOINJECT) && should_fail_alloc()))
		return NULL;
	spin_lock_irqsave(&zone_lock, flags);
	page = __rmqueue(order);
	spin_unlock_irqrestore(&zone_lock, flags);
	if (!page)
		return NULL;
	prep_new_page(page, order, gfp);
	count_vm_events(pgalloc_normal, 1UL << order);
	return page;
}

/*
 * free_pages_prepare - the last reference to the block at @page is gone:
 * check that it may be freed and clear what the user left in the head page.
 * No lock held; panics through bad_page() on a reserved, slab or still
 * mapped page. (A refcount going below 0 is caught before the decrement,
 * in __free_pages().)
 */
static void free_pages_prepare(struct page *page, unsigned int order)
{
	if (unlikely(PageReserved(page)))
		bad_page(page, "freeing a reserved page");
	if (unlikely(PageSlab(page)))
		bad_page(page, "freeing a slab page (use kfree on its objects)");
	if (unlikely(page_mapcount(page) != 0))
		bad_page(page, "freeing a page that is still mapped (mapcount != 0)");
	page->flags = 0;
	page->mapping = NULL;
	page->index = 0;
	page->private = 0;
}

/*
 * __free_pages - drop one reference to the block of 2^order frames headed
 * by @page (from alloc_pages() with the same @order); at 0 the block goes
 * back onto the free lists and merges with its buddies.
 * Takes zone_lock (irqsave) only when the block is really freed. Freeing a
 * page that is already free panics (bad_page). The refcount is checked
 * before the decrement: a debugging aid, not proof against two CPUs putting
 * the last reference at once.
 */
void __free_pages(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);
	unsigned long flags;

	BUG_ON(order > MAX_ORDER || !pfn_valid(pfn) || !IS_ALIGNED(pfn, 1UL << order));
	if (unlikely(PageBuddy(page)))
		bad_page(page, "freeing a page that is already free (PG_buddy)");
	if (unlikely(page_ref_count(page) <= 0))
		bad_page(page, "freeing a page with refcount <= 0: it would go negative (double free?)");
	if (!put_page_testzero(page))
		return;
	free_pages_prepare(page, order);
	spin_lock_irqsave(&zone_lock, flags);
	__free_one_page(pfn, order);
	spin_unlock_irqrestore(&zone_lock, flags);
	count_vm_events(pgfree, 1UL << order);
}

/*
 * __put_page - see put_page() in mm/mm.h: @left is the refcount after the
 * decrement. 0: free the page (zone_lock taken inside). Below 0: the page
 * was free already - bad_page() (a double free). Returns only after a free.
 */
void __put_page(struct page *page, int left)
{
	unsigned long flags;

	if (unlikely(left < 0 || PageBuddy(page)))
		bad_page(page, "freeing a page with refcount <= 0: it would go negative (double free?)");
	free_pages_prepare(page, 0);
	count_vm_event(pgfree);
	spin_lock_irqsave(&zone_lock, flags);
	__free_one_page(page_to_pfn(page), 0);
	spin_unlock_irqrestore(&zone_lock, flags);
}

/*
 * __get_free_pages - alloc_pages() returning the block's direct-map
 * address, or 0 when nothing is free.
 */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp, order);

	return page ? (unsigned long)page_address(page) : 0;
}

/*
 * free_pages - __free_pages() by direct-map address; free_pages(0, ...) does
 * nothing. Panics on an address that is not a page-aligned direct-map
 * address of RAM.
 */
void free_pages(unsigned long addr, unsigned int order)
{
	if (!addr)
		return;
	if (addr < PAGE_OFFSET || !IS_ALIGNED(addr, PAGE_SIZE) || !pfn_valid(PFN_DOWN(__pa(addr))))
		panic("free_pages: %#lx is not a page-aligned direct-map address of RAM", addr);
	__free_pages(virt_to_page((void *)addr), order);
}

/* ---- counters (each takes zone_lock for a consistent snapshot) ---- */

/* nr_free_pages - free frames on all the free lists together. */
unsigned long nr_free_pages(void)
{
	unsigned long flags, sum = 0;

	spin_lock_irqsave(&zone_lock, flags);
	for (unsigned int order = 0; order <= MAX_ORDER; order++)
		sum += free_area[order].nr_free << order;
	spin_unlock_irqrestore(&zone_lock, flags);
	return sum;
}

/* nr_free_blocks - free blocks of exactly @order (0 for order > MAX_ORDER). */
unsigned long nr_free_blocks(unsigned int order)
{
	unsigned long flags, n;

	if (order > MAX_ORDER)
		return 0;
	spin_lock_irqsave(&zone_lock, flags);
	n = free_area[order].nr_free;
	spin_unlock_irqrestore(&zone_lock, flags);
	return n;
}

/* totalram_pages - frames handed to the allocator by __free_pages_core(). */
unsigned long totalram_pages(void)
{
	unsigned long flags, n;

	spin_lock_irqsave(&zone_lock, flags);
	n = totalram;
	spin_unlock_irqrestore(&zone_lock, flags);
	return n;
}

/* ---- boot ---- */

/*
 * free_area_init - empty free lists, counters at 0, zone_lock ready.
 * Called once by mm_init() before any __free_pages_core(); one CPU,
 * interrupts off.
 */
void free_area_init(void)
{
	spin_lock_init(&zone_lock, "zone_lock");
	for (unsigned int order = 0; order <= MAX_ORDER; order++) {
		INIT_LIST_HEAD(&free_area[order].free_list);
		free_area[order].nr_free = 0;
	}
	totalram = 0;
}

/*
 * __free_pages_core - hand a naturally aligned block of 2^order boot frames
 * to the allocator (mm/init.c, after free_area_init()).
 * Entry: every frame of the block is "reserved, refcount 1" as alloc_mem_map()
 * left it. Exit: the frames are unreserved with refcount 0, counted in
 * totalram_pages(), and the block is on the free lists, merged with any free
 * buddies. Panics if a frame was already given to the allocator.
 */
void __free_pages_core(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page), nr = 1UL << order;
	unsigned long flags;

	BUG_ON(order > MAX_ORDER || !IS_ALIGNED(pfn, nr) || pfn + nr > max_pfn);
	for (unsigned long i = 0; i < nr; i++) {
		struct page *p = &page[i];

		if (unlikely(!PageReserved(p) || page_ref_count(p) != 1))
			bad_page(p, "__free_pages_core: frame is not a fresh boot frame (given twice?)");
		ClearPageReserved(p);
		set_page_count(p, 0);
	}
	spin_lock_irqsave(&zone_lock, flags);
	totalram += nr;
	__free_one_page(pfn, order);
	spin_unlock_irqrestore(&zone_lock, flags);
}
