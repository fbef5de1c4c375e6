/*
 * arch/x86_64/extable.h - the exception table: instructions that are allowed
 * to fault, and where to continue when they do.
 *
 * An entry is a pair (address of the instruction, address of its fixup). The
 * _ASM_EXTABLE() macro adds one from inline asm; linker.ld gathers them all
 * between __start___ex_table and __stop___ex_table. When a kernel-mode
 * exception hits an instruction with an entry, fixup_exception() sets RIP to
 * the fixup and the faulting code carries on there - this is how
 * copy_from_user() returns -EFAULT instead of crashing (Linux
 * arch/x86/mm/extable.c).
 */
#ifndef ARCH_X86_64_EXTABLE_H
#define ARCH_X86_64_EXTABLE_H

#include "arch/x86_64/ptrace.h"
#include "kernel/types.h"

struct exception_table_entry {
	unsigned long insn;   /* the instruction that may fault */
	unsigned long fixup;  /* where to go instead */
};

#define _ASM_EXTABLE(from, to)                  \
	".pushsection __ex_table, \"a\"\n\t"    \
	".balign 8\n\t"                         \
	".quad " #from ", " #to "\n\t"          \
	".popsection\n\t"

const struct exception_table_entry *search_exception_tables(unsigned long ip);

/*
 * fixup_exception - try to recover from a kernel-mode exception at
 * regs->rip. Returns true if regs was changed to continue elsewhere (an
 * exception-table fixup or an armed catch_fault()), false if the exception
 * is a real kernel bug.
 */
bool fixup_exception(struct pt_regs *regs, unsigned int trapnr,
		     unsigned long error_code, unsigned long fault_addr);

/* What catch_fault() saw. */
struct fault_info {
	unsigned int vector;       /* 14 for #PF */
	unsigned long error_code;
	unsigned long address;     /* CR2 for #PF, 0 otherwise */
	unsigned long ip;          /* RIP of the faulting instruction */
};

/*
 * catch_fault - run fn(arg); if it takes a kernel-mode exception, record it
 * in *info and return -EFAULT as if fn had returned. Returns 0 when fn
 * returned normally. Only for tests and probes: the interrupted fn is
 * abandoned (locks it held stay held). Not reentrant.
 */
int catch_fault(void (*fn)(void *), void *arg, struct fault_info *info);

#endif
