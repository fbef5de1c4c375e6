/*
 * tests/ktest/test_buddy.c - selftests of the buddy allocator (mm/page_alloc.c).
 *
 * The cases look at the free lists through nr_free_blocks(order) and at the
 * struct pages of free blocks (PG_buddy, private = order), so they check the
 * mechanism - splitting, merging, alignment, reference counts - and not just
 * "allocation returned something". Each case gives back every page it takes.
 *
 * Blocks a case holds are kept on a local list through page->lru (free for
 * the owner of an allocated page), with their order in page->index.
 * No EXPECT/ASSERT argument may contain a '%': ktest pastes the expression
 * text into a printf format.
 */
#include "tests/ktest/ktest.h"
#include "kernel/list.h"
#include "kernel/string.h"
#include "mm/mm.h"

/* hold - remember an allocated block on @held until release_all(). */
static void hold(struct list_head *held, struct page *page, unsigned int order)
{
	page->index = order;
	list_add(&page->lru, held);
}

/* release_all - free every block on @held; returns how many there were. */
static unsigned long release_all(struct list_head *held)
{
	struct page *page, *next;
	unsigned long n = 0;

	list_for_each_entry_safe(page, next, held, lru) {
		unsigned int order = page->index;

		list_del(&page->lru);
		page->index = 0;
		__free_pages(page, order);
		n++;
	}
	return n;
}

static void snapshot(unsigned long counts[MAX_ORDER + 1])
{
	for (unsigned int o = 0; o <= MAX_ORDER; o++)
		counts[o] = nr_free_blocks(o);
}

/*
 * drain_below - allocate (and hold) every free block of orders 0..@limit-1,
 * so that the next small allocation has to split a block of order >= @limit.
 * While a block of order o is free, alloc_pages(o) must take exactly such a
 * block (smallest fit) and leave every other order alone: returns false if
 * it did not (or failed), which the callers report.
 */
static bool drain_below(struct list_head *held, unsigned int limit)
{
	unsigned long before[MAX_ORDER + 1], after[MAX_ORDER + 1];

	for (unsigned int o = 0; o < limit; o++) {
		while (nr_free_blocks(o) > 0) {
			struct page *p;

			snapshot(before);
			p = alloc_pages(GFP_KERNEL, o);
			snapshot(after);
			if (!p)
				return false;
			hold(held, p, o);
			for (unsigned int j = 0; j <= MAX_ORDER; j++)
				if (after[j] != before[j] - (j == o))
					return false;
		}
	}
	return true;
}

/* first_nonempty - the smallest order >= @from with a free block, or MAX_ORDER + 1. */
static unsigned int first_nonempty(const unsigned long counts[MAX_ORDER + 1], unsigned int from)
{
	while (from <= MAX_ORDER && counts[from] == 0)
		from++;
	return from;
}

/*
 * realloc_frame - allocate blocks of @order (with @gfp) until the one at
 * @pfn comes back, holding the others on @held; at most @tries blocks.
 * Returns that block (not held) or NULL.
 */
static struct page *realloc_frame(struct list_head *held, unsigned long pfn,
				  unsigned int order, gfp_t gfp, int tries)
{
	while (tries-- > 0) {
		struct page *p = alloc_pages(gfp, order);

		if (!p)
			return NULL;
		if (page_to_pfn(p) == pfn)
			return p;
		hold(held, p, order);
	}
	return NULL;
}

/* count_nonzero - bytes of [p, p + n) that are not 0. */
static unsigned long count_nonzero(const void *p, size_t n)
{
	const u8 *b = p;
	unsigned long bad = 0;

	for (size_t i = 0; i < n; i++)
		bad += b[i] != 0;
	return bad;
}

/* disjoint - do the pfn ranges [a, a + na) and [b, b + nb) not overlap? */
static bool disjoint(unsigned long a, unsigned long na, unsigned long b, unsigned long nb)
{
	return a + na <= b || b + nb <= a;
}

/*
 * With orders 0..2 empty, allocating one page splits the smallest free block
 * (order k >= 3): that order loses one block, each order below k gains one,
 * and the free halves sit at pfn + 2^j. Freeing the page merges it all back.
 */
KTEST(buddy_split)
{
	LIST_HEAD(held);
	unsigned long before[MAX_ORDER + 1], after[MAX_ORDER + 1], pfn;
	unsigned int k;
	struct page *p;

	EXPECT_TRUE(drain_below(&held, 3));  /* smallest fit, one block at a time */
	snapshot(before);
	k = first_nonempty(before, 0);
	if (k > MAX_ORDER) {
		release_all(&held);
		KTEST_SKIP("no free block of order >= 3");
	}
	EXPECT_GE(k, 3);
	p = alloc_pages(GFP_KERNEL, 0);
	snapshot(after);
	EXPECT_NOT_NULL(p);
	if (!p)
		goto out_release;
	ktest_info("split an order-%u block", k);
	EXPECT_EQ(after[k], before[k] - 1);
	for (unsigned int j = 0; j < k; j++)
		EXPECT_EQ(after[j], 1);
	for (unsigned int j = k + 1; j <= MAX_ORDER; j++)
		EXPECT_EQ(after[j], before[j]);

	pfn = page_to_pfn(p);
	EXPECT_EQ(pfn & ((1UL << k) - 1), 0);  /* the low end of the split block */
	EXPECT_FALSE(PageBuddy(p));
	EXPECT_EQ(page_ref_count(p), 1);
	for (unsigned int j = 0; j < k; j++) {
		struct page *half = pfn_to_page(pfn + (1UL << j));

		EXPECT_TRUE(PageBuddy(half));
		EXPECT_EQ(half->private, j);
	}

	__free_pages(p, 0);
	snapshot(after);
	for (unsigned int j = 0; j <= MAX_ORDER; j++)
		EXPECT_EQ(after[j], before[j]);
	EXPECT_TRUE(PageBuddy(pfn_to_page(pfn)));  /* whole again, headed by pfn */
	EXPECT_EQ(pfn_to_page(pfn)->private, k);
	for (unsigned int j = 0; j < k; j++)
		EXPECT_FALSE(PageBuddy(pfn_to_page(pfn + (1UL << j))));
out_release:
	release_all(&held);
}

/*
 * Two order-0 buddies (pfn and pfn ^ 1): freeing one leaves a free order-0
 * block (its buddy is in use); freeing the other merges them, and on up to
 * the block they were split from, headed by the lower pfn.
 */
KTEST(buddy_coalesce)
{
	LIST_HEAD(held);
	unsigned long before[MAX_ORDER + 1], after[MAX_ORDER + 1], pfn1, pfn2, head;
	struct page *p1, *p2;
	unsigned int k;

	EXPECT_TRUE(drain_below(&held, 3));  /* smallest fit, one block at a time */
	snapshot(before);
	k = first_nonempty(before, 0);
	if (k > MAX_ORDER) {
		release_all(&held);
		KTEST_SKIP("no free block of order >= 3");
	}
	p1 = alloc_pages(GFP_KERNEL, 0);
	p2 = alloc_pages(GFP_KERNEL, 0);  /* the order-0 half left by the split */
	EXPECT_NOT_NULL(p1);
	EXPECT_NOT_NULL(p2);
	if (!p1 || !p2)
		goto out_free;
	pfn1 = page_to_pfn(p1);
	pfn2 = page_to_pfn(p2);
	EXPECT_EQ(pfn2, pfn1 ^ 1);
	EXPECT_EQ(nr_free_blocks(0), 0);

	__free_pages(p1, 0);  /* its buddy p2 is in use: no merge */
	p1 = NULL;
	EXPECT_EQ(nr_free_blocks(0), 1);
	EXPECT_TRUE(PageBuddy(pfn_to_page(pfn1)));
	EXPECT_EQ(pfn_to_page(pfn1)->private, 0);

	__free_pages(p2, 0);  /* merges with p1, then on up to order k */
	p2 = NULL;
	snapshot(after);
	for (unsigned int j = 0; j <= MAX_ORDER; j++)
		EXPECT_EQ(after[j], before[j]);
	head = pfn1 & ~((1UL << k) - 1);
	EXPECT_TRUE(PageBuddy(pfn_to_page(head)));
	EXPECT_EQ(pfn_to_page(head)->private, k);
	EXPECT_FALSE(PageBuddy(pfn_to_page(pfn1 | 1)));  /* the upper buddy is no head */
out_free:
	if (p1)
		__free_pages(p1, 0);
	if (p2)
		__free_pages(p2, 0);
	release_all(&held);
}

/* A block of order n starts at a pfn that is a multiple of 2^n, for every n. */
KTEST(buddy_alignment)
{
	static const unsigned int orders[] = { 0, 1, 2, 3, 4, 5, 7, 9, MAX_ORDER, 1, 3 };
	LIST_HEAD(held);
	struct page *blocks[ARRAY_SIZE(orders)];

	for (unsigned int i = 0; i < ARRAY_SIZE(orders); i++) {
		unsigned int o = orders[i];
		struct page *p = alloc_pages(GFP_KERNEL, o);

		blocks[i] = p;
		EXPECT_NOT_NULL(p);
		if (!p)
			continue;
		hold(&held, p, o);
		EXPECT_EQ(page_to_pfn(p) & ((1UL << o) - 1), 0);
		EXPECT_EQ(page_to_phys(p) & ((PAGE_SIZE << o) - 1), 0);
		EXPECT_TRUE(pfn_valid(page_to_pfn(p) + (1UL << o) - 1));
	}
	/* ... and no two blocks held at once overlap. */
	for (unsigned int i = 0; i < ARRAY_SIZE(orders); i++) {
		for (unsigned int j = i + 1; j < ARRAY_SIZE(orders); j++) {
			if (!blocks[i] || !blocks[j])
				continue;
			unsigned long a = page_to_pfn(blocks[i]), b = page_to_pfn(blocks[j]);

			EXPECT_TRUE(disjoint(a, 1UL << orders[i], b, 1UL << orders[j]));
		}
	}
	release_all(&held);
}

/*
 * Take every free page one at a time: exactly nr_free_pages() of them, then
 * NULL (also for a MAX_ORDER block). Give them all back: the free lists are
 * exactly as before (a set of free frames has one maximal buddy
 * decomposition) and allocation works again.
 */
KTEST(buddy_exhaustion)
{
	LIST_HEAD(held);
	unsigned long before[MAX_ORDER + 1], after[MAX_ORDER + 1];
	unsigned long free_before = nr_free_pages(), n = 0;
	struct page *p;

	snapshot(before);
	while ((p = alloc_pages(GFP_KERNEL, 0)) != NULL) {
		hold(&held, p, 0);
		n++;
	}
	EXPECT_EQ(n, free_before);
	EXPECT_EQ(nr_free_pages(), 0);
	p = alloc_pages(GFP_KERNEL, 0);
	EXPECT_NULL(p);
	if (p)
		hold(&held, p, 0);
	p = alloc_pages(GFP_KERNEL, MAX_ORDER);
	EXPECT_NULL(p);
	if (p)
		hold(&held, p, MAX_ORDER);
	EXPECT_EQ(__get_free_pages(GFP_KERNEL, 0), 0);

	EXPECT_EQ(release_all(&held), n);
	EXPECT_EQ(nr_free_pages(), free_before);
	snapshot(after);
	for (unsigned int o = 0; o <= MAX_ORDER; o++)
		EXPECT_EQ(after[o], before[o]);

	p = alloc_pages(GFP_KERNEL, 0);
	EXPECT_NOT_NULL(p);
	if (p)
		__free_pages(p, 0);
	if (before[MAX_ORDER]) {
		p = alloc_pages(GFP_KERNEL, MAX_ORDER);
		EXPECT_NOT_NULL(p);
		if (p)
			__free_pages(p, MAX_ORDER);
	}
}

/*
 * __GFP_ZERO: dirty a block, free it, allocate until that same block comes
 * back with __GFP_ZERO (the first try here: free lists are LIFO) - every
 * byte of it is 0. For one page and for an order-2 block.
 */
KTEST(buddy_gfp_zero)
{
	static const unsigned int orders[] = { 0, 2 };

	for (unsigned int i = 0; i < ARRAY_SIZE(orders); i++) {
		unsigned int o = orders[i];
		LIST_HEAD(held);
		struct page *p = alloc_pages(GFP_KERNEL, o);
		unsigned long pfn;

		ASSERT_NOT_NULL(p);
		pfn = page_to_pfn(p);
		memset(page_address(p), 0xa5, PAGE_SIZE << o);
		__free_pages(p, o);

		p = realloc_frame(&held, pfn, o, GFP_KERNEL | __GFP_ZERO, 4096);
		EXPECT_NOT_NULL(p);
		if (p) {
			EXPECT_EQ(count_nonzero(page_address(p), PAGE_SIZE << o), 0);
			__free_pages(p, o);
		}
		/* Everything else taken on the way was zeroed too. */
		list_for_each_entry(p, &held, lru)
			EXPECT_EQ(count_nonzero(page_address(p), PAGE_SIZE << o), 0);
		release_all(&held);
	}
}

/*
 * get_page() adds a reference; __free_pages()/put_page() drop one and free
 * the block only when the last one goes.
 */
KTEST(buddy_refcount)
{
	unsigned long free0;
	struct page *p = alloc_pages(GFP_KERNEL, 0);

	ASSERT_NOT_NULL(p);
	EXPECT_EQ(page_ref_count(p), 1);
	EXPECT_EQ(page_mapcount(p), 0);
	free0 = nr_free_pages();
	get_page(p);
	EXPECT_EQ(page_ref_count(p), 2);
	__free_pages(p, 0);
	EXPECT_EQ(page_ref_count(p), 1);
	EXPECT_EQ(nr_free_pages(), free0);
	EXPECT_FALSE(PageBuddy(p));
	__free_pages(p, 0);
	EXPECT_EQ(page_ref_count(p), 0);
	EXPECT_EQ(nr_free_pages(), free0 + 1);

	/* A 4-page block with an extra reference: freed at the second put. */
	p = alloc_pages(GFP_KERNEL, 2);
	ASSERT_NOT_NULL(p);
	free0 = nr_free_pages();
	get_page(p);
	__free_pages(p, 2);
	EXPECT_EQ(nr_free_pages(), free0);
	__free_pages(p, 2);
	EXPECT_EQ(nr_free_pages(), free0 + 4);

	/* put_page() is the same for a single page. */
	p = alloc_page(GFP_KERNEL);
	ASSERT_NOT_NULL(p);
	free0 = nr_free_pages();
	get_page(p);
	get_page(p);
	put_page(p);
	put_page(p);
	EXPECT_EQ(page_ref_count(p), 1);
	EXPECT_EQ(nr_free_pages(), free0);
	put_page(p);
	EXPECT_EQ(nr_free_pages(), free0 + 1);
}

/* Orders above MAX_ORDER are refused without touching the free lists. */
KTEST(buddy_bad_order)
{
	unsigned long free0 = nr_free_pages();

	EXPECT_NULL(alloc_pages(GFP_KERNEL, MAX_ORDER + 1));
	EXPECT_NULL(alloc_pages(GFP_KERNEL, 31));
	EXPECT_NULL(alloc_pages(GFP_KERNEL | __GFP_ZERO, ~0u));
	EXPECT_EQ(__get_free_pages(GFP_KERNEL, MAX_ORDER + 1), 0);
	EXPECT_EQ(nr_free_blocks(MAX_ORDER + 1), 0);
	EXPECT_EQ(nr_free_pages(), free0);
}

/* nr_free_pages() is the sum of the per-order counts, before and after allocating. */
KTEST(buddy_counters)
{
	unsigned long sum = 0, free0 = nr_free_pages();
	struct page *p;

	for (unsigned int o = 0; o <= MAX_ORDER; o++)
		sum += nr_free_blocks(o) << o;
	EXPECT_EQ(sum, free0);
	EXPECT_GT(totalram_pages(), 0);
	EXPECT_LE(free0, totalram_pages());

	p = alloc_pages(GFP_KERNEL, 3);
	ASSERT_NOT_NULL(p);
	EXPECT_EQ(nr_free_pages(), free0 - 8);
	sum = 0;
	for (unsigned int o = 0; o <= MAX_ORDER; o++)
		sum += nr_free_blocks(o) << o;
	EXPECT_EQ(sum, free0 - 8);
	__free_pages(p, 3);
	EXPECT_EQ(nr_free_pages(), free0);
}

/*
 * A block comes out clean whatever its last user left in the struct page:
 * refcount 1, mapcount 0, no flags, no mapping/index/private.
 */
KTEST(buddy_new_page_state)
{
	LIST_HEAD(held);
	struct page *p = alloc_pages(GFP_KERNEL, 1);
	unsigned long pfn;

	ASSERT_NOT_NULL(p);
	pfn = page_to_pfn(p);
	SetPageDirty(p);
	SetPageAnon(p);
	p->mapping = (struct address_space *)0x1000;
	p->index = 42;
	p->private = 7;
	__free_pages(p, 1);

	p = realloc_frame(&held, pfn, 1, GFP_KERNEL, 4096);
	EXPECT_NOT_NULL(p);
	if (p) {
		EXPECT_EQ(p->flags, 0);
		EXPECT_EQ(page_ref_count(p), 1);
		EXPECT_EQ(page_mapcount(p), 0);
		EXPECT_NULL(p->mapping);
		EXPECT_EQ(p->index, 0);
		EXPECT_EQ(p->private, 0);
		__free_pages(p, 1);
	}
	release_all(&held);
}

/* __get_free_pages()/free_pages(): direct-map addresses of the same blocks. */
KTEST(buddy_address_forms)
{
	unsigned long free0 = nr_free_pages();
	unsigned long addr = __get_free_pages(GFP_KERNEL, 1);

	ASSERT_NE(addr, 0);
	EXPECT_GE(addr, PAGE_OFFSET);
	EXPECT_EQ(addr & (2 * PAGE_SIZE - 1), 0);
	EXPECT_EQ(page_ref_count(virt_to_page((void *)addr)), 1);
	EXPECT_PTR_EQ(page_address(virt_to_page((void *)addr)), (void *)addr);
	EXPECT_EQ(nr_free_pages(), free0 - 2);
	free_pages(addr, 1);
	EXPECT_EQ(nr_free_pages(), free0);

	addr = get_zeroed_page(GFP_KERNEL);
	ASSERT_NE(addr, 0);
	EXPECT_EQ(count_nonzero((void *)addr, PAGE_SIZE), 0);
	free_page(addr);
	free_pages(0, 0);  /* does nothing */
	EXPECT_EQ(nr_free_pages(), free0);
}

static struct ktest_case buddy_cases[] = {
	KTEST_CASE(buddy_split),
	KTEST_CASE(buddy_coalesce),
	KTEST_CASE(buddy_alignment),
	KTEST_CASE(buddy_exhaustion),
	KTEST_CASE(buddy_gfp_zero),
	KTEST_CASE(buddy_refcount),
	KTEST_CASE(buddy_bad_order),
	KTEST_CASE(buddy_counters),
	KTEST_CASE(buddy_new_page_state),
	KTEST_CASE(buddy_address_forms),
	{}
};

static struct ktest_suite buddy_suite = {
	.name = "buddy",
	.cases = buddy_cases,
};
ktest_register_suite(buddy_suite);
