/* arch/x86_64/desc.h - GDT, TSS and IDT set-up (arch/x86_64/gdt.c, idt.c). */
#ifndef ARCH_X86_64_DESC_H
#define ARCH_X86_64_DESC_H

#include "arch/x86_64/segment.h"
#include "kernel/types.h"

/* The 64-bit task state segment: only stack pointers matter in long mode. */
struct tss_struct {
	u32 reserved0;
	u64 rsp[3];        /* rsp[0]: kernel stack for interrupts from ring 3 */
	u64 reserved1;
	u64 ist[7];        /* ist[i-1]: stack for gates with IST index i */
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __attribute__((packed));

extern struct tss_struct cpu_tss;
extern char ist_stacks[N_IST][IST_STACK_SIZE];

void gdt_init(void);
void idt_init(void);
/* tss_set_rsp0 - the stack the CPU switches to on an interrupt from ring 3. */
void tss_set_rsp0(unsigned long rsp0);
/* on_ist_stack - is @addr inside one of the IST stacks? */
bool on_ist_stack(unsigned long addr);

#endif
