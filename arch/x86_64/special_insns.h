/*
 * arch/x86_64/special_insns.h - every privileged or special instruction the
 * kernel uses, as a static inline C function (Linux asm/special_insns.h,
 * asm/msr.h, asm/io.h, asm/irqflags.h). C code never writes these
 * instructions in its own inline asm; it calls these.
 */
#ifndef ARCH_X86_64_SPECIAL_INSNS_H
#define ARCH_X86_64_SPECIAL_INSNS_H

#include "kernel/types.h"

/* ---- control registers ---- */
#define X86_CR0_PE (1UL << 0)
#define X86_CR0_WP (1UL << 16)    /* supervisor writes honour read-only PTEs */
#define X86_CR0_PG (1UL << 31)

#define X86_CR4_PAE  (1UL << 5)
#define X86_CR4_PGE  (1UL << 7)   /* global pages */
#define X86_CR4_SMEP (1UL << 20)  /* no kernel execution of user pages */
#define X86_CR4_SMAP (1UL << 21)  /* no kernel data access to user pages (unless EFLAGS.AC) */

static inline unsigned long read_cr0(void)
{
	unsigned long v;
	__asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
	return v;
}
static inline void write_cr0(unsigned long v)
{
	__asm__ __volatile__("mov %0, %%cr0" : : "r"(v) : "memory");
}
/* read_cr2 - the linear address of the last page fault. */
static inline unsigned long read_cr2(void)
{
	unsigned long v;
	__asm__ __volatile__("mov %%cr2, %0" : "=r"(v));
	return v;
}
static inline unsigned long read_cr3(void)
{
	unsigned long v;
	__asm__ __volatile__("mov %%cr3, %0" : "=r"(v));
	return v;
}
/* write_cr3 - switch page tables; flushes every non-global TLB entry. */
static inline void write_cr3(unsigned long v)
{
	__asm__ __volatile__("mov %0, %%cr3" : : "r"(v) : "memory");
}
static inline unsigned long read_cr4(void)
{
	unsigned long v;
	__asm__ __volatile__("mov %%cr4, %0" : "=r"(v));
	return v;
}
static inline void write_cr4(unsigned long v)
{
	__asm__ __volatile__("mov %0, %%cr4" : : "r"(v) : "memory");
}

/* invlpg - drop the TLB entry for one virtual address (even a global one). */
static inline void invlpg(unsigned long addr)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(addr) : "memory");
}

/* ---- model-specific registers ---- */
#define MSR_EFER   0xc0000080
#define EFER_SCE   (1UL << 0)
#define EFER_LME   (1UL << 8)
#define EFER_NXE   (1UL << 11)
#define MSR_STAR   0xc0000081
#define MSR_LSTAR  0xc0000082
#define MSR_FMASK  0xc0000084
#define MSR_FS_BASE        0xc0000100
#define MSR_GS_BASE        0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;
	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}
static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ __volatile__("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "memory");
}

/* ---- CPUID, time stamp counter ---- */
static inline void cpuid(u32 leaf, u32 subleaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			     : "a"(leaf), "c"(subleaf));
}
static inline u64 rdtsc(void)
{
	u32 lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

/* ---- interrupts and halting ---- */
#define X86_EFLAGS_IF (1UL << 9)
#define X86_EFLAGS_AC (1UL << 18)

static inline unsigned long native_save_fl(void)
{
	unsigned long f;
	__asm__ __volatile__("pushfq; popq %0" : "=r"(f) : : "memory");
	return f;
}
static inline void local_irq_disable(void) { __asm__ __volatile__("cli" ::: "memory"); }
static inline void local_irq_enable(void)  { __asm__ __volatile__("sti" ::: "memory"); }
static inline bool irqs_disabled(void) { return !(native_save_fl() & X86_EFLAGS_IF); }
/* local_irq_save - disable interrupts, returning whether they were on. */
static inline unsigned long local_irq_save(void)
{
	unsigned long f = native_save_fl();
	local_irq_disable();
	return f;
}
static inline void local_irq_restore(unsigned long f)
{
	if (f & X86_EFLAGS_IF)
		local_irq_enable();
}
static inline void halt(void) { __asm__ __volatile__("hlt" ::: "memory"); }
/* safe_halt - enable interrupts and halt in one step (no lost wake-up). */
static inline void safe_halt(void) { __asm__ __volatile__("sti; hlt" ::: "memory"); }
static inline void cpu_relax(void) { __asm__ __volatile__("pause" ::: "memory"); }

/* stac/clac - open/close the SMAP window; only the uaccess helpers use them. */
static inline void stac(void) { __asm__ __volatile__("stac" ::: "memory", "cc"); }
static inline void clac(void) { __asm__ __volatile__("clac" ::: "memory", "cc"); }

/* ---- port I/O ---- */
static inline void outb(u16 port, u8 v) { __asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port)
{
	u8 v;
	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline void outw(u16 port, u16 v) { __asm__ __volatile__("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(u16 port, u32 v) { __asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port)); }
/* io_delay - a write to an unused port: about a microsecond on old PCs. */
static inline void io_delay(void) { outb(0x80, 0); }

/* ---- descriptor tables ---- */
struct desc_ptr {
	u16 size;
	u64 address;
} __attribute__((packed));

static inline void load_gdt(const struct desc_ptr *p) { __asm__ __volatile__("lgdt %0" : : "m"(*p)); }
static inline void load_idt(const struct desc_ptr *p) { __asm__ __volatile__("lidt %0" : : "m"(*p)); }
static inline void load_tr(u16 sel) { __asm__ __volatile__("ltr %0" : : "r"(sel)); }

#endif
