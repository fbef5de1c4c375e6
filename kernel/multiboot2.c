/*
 * kernel/multiboot2.c - copy what the kernel needs out of GRUB's info block.
 *
 * Runs on the early page tables, which map the first GiB in the direct map:
 * GRUB puts the block low in memory, so __va() reaches it. The module
 * names stay pointers into the block; mm/memblock.c reserves the block.
 */
#include "kernel/multiboot2.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/mm.h"

struct boot_info boot_info;

void multiboot2_parse(phys_addr_t mbi)
{
	const u8 *base = __va(mbi);
	u32 total = *(const u32 *)base;
	const u8 *p = base + 8;

	BUG_ON(mbi + total > (1UL << 30));  /* beyond the early direct map */
	boot_info.mbi_phys = mbi;
	boot_info.mbi_size = total;

	while (p < base + total) {
		const struct mb2_tag *tag = (const struct mb2_tag *)p;

		if (tag->type == MB2_TAG_END)
			break;
		switch (tag->type) {
		case MB2_TAG_CMDLINE:
			strlcpy(boot_info.cmdline, (const char *)(tag + 1), sizeof(boot_info.cmdline));
			break;
		case MB2_TAG_LOADER:
			strlcpy(boot_info.loader, (const char *)(tag + 1), sizeof(boot_info.loader));
			break;
		case MB2_TAG_MODULE:
			if (boot_info.nr_modules < MB2_MAX_MODULES) {
				const u32 *m = (const u32 *)(tag + 1);
				struct mb2_module *mod = &boot_info.modules[boot_info.nr_modules++];

				mod->start = m[0];
				mod->end = m[1];
				mod->name = (const char *)&m[2];
			}
			break;
		case MB2_TAG_MMAP: {
			const u32 *h = (const u32 *)(tag + 1);  /* entry_size, entry_version */
			u32 esize = h[0];
			const u8 *e = (const u8 *)(h + 2);

			while (e + esize <= p + tag->size && boot_info.nr_mmap < MB2_MAX_MMAP) {
				boot_info.mmap[boot_info.nr_mmap++] = *(const struct mb2_mmap_entry *)e;
				e += esize;
			}
			break;
		}
		}
		p += ALIGN_UP(tag->size, 8u);
	}
}
