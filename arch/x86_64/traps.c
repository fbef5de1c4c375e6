/*
 * arch/x86_64/traps.c - the one C entry point for every vector, and the
 * reports printed when the kernel itself takes an exception it cannot fix.
 *
 *   idt_dispatch(regs)
 *     vector 14 (#PF)      -> exc_page_fault()            arch/x86_64/fault.c
 *     vectors 0-31         -> do_exception(): kernel mode: exception-table
 *                             fixup, or die(); user mode: user_exception_hook
 *     vectors 32-47        -> the handler registered with request_irq(),
 *                             then end-of-interrupt to the PIC
 *     anything else        -> logged and ignored
 */
#include "arch/x86_64/traps.h"
#include "arch/x86_64/desc.h"
#include "arch/x86_64/extable.h"
#include "arch/x86_64/fault.h"
#include "arch/x86_64/pic.h"
#include "arch/x86_64/qemu.h"
#include "arch/x86_64/special_insns.h"
#include "arch/x86_64/stacktrace.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/printk.h"
#include "kernel/sched.h"

static irq_handler_t irq_handlers[NR_LEGACY_IRQS];
unsigned long irq_count[NR_LEGACY_IRQS];

static const char *const trap_names[32] = {
	[X86_TRAP_DE] = "#DE divide error",
	[X86_TRAP_DB] = "#DB debug",
	[X86_TRAP_NMI] = "NMI non-maskable interrupt",
	[X86_TRAP_BP] = "#BP breakpoint",
	[X86_TRAP_OF] = "#OF overflow",
	[X86_TRAP_BR] = "#BR bound range exceeded",
	[X86_TRAP_UD] = "#UD invalid opcode",
	[X86_TRAP_NM] = "#NM device not available",
	[X86_TRAP_DF] = "#DF double fault",
	[X86_TRAP_OLD_MF] = "coprocessor segment overrun",
	[X86_TRAP_TS] = "#TS invalid TSS",
	[X86_TRAP_NP] = "#NP segment not present",
	[X86_TRAP_SS] = "#SS stack-segment fault",
	[X86_TRAP_GP] = "#GP general protection fault",
	[X86_TRAP_PF] = "#PF page fault",
	[X86_TRAP_SPURIOUS] = "reserved",
	[X86_TRAP_MF] = "#MF x87 floating-point error",
	[X86_TRAP_AC] = "#AC alignment check",
	[X86_TRAP_MC] = "#MC machine check",
	[X86_TRAP_XF] = "#XM SIMD floating-point error",
	[X86_TRAP_VE] = "#VE virtualization exception",
	[X86_TRAP_CP] = "#CP control protection",
};

const char *trap_name(unsigned int vector)
{
	if (vector < 32)
		return trap_names[vector] ? trap_names[vector] : "reserved";
	if (vector >= IRQ0_VECTOR && vector < IRQ0_VECTOR + NR_LEGACY_IRQS)
		return "legacy IRQ";
	return "interrupt";
}

/* request_irq - route legacy IRQ @irq to @handler and unmask it at the PIC. */
void request_irq(int irq, irq_handler_t handler)
{
	irq_handlers[irq] = handler;
	pic_unmask(irq);
}

/*
 * oops_pcpu - this CPU's struct pcpu, for the report, or NULL. Found through
 * the GS.base MSRs, never a bare %gs load: a fault can come before
 * percpu_init(), or in entry code before its swapgs (then the kernel's base
 * waits in KERNEL_GS_BASE and GS.base is the user's). A candidate is believed
 * only if it is a kernel address and its ->self points at itself, read
 * without faulting.
 */
static struct pcpu *oops_pcpu(void)
{
	u32 msrs[2] = { MSR_GS_BASE, MSR_KERNEL_GS_BASE };

	for (int i = 0; i < 2; i++) {
		struct pcpu *p = (struct pcpu *)rdmsr(msrs[i]), *self;

		if ((unsigned long)p < 0xffff800000000000UL)
			continue;
		if (copy_from_kernel_nofault(&self, &p->self, sizeof(self)) == 0 && self == p)
			return p;
	}
	return NULL;
}

/* oops_show_task - "CPU: 0 PID: 12 Comm: cowdemo", like Linux's first oops line. */
static void oops_show_task(const struct pt_regs *regs)
{
	struct pcpu *p = oops_pcpu();
	struct task_struct *t = p ? p->current_task : NULL;
	const char *mode = user_mode(regs) ? "user mode" : "kernel mode";

	if (t)
		printk("CPU: %d PID: %d Comm: %.16s (%s)\n", p->cpu, t->pid, t->comm, mode);
	else
		printk("CPU: 0 PID: - Comm: - (no task yet, %s)\n", mode);
}

/*
 * show_regs - the register dump of an oops. The first line names the task,
 * as Linux's does: "CPU: 0 PID: 12 Comm: cowdemo".
 */
void show_regs(const struct pt_regs *regs)
{
	u8 code[16];

	oops_show_task(regs);
	printk("RIP: %04lx:%pS\n", (unsigned long)regs->cs, (void *)regs->rip);
	printk("RSP: %04lx:%016lx EFLAGS: %08lx\n", (unsigned long)regs->ss,
	       (unsigned long)regs->rsp, (unsigned long)regs->rflags);
	printk("RAX: %016lx RBX: %016lx RCX: %016lx\n", regs->rax, regs->rbx, regs->rcx);
	printk("RDX: %016lx RSI: %016lx RDI: %016lx\n", regs->rdx, regs->rsi, regs->rdi);
	printk("RBP: %016lx R08: %016lx R09: %016lx\n", regs->rbp, regs->r8, regs->r9);
	printk("R10: %016lx R11: %016lx R12: %016lx\n", regs->r10, regs->r11, regs->r12);
	printk("R13: %016lx R14: %016lx R15: %016lx\n", regs->r13, regs->r14, regs->r15);
	printk("CR0: %016lx CR2: %016lx CR3: %016lx CR4: %016lx\n", read_cr0(),
	       read_cr2(), read_cr3(), read_cr4());
	if (copy_from_kernel_nofault(code, (void *)regs->rip, sizeof(code)) == 0) {
		char line[3 * sizeof(code) + 4];
		size_t len = 0;

		/* The faulting instruction starts at the byte in <>. */
		for (size_t i = 0; i < sizeof(code); i++)
			len += snprintf(line + len, sizeof(line) - len, i ? " %02x" : "<%02x>", code[i]);
		printk("Code: %s\n", line);
	} else {
		printk("Code: (unreadable at RIP)\n");
	}
	if (!user_mode(regs))
		show_stack(regs->rbp);
}

/*
 * die - the kernel took an exception it cannot recover from. Print a report
 * in the shape of a Linux oops, then panic (which leaves QEMU with the
 * failure code). Never returns.
 */
void __noreturn die(const char *reason, struct pt_regs *regs)
{
	local_irq_disable();
	oops_in_progress = 1;
	printk("\n------------[ cut here ]------------\n");
	printk("Oops: %s\n", reason);
	printk("  vector %lu (%s), error code %#lx\n", (unsigned long)regs->vector,
	       trap_name(regs->vector), (unsigned long)regs->error_code);
	show_regs(regs);
	panic("Fatal exception: %s", reason);
}

/*
 * do_double_fault - #DF, on its own IST stack. The usual cause in a kernel is
 * a stack overflow: the #PF on the guard page could not push its frame on
 * the dead stack. CR2 still holds the address of that first fault.
 */
static void __noreturn do_double_fault(struct pt_regs *regs)
{
	if (stack_guard_page_hit(read_cr2()) || stack_guard_page_hit(regs->rsp))
		die("kernel stack overflow (the stack ran into its guard page)", regs);
	die("double fault", regs);
}

/*
 * do_user_exception - a user program did something the CPU refuses: the
 * process gets the signal POSIX names for it (Linux arch/x86/kernel/traps.c)
 * and the kernel carries on. The signal is delivered on the way out.
 */
static void do_user_exception(struct pt_regs *regs)
{
	static const struct { int sig, code; } map[32] = {
		[X86_TRAP_DE] = { SIGFPE, 1 /* FPE_INTDIV */ },
		[X86_TRAP_DB] = { SIGTRAP, 1 /* TRAP_BRKPT */ },
		[X86_TRAP_BP] = { SIGTRAP, SI_KERNEL },
		[X86_TRAP_OF] = { SIGSEGV, SI_KERNEL },
		[X86_TRAP_BR] = { SIGSEGV, SI_KERNEL },
		[X86_TRAP_UD] = { SIGILL, 2 /* ILL_ILLOPN */ },
		[X86_TRAP_NM] = { SIGFPE, SI_KERNEL },
		[X86_TRAP_TS] = { SIGSEGV, SI_KERNEL },
		[X86_TRAP_NP] = { SIGBUS, SI_KERNEL },
		[X86_TRAP_SS] = { SIGBUS, SI_KERNEL },
		[X86_TRAP_GP] = { SIGSEGV, SI_KERNEL },
		[X86_TRAP_MF] = { SIGFPE, SI_KERNEL },
		[X86_TRAP_AC] = { SIGBUS, 1 /* BUS_ADRALN */ },
		[X86_TRAP_XF] = { SIGFPE, SI_KERNEL },
	};
	unsigned int v = regs->vector;
	int sig = v < 32 ? map[v].sig : 0;

	if (!sig) {
		printk("%s[%d]: unexpected user-mode exception %s; killed\n", current->comm,
		       current->pid, trap_name(v));
		sig = SIGKILL;
	}
	if (sig == SIGSEGV || sig == SIGILL || sig == SIGFPE || sig == SIGBUS)
		printk("%s[%d]: %s at ip %lx sp %lx: %s\n", current->comm, current->pid,
		       trap_name(v), (unsigned long)regs->rip, (unsigned long)regs->rsp,
		       sig == SIGSEGV ? "SIGSEGV" : sig == SIGILL ? "SIGILL" :
		       sig == SIGFPE ? "SIGFPE" : "SIGBUS");
	force_sig_fault(sig, v < 32 ? map[v].code : 0, (void __user *)regs->rip);
}

static void do_exception(struct pt_regs *regs)
{
	unsigned int v = regs->vector;

	if (v == X86_TRAP_DF)
		do_double_fault(regs);
	if (user_mode(regs)) {
		do_user_exception(regs);
		return;
	}
	if (fixup_exception(regs, v, regs->error_code, 0))
		return;
	if (v == X86_TRAP_NMI) {
		printk("NMI received, ignored\n");
		return;
	}
	die(trap_name(v), regs);
}

static void do_irq(struct pt_regs *regs)
{
	int irq = regs->vector - IRQ0_VECTOR;

	if (pic_is_spurious(irq))
		return;
	irq_count[irq]++;
	if (irq_handlers[irq])
		irq_handlers[irq](irq, regs);
	pic_eoi(irq);
}

/*
 * idt_dispatch - called by common_interrupt (entry.asm) with interrupts off,
 * on the stack the CPU chose. May change *regs; entry.asm restores from it.
 */
void idt_dispatch(struct pt_regs *regs)
{
	unsigned long v = regs->vector;

	if (v == X86_TRAP_PF)
		exc_page_fault(regs, regs->error_code);
	else if (v < FIRST_EXTERNAL_VECTOR)
		do_exception(regs);
	else if (v < IRQ0_VECTOR + NR_LEGACY_IRQS)
		do_irq(regs);
	else
		printk("unexpected interrupt on vector %lu ignored\n", v);
}
