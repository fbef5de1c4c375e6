/*
 * arch/x86_64/fpu.h - the x87/SSE register state of user tasks.
 *
 * The kernel itself never touches these registers (it is built with
 * -mgeneral-regs-only), but user programs do: musl's memcpy and strlen use
 * SSE. So each user task has a 512-byte FXSAVE area, saved when it is
 * switched out and restored when it is switched in (Linux's eager FPU
 * switching), copied at fork, reset at exec, and saved in signal frames.
 */
#ifndef ARCH_X86_64_FPU_H
#define ARCH_X86_64_FPU_H

#include "kernel/types.h"

struct fxregs_state {
	u16 cwd, swd, twd, fop;
	u64 rip, rdp;
	u32 mxcsr, mxcsr_mask;
	u32 st_space[32];
	u32 xmm_space[64];
	u32 padding[24];
} __attribute__((aligned(16)));

#define MXCSR_DEFAULT 0x1f80

static inline void fxsave(struct fxregs_state *fx)
{
	__asm__ __volatile__("fxsave64 %0" : "=m"(*fx));
}

static inline void fxrstor(const struct fxregs_state *fx)
{
	__asm__ __volatile__("fxrstor64 %0" : : "m"(*fx));
}

/* fpu_init_state - the state of a freshly exec'd program (FNINIT + default MXCSR). */
void fpu_init_state(struct fxregs_state *fx);
/* fpu_enable - CR0.MP on, EM off; CR4.OSFXSR and OSXMMEXCPT on. Once per CPU. */
void fpu_enable(void);
extern u32 mxcsr_feature_mask;

#endif
