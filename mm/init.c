/*
 * mm/init.c - from GRUB's memory map to a running page allocator.
 *
 * mm_init() runs once, early in kmain(), on the boot page tables (which map
 * the first GiB three times: identity, direct map, kernel image):
 *
 *   1. memblock: RAM ranges from the multiboot2 memory map; reserve the first
 *      MiB (BIOS data), the kernel image, GRUB's info block and modules.
 *   2. mem_map[]: one struct page per frame up to the end of RAM, from memblock,
 *      every entry "reserved, refcount 1" to start with.
 *   3. paging_init(): build swapper_pg_dir -
 *        direct map of all RAM at PAGE_OFFSET (1 GiB or 2 MiB pages where
 *        aligned, 4 KiB at ragged edges), RW + NX + global;
 *        the kernel image at 0xffffffff80000000 in 4 KiB pages with the
 *        permissions of each section (text RX, rodata R, data/bss RW+NX),
 *        leaving the boot stack's guard page unmapped;
 *        the PUD table of the KMAP area, so that its PGD entry exists now;
 *      and switch CR3 to it. The identity map is gone from then on.
 *   4. give every frame that memblock did not reserve to the buddy allocator.
 */
#include "mm/mm.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/special_insns.h"
#include "kernel/multiboot2.h"
#include "kernel/printk.h"
#include "kernel/sections.h"
#include "kernel/string.h"
#include "mm/memblock.h"
#include "mm/pgtable.h"
#include "mm/slab.h"

struct page *mem_map;
unsigned long max_pfn;

static void __init_memblock(void)
{
	for (int i = 0; i < boot_info.nr_mmap; i++) {
		const struct mb2_mmap_entry *e = &boot_info.mmap[i];

		if (e->type != MB2_MMAP_AVAILABLE)
			continue;
		phys_addr_t base = PAGE_ALIGN(e->addr);
		phys_addr_t end = ALIGN_DOWN(e->addr + e->len, PAGE_SIZE);

		if (end > base)
			memblock_add(base, end - base);
	}
	memblock_reserve(0, 0x100000);
	memblock_reserve((phys_addr_t)__kernel_phys_start,
			 (phys_addr_t)__kernel_phys_end - (phys_addr_t)__kernel_phys_start);
	memblock_reserve(ALIGN_DOWN(boot_info.mbi_phys, PAGE_SIZE),
			 PAGE_ALIGN(boot_info.mbi_phys + boot_info.mbi_size) -
				 ALIGN_DOWN(boot_info.mbi_phys, PAGE_SIZE));
	for (int i = 0; i < boot_info.nr_modules; i++) {
		const struct mb2_module *m = &boot_info.modules[i];

		memblock_reserve(ALIGN_DOWN(m->start, PAGE_SIZE),
				 PAGE_ALIGN(m->end) - ALIGN_DOWN(m->start, PAGE_SIZE));
	}
}

/* One struct page per 4 KiB frame: 56 bytes is 1.4% of memory; 64 at most. */
BUILD_BUG_ON(sizeof(struct page) > 64);

static void alloc_mem_map(void)
{
	size_t size;

	max_pfn = PFN_DOWN(memblock_end_of_DRAM());
	size = PAGE_ALIGN(max_pfn * sizeof(struct page));
	mem_map = __va(memblock_alloc(size, PAGE_SIZE));
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++) {
		mem_map[pfn].flags = 1UL << PG_reserved;
		mem_map[pfn]._refcount = 1;
	}
}

/*
 * map_direct_range - map phys [base, end) at __va(base) with the largest
 * pages that fit: 1 GiB where the CPU has them and both ends are aligned,
 * else 2 MiB, else 4 KiB.
 */
static void map_direct_range(phys_addr_t base, phys_addr_t end)
{
	const u64 big = pgprot_val(PAGE_KERNEL) | _PAGE_PSE;

	while (base < end) {
		unsigned long va = (unsigned long)__va(base);
		pud_t *pudp = pud_alloc(pgd_offset_pgd(swapper_pg_dir, va), va);

		if (cpu_has_gbpages && IS_ALIGNED(base, PUD_SIZE) && end - base >= PUD_SIZE) {
			*pudp = __pud(base | big);
			base += PUD_SIZE;
			continue;
		}
		pmd_t *pmdp = pmd_alloc(pudp, va);

		BUG_ON(!pmdp);
		if (IS_ALIGNED(base, PMD_SIZE) && end - base >= PMD_SIZE) {
			*pmdp = __pmd(base | big);
			base += PMD_SIZE;
			continue;
		}
		pte_t *ptep = pte_alloc(pmdp, va);

		BUG_ON(!ptep);
		set_pte(ptep, pfn_pte(PFN_DOWN(base), PAGE_KERNEL));
		base += PAGE_SIZE;
	}
}

/* kernel_image_prot - the permissions of the kernel-image page at @va. */
static pgprot_t kernel_image_prot(unsigned long va)
{
	if (va >= (unsigned long)_text && va < (unsigned long)_etext)
		return PAGE_KERNEL_ROX;
	if (va >= (unsigned long)__start_rodata && va < (unsigned long)__end_rodata)
		return PAGE_KERNEL_RO;
	if (va >= (unsigned long)_sdata && va < (unsigned long)__bss_stop)
		return PAGE_KERNEL;
	return PAGE_KERNEL_RO;  /* .kallsyms and alignment padding */
}

static void map_kernel_image(void)
{
	for (unsigned long va = (unsigned long)_text; va < (unsigned long)_end; va += PAGE_SIZE) {
		if (va == (unsigned long)boot_stack_guard)
			continue;  /* the guard page: a stack overflow faults here */
		BUG_ON(map_page(swapper_pg_dir, va, va - KERNEL_VMA, kernel_image_prot(va)));
	}
}

static void paging_init(void)
{
	for (int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];

		map_direct_range(r->base, r->base + r->size);
	}
	map_kernel_image();
	BUG_ON(!pud_alloc(pgd_offset_pgd(swapper_pg_dir, KMAP_AREA_START), KMAP_AREA_START));
	write_cr3(__pa_symbol(swapper_pg_dir));
	flush_tlb_all();
}

static void free_range_to_buddy(phys_addr_t base, phys_addr_t end)
{
	unsigned long pfn = PFN_UP(base), last = PFN_DOWN(end);

	while (pfn < last) {
		unsigned int order = MAX_ORDER;

		/* The largest block that is aligned at pfn and fits before last. */
		while (order && (!IS_ALIGNED(pfn, 1UL << order) || pfn + (1UL << order) > last))
			order--;
		__free_pages_core(pfn_to_page(pfn), order);
		pfn += 1UL << order;
	}
}

/* mm_init - see the top of this file. Interrupts are off; one CPU runs. */
void mm_init(void)
{
	__init_memblock();
	alloc_mem_map();
	paging_init();
	free_area_init();
	memblock_freeze();
	after_bootmem = true;
	memblock_for_each_free_range(free_range_to_buddy);
	kmalloc_init();
	zero_page_init();
}
