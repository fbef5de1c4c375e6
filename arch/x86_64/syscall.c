/*
 * arch/x86_64/syscall.c - the syscall instruction (Linux
 * arch/x86/entry/common.c, entry_64.S's C half).
 *
 * User space puts the number in RAX and up to six arguments in RDI, RSI,
 * RDX, R10, R8, R9, and executes "syscall". The CPU jumps to the address in
 * MSR_LSTAR (entry_SYSCALL_64 in entry.asm) in ring 0 with the user RIP in
 * RCX and RFLAGS in R11; entry.asm builds a struct pt_regs and calls
 * do_syscall_64(). The result goes back in RAX.
 */
#include "arch/x86_64/segment.h"
#include "arch/x86_64/special_insns.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/entry.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"

extern char entry_SYSCALL_64[];

#define X86_EFLAGS_TF (1UL << 8)
#define X86_EFLAGS_DF (1UL << 10)
#define X86_EFLAGS_NT (1UL << 14)
#define X86_EFLAGS_RF (1UL << 16)

/*
 * syscall_init - program the MSRs:
 *   STAR[47:32] = kernel CS (SS = CS + 8) for syscall;
 *   STAR[63:48] = __USER32_CS: sysretq loads CS = that + 16 (__USER_CS)
 *                 and SS = that + 8 (__USER_DS), Linux's GDT layout;
 *   LSTAR       = the 64-bit entry point;
 *   FMASK       = RFLAGS bits cleared on entry (interrupts off until the
 *                 kernel stack is set up, no single-stepping, DF and AC clear).
 */
void syscall_init(void)
{
	wrmsr(MSR_STAR, ((u64)__USER32_CS << 48) | ((u64)__KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (u64)entry_SYSCALL_64);
	wrmsr(MSR_FMASK, X86_EFLAGS_IF | X86_EFLAGS_TF | X86_EFLAGS_DF |
			 X86_EFLAGS_AC | X86_EFLAGS_NT);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

static void log_enosys(unsigned long nr)
{
	static unsigned long logged[(NR_syscalls + 63) / 64];

	if (nr < NR_syscalls) {
		if (logged[nr / 64] & (1UL << (nr % 64)))
			return;
		logged[nr / 64] |= 1UL << (nr % 64);
	}
	printk("%s[%d]: syscall %lu (%s) is not implemented: -ENOSYS\n", current->comm,
	       current->pid, nr, syscall_name(nr));
}

/*
 * sysret_allowed - can we return with sysretq instead of iretq? Only if
 * the registers are what sysretq will produce: RCX = RIP, R11 = RFLAGS, the
 * normal user segments, a canonical user RIP (sysretq with a non-canonical
 * RCX faults in ring 0 on Intel CPUs: CVE-2012-0217), and no RF/TF.
 */
static bool sysret_allowed(struct pt_regs *regs)
{
	if (regs->vector == PT_VECTOR_SYSCALL_IRET)
		return false;
	if (regs->cs != __USER_CS || regs->ss != __USER_DS)
		return false;
	if (regs->rip >= TASK_SIZE_MAX)
		return false;
	if (regs->rflags & (X86_EFLAGS_RF | X86_EFLAGS_TF))
		return false;
	regs->rcx = regs->rip;
	regs->r11 = regs->rflags;
	return true;
}

/*
 * do_syscall_64 - run system call regs->orig_rax with interrupts on, then
 * prepare the way back. Returns true if entry.asm may use sysretq.
 */
bool do_syscall_64(struct pt_regs *regs)
{
	unsigned long nr = regs->orig_rax;

	local_irq_enable();
	if (nr < NR_syscalls && sys_call_table[nr].fn) {
		regs->rax = sys_call_table[nr].fn(regs->rdi, regs->rsi, regs->rdx,
						  regs->r10, regs->r8, regs->r9);
	} else {
		log_enosys(nr);
		regs->rax = -ENOSYS;
	}
	syscall_exit_to_user_mode(regs);
	return sysret_allowed(regs);
}
