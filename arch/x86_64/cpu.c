/* arch/x86_64/cpu.c - CPUID feature detection and control-register set-up. */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/special_insns.h"
#include "kernel/printk.h"
#include "kernel/string.h"

bool cpu_has_nx, cpu_has_pge, cpu_has_smep, cpu_has_smap, cpu_has_gbpages;
char cpu_vendor[13];
char cpu_model_name[49];
static char features[96];

void cpu_init(void)
{
	u32 a, b, c, d, max_ext;

	cpuid(0, 0, &a, &b, &c, &d);
	memcpy(cpu_vendor, &b, 4);
	memcpy(cpu_vendor + 4, &d, 4);
	memcpy(cpu_vendor + 8, &c, 4);
	if (a >= 7) {
		cpuid(7, 0, &a, &b, &c, &d);
		cpu_has_smep = b & (1u << 7);
		cpu_has_smap = b & (1u << 20);
	}
	cpuid(1, 0, &a, &b, &c, &d);
	cpu_has_pge = d & (1u << 13);

	cpuid(0x80000000, 0, &max_ext, &b, &c, &d);
	cpuid(0x80000001, 0, &a, &b, &c, &d);
	cpu_has_nx = d & (1u << 20);
	cpu_has_gbpages = d & (1u << 26);
	if (max_ext >= 0x80000004) {
		u32 *p = (u32 *)cpu_model_name;

		for (u32 leaf = 0x80000002; leaf <= 0x80000004; leaf++, p += 4)
			cpuid(leaf, 0, &p[0], &p[1], &p[2], &p[3]);
	}

	/* boot/boot.asm refused to start without NX; EFER.NXE is already on. */
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	write_cr0(read_cr0() | X86_CR0_WP);

	unsigned long cr4 = read_cr4();

	if (cpu_has_pge)
		cr4 |= X86_CR4_PGE;
	if (cpu_has_smep)
		cr4 |= X86_CR4_SMEP;
	if (cpu_has_smap) {
		cr4 |= X86_CR4_SMAP;
		clac();  /* EFLAGS.AC off: the SMAP window starts closed */
	}
	write_cr4(cr4);

	snprintf(features, sizeof(features), "nx wp%s%s%s%s", cpu_has_pge ? " pge" : "",
		 cpu_has_smep ? " smep" : "", cpu_has_smap ? " smap" : "",
		 cpu_has_gbpages ? " pdpe1gb" : "");
}

const char *cpu_features_string(void)
{
	return features;
}
