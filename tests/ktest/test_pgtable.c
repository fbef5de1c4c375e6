/*
 * tests/ktest/test_pgtable.c - the page-table API on a private top-level
 * table that is never loaded into CR3 (pure data-structure tests), plus
 * translation through the live kernel tables and the PTE bit helpers.
 */
#include "tests/ktest/ktest.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/pgtable.h"

static pgd_t *test_pgd;

static int pgtable_suite_init(void)
{
	unsigned long t = get_zeroed_page(GFP_KERNEL);

	test_pgd = (pgd_t *)t;
	return t ? 0 : -ENOMEM;
}

static void pgtable_suite_exit(void)
{
	free_page((unsigned long)test_pgd);
}

#define UA 0x0000123456789000UL  /* a user address: PGD 36, PUD 141, PMD 179, PTE 393 */

KTEST(pgtable_map_and_translate)
{
	phys_addr_t pa;
	u64 flags;
	int level;

	ASSERT_EQ(map_page(test_pgd, UA, 0x5000, PAGE_SHARED), 0);
	ASSERT_TRUE(translate(test_pgd, UA + 0x123, &pa, &flags, &level));
	EXPECT_EQ(pa, 0x5123);
	EXPECT_EQ(level, 1);
	EXPECT_TRUE(flags & _PAGE_USER);
	EXPECT_TRUE(flags & _PAGE_RW);
	EXPECT_TRUE(flags & _PAGE_NX);
	/* the path: each level's entry at the index the address bits give */
	EXPECT_EQ(pgd_index(UA), 36);
	EXPECT_EQ(pte_index(UA), 393);
	EXPECT_TRUE(pgd_present(test_pgd[36]));
	EXPECT_FALSE(translate(test_pgd, UA + PAGE_SIZE, NULL, NULL, NULL));
	ASSERT_EQ(unmap_page(test_pgd, UA, NULL), 0);
	free_empty_pgtables(test_pgd, UA, UA + PAGE_SIZE);
}

KTEST(pgtable_unmap)
{
	pte_t old;

	ASSERT_EQ(map_page(test_pgd, UA, 0x7000, PAGE_READONLY), 0);
	EXPECT_EQ(unmap_page(test_pgd, UA, &old), 0);
	EXPECT_EQ(pte_pfn(old), 7);
	EXPECT_FALSE(pte_write(old));
	EXPECT_FALSE(translate(test_pgd, UA, NULL, NULL, NULL));
	EXPECT_EQ(unmap_page(test_pgd, UA, NULL), -ENOENT);
	EXPECT_EQ(unmap_page(test_pgd, UA + 0x40000000UL, NULL), -ENOENT);
	free_empty_pgtables(test_pgd, UA, UA + PAGE_SIZE);
}

KTEST(pgtable_errors)
{
	EXPECT_EQ(map_page(test_pgd, UA + 1, 0x5000, PAGE_SHARED), -EINVAL);
	EXPECT_EQ(map_page(test_pgd, UA, 0x5001, PAGE_SHARED), -EINVAL);
	EXPECT_EQ(map_page(test_pgd, 0x0000800000000000UL, 0x5000, PAGE_SHARED), -EINVAL);
	ASSERT_EQ(map_page(test_pgd, UA, 0x5000, PAGE_SHARED), 0);
	EXPECT_EQ(map_page(test_pgd, UA, 0x6000, PAGE_SHARED), -EEXIST);
	EXPECT_EQ(protect_page(test_pgd, UA + PAGE_SIZE, PAGE_READONLY), -ENOENT);
	unmap_page(test_pgd, UA, NULL);
	free_empty_pgtables(test_pgd, UA, UA + PAGE_SIZE);
}

KTEST(pgtable_protect_keeps_frame)
{
	pte_t *ptep;

	ASSERT_EQ(map_page(test_pgd, UA, 0x9000, PAGE_SHARED), 0);
	ptep = page_walk(test_pgd, UA, false);
	ASSERT_NOT_NULL(ptep);
	set_pte(ptep, pte_mkdirty(ptep_get(ptep)));
	EXPECT_EQ(protect_page(test_pgd, UA, PAGE_READONLY), 0);
	EXPECT_FALSE(pte_write(ptep_get(ptep)));
	EXPECT_TRUE(pte_user(ptep_get(ptep)));
	EXPECT_TRUE(pte_dirty(ptep_get(ptep)));  /* the CPU's A/D bits survive */
	EXPECT_EQ(pte_pfn(ptep_get(ptep)), 9);
	EXPECT_EQ(protect_page(test_pgd, UA, PAGE_SHARED), 0);
	EXPECT_TRUE(pte_write(ptep_get(ptep)));
	unmap_page(test_pgd, UA, NULL);
	free_empty_pgtables(test_pgd, UA, UA + PAGE_SIZE);
}

KTEST(pgtable_walk_without_alloc)
{
	unsigned long tables = nr_pgtable_pages;

	EXPECT_NULL(page_walk(test_pgd, UA, false));
	EXPECT_EQ(nr_pgtable_pages, tables);
	EXPECT_NOT_NULL(page_walk(test_pgd, UA, true));
	EXPECT_EQ(nr_pgtable_pages, tables + 3);  /* PUD, PMD and PTE tables */
	free_empty_pgtables(test_pgd, UA, UA + PAGE_SIZE);
	EXPECT_EQ(nr_pgtable_pages, tables);
	EXPECT_TRUE(pgd_none(test_pgd[pgd_index(UA)]));
}

KTEST(pgtable_free_only_empty_tables)
{
	unsigned long tables = nr_pgtable_pages;
	unsigned long far = UA + 0x8000000000UL;  /* next PGD entry */

	/* Two pages in one PTE table, one far away in another PGD entry. */
	ASSERT_EQ(map_page(test_pgd, UA, 0x1000, PAGE_SHARED), 0);
	ASSERT_EQ(map_page(test_pgd, UA + PAGE_SIZE, 0x2000, PAGE_SHARED), 0);
	ASSERT_EQ(map_page(test_pgd, far, 0x3000, PAGE_SHARED), 0);
	EXPECT_EQ(nr_pgtable_pages, tables + 6);

	/* One page gone: its PTE table still holds the other, nothing is freed. */
	unmap_page(test_pgd, UA, NULL);
	free_empty_pgtables(test_pgd, UA, UA + PAGE_SIZE);
	EXPECT_EQ(nr_pgtable_pages, tables + 6);
	EXPECT_TRUE(translate(test_pgd, UA + PAGE_SIZE, NULL, NULL, NULL));

	/* The second one gone: PTE, PMD and PUD tables of that branch go. */
	unmap_page(test_pgd, UA + PAGE_SIZE, NULL);
	free_empty_pgtables(test_pgd, UA, UA + 2 * PAGE_SIZE);
	EXPECT_EQ(nr_pgtable_pages, tables + 3);
	EXPECT_TRUE(pgd_none(test_pgd[pgd_index(UA)]));
	EXPECT_TRUE(translate(test_pgd, far, NULL, NULL, NULL));

	unmap_page(test_pgd, far, NULL);
	free_empty_pgtables(test_pgd, 0, 0x0000800000000000UL);
	EXPECT_EQ(nr_pgtable_pages, tables);
}

KTEST(pgtable_kernel_half_pgd_entries_stay)
{
	unsigned long va = KMAP_AREA_START + 0xc0000000UL;  /* a GiB no one else uses */
	pgd_t before = swapper_pg_dir[pgd_index(va)];
	unsigned long tables = nr_pgtable_pages;
	struct page *p = alloc_page(GFP_KERNEL);

	ASSERT_NOT_NULL(p);
	ASSERT_TRUE(pgd_present(before));  /* made at boot by mm_init() */
	ASSERT_EQ(map_page(swapper_pg_dir, va, page_to_phys(p), PAGE_KERNEL), 0);
	*(volatile u64 *)va = 42;  /* really mapped */
	EXPECT_EQ(*(u64 *)page_address(p), 42);
	EXPECT_EQ(nr_pgtable_pages, tables + 2);  /* PMD and PTE tables */
	unmap_page(swapper_pg_dir, va, NULL);
	free_empty_pgtables(swapper_pg_dir, va, va + PAGE_SIZE);
	EXPECT_EQ(nr_pgtable_pages, tables);
	EXPECT_EQ(pgd_val(swapper_pg_dir[pgd_index(va)]), pgd_val(before));
	put_page(p);
}

KTEST(pgtable_translate_direct_map)
{
	phys_addr_t pa;
	int level;

	ASSERT_TRUE(translate(swapper_pg_dir, (unsigned long)__va(0x345678), &pa, NULL, &level));
	EXPECT_EQ(pa, 0x345678);
	EXPECT_GE(level, 2);
	/* __pa(__va(x)) is x, and page_address() agrees with translate() */
	struct page *p = alloc_page(GFP_KERNEL);

	ASSERT_NOT_NULL(p);
	ASSERT_TRUE(translate(swapper_pg_dir, (unsigned long)page_address(p), &pa, NULL, NULL));
	EXPECT_EQ(pa, page_to_phys(p));
	put_page(p);
	EXPECT_FALSE(translate(swapper_pg_dir, 0x0000800000000000UL, NULL, NULL, NULL));
}

KTEST(pgtable_pte_helpers)
{
	pte_t p = pfn_pte(0x1234, PAGE_SHARED);

	EXPECT_EQ(pte_pfn(p), 0x1234);
	EXPECT_TRUE(pte_present(p));
	EXPECT_TRUE(pte_write(p));
	EXPECT_FALSE(pte_write(pte_wrprotect(p)));
	EXPECT_TRUE(pte_write(pte_mkwrite(pte_wrprotect(p))));
	EXPECT_EQ(pte_pfn(pte_wrprotect(p)), 0x1234);
	EXPECT_TRUE(pte_dirty(pte_mkdirty(p)));
	EXPECT_FALSE(pte_dirty(pte_mkclean(pte_mkdirty(p))));
	EXPECT_FALSE(pte_young(pte_mkold(p)));
	EXPECT_TRUE(pte_young(pte_mkyoung(pte_mkold(p))));
	EXPECT_FALSE(pte_exec(p));
	EXPECT_TRUE(pte_exec(pfn_pte(1, PAGE_READONLY_EXEC)));
	EXPECT_TRUE(pte_none(__pte(0)));
	EXPECT_TRUE(pte_same(p, pfn_pte(0x1234, PAGE_SHARED)));
	EXPECT_EQ(pte_val(pte_modify(pte_mkdirty(p), PAGE_READONLY)),
		  pte_val(pte_mkdirty(pfn_pte(0x1234, PAGE_READONLY))));

	pte_t slot = p;

	ptep_set_wrprotect(&slot);
	EXPECT_FALSE(pte_write(ptep_get(&slot)));
	EXPECT_EQ(pte_val(ptep_get_and_clear(&slot)), pte_val(pte_wrprotect(p)));
	EXPECT_TRUE(pte_none(slot));
}

/*
 * The three kinds of not-present entry - none, PROT_NONE, PTE marker -
 * never pass for one another, and a uffd-wp marker says only that.
 */
KTEST(pgtable_pte_markers)
{
	pte_t m = make_pte_marker(PTE_MARKER_UFFD_WP);
	pte_t protnone = pte_modify(pte_mkuffd_wp(pfn_pte(0x1234, PAGE_SHARED)), PAGE_NONE);

	EXPECT_TRUE(is_pte_marker(m));
	EXPECT_FALSE(pte_present(m));
	EXPECT_FALSE(pte_none(m));
	EXPECT_TRUE(pte_none_mostly(m));
	EXPECT_FALSE(pte_protnone(m));
	EXPECT_FALSE(pte_maps_frame(m));
	EXPECT_EQ(pte_marker_get(m), PTE_MARKER_UFFD_WP);
	EXPECT_TRUE(pte_marker_uffd_wp(m));
	EXPECT_FALSE(pte_uffd_wp(m));            /* the bit is for mapped pages */
	EXPECT_EQ(pte_val(m) & ~(PTE_PFN_MASK | _PAGE_PTE_MARKER), 0);

	/* none: no marker, nothing mapped */
	EXPECT_FALSE(is_pte_marker(__pte(0)));
	EXPECT_EQ(pte_marker_get(__pte(0)), 0);
	EXPECT_TRUE(pte_none_mostly(__pte(0)));
	EXPECT_FALSE(pte_maps_frame(__pte(0)));

	/* PROT_NONE keeps its frame (and the uffd-wp bit): not a marker */
	EXPECT_FALSE(pte_present(protnone));
	EXPECT_TRUE(pte_protnone(protnone));
	EXPECT_TRUE(pte_maps_frame(protnone));
	EXPECT_FALSE(is_pte_marker(protnone));
	EXPECT_FALSE(pte_none_mostly(protnone));
	EXPECT_EQ(pte_pfn(protnone), 0x1234);
	EXPECT_TRUE(pte_uffd_wp(protnone));
	EXPECT_FALSE(pte_marker_uffd_wp(protnone));

	/* present entries, even with every software bit, are never markers */
	pte_t p = pte_mkuffd_wp(pfn_pte(0x1234, PAGE_SHARED));

	EXPECT_FALSE(is_pte_marker(p));
	EXPECT_FALSE(is_pte_marker(__pte(pte_val(p) | _PAGE_PTE_MARKER)));
	EXPECT_TRUE(pte_maps_frame(p));
	EXPECT_FALSE(pte_none_mostly(p));
	EXPECT_EQ(pte_marker_get(p), 0);
	EXPECT_FALSE(pte_write(p));              /* uffd-wp implies read-only */
	EXPECT_TRUE(pte_uffd_wp(pte_modify(p, PAGE_READONLY)));
}

static struct ktest_case pgtable_cases[] = {
	KTEST_CASE(pgtable_map_and_translate),
	KTEST_CASE(pgtable_unmap),
	KTEST_CASE(pgtable_errors),
	KTEST_CASE(pgtable_protect_keeps_frame),
	KTEST_CASE(pgtable_walk_without_alloc),
	KTEST_CASE(pgtable_free_only_empty_tables),
	KTEST_CASE(pgtable_kernel_half_pgd_entries_stay),
	KTEST_CASE(pgtable_translate_direct_map),
	KTEST_CASE(pgtable_pte_helpers),
	KTEST_CASE(pgtable_pte_markers),
	{}
};

static struct ktest_suite pgtable_suite = {
	.name = "pgtable",
	.cases = pgtable_cases,
	.init = pgtable_suite_init,
	.exit = pgtable_suite_exit,
};
ktest_register_suite(pgtable_suite);
