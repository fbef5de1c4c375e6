/* arch/x86_64/traps.h - exception vectors, IRQ registration, oops reports. */
#ifndef ARCH_X86_64_TRAPS_H
#define ARCH_X86_64_TRAPS_H

#include "arch/x86_64/ptrace.h"
#include "kernel/compiler.h"

/* Exception vectors (Intel SDM vol. 3, 6.3.1), Linux's names. */
enum {
	X86_TRAP_DE = 0,   /* divide error */
	X86_TRAP_DB = 1,   /* debug */
	X86_TRAP_NMI = 2,  /* non-maskable interrupt */
	X86_TRAP_BP = 3,   /* breakpoint (int3) */
	X86_TRAP_OF = 4,   /* overflow */
	X86_TRAP_BR = 5,   /* bound range exceeded */
	X86_TRAP_UD = 6,   /* invalid opcode */
	X86_TRAP_NM = 7,   /* device not available */
	X86_TRAP_DF = 8,   /* double fault */
	X86_TRAP_OLD_MF = 9,
	X86_TRAP_TS = 10,  /* invalid TSS */
	X86_TRAP_NP = 11,  /* segment not present */
	X86_TRAP_SS = 12,  /* stack segment fault */
	X86_TRAP_GP = 13,  /* general protection */
	X86_TRAP_PF = 14,  /* page fault */
	X86_TRAP_SPURIOUS = 15,
	X86_TRAP_MF = 16,  /* x87 floating point */
	X86_TRAP_AC = 17,  /* alignment check */
	X86_TRAP_MC = 18,  /* machine check */
	X86_TRAP_XF = 19,  /* SIMD floating point */
	X86_TRAP_VE = 20,  /* virtualization */
	X86_TRAP_CP = 21,  /* control protection */
};

#define FIRST_EXTERNAL_VECTOR 32
#define IRQ0_VECTOR FIRST_EXTERNAL_VECTOR   /* legacy PIC IRQs 0-15: vectors 32-47 */
#define NR_LEGACY_IRQS 16

typedef void (*irq_handler_t)(int irq, struct pt_regs *regs);

const char *trap_name(unsigned int vector);
void request_irq(int irq, irq_handler_t handler);
void idt_dispatch(struct pt_regs *regs);

/* show_regs - print the registers of @regs, the code bytes at RIP and a backtrace. */
void show_regs(const struct pt_regs *regs);
/* die - report a fatal kernel-mode exception and panic. */
void __noreturn die(const char *reason, struct pt_regs *regs);

/* Counters of interrupts taken, for /proc and the tests. */
extern unsigned long irq_count[NR_LEGACY_IRQS];

#endif
