/*
 * arch/x86_64/stacktrace.c - backtraces by following saved frame pointers.
 *
 * The kernel is built with -fno-omit-frame-pointer, so every function starts
 * with "push %rbp; mov %rsp,%rbp" and its frame looks like this:
 *
 *      higher addresses
 *      | return address |  rbp + 8   -> where the caller resumes
 *      | caller's rbp   |  rbp + 0   -> the next frame in the chain
 *      | locals ...     |
 *
 * The chain ends at rbp == 0 (boot/boot.asm clears rbp before kmain). Every
 * read goes through copy_from_kernel_nofault(), so a corrupt chain ends the
 * trace instead of faulting inside the oops report.
 */
#include "arch/x86_64/stacktrace.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/printk.h"
#include "kernel/sections.h"

int save_stack_trace(unsigned long rbp, unsigned long *out, int max)
{
	int n = 0;

	while (rbp && n < max) {
		unsigned long frame[2];

		if (rbp & 7 || rbp < 0xffff800000000000UL)
			break;
		if (copy_from_kernel_nofault(frame, (void *)rbp, sizeof(frame)))
			break;
		if (!frame[1])
			break;
		out[n++] = frame[1];
		if (frame[0] <= rbp)  /* the stack grows down: callers are above */
			break;
		rbp = frame[0];
	}
	return n;
}

void show_stack(unsigned long rbp)
{
	unsigned long trace[MAX_BACKTRACE_DEPTH];
	int n = save_stack_trace(rbp, trace, MAX_BACKTRACE_DEPTH);

	printk("Call Trace:\n");
	for (int i = 0; i < n; i++) {
		int same = 0;

		/* Deep recursion: say how often a frame repeats, once. */
		while (i + same + 1 < n && trace[i + same + 1] == trace[i])
			same++;
		printk(" [<%016lx>] %pS\n", trace[i], (void *)trace[i]);
		if (same) {
			printk(" ... the line above repeats %d more times\n", same);
			i += same;
		}
	}
	if (n == 0)
		printk(" (no frames)\n");
}

void __noinline dump_stack(void)
{
	show_stack((unsigned long)__builtin_frame_address(0));
}
