/*
 * tests/ktest/ktest_util.h - helpers shared by the selftests: a page of
 * fresh memory mapped at an address of the test's choosing in the kernel's
 * own page tables (swapper_pg_dir), and taken down again without leaking
 * the page or the page-table pages.
 */
#ifndef TESTS_KTEST_KTEST_UTIL_H
#define TESTS_KTEST_KTEST_UTIL_H

#include "arch/x86_64/extable.h"
#include "mm/pgtable.h"

/* Scratch virtual addresses: the KMAP area (kernel) and a low user address. */
#define KTEST_KVA(n) (KMAP_AREA_START + 0x40000000UL + (unsigned long)(n) * PAGE_SIZE)
#define KTEST_UVA(n) (0x400000UL + (unsigned long)(n) * PAGE_SIZE)

struct ktest_mapping {
	unsigned long va;
	struct page *page;
};

/*
 * ktest_map - allocate a zeroed page, fill it with @fill, and map it at @va
 * in swapper_pg_dir with @prot. Returns 0 or -errno (nothing left behind).
 */
int ktest_map(struct ktest_mapping *m, unsigned long va, pgprot_t prot, int fill);
/* ktest_unmap - unmap, free the page and every page-table page that became empty. */
void ktest_unmap(struct ktest_mapping *m);

/* Probes for catch_fault(): arg is the address. */
void ktest_probe_read(void *addr);
void ktest_probe_write(void *addr);
void ktest_probe_call(void *addr);

#endif
