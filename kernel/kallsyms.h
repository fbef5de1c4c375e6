/*
 * kernel/kallsyms.h - the kernel's own symbol table, for backtraces.
 *
 * The build links the kernel once, lists its text symbols with nm, turns
 * the list into C arrays (kernel/kallsyms.awk) in the .kallsyms section, and
 * links again. linker.ld puts .kallsyms after everything else, so adding the
 * table moves no other symbol; the Makefile checks that.
 */
#ifndef KERNEL_KALLSYMS_H
#define KERNEL_KALLSYMS_H

#include "kernel/types.h"

#define KSYM_NAME_LEN 128

/* The generated table (build/kallsyms.c): sorted by address. */
extern const unsigned long kallsyms_num_syms;
extern const unsigned long kallsyms_addresses[];
extern const unsigned int kallsyms_name_offsets[];
extern const char kallsyms_names[];

/*
 * kallsyms_lookup - the function containing @addr. Returns its name and
 * sets *size and *offset, or returns NULL if @addr is not in kernel text.
 */
const char *kallsyms_lookup(unsigned long addr, unsigned long *size, unsigned long *offset);
/* kallsyms_lookup_name - the address of the text symbol @name, or 0. */
unsigned long kallsyms_lookup_name(const char *name);
/* sprint_symbol - "name+0xoff/0xsize" (or "name+0xoff"), or the bare address. */
int sprint_symbol(char *buf, size_t size, unsigned long addr, bool with_size);

#endif
