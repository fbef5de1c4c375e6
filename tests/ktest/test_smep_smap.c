/*
 * tests/ktest/test_smep_smap.c - SMEP stops the kernel from running code in
 * user pages; SMAP stops it from touching user data outside the uaccess
 * helpers (which open the window with stac). Skipped on CPUs without them.
 */
#include "tests/ktest/ktest.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fault.h"
#include "arch/x86_64/special_insns.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/errno.h"
#include "tests/ktest/ktest_util.h"

KTEST(smap_blocks_plain_kernel_access)
{
	struct ktest_mapping m;
	struct fault_info fi = { 0 };

	if (!cpu_has_smap)
		KTEST_SKIP("CPU has no SMAP");
	EXPECT_TRUE(read_cr4() & X86_CR4_SMAP);
	ASSERT_EQ(ktest_map(&m, KTEST_UVA(0), PAGE_SHARED, 0x42), 0);
	EXPECT_EQ(catch_fault(ktest_probe_read, (void *)m.va, &fi), -EFAULT);
	EXPECT_EQ(fi.address, m.va);
	/* present page, kernel-mode read: only SMAP can refuse it */
	EXPECT_EQ(fi.error_code, X86_PF_PROT);
	EXPECT_EQ(catch_fault(ktest_probe_write, (void *)m.va, &fi), -EFAULT);
	EXPECT_EQ(fi.error_code, X86_PF_PROT | X86_PF_WRITE);
	EXPECT_EQ(*(u8 *)page_address(m.page), 0x42);
	ktest_unmap(&m);
}

KTEST(smap_uaccess_opens_the_window)
{
	struct ktest_mapping m;
	u8 v = 0;

	if (!cpu_has_smap)
		KTEST_SKIP("CPU has no SMAP");
	ASSERT_EQ(ktest_map(&m, KTEST_UVA(0), PAGE_SHARED, 0x42), 0);
	EXPECT_EQ(get_user(v, (u8 __user *)m.va), 0);
	EXPECT_EQ(v, 0x42);
	/* and the window is closed again afterwards */
	EXPECT_FALSE(native_save_fl() & X86_EFLAGS_AC);
	ktest_unmap(&m);
}

KTEST(smep_blocks_kernel_exec_of_user_page)
{
	struct ktest_mapping m;
	struct fault_info fi = { 0 };

	if (!cpu_has_smep)
		KTEST_SKIP("CPU has no SMEP");
	EXPECT_TRUE(read_cr4() & X86_CR4_SMEP);
	ASSERT_EQ(ktest_map(&m, KTEST_UVA(0), PAGE_SHARED_EXEC, 0xc3), 0);
	EXPECT_EQ(catch_fault(ktest_probe_call, (void *)m.va, &fi), -EFAULT);
	EXPECT_EQ(fi.address, m.va);
	EXPECT_EQ(fi.ip, m.va);
	EXPECT_EQ(fi.error_code, X86_PF_PROT | X86_PF_INSTR);
	ktest_unmap(&m);
}

static struct ktest_case smep_smap_cases[] = {
	KTEST_CASE(smap_blocks_plain_kernel_access),
	KTEST_CASE(smap_uaccess_opens_the_window),
	KTEST_CASE(smep_blocks_kernel_exec_of_user_page),
	{}
};

static struct ktest_suite smep_smap_suite = {
	.name = "smep_smap",
	.cases = smep_smap_cases,
};
ktest_register_suite(smep_smap_suite);
