/* kernel/kallsyms.c - symbol lookup in the built-in table (see kallsyms.h). */
#include "kernel/kallsyms.h"
#include "kernel/printk.h"
#include "kernel/sections.h"
#include "kernel/string.h"

const char *kallsyms_lookup(unsigned long addr, unsigned long *size, unsigned long *offset)
{
	unsigned long lo = 0, hi = kallsyms_num_syms;

	if (hi == 0 || addr < kallsyms_addresses[0] || addr >= (unsigned long)_etext)
		return NULL;
	/* Binary search: the last symbol whose address is <= addr. */
	while (hi - lo > 1) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (kallsyms_addresses[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	/* Several names may share an address; the table keeps the first. */
	unsigned long end = lo + 1 < kallsyms_num_syms ? kallsyms_addresses[lo + 1]
							: (unsigned long)_etext;

	if (size)
		*size = end - kallsyms_addresses[lo];
	if (offset)
		*offset = addr - kallsyms_addresses[lo];
	return &kallsyms_names[kallsyms_name_offsets[lo]];
}

unsigned long kallsyms_lookup_name(const char *name)
{
	for (unsigned long i = 0; i < kallsyms_num_syms; i++)
		if (strcmp(&kallsyms_names[kallsyms_name_offsets[i]], name) == 0)
			return kallsyms_addresses[i];
	return 0;
}

int sprint_symbol(char *buf, size_t size, unsigned long addr, bool with_size)
{
	unsigned long sz, off;
	const char *name = kallsyms_lookup(addr, &sz, &off);

	if (!name)
		return snprintf(buf, size, "0x%lx", addr);
	if (with_size)
		return snprintf(buf, size, "%s+%#lx/%#lx", name, off, sz);
	return snprintf(buf, size, "%s+%#lx", name, off);
}
