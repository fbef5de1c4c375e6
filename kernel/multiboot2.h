/*
 * kernel/multiboot2.h - reading what GRUB hands over (the multiboot2 info
 * block: a u32 total size, a u32 reserved word, then 8-byte-aligned tags).
 */
#ifndef KERNEL_MULTIBOOT2_H
#define KERNEL_MULTIBOOT2_H

#include "kernel/types.h"

#define MULTIBOOT2_BOOTLOADER_MAGIC 0x36d76289

#define MB2_TAG_END      0
#define MB2_TAG_CMDLINE  1
#define MB2_TAG_LOADER   2
#define MB2_TAG_MODULE   3
#define MB2_TAG_MMAP     6

#define MB2_MMAP_AVAILABLE 1

struct mb2_tag {
	u32 type;
	u32 size;
};

struct mb2_mmap_entry {
	u64 addr;
	u64 len;
	u32 type;      /* 1 available, 3 ACPI reclaimable, 4 NVS, 5 bad, else reserved */
	u32 reserved;
};

struct mb2_module {
	u64 start, end;      /* physical, [start, end) */
	const char *name;    /* the string after the file name in grub.cfg */
};

#define MB2_MAX_MODULES 8
#define MB2_MAX_MMAP    64

/* What kmain keeps of the info block (copied out, so the block can be reused). */
struct boot_info {
	phys_addr_t mbi_phys;
	u32 mbi_size;
	char cmdline[512];
	char loader[64];
	int nr_mmap;
	struct mb2_mmap_entry mmap[MB2_MAX_MMAP];
	int nr_modules;
	struct mb2_module modules[MB2_MAX_MODULES];
};

extern struct boot_info boot_info;

/* multiboot2_parse - fill boot_info from the info block at physical @mbi. */
void multiboot2_parse(phys_addr_t mbi);

#endif
