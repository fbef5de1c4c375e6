/*
 * arch/x86_64/idt.c - the interrupt descriptor table.
 *
 * All 256 vectors point at the stubs of arch/x86_64/entry.asm. Every gate is
 * an interrupt gate (interrupts stay off on entry), DPL 0 (so "int N" from
 * user space gives #GP) except int3, which user space may execute.
 *
 * Three vectors run on their own IST stack (see gdt.c): #DF, NMI and #MC.
 * A kernel stack overflow faults on the guard page; the CPU cannot push the
 * #PF frame on the dead stack, raises #DF instead, and the #DF handler, on a
 * fresh IST stack, prints a readable report. #PF itself does NOT use an IST
 * stack, exactly as in Linux: a page fault may sleep (a userfaultfd wait)
 * and may nest (copy_from_user inside a fault handler), and a per-vector IST
 * stack would be overwritten by the nested fault.
 *
 * Gate descriptor (16 bytes):
 *    bits 0-15 offset 15:0 | 16-31 selector | 32-34 IST | 40-43 type (0xE
 *    interrupt gate) | 45-46 DPL | 47 P | 48-63 offset 31:16 | 64-95 offset 63:32
 */
#include "arch/x86_64/desc.h"
#include "arch/x86_64/special_insns.h"
#include "arch/x86_64/traps.h"
#include "kernel/compiler.h"

struct idt_gate {
	u16 offset_low;
	u16 selector;
	u8 ist;
	u8 type_attr;
	u16 offset_mid;
	u32 offset_high;
	u32 reserved;
} __attribute__((packed));

static struct idt_gate idt_table[256] __aligned(4096);
extern const unsigned long isr_stub_table[256];

static void set_gate(int vector, unsigned long handler, int ist, int dpl)
{
	struct idt_gate *g = &idt_table[vector];

	g->offset_low = handler & 0xffff;
	g->selector = __KERNEL_CS;
	g->ist = ist;
	g->type_attr = 0x80 | (dpl << 5) | 0xe;  /* present, DPL, interrupt gate */
	g->offset_mid = (handler >> 16) & 0xffff;
	g->offset_high = handler >> 32;
	g->reserved = 0;
}

/* idt_init - fill and load the IDT. Interrupts must be off. */
void idt_init(void)
{
	struct desc_ptr p = { .size = sizeof(idt_table) - 1, .address = (u64)idt_table };

	for (int v = 0; v < 256; v++)
		set_gate(v, isr_stub_table[v], 0, 0);
	set_gate(X86_TRAP_DF, isr_stub_table[X86_TRAP_DF], IST_DF, 0);
	set_gate(X86_TRAP_NMI, isr_stub_table[X86_TRAP_NMI], IST_NMI, 0);
	set_gate(X86_TRAP_MC, isr_stub_table[X86_TRAP_MC], IST_MCE, 0);
	set_gate(X86_TRAP_BP, isr_stub_table[X86_TRAP_BP], 0, 3);
	load_idt(&p);
}
