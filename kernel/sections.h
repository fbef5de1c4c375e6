/*
 * kernel/sections.h - the addresses linker.ld defines, seen from C.
 * Declared as arrays so that "&_text[0]" is an address, not a load.
 */
#ifndef KERNEL_SECTIONS_H
#define KERNEL_SECTIONS_H

extern char __kernel_phys_start[], __kernel_phys_end[];
extern char _text[], _etext[];
extern char __start_rodata[], __end_rodata[];
extern char _sdata[], _edata[];
extern char __bss_start[], __bss_stop[];
extern char _end[];
extern char boot_stack_guard[], boot_stack_bottom[], boot_stack_top[];

#define KERNEL_VMA 0xffffffff80000000UL

/* Physical address of a kernel-image symbol (not of direct-map memory). */
#define __pa_symbol(x) ((unsigned long)(x) - KERNEL_VMA)

static inline int is_kernel_text(unsigned long addr)
{
	return addr >= (unsigned long)_text && addr < (unsigned long)_etext;
}

#endif
