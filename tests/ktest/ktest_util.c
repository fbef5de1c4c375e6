/* tests/ktest/ktest_util.c - see ktest_util.h. */
#include "tests/ktest/ktest_util.h"
#include "kernel/errno.h"
#include "kernel/string.h"

int ktest_map(struct ktest_mapping *m, unsigned long va, pgprot_t prot, int fill)
{
	int err;

	m->va = va;
	m->page = alloc_page(GFP_KERNEL);
	if (!m->page)
		return -ENOMEM;
	memset(page_address(m->page), fill, PAGE_SIZE);
	err = map_page(swapper_pg_dir, va, page_to_phys(m->page), prot);
	if (err) {
		put_page(m->page);
		m->page = NULL;
		return err;
	}
	return 0;
}

void ktest_unmap(struct ktest_mapping *m)
{
	if (!m->page)
		return;
	unmap_page(swapper_pg_dir, m->va, NULL);
	free_empty_pgtables(swapper_pg_dir, m->va, m->va + PAGE_SIZE);
	put_page(m->page);
	m->page = NULL;
}

void ktest_probe_read(void *addr)
{
	(void)*(volatile u8 *)addr;
}

void ktest_probe_write(void *addr)
{
	*(volatile u8 *)addr = 0x5a;
}

void ktest_probe_call(void *addr)
{
	((void (*)(void))addr)();
}
