/* arch/x86_64/qemu.c - see qemu.h. */
#include "arch/x86_64/qemu.h"
#include "arch/x86_64/special_insns.h"

void __noreturn qemu_exit(int code)
{
	outb(QEMU_EXIT_PORT, (u8)code);
	/* Not under QEMU (or no isa-debug-exit): stop here. */
	for (;;) {
		local_irq_disable();
		halt();
	}
}
