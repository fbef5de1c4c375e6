/*
 * arch/x86_64/tlbflush.h - keeping the TLB in step with the page tables.
 *
 * The CPU caches translations in the TLB and does not notice when a PTE
 * changes. After making a PTE *less* permissive (unmap, write-protect,
 * another frame) the stale entry must be flushed; making it more permissive
 * (not present -> present) needs no flush, the CPU re-walks on the fault.
 */
#ifndef ARCH_X86_64_TLBFLUSH_H
#define ARCH_X86_64_TLBFLUSH_H

#include "arch/x86_64/special_insns.h"

/* flush_tlb_one_kernel - one page, global or not. */
static inline void flush_tlb_one_kernel(unsigned long addr) { invlpg(addr); }
/* flush_tlb_local - every non-global entry (a CR3 reload). */
static inline void flush_tlb_local(void) { write_cr3(read_cr3()); }
/* flush_tlb_all - every entry, global ones too (toggle CR4.PGE). */
static inline void flush_tlb_all(void)
{
	unsigned long cr4 = read_cr4();

	if (cr4 & X86_CR4_PGE) {
		write_cr4(cr4 & ~X86_CR4_PGE);
		write_cr4(cr4);
	} else {
		flush_tlb_local();
	}
}

#endif
