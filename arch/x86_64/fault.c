/*
 * arch/x86_64/fault.c - the page-fault entry (Linux arch/x86/mm/fault.c).
 *
 *   exc_page_fault(regs, error_code)
 *     address = CR2
 *     kernel address (upper half) -> do_kern_addr_fault()
 *         kernel mode: exception-table fixup, or an oops in plain words
 *         user mode:   a user touched kernel memory -> the user fault path
 *     user address (lower half)   -> do_user_addr_fault()
 *         kernel mode with SMAP and EFLAGS.AC clear: a kernel bug (oops),
 *         unless the exception table covers it
 *         otherwise: the process layer's hook (find_vma, handle_mm_fault,
 *         VM_FAULT_* -> signal); with no process layer, fixup or oops
 *
 * This file is the only place where a fault's outcome becomes a signal or a
 * panic; everything below it returns results.
 */
#include "arch/x86_64/fault.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/extable.h"
#include "arch/x86_64/special_insns.h"
#include "arch/x86_64/traps.h"
#include "kernel/printk.h"

bool (*user_fault_hook)(struct pt_regs *regs, unsigned long error_code,
			unsigned long address);
unsigned long pgfault_count;

char *pf_error_decode(unsigned long e, char *buf, size_t size)
{
	snprintf(buf, size, "%s %s %s%s",
		 e & X86_PF_PROT ? "protection-violation" : "not-present",
		 e & X86_PF_INSTR ? "instruction-fetch" : e & X86_PF_WRITE ? "write" : "read",
		 e & X86_PF_USER ? "user-mode" : "kernel-mode",
		 e & X86_PF_RSVD ? " reserved-bit" : "");
	return buf;
}

const char *page_fault_reason(unsigned long e, unsigned long address)
{
	if (e & X86_PF_RSVD)
		return "reserved bit set in a page-table entry";
	if (address < 4096 && !(e & X86_PF_PROT))
		return "NULL pointer dereference";
	if ((e & X86_PF_INSTR) && address < 0x0000800000000000UL && (e & X86_PF_PROT))
		return "kernel tried to execute a user page (SMEP)";
	if (e & X86_PF_INSTR)
		return (e & X86_PF_PROT) ? "instruction fetch from a no-execute page"
					 : "instruction fetch from a page that is not mapped";
	if (!(e & X86_PF_PROT))
		return "access to a page that is not mapped";
	if (!(e & X86_PF_USER) && address < 0x0000800000000000UL)
		return "kernel access to a user page outside uaccess (SMAP)";
	if (e & X86_PF_WRITE)
		return "write to a read-only page";
	return "protection violation";
}

/*
 * page_fault_oops - a kernel-mode fault nothing can fix: say what it was in
 * plain words, then the full report. Never returns.
 */
static void __noreturn page_fault_oops(struct pt_regs *regs, unsigned long e,
				       unsigned long address)
{
	char bits[96];

	oops_in_progress = 1;
	printk("\nBUG: unable to handle page fault for address: %016lx\n", address);
	printk("#PF: %s\n", page_fault_reason(e, address));
	printk("#PF: error_code(%#06lx) - %s\n", e, pf_error_decode(e, bits, sizeof(bits)));
	die(page_fault_reason(e, address), regs);
}

/* kernelmode_fixup_or_oops - the last resort for a kernel-mode fault. */
static void kernelmode_fixup_or_oops(struct pt_regs *regs, unsigned long e,
				     unsigned long address)
{
	if (fixup_exception(regs, X86_TRAP_PF, e, address))
		return;
	page_fault_oops(regs, e, address);
}

static void do_kern_addr_fault(struct pt_regs *regs, unsigned long e, unsigned long address)
{
	if (!(e & X86_PF_USER)) {
		kernelmode_fixup_or_oops(regs, e, address);
		return;
	}
	/* A user-mode access to a kernel address: always a bad access. */
	if (user_fault_hook && user_fault_hook(regs, e, address))
		return;
	die("user-mode page fault with no process layer", regs);
}

static void do_user_addr_fault(struct pt_regs *regs, unsigned long e, unsigned long address)
{
	/*
	 * SMAP: kernel code touched user memory without stac(). Only the
	 * uaccess helpers may do that, and they are in the exception table.
	 */
	if (!(e & X86_PF_USER) && cpu_has_smap && (e & X86_PF_PROT) &&
	    !(regs->rflags & X86_EFLAGS_AC) && !(e & X86_PF_INSTR)) {
		kernelmode_fixup_or_oops(regs, e, address);
		return;
	}
	/* SMEP: kernel-mode fetch from a user page. */
	if (!(e & X86_PF_USER) && (e & X86_PF_INSTR)) {
		kernelmode_fixup_or_oops(regs, e, address);
		return;
	}
	if (user_fault_hook && user_fault_hook(regs, e, address))
		return;
	if (!(e & X86_PF_USER)) {
		kernelmode_fixup_or_oops(regs, e, address);
		return;
	}
	die("user-mode page fault with no process layer", regs);
}

void exc_page_fault(struct pt_regs *regs, unsigned long error_code)
{
	unsigned long address = read_cr2();

	pgfault_count++;
	if (address >= 0xffff800000000000UL)
		do_kern_addr_fault(regs, error_code, address);
	else
		do_user_addr_fault(regs, error_code, address);
}
