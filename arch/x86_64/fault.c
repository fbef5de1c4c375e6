/*
 * arch/x86_64/fault.c - the page-fault entry (Linux arch/x86/mm/fault.c).
 *
 *   exc_page_fault(regs, error_code)
 *     address = CR2
 *     kernel address (upper half) -> do_kern_addr_fault()
 *         kernel mode: exception-table fixup, or an oops in plain words
 *         user mode:   a user touched kernel memory -> SIGSEGV
 *     user address (lower half)   -> do_user_addr_fault()
 *         kernel mode with SMAP and EFLAGS.AC clear: a kernel bug (oops),
 *         unless the exception table covers it
 *         otherwise: find_vma, access_error, handle_mm_fault (mm/fault.c),
 *         and its VM_FAULT_* result becomes a retry, nothing (resolved),
 *         a signal (SIGSEGV, SIGBUS) or the OOM killer for a user-mode
 *         fault, or an exception-table fixup (or oops) for a kernel-mode one
 *
 * This file is the only place where a fault's outcome becomes a signal or a
 * panic; everything below it returns results.
 */
#include "arch/x86_64/fault.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/extable.h"
#include "arch/x86_64/special_insns.h"
#include "arch/x86_64/traps.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "mm/mm.h"
#include "mm/oom.h"

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

/* ---- faults on user addresses (and user-mode faults anywhere) ---- */

/*
 * show_signal_msg - Mirrors Linux show_signal_msg(); leaves out the
 * rate limit, the VMA name and the code bytes. One line for a user fault
 * that will kill (no handler for the signal), e.g.
 *   "42 (sh): segfault at 0 ip 401000 error 4 [not-present read user-mode]"
 */
static void show_signal_msg(struct pt_regs *regs, unsigned long e, unsigned long address,
			    int sig)
{
	struct task_struct *tsk = current;
	void __user *handler = tsk->sighand ? tsk->sighand->action[sig - 1].handler : SIG_DFL;
	char words[96];

	/* unhandled_signal(): a handler will run, so no report (SIG_IGN still dies) */
	if (handler != SIG_DFL && handler != SIG_IGN)
		return;
	printk("%d (%s): %s at %lx ip %lx error %lx [%s]\n", tsk->pid, tsk->comm,
	       sig == SIGBUS ? "bus error" : "segfault", address, (unsigned long)regs->rip, e,
	       pf_error_decode(e, words, sizeof(words)));
}

/*
 * __bad_area_nosemaphore - Mirrors Linux __bad_area_nosemaphore(); leaves
 * out vsyscall emulation and pkeys. The access is not allowed (mmap_lock
 * not held): a kernel-mode access is fixed up (copy_from_user returns
 * -EFAULT) or oopses; a user-mode one gets SIGSEGV with @si_code
 * (SEGV_MAPERR: nothing mapped there; SEGV_ACCERR: not allowed).
 */
static void __bad_area_nosemaphore(struct pt_regs *regs, unsigned long e,
				   unsigned long address, int si_code)
{
	if (!user_mode(regs)) {
		kernelmode_fixup_or_oops(regs, e, address);
		return;
	}
	/* A user access to kernel memory: do not reveal whether it is mapped. */
	if (address >= TASK_SIZE_MAX)
		e |= X86_PF_PROT;
	show_signal_msg(regs, e, address, SIGSEGV);
	force_sig_fault(SIGSEGV, si_code, (void __user *)address);
}

static void bad_area_nosemaphore(struct pt_regs *regs, unsigned long e, unsigned long address)
{
	__bad_area_nosemaphore(regs, e, address, SEGV_MAPERR);
}

/* __bad_area - the same with mmap_lock held for reading: it is released first. */
static void __bad_area(struct pt_regs *regs, unsigned long e, unsigned long address,
		       struct mm_struct *mm, int si_code)
{
	up_read(&mm->mmap_lock);
	__bad_area_nosemaphore(regs, e, address, si_code);
}

/*
 * do_sigbus - Mirrors Linux do_sigbus(); leaves out hwpoison. A valid
 * mapping whose page cannot be had (beyond the end of the file).
 */
static void do_sigbus(struct pt_regs *regs, unsigned long e, unsigned long address)
{
	if (!user_mode(regs)) {
		kernelmode_fixup_or_oops(regs, e, address);
		return;
	}
	show_signal_msg(regs, e, address, SIGBUS);
	force_sig_fault(SIGBUS, BUS_ADRERR, (void __user *)address);
}

/*
 * pagefault_out_of_memory - Mirrors Linux 4.x pagefault_out_of_memory();
 * leaves out memcg OOM. A user-mode fault found no memory (mmap_lock
 * already released): the OOM killer (mm/oom_kill.c) kills the process with
 * the most memory - perhaps this one - and the faulting instruction runs
 * again on return, by then with memory, or not at all (SIGKILL). A task
 * already being killed just goes on to die. With nothing left to kill,
 * the faulting task itself dies of SIGKILL - unless it is init, which
 * cannot die: then the kernel panics, as Linux does.
 */
static void pagefault_out_of_memory(void)
{
	if (fatal_signal_pending(current))
		return;
	if (out_of_memory())
		return;
	/* Nothing killable: init itself faulted, and init cannot die (Linux panics too). */
	if (current->tgid == 1)
		panic("Out of memory: init faulted and no process can be killed");
	force_sig_fault(SIGKILL, SI_KERNEL, NULL);
}

/*
 * mm_fault_error - Mirrors Linux mm_fault_error(): turn the VM_FAULT_*
 * error bits of handle_mm_fault() into what happens to the task. Called
 * without mmap_lock. Kernel-mode faults are fixed up (or oops) instead.
 */
static void mm_fault_error(struct pt_regs *regs, unsigned long e, unsigned long address,
			   vm_fault_t fault)
{
	if (fault & VM_FAULT_OOM) {
		if (!user_mode(regs)) {
			kernelmode_fixup_or_oops(regs, e, address);
			return;
		}
		pagefault_out_of_memory();
	} else if (fault & VM_FAULT_SIGBUS) {
		do_sigbus(regs, e, address);
	} else if (fault & VM_FAULT_SIGSEGV) {
		bad_area_nosemaphore(regs, e, address);
	} else {
		BUG();
	}
}

/*
 * access_error - Mirrors Linux access_error(); leaves out pkeys. Does
 * the VMA allow this access? A write needs VM_WRITE, an instruction fetch
 * VM_EXEC. A read of a present page can only fail on protection. A read
 * of a missing page needs any permission: x86 cannot map a page
 * write-only or exec-only, so Linux lets either imply read.
 */
static bool access_error(unsigned long e, struct vm_area_struct *vma)
{
	if (e & X86_PF_WRITE)
		return !(vma->vm_flags & VM_WRITE);
	if (e & X86_PF_INSTR)
		return !(vma->vm_flags & VM_EXEC);
	if (e & X86_PF_PROT)
		return true;
	return !(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC));
}

/*
 * fault_signal_pending - a retried fault while a signal waits: deliver the
 * signal first (fatal ones always, others only on the way to user mode).
 */
static bool fault_signal_pending(vm_fault_t fault, struct pt_regs *regs)
{
	if (!(fault & VM_FAULT_RETRY))
		return false;
	return fatal_signal_pending(current) || (user_mode(regs) && signal_pending(current));
}

static void do_kern_addr_fault(struct pt_regs *regs, unsigned long e, unsigned long address)
{
	if (!(e & X86_PF_USER)) {
		kernelmode_fixup_or_oops(regs, e, address);
		return;
	}
	/* A user-mode access to a kernel address: always a bad access. */
	bad_area_nosemaphore(regs, e, address);
}

/*
 * do_user_addr_fault - Mirrors Linux do_user_addr_fault(); leaves out
 * kprobes, vsyscall, pkeys, perf events and stack expansion (VM_GROWSDOWN
 * VMAs do not grow). A fault on a user address, from user or kernel mode.
 *
 *   kernel mode without uaccess (SMAP, EFLAGS.AC clear) or fetching user
 *     code (SMEP): a kernel bug - fixup or oops
 *   no mm (a kernel thread): nothing to fault in - fixup or oops
 *   mmap_lock for reading; find_vma:
 *     no VMA at or above address, or address below it  -> SIGSEGV SEGV_MAPERR
 *     VMA forbids the access (access_error)             -> SIGSEGV SEGV_ACCERR
 *   handle_mm_fault:
 *     VM_FAULT_RETRY  mmap_lock was dropped: again, with FAULT_FLAG_TRIED
 *     VM_FAULT_ERROR  mm_fault_error: SIGBUS, SIGSEGV, OOM kill
 * A kernel-mode fault (copy_to_user) is resolved like a user one; only
 * the failures differ: they end in the exception table's fixup, not a
 * signal. Interrupts are turned back on while we work if the faulting
 * context had them on, since the fault may sleep.
 */
static void do_user_addr_fault(struct pt_regs *regs, unsigned long e, unsigned long address)
{
	struct task_struct *tsk = current;
	struct mm_struct *mm = tsk->mm;
	unsigned int flags = FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_KILLABLE |
			     FAULT_FLAG_INTERRUPTIBLE;
	struct vm_area_struct *vma;
	vm_fault_t fault;

	/*
	 * SMAP: kernel code touched user memory without stac(). Only the
	 * uaccess helpers may do that, and they are in the exception table.
	 */
	if (!(e & X86_PF_USER) && cpu_has_smap && !(regs->rflags & X86_EFLAGS_AC)) {
		kernelmode_fixup_or_oops(regs, e, address);
		return;
	}
	/* SMEP: kernel-mode fetch from a user page. */
	if (!(e & X86_PF_USER) && (e & X86_PF_INSTR)) {
		kernelmode_fixup_or_oops(regs, e, address);
		return;
	}
	if (!mm) {
		bad_area_nosemaphore(regs, e, address);
		return;
	}
	if (regs->rflags & X86_EFLAGS_IF)
		local_irq_enable();
	if (user_mode(regs))
		flags |= FAULT_FLAG_USER;
	if (e & X86_PF_WRITE)
		flags |= FAULT_FLAG_WRITE;
	if (e & X86_PF_INSTR)
		flags |= FAULT_FLAG_INSTRUCTION;

	/*
	 * A kernel fault outside the uaccess instructions while holding
	 * mmap_lock itself would deadlock here: only wait for the lock when
	 * the faulting instruction is one that may fault on user memory.
	 */
	if (!down_read_trylock(&mm->mmap_lock)) {
		if (!user_mode(regs) && !search_exception_tables(regs->rip)) {
			bad_area_nosemaphore(regs, e, address);
			goto out;
		}
retry:
		down_read(&mm->mmap_lock);
	}
	vma = find_vma(mm, address);
	if (!vma || vma->vm_start > address) {
		__bad_area(regs, e, address, mm, SEGV_MAPERR);
		goto out;
	}
	if (access_error(e, vma)) {
		__bad_area(regs, e, address, mm, SEGV_ACCERR);
		goto out;
	}

	fault = handle_mm_fault(vma, address, flags, regs);

	if (fault_signal_pending(fault, regs)) {
		/* mmap_lock is gone; let the signal (or the kill) happen first */
		if (!user_mode(regs))
			kernelmode_fixup_or_oops(regs, e, address);
		goto out;
	}
	if (fault & VM_FAULT_RETRY) {
		flags |= FAULT_FLAG_TRIED;
		goto retry;
	}
	up_read(&mm->mmap_lock);
	if (fault & VM_FAULT_ERROR)
		mm_fault_error(regs, e, address, fault);
out:
	local_irq_disable();
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
