/* arch/x86_64/cpu.h - what the CPU can do, and turning it on. */
#ifndef ARCH_X86_64_CPU_H
#define ARCH_X86_64_CPU_H

#include "kernel/types.h"

/* Set by cpu_init() from CPUID; read-only afterwards. */
extern bool cpu_has_nx, cpu_has_pge, cpu_has_smep, cpu_has_smap, cpu_has_gbpages;
extern char cpu_vendor[13];
extern char cpu_model_name[49];

/*
 * cpu_init - detect features and switch on what the kernel relies on:
 * EFER.NXE (no-execute pages), CR0.WP (the kernel also faults on read-only
 * user pages - the copy-on-write rule), CR4.PGE (global kernel pages), and
 * CR4.SMEP / CR4.SMAP when the CPU has them.
 */
void cpu_init(void);

/* cpu_features_string - "nx pge smep smap ..." for the boot banner. */
const char *cpu_features_string(void);

#endif
