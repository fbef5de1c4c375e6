/* arch/x86_64/percpu.c - the boot CPU's struct pcpu (see percpu.h). */
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/special_insns.h"
#include "kernel/compiler.h"

struct pcpu boot_pcpu = { .self = &boot_pcpu };

BUILD_BUG_ON(__builtin_offsetof(struct pcpu, self) != PCPU_SELF);
BUILD_BUG_ON(__builtin_offsetof(struct pcpu, current_task) != PCPU_CURRENT);
BUILD_BUG_ON(__builtin_offsetof(struct pcpu, top_of_stack) != PCPU_TOP_OF_STACK);
BUILD_BUG_ON(__builtin_offsetof(struct pcpu, user_rsp) != PCPU_USER_RSP);

/*
 * percpu_init - GS.base -> boot_pcpu for the kernel; the user's GS.base (0
 * for now) waits in KERNEL_GS_BASE until the first swapgs on the way out.
 */
void percpu_init(void)
{
	wrmsr(MSR_GS_BASE, (u64)&boot_pcpu);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}
