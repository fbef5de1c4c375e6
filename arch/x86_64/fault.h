/*
 * arch/x86_64/fault.h - the page-fault entry and its error code.
 *
 * The #PF error code (Intel SDM vol. 3, 4.7), Linux's names:
 *
 *     bit   4     3     2     1     0
 *         +-----+-----+-----+-----+-----+
 *         |  I  | RSVD|  U  |  W  |  P  |
 *         +-----+-----+-----+-----+-----+
 *   P    0: the page was not present       1: a protection violation
 *   W    0: a read                         1: a write
 *   U    0: in kernel mode (CPL 0)         1: in user mode (CPL 3)
 *   RSVD 1: a reserved bit was set in a paging-structure entry
 *   I    1: an instruction fetch (NX or SMEP)
 */
#ifndef ARCH_X86_64_FAULT_H
#define ARCH_X86_64_FAULT_H

#include "arch/x86_64/ptrace.h"
#include "kernel/types.h"

#define X86_PF_PROT  (1UL << 0)
#define X86_PF_WRITE (1UL << 1)
#define X86_PF_USER  (1UL << 2)
#define X86_PF_RSVD  (1UL << 3)
#define X86_PF_INSTR (1UL << 4)

/* exc_page_fault - vector 14. Reads CR2 and routes the fault (see fault.c). */
void exc_page_fault(struct pt_regs *regs, unsigned long error_code);

/*
 * pf_error_decode - "[P W U I]"-style words for an error code, e.g.
 * "protection-violation write kernel-mode data". Returns @buf.
 */
char *pf_error_decode(unsigned long error_code, char *buf, size_t size);

/* fault_reason - plain words for a kernel-mode fault that will oops. */
const char *page_fault_reason(unsigned long error_code, unsigned long address);

/* Counters, for /proc/vmstat and the tests. */
extern unsigned long pgfault_count;

#endif
