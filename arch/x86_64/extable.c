/* arch/x86_64/extable.c - see extable.h. */
#include "arch/x86_64/extable.h"
#include "kernel/compiler.h"
#include "kernel/errno.h"

extern const struct exception_table_entry __start___ex_table[];
extern const struct exception_table_entry __stop___ex_table[];

const struct exception_table_entry *search_exception_tables(unsigned long ip)
{
	for (const struct exception_table_entry *e = __start___ex_table;
	     e < __stop___ex_table; e++)
		if (e->insn == ip)
			return e;
	return NULL;
}

/*
 * The catch_fault() state. jmpbuf is for gcc's __builtin_setjmp (five
 * words: frame pointer, resume address, stack pointer, and scratch).
 */
static struct {
	void *jmpbuf[5];
	bool armed;
	struct fault_info *info;
} catcher;

/*
 * catch_fault_landing - where an armed catcher sends the faulting context:
 * jump back into catch_fault(), which then returns -EFAULT.
 */
static void __noreturn __noinline catch_fault_landing(void)
{
	__builtin_longjmp(catcher.jmpbuf, 1);
}

int __noinline catch_fault(void (*fn)(void *), void *arg, struct fault_info *info)
{
	if (__builtin_setjmp(catcher.jmpbuf)) {
		catcher.armed = false;
		return -EFAULT;
	}
	catcher.info = info;
	catcher.armed = true;
	barrier();
	fn(arg);
	barrier();
	catcher.armed = false;
	return 0;
}

bool fixup_exception(struct pt_regs *regs, unsigned int trapnr,
		     unsigned long error_code, unsigned long fault_addr)
{
	const struct exception_table_entry *e = search_exception_tables(regs->rip);

	if (e) {
		regs->rip = e->fixup;
		return true;
	}
	if (catcher.armed) {
		catcher.armed = false;
		if (catcher.info) {
			catcher.info->vector = trapnr;
			catcher.info->error_code = error_code;
			catcher.info->address = fault_addr;
			catcher.info->ip = regs->rip;
		}
		/*
		 * Resume in catch_fault_landing() on the interrupted stack, a
		 * little below where it stood, aligned as right after a call.
		 */
		regs->rip = (unsigned long)catch_fault_landing;
		regs->rsp = ((regs->rsp - 256) & ~15UL) - 8;
		return true;
	}
	return false;
}
