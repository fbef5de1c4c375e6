/*
 * tests/ktest/test_xarray.c - the radix tree behind the page cache
 * (kernel/xarray.c): loads and stores at the edges of each level, erase
 * and the pruning of empty nodes (the per-case leak check counts the
 * nodes), ordered search across gaps, failed node allocations, and a
 * long random run checked against a plain array.
 */
#include "tests/ktest/ktest.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/xarray.h"
#include "mm/fail_alloc.h"
#include "mm/slab.h"

/* A distinct, recognisable non-NULL entry for @i (never dereferenced). */
#define ENTRY(i) ((void *)(0x1000UL + ((unsigned long)(i) << 4)))

KTEST(xarray_store_load_erase_edges)
{
	static const unsigned long idx[] = {
		0, 1, 63, 64, 65, 4095, 4096, 262143, 262144, 1UL << 30,
		(1UL << 36) + 5, ~0UL - 1, ~0UL,
	};
	struct xarray xa = XARRAY_INIT;
	unsigned long objs = kmalloc_objects_in_use();

	EXPECT_TRUE(xa_empty(&xa));
	EXPECT_PTR_EQ(xa_load(&xa, 0), NULL);
	for (unsigned int i = 0; i < ARRAY_SIZE(idx); i++) {
		EXPECT_EQ(xa_store(&xa, idx[i], ENTRY(i)), 0);
		/* everything stored so far is still there, nothing else is */
		for (unsigned int j = 0; j < ARRAY_SIZE(idx); j++)
			EXPECT_PTR_EQ(xa_load(&xa, idx[j]), j <= i ? ENTRY(j) : NULL);
		EXPECT_PTR_EQ(xa_load(&xa, idx[i] ^ 2), NULL);
	}
	/* overwrite keeps one entry per index */
	EXPECT_EQ(xa_store(&xa, 64, ENTRY(99)), 0);
	EXPECT_PTR_EQ(xa_load(&xa, 64), ENTRY(99));
	EXPECT_PTR_EQ(xa_erase(&xa, 64), ENTRY(99));
	EXPECT_PTR_EQ(xa_erase(&xa, 64), NULL);
	EXPECT_PTR_EQ(xa_load(&xa, 64), NULL);
	EXPECT_PTR_EQ(xa_load(&xa, 63), ENTRY(2));
	for (unsigned int i = 0; i < ARRAY_SIZE(idx); i++)
		xa_erase(&xa, idx[i]);
	/* every node pruned: the tree is empty and its memory is back */
	EXPECT_TRUE(xa_empty(&xa));
	EXPECT_EQ(kmalloc_objects_in_use(), objs);
}

KTEST(xarray_find_walks_in_order_across_gaps)
{
	static const unsigned long idx[] = { 3, 64, 4100, 300000, 1UL << 40 };
	struct xarray xa = XARRAY_INIT;
	unsigned long index, n = 0;
	void *e;

	for (unsigned int i = 0; i < ARRAY_SIZE(idx); i++)
		ASSERT_EQ(xa_store(&xa, idx[i], ENTRY(idx[i])), 0);
	xa_for_each(&xa, index, e) {
		EXPECT_LT(n, ARRAY_SIZE(idx));
		if (n < ARRAY_SIZE(idx)) {
			EXPECT_EQ(index, idx[n]);
			EXPECT_PTR_EQ(e, ENTRY(idx[n]));
		}
		n++;
	}
	EXPECT_EQ(n, ARRAY_SIZE(idx));
	/* from a start in the middle of a gap, and exactly at an entry */
	index = 65;
	EXPECT_PTR_EQ(xa_find(&xa, &index), ENTRY(4100));
	EXPECT_EQ(index, 4100);
	index = 300000;
	EXPECT_PTR_EQ(xa_find(&xa, &index), ENTRY(300000));
	index = (1UL << 40) + 1;
	EXPECT_PTR_EQ(xa_find(&xa, &index), NULL);
	/* erasing while iterating (truncate does) empties the tree */
	xa_for_each_start(&xa, index, e, 64)
		xa_erase(&xa, index);
	index = 0;
	EXPECT_PTR_EQ(xa_find(&xa, &index), ENTRY(3));
	EXPECT_EQ(index, 3);
	index = 4;
	EXPECT_PTR_EQ(xa_find(&xa, &index), NULL);
	xa_erase(&xa, 3);
	EXPECT_TRUE(xa_empty(&xa));
}

/* A store whose node allocation fails changes nothing and leaks nothing. */
KTEST(xarray_store_fails_cleanly)
{
	struct xarray xa = XARRAY_INIT;
	unsigned long objs = kmalloc_objects_in_use();
	int failures = 0;

	ASSERT_EQ(xa_store(&xa, 5, ENTRY(5)), 0);
	/* index 1 << 20 needs new roots and a new path: fail each allocation in turn */
	for (unsigned long n = 1; n < 16; n++) {
		int err;

		fail_alloc_nth(n);
		err = xa_store(&xa, 1UL << 20, ENTRY(7));
		fail_alloc_off();
		if (err == 0)
			break;
		failures++;
		EXPECT_EQ(err, -ENOMEM);
		EXPECT_PTR_EQ(xa_load(&xa, 1UL << 20), NULL);
		EXPECT_PTR_EQ(xa_load(&xa, 5), ENTRY(5));
	}
	EXPECT_GE(failures, 2);     /* a new root level and a new leaf at least */
	EXPECT_PTR_EQ(xa_load(&xa, 1UL << 20), ENTRY(7));
	xa_erase(&xa, 1UL << 20);
	xa_erase(&xa, 5);
	EXPECT_TRUE(xa_empty(&xa));
	EXPECT_EQ(kmalloc_objects_in_use(), objs);
}

/* Thousands of random stores and erases against a plain array. */
#define XR_SPAN 3000
static void *xr_ref[XR_SPAN];

KTEST(xarray_random_against_array)
{
	struct xarray xa = XARRAY_INIT;
	u64 seed = 0x9e3779b97f4a7c15ULL;
	unsigned long bad = 0, index, count = 0;
	void *e;

	memset(xr_ref, 0, sizeof(xr_ref));
	for (int i = 0; i < 20000; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		unsigned long k = (seed >> 33) % XR_SPAN;
		/* spread the indices over several levels */
		unsigned long at = k * 97;

		if ((seed >> 20) & 1) {
			bad += xa_store(&xa, at, ENTRY(i)) != 0;
			xr_ref[k] = ENTRY(i);
		} else {
			bad += xa_erase(&xa, at) != xr_ref[k];
			xr_ref[k] = NULL;
		}
	}
	for (unsigned long k = 0; k < XR_SPAN; k++)
		bad += xa_load(&xa, k * 97) != xr_ref[k];
	xa_for_each(&xa, index, e) {
		bad += index % 97 != 0 || xr_ref[index / 97] != e;
		count++;
	}
	for (unsigned long k = 0; k < XR_SPAN; k++)
		count -= xr_ref[k] != NULL;
	EXPECT_EQ(bad, 0);
	EXPECT_EQ(count, 0);
	for (unsigned long k = 0; k < XR_SPAN; k++)
		xa_erase(&xa, k * 97);
	EXPECT_TRUE(xa_empty(&xa));
}

static struct ktest_case xarray_cases[] = {
	KTEST_CASE(xarray_store_load_erase_edges),
	KTEST_CASE(xarray_find_walks_in_order_across_gaps),
	KTEST_CASE(xarray_store_fails_cleanly),
	KTEST_CASE(xarray_random_against_array),
	{}
};

static struct ktest_suite xarray_suite = {
	.name = "xarray",
	.cases = xarray_cases,
};
ktest_register_suite(xarray_suite);
