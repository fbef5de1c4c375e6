/*
 * tests/ktest/test_kmalloc.c - selftests of kmalloc()/kfree() (mm/slab.c).
 *
 * They check the size classes, alignment, that live objects never overlap,
 * that slabs go back to the buddy allocator when empty, the large
 * (> KMALLOC_MAX_CACHE_SIZE) path, zeroing, poisoning, and the live-object
 * count the selftest runner relies on. Each case frees everything it takes.
 *
 * Pointer arrays are static (the boot stack is small); ktest runs one case
 * at a time. No EXPECT/ASSERT argument may contain a '%' (ktest pastes the
 * expression text into a printf format), and EXPECT_TRUE() takes no
 * comparison (a -Wlogical-not-parentheses quirk of ktest.h): those checks
 * are written as EXPECT_EQ.
 */
#include "tests/ktest/ktest.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/slab.h"

/* count_not - bytes of [p, p + n) that differ from @c. */
static unsigned long count_not(const void *p, size_t n, u8 c)
{
	const u8 *b = p;
	unsigned long bad = 0;

	for (size_t i = 0; i < n; i++)
		bad += b[i] != c;
	return bad;
}

/* ksize() is the size class: the smallest of 8..2048 that fits, else pages. */
KTEST(kmalloc_size_classes)
{
	static const struct { size_t size, want; } t[] = {
		{ 1, 8 },       { 7, 8 },       { 8, 8 },        { 9, 16 },
		{ 16, 16 },     { 17, 32 },     { 33, 64 },      { 65, 128 },
		{ 100, 128 },   { 129, 256 },   { 257, 512 },    { 513, 1024 },
		{ 1000, 1024 }, { 1025, 2048 }, { 2048, 2048 },  { 2049, PAGE_SIZE },
		{ PAGE_SIZE, PAGE_SIZE }, { PAGE_SIZE + 1, 2 * PAGE_SIZE },
		{ 5000, 2 * PAGE_SIZE },  { 3 * PAGE_SIZE, 4 * PAGE_SIZE },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(t); i++) {
		void *p = kmalloc(t[i].size, GFP_KERNEL);

		EXPECT_NOT_NULL(p);
		if (!p)
			continue;
		EXPECT_EQ(ksize(p), t[i].want);
		kfree(p);
	}
	EXPECT_EQ(ksize(NULL), 0);
}

/* Objects are aligned to their size class, for every class. */
KTEST(kmalloc_alignment)
{
	static void *objs[9][5];

	for (unsigned int c = 0; c < 9; c++) {
		size_t size = (size_t)KMALLOC_MIN_SIZE << c;

		for (unsigned int i = 0; i < 5; i++) {
			/* odd requests land in the same class and keep its alignment */
			objs[c][i] = kmalloc(i & 1 ? size / 2 + 1 : size, GFP_KERNEL);
			EXPECT_NOT_NULL(objs[c][i]);
			EXPECT_EQ((unsigned long)objs[c][i] & (size - 1), 0);
		}
	}
	for (unsigned int c = 0; c < 9; c++)
		for (unsigned int i = 0; i < 5; i++)
			kfree(objs[c][i]);
}

/*
 * Many live objects of mixed sizes: fill each with its own byte, then check
 * every one is intact (a shared byte would have been overwritten) and that
 * no two ranges [p, p + ksize) overlap.
 */
#define NOVL 300
static void *ovl_obj[NOVL];
static size_t ovl_size[NOVL];

static bool ranges_overlap(unsigned long a, size_t na, unsigned long b, size_t nb)
{
	return a < b + nb && b < a + na;
}

KTEST(kmalloc_no_overlap)
{
	static const size_t sizes[] = { 8, 13, 24, 64, 100, 256, 512, 1000, 2048, 3000, 40 };
	unsigned long overlaps = 0;

	for (unsigned int i = 0; i < NOVL; i++) {
		ovl_obj[i] = kmalloc(sizes[i % ARRAY_SIZE(sizes)], GFP_KERNEL);
		EXPECT_NOT_NULL(ovl_obj[i]);
		ovl_size[i] = ksize(ovl_obj[i]);
		if (ovl_obj[i])
			memset(ovl_obj[i], (u8)(i * 37 + 1), ovl_size[i]);
	}
	for (unsigned int i = 0; i < NOVL; i++) {
		if (!ovl_obj[i])
			continue;
		EXPECT_EQ(count_not(ovl_obj[i], ovl_size[i], (u8)(i * 37 + 1)), 0);
		for (unsigned int j = i + 1; j < NOVL; j++)
			overlaps += ovl_obj[j] && ranges_overlap((unsigned long)ovl_obj[i], ovl_size[i],
								 (unsigned long)ovl_obj[j], ovl_size[j]);
	}
	EXPECT_EQ(overlaps, 0);
	for (unsigned int i = 0; i < NOVL; i++)
		kfree(ovl_obj[i]);
}

/*
 * More 64-byte objects than three slabs hold: they span at least three slab
 * pages taken from the buddy allocator; freeing them (every other one first,
 * so full slabs go back to partial) returns every one of those pages.
 */
#define NSLAB_OBJS (3 * (PAGE_SIZE / 64) + 5)
static void *slab_obj[NSLAB_OBJS];

KTEST(kmalloc_slabs_return_pages)
{
	unsigned long free0 = nr_free_pages(), live0 = kmalloc_objects_in_use();
	struct page *pages[8];
	unsigned int npages = 0;

	for (unsigned int i = 0; i < NSLAB_OBJS; i++) {
		struct page *pg;
		unsigned int k;

		slab_obj[i] = kmalloc(64, GFP_KERNEL);
		EXPECT_NOT_NULL(slab_obj[i]);
		if (!slab_obj[i])
			continue;
		pg = virt_to_page(slab_obj[i]);
		EXPECT_TRUE(PageSlab(pg));
		for (k = 0; k < npages && pages[k] != pg; k++)
			;
		if (k == npages && npages < ARRAY_SIZE(pages))
			pages[npages++] = pg;
	}
	ktest_info("%lu objects on %u slabs", (unsigned long)NSLAB_OBJS, npages);
	EXPECT_GE(npages, 3);
	EXPECT_LE(nr_free_pages() + 3, free0);
	EXPECT_EQ(kmalloc_objects_in_use(), live0 + NSLAB_OBJS);
	/* The first slab was filled completely: all its objects are in use. */
	if (npages) {
		EXPECT_EQ(pages[0]->inuse, pages[0]->objects);
		EXPECT_EQ(pages[0]->objects, PAGE_SIZE / 64);
	}

	for (unsigned int i = 0; i < NSLAB_OBJS; i += 2)
		kfree(slab_obj[i]);
	EXPECT_EQ(kmalloc_objects_in_use(), live0 + NSLAB_OBJS / 2);
	for (unsigned int i = 1; i < NSLAB_OBJS; i += 2)
		kfree(slab_obj[i]);
	EXPECT_EQ(kmalloc_objects_in_use(), live0);
	EXPECT_EQ(nr_free_pages(), free0);
}

/*
 * Above 2048 bytes: whole pages, page-aligned, PG_large_kmalloc with the
 * order in private, taken from and given back to the buddy allocator.
 */
KTEST(kmalloc_large)
{
	unsigned long free0 = nr_free_pages(), live0 = kmalloc_objects_in_use();
	void *a = kmalloc(5000, GFP_KERNEL);
	void *b = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	void *big;

	EXPECT_NOT_NULL(a);
	EXPECT_NOT_NULL(b);
	if (!a || !b)
		goto out_free;
	EXPECT_EQ((unsigned long)a & (PAGE_SIZE - 1), 0);
	EXPECT_EQ((unsigned long)b & (PAGE_SIZE - 1), 0);
	EXPECT_EQ(ksize(a), 2 * PAGE_SIZE);
	EXPECT_EQ(ksize(b), 4 * PAGE_SIZE);
	EXPECT_TRUE(PageLargeKmalloc(virt_to_page(a)));
	EXPECT_FALSE(PageSlab(virt_to_page(a)));
	EXPECT_EQ(virt_to_page(a)->private, 1);
	EXPECT_EQ(virt_to_page(b)->private, 2);
	EXPECT_EQ(nr_free_pages(), free0 - 2 - 4);
	EXPECT_EQ(kmalloc_objects_in_use(), live0 + 2);
	memset(a, 0x5a, ksize(a));  /* all of it is ours */
	memset(b, 0x5a, ksize(b));

	/* The largest block there is, and one byte more than that. */
	big = kmalloc(PAGE_SIZE << MAX_ORDER, GFP_KERNEL);
	EXPECT_NOT_NULL(big);
	EXPECT_EQ(ksize(big), PAGE_SIZE << MAX_ORDER);
	kfree(big);
	EXPECT_NULL(kmalloc((PAGE_SIZE << MAX_ORDER) + 1, GFP_KERNEL));
out_free:
	kfree(a);
	kfree(b);
	EXPECT_EQ(nr_free_pages(), free0);
	EXPECT_EQ(kmalloc_objects_in_use(), live0);
	if (a)
		EXPECT_FALSE(PageLargeKmalloc(virt_to_page(a)));
}

/*
 * kzalloc() zeroes: dirty an object, free it, kzalloc() the same size - the
 * object comes back (LIFO) or a poisoned one does; either way it must be 0.
 */
KTEST(kmalloc_kzalloc)
{
	static const size_t sizes[] = { 16, 128, 2048, 5000 };

	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		void *p = kmalloc(sizes[i], GFP_KERNEL), *q;

		ASSERT_NOT_NULL(p);
		memset(p, 0xff, ksize(p));
		kfree(p);
		q = kzalloc(sizes[i], GFP_KERNEL);
		ASSERT_NOT_NULL(q);
		if (q != p)
			ktest_info("kzalloc(%zu) got another object than the freed one", sizes[i]);
		EXPECT_EQ(count_not(q, ksize(q), 0), 0);
		kfree(q);

		q = kmalloc(sizes[i], GFP_KERNEL | __GFP_ZERO);
		ASSERT_NOT_NULL(q);
		EXPECT_EQ(count_not(q, sizes[i], 0), 0);
		kfree(q);
	}
}

/* The edges: size 0, kfree(NULL), impossible sizes. Nothing changes. */
KTEST(kmalloc_edge_cases)
{
	unsigned long free0 = nr_free_pages(), live0 = kmalloc_objects_in_use();

	EXPECT_NULL(kmalloc(0, GFP_KERNEL));
	EXPECT_NULL(kzalloc(0, GFP_KERNEL));
	kfree(NULL);
	EXPECT_NULL(kmalloc(SIZE_MAX, GFP_KERNEL));
	EXPECT_NULL(kmalloc(1UL << 40, GFP_KERNEL));
	EXPECT_EQ(kmalloc_objects_in_use(), live0);
	EXPECT_EQ(nr_free_pages(), free0);
}

/* kmalloc_objects_in_use() goes up and down by exactly one per call. */
KTEST(kmalloc_objects_count)
{
	static const size_t sizes[] = { 8, 32, 32, 100, 2048, 2049, 8000, 64, 16, 700 };
	void *objs[ARRAY_SIZE(sizes)];
	unsigned long live0 = kmalloc_objects_in_use();

	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		objs[i] = kmalloc(sizes[i], GFP_KERNEL);
		EXPECT_NOT_NULL(objs[i]);
		EXPECT_EQ(kmalloc_objects_in_use(), live0 + i + 1);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		kfree(objs[i]);
		EXPECT_EQ(kmalloc_objects_in_use(), live0 + ARRAY_SIZE(sizes) - i - 1);
	}
}

/*
 * A freed object is poisoned (0x6b after its 8-byte free-list link) and is
 * the next one handed out (LIFO); the slab's inuse follows. A neighbour in
 * the same slab stays allocated so the page remains a slab to look at.
 */
#define NPOISON 40
static void *poison_obj[NPOISON];

KTEST(kmalloc_poison)
{
	unsigned int n, inuse;
	struct page *pg = NULL;
	void *a = NULL, *c;

	/* Two objects in a row from the same slab: a (to free) and its neighbour. */
	for (n = 0; n < NPOISON; n++) {
		poison_obj[n] = kmalloc(256, GFP_KERNEL);
		if (!poison_obj[n])
			break;
		if (n > 0 && virt_to_page(poison_obj[n]) == virt_to_page(poison_obj[n - 1])) {
			a = poison_obj[n - 1];
			pg = virt_to_page(a);
			n++;
			break;
		}
	}
	EXPECT_NOT_NULL(a);
	if (!a)
		goto out_free;
	EXPECT_TRUE(PageSlab(pg));
	EXPECT_NOT_NULL(pg->slab_cache);
	EXPECT_EQ(pg->objects, PAGE_SIZE / 256);
	inuse = pg->inuse;
	EXPECT_GE(inuse, 2);

	memset(a, 0x11, 256);
	kfree(a);
	EXPECT_EQ(pg->inuse, inuse - 1);
	EXPECT_PTR_EQ(pg->freelist, a);
	EXPECT_EQ(count_not((char *)a + 8, 256 - 8, 0x6b), 0);

	c = kmalloc(256, GFP_KERNEL);  /* a again: the head of the first partial slab */
	EXPECT_PTR_EQ(c, a);
	EXPECT_EQ(pg->inuse, inuse);
	for (unsigned int i = 0; i < n; i++)
		if (poison_obj[i] == a)
			poison_obj[i] = c;
out_free:
	for (unsigned int i = 0; i < n && i < NPOISON; i++)
		kfree(poison_obj[i]);
}

static struct ktest_case kmalloc_cases[] = {
	KTEST_CASE(kmalloc_size_classes),
	KTEST_CASE(kmalloc_alignment),
	KTEST_CASE(kmalloc_no_overlap),
	KTEST_CASE(kmalloc_slabs_return_pages),
	KTEST_CASE(kmalloc_large),
	KTEST_CASE(kmalloc_kzalloc),
	KTEST_CASE(kmalloc_edge_cases),
	KTEST_CASE(kmalloc_objects_count),
	KTEST_CASE(kmalloc_poison),
	{}
};

static struct ktest_suite kmalloc_suite = {
	.name = "kmalloc",
	.cases = kmalloc_cases,
};
ktest_register_suite(kmalloc_suite);
