/*
 * arch/x86_64/gdt.c - the global descriptor table and the TSS.
 *
 * In long mode segments barely matter: code segments say "64-bit" and which
 * privilege level, data segments are flat. The TSS matters because it holds
 * the stacks the CPU switches to: rsp0 when an interrupt arrives from ring 3,
 * and the interrupt stack table (IST) for the vectors that must run on a
 * known-good stack even when the current one is broken (#DF, NMI, #MC).
 *
 * Code/data descriptor (8 bytes), the bits that count in long mode:
 *
 *    63    56 55 54 53 52    48 47 46 45 44 43   40 39          16 15    0
 *   +--------+--+--+--+--+-----+--+-----+--+-------+--------------+-------+
 *   | base   |G |D |L |  | lim | P| DPL | S| type  |   base       | limit |
 *   +--------+--+--+--+--+-----+--+-----+--+-------+--------------+-------+
 *   L=1: 64-bit code.  type 0xA: code exec/read, 0x2: data read/write.
 */
#include "arch/x86_64/desc.h"
#include "arch/x86_64/special_insns.h"
#include "kernel/compiler.h"
#include "kernel/string.h"

#define DESC_CODE64(dpl) (0x00af9a000000ffffULL | ((u64)(dpl) << 45))
#define DESC_DATA(dpl)   (0x00cf92000000ffffULL | ((u64)(dpl) << 45))
#define DESC_CODE32(dpl) (0x00cf9a000000ffffULL | ((u64)(dpl) << 45))

static u64 gdt[GDT_ENTRIES] __aligned(16);
struct tss_struct cpu_tss __aligned(16);
char ist_stacks[N_IST][IST_STACK_SIZE] __aligned(4096);

/* set_tss_desc - the 16-byte TSS descriptor in gdt[GDT_ENTRY_TSS..+1]. */
static void set_tss_desc(struct tss_struct *tss)
{
	u64 base = (u64)tss, limit = sizeof(*tss) - 1;

	gdt[GDT_ENTRY_TSS] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
			     (0x89ULL << 40) |  /* present, type 9: available 64-bit TSS */
			     (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[GDT_ENTRY_TSS + 1] = base >> 32;
}

/*
 * gdt_init - load the final GDT and TSS, and reload every segment register.
 * Called once on the boot CPU, before idt_init(). CS is reloaded with a far
 * return, the only way to change it in 64-bit mode.
 */
void gdt_init(void)
{
	struct desc_ptr p = { .size = sizeof(gdt) - 1, .address = (u64)gdt };

	gdt[GDT_ENTRY_KERNEL_CS - 1] = DESC_CODE32(0);
	gdt[GDT_ENTRY_KERNEL_CS] = DESC_CODE64(0);
	gdt[GDT_ENTRY_KERNEL_DS] = DESC_DATA(0);
	gdt[GDT_ENTRY_USER32_CS] = DESC_CODE32(3);
	gdt[GDT_ENTRY_USER_DS] = DESC_DATA(3);
	gdt[GDT_ENTRY_USER_CS] = DESC_CODE64(3);

	memset(&cpu_tss, 0, sizeof(cpu_tss));
	for (int i = 0; i < N_IST; i++)
		cpu_tss.ist[i] = (u64)&ist_stacks[i][IST_STACK_SIZE];
	cpu_tss.iomap_base = sizeof(cpu_tss);  /* no I/O bitmap: ring 3 gets no ports */
	set_tss_desc(&cpu_tss);

	load_gdt(&p);
	__asm__ __volatile__(
		"pushq %[cs]\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movl %[ds], %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		"xorl %%eax, %%eax\n\t"
		"movl %%eax, %%fs\n\t"
		"movl %%eax, %%gs\n\t"
		:
		: [cs] "i"(__KERNEL_CS), [ds] "i"(__KERNEL_DS)
		: "rax", "memory");
	load_tr(GDT_TSS_SEL);
}

void tss_set_rsp0(unsigned long rsp0)
{
	cpu_tss.rsp[0] = rsp0;
}

bool on_ist_stack(unsigned long addr)
{
	unsigned long lo = (unsigned long)ist_stacks;

	return addr >= lo && addr < lo + sizeof(ist_stacks);
}
