/* arch/x86_64/fpu.c - see fpu.h. */
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/special_insns.h"
#include "kernel/string.h"

#define X86_CR0_MP (1UL << 1)
#define X86_CR0_EM (1UL << 2)
#define X86_CR0_TS (1UL << 3)
#define X86_CR4_OSFXSR     (1UL << 9)
#define X86_CR4_OSXMMEXCPT (1UL << 10)

u32 mxcsr_feature_mask = 0xffbf;

void fpu_enable(void)
{
	struct fxregs_state fx;

	write_cr0((read_cr0() | X86_CR0_MP) & ~(X86_CR0_EM | X86_CR0_TS));
	write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
	__asm__ __volatile__("fninit");
	memset(&fx, 0, sizeof(fx));
	fxsave(&fx);
	if (fx.mxcsr_mask)
		mxcsr_feature_mask = fx.mxcsr_mask;
}

void fpu_init_state(struct fxregs_state *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->cwd = 0x37f;           /* all x87 exceptions masked, 64-bit precision */
	fx->mxcsr = MXCSR_DEFAULT; /* all SSE exceptions masked, round to nearest */
}
