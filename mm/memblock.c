/* mm/memblock.c - boot-time physical memory ranges (see memblock.h). */
#include "mm/memblock.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/mm.h"

struct memblock memblock = { .alloc_limit = 1UL << 30 };

/*
 * memblock_insert - add [base, base+size) to @type, keeping it sorted and
 * merging ranges that overlap or touch.
 */
static void memblock_insert(struct memblock_type *type, phys_addr_t base, phys_addr_t size)
{
	phys_addr_t end = base + size;
	int i = 0, j;

	if (size == 0)
		return;
	/* Skip ranges entirely before (not touching) the new one. */
	while (i < type->cnt && type->regions[i].base + type->regions[i].size < base)
		i++;
	/* Absorb every range that overlaps or touches [base, end). */
	j = i;
	while (j < type->cnt && type->regions[j].base <= end) {
		base = min(base, type->regions[j].base);
		end = max(end, type->regions[j].base + type->regions[j].size);
		j++;
	}
	if (j == i) {
		BUG_ON(type->cnt >= MEMBLOCK_MAX_REGIONS);
		memmove(&type->regions[i + 1], &type->regions[i],
			(type->cnt - i) * sizeof(type->regions[0]));
		type->cnt++;
	} else if (j > i + 1) {
		memmove(&type->regions[i + 1], &type->regions[j],
			(type->cnt - j) * sizeof(type->regions[0]));
		type->cnt -= j - i - 1;
	}
	type->regions[i].base = base;
	type->regions[i].size = end - base;
}

void memblock_add(phys_addr_t base, phys_addr_t size)
{
	memblock_insert(&memblock.memory, base, size);
}

void memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	memblock_insert(&memblock.reserved, base, size);
}

bool memblock_is_reserved(phys_addr_t addr)
{
	for (int i = 0; i < memblock.reserved.cnt; i++) {
		const struct memblock_region *r = &memblock.reserved.regions[i];

		if (addr >= r->base && addr < r->base + r->size)
			return true;
	}
	return false;
}

/* first_reserved_overlap - a reserved range meeting [base, end), or NULL. */
static const struct memblock_region *first_reserved_overlap(phys_addr_t base, phys_addr_t end)
{
	for (int i = 0; i < memblock.reserved.cnt; i++) {
		const struct memblock_region *r = &memblock.reserved.regions[i];

		if (r->base < end && base < r->base + r->size)
			return r;
	}
	return NULL;
}

phys_addr_t memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	BUG_ON(memblock.frozen);
	for (int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *m = &memblock.memory.regions[i];
		phys_addr_t end = min(m->base + m->size, memblock.alloc_limit);
		phys_addr_t cand = ALIGN_UP(m->base, align);

		while (cand + size <= end) {
			const struct memblock_region *r = first_reserved_overlap(cand, cand + size);

			if (!r) {
				memblock_reserve(cand, size);
				memset(__va(cand), 0, size);
				return cand;
			}
			cand = ALIGN_UP(r->base + r->size, align);
		}
	}
	panic("memblock_alloc: no room for %lu bytes", (unsigned long)size);
}

phys_addr_t memblock_end_of_DRAM(void)
{
	const struct memblock_type *t = &memblock.memory;

	return t->cnt ? t->regions[t->cnt - 1].base + t->regions[t->cnt - 1].size : 0;
}

static phys_addr_t total_size(const struct memblock_type *t)
{
	phys_addr_t sum = 0;

	for (int i = 0; i < t->cnt; i++)
		sum += t->regions[i].size;
	return sum;
}

phys_addr_t memblock_phys_mem_size(void) { return total_size(&memblock.memory); }
phys_addr_t memblock_reserved_size(void) { return total_size(&memblock.reserved); }

void memblock_freeze(void)
{
	memblock.frozen = true;
}

void memblock_for_each_free_range(void (*fn)(phys_addr_t base, phys_addr_t end))
{
	for (int i = 0; i < memblock.memory.cnt; i++) {
		phys_addr_t base = memblock.memory.regions[i].base;
		phys_addr_t end = base + memblock.memory.regions[i].size;

		/* Walk the (sorted) reserved ranges, emitting the gaps between them. */
		for (int j = 0; j < memblock.reserved.cnt && base < end; j++) {
			const struct memblock_region *r = &memblock.reserved.regions[j];
			phys_addr_t rend = r->base + r->size;

			if (rend <= base || r->base >= end)
				continue;
			if (r->base > base)
				fn(base, r->base);
			base = rend;
		}
		if (base < end)
			fn(base, end);
	}
}
