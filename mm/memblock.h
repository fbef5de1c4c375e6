/*
 * mm/memblock.h - the boot-time memory manager (Linux mm/memblock.c, small).
 *
 * Before mem_map[] and the buddy allocator exist, memory is two sorted lists
 * of physical ranges: "memory" (RAM from the firmware's map) and "reserved"
 * (kernel image, GRUB's info block and modules, the first MiB, and whatever
 * memblock_alloc() has handed out). mm_init() then gives every frame that is
 * in memory but not reserved to the buddy allocator; memblock is not used
 * after that.
 */
#ifndef MM_MEMBLOCK_H
#define MM_MEMBLOCK_H

#include "kernel/types.h"

#define MEMBLOCK_MAX_REGIONS 128

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
};

struct memblock_type {
	int cnt;
	struct memblock_region regions[MEMBLOCK_MAX_REGIONS];  /* sorted, merged */
};

struct memblock {
	struct memblock_type memory;
	struct memblock_type reserved;
	phys_addr_t alloc_limit;  /* memblock_alloc() stays below this */
	bool frozen;              /* set once the buddy allocator owns memory */
};

extern struct memblock memblock;

void memblock_add(phys_addr_t base, phys_addr_t size);
void memblock_reserve(phys_addr_t base, phys_addr_t size);
/*
 * memblock_alloc - @size bytes aligned to @align, zeroed, reserved for good.
 * Returns the physical address; panics if there is no room (at boot there
 * is nothing to fall back on). Only before memblock_freeze().
 */
phys_addr_t memblock_alloc(phys_addr_t size, phys_addr_t align);
bool memblock_is_reserved(phys_addr_t addr);
phys_addr_t memblock_end_of_DRAM(void);
phys_addr_t memblock_phys_mem_size(void);
phys_addr_t memblock_reserved_size(void);
void memblock_freeze(void);

/*
 * for_each_free_range - call fn(base, end) for each maximal range that is
 * in memory but not reserved, in address order.
 */
void memblock_for_each_free_range(void (*fn)(phys_addr_t base, phys_addr_t end));

#endif
