/*
 * arch/x86_64/segment.h - GDT layout and selectors, the same as Linux's
 * x86-64 GDT so that user space sees Linux's segment values:
 *
 *   index  selector  what
 *     0      0x00    null
 *     1      0x08    kernel 32-bit code (unused, keeps Linux's numbering)
 *     2      0x10    __KERNEL_CS  64-bit code, DPL 0
 *     3      0x18    __KERNEL_DS  data, DPL 0
 *     4      0x23    __USER32_CS  (unused; STAR's sysret base)
 *     5      0x2b    __USER_DS    data, DPL 3
 *     6      0x33    __USER_CS    64-bit code, DPL 3
 *     7              (unused)
 *    8-9     0x40    TSS (a 16-byte system descriptor)
 */
#ifndef ARCH_X86_64_SEGMENT_H
#define ARCH_X86_64_SEGMENT_H

#define GDT_ENTRY_KERNEL_CS 2
#define GDT_ENTRY_KERNEL_DS 3
#define GDT_ENTRY_USER32_CS 4
#define GDT_ENTRY_USER_DS   5
#define GDT_ENTRY_USER_CS   6
#define GDT_ENTRY_TSS       8
#define GDT_ENTRIES         10

#define __KERNEL_CS (GDT_ENTRY_KERNEL_CS * 8)
#define __KERNEL_DS (GDT_ENTRY_KERNEL_DS * 8)
#define __USER32_CS (GDT_ENTRY_USER32_CS * 8 + 3)
#define __USER_DS   (GDT_ENTRY_USER_DS * 8 + 3)
#define __USER_CS   (GDT_ENTRY_USER_CS * 8 + 3)
#define GDT_TSS_SEL (GDT_ENTRY_TSS * 8)

/* Interrupt stack table slots (1-based, as in the IDT gate's IST field). */
#define IST_DF  1   /* double fault: always a good stack, even after overflow */
#define IST_NMI 2
#define IST_MCE 3
#define N_IST   3
#define IST_STACK_SIZE 16384

#endif
