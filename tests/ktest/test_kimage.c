/*
 * tests/ktest/test_kimage.c - the kernel's own mappings have real
 * permissions: text cannot be written, data cannot be executed, rodata is
 * read-only, the direct map is no-execute, the early identity map is gone,
 * and the boot stack has an unmapped guard page below it.
 */
#include "tests/ktest/ktest.h"
#include "arch/x86_64/extable.h"
#include "arch/x86_64/fault.h"
#include "arch/x86_64/special_insns.h"
#include "kernel/errno.h"
#include "kernel/sections.h"
#include "tests/ktest/ktest_util.h"

void kmain(u32 magic, u64 mbi_phys);
static const u64 kimage_const = 0x1122334455667788ULL;
static u8 kimage_data_ret[16] = { 0xc3 };  /* "ret", in .data */
static u64 kimage_bss_word;                 /* in .bss */

KTEST(kimage_text_not_writable)
{
	struct fault_info fi = { 0 };
	u8 before = *(volatile u8 *)kmain;

	EXPECT_EQ(catch_fault(ktest_probe_write, (void *)kmain, &fi), -EFAULT);
	EXPECT_EQ(fi.address, (unsigned long)kmain);
	EXPECT_EQ(fi.error_code, X86_PF_PROT | X86_PF_WRITE);
	EXPECT_EQ(*(volatile u8 *)kmain, before);
}

KTEST(kimage_rodata_not_writable)
{
	struct fault_info fi = { 0 };

	EXPECT_EQ(catch_fault(ktest_probe_write, (void *)&kimage_const, &fi), -EFAULT);
	EXPECT_EQ(fi.error_code, X86_PF_PROT | X86_PF_WRITE);
	EXPECT_EQ(kimage_const, 0x1122334455667788ULL);
}

KTEST(kimage_data_not_executable)
{
	struct fault_info fi = { 0 };

	EXPECT_EQ(catch_fault(ktest_probe_call, kimage_data_ret, &fi), -EFAULT);
	EXPECT_EQ(fi.address, (unsigned long)kimage_data_ret);
	EXPECT_EQ(fi.error_code, X86_PF_PROT | X86_PF_INSTR);
}

KTEST(kimage_direct_map_not_executable)
{
	struct page *p = alloc_page(GFP_KERNEL);
	struct fault_info fi = { 0 };

	ASSERT_NOT_NULL(p);
	*(u8 *)page_address(p) = 0xc3;
	EXPECT_EQ(catch_fault(ktest_probe_call, page_address(p), &fi), -EFAULT);
	EXPECT_EQ(fi.error_code, X86_PF_PROT | X86_PF_INSTR);
	put_page(p);
}

KTEST(kimage_section_flags)
{
	u64 f;
	int level;
	phys_addr_t pa;

	ASSERT_TRUE(translate(swapper_pg_dir, (unsigned long)_text, &pa, &f, &level));
	EXPECT_EQ(pa, __pa_symbol(_text));
	EXPECT_EQ(level, 1);
	EXPECT_FALSE(f & _PAGE_RW);
	EXPECT_FALSE(f & _PAGE_NX);
	EXPECT_FALSE(f & _PAGE_USER);
	EXPECT_TRUE(f & _PAGE_GLOBAL);

	ASSERT_TRUE(translate(swapper_pg_dir, (unsigned long)&kimage_const, NULL, &f, NULL));
	EXPECT_FALSE(f & _PAGE_RW);
	EXPECT_TRUE(f & _PAGE_NX);

	ASSERT_TRUE(translate(swapper_pg_dir, (unsigned long)kimage_data_ret, NULL, &f, NULL));
	EXPECT_TRUE(f & _PAGE_RW);
	EXPECT_TRUE(f & _PAGE_NX);

	ASSERT_TRUE(translate(swapper_pg_dir, (unsigned long)&kimage_bss_word, NULL, &f, NULL));
	EXPECT_TRUE(f & _PAGE_RW);
	EXPECT_TRUE(f & _PAGE_NX);

	/* The direct map: large pages, writable, never executable, never user. */
	ASSERT_TRUE(translate(swapper_pg_dir, (unsigned long)__va(0x200000), &pa, &f, &level));
	EXPECT_EQ(pa, 0x200000);
	EXPECT_GE(level, 2);
	EXPECT_TRUE(f & _PAGE_RW);
	EXPECT_TRUE(f & _PAGE_NX);
	EXPECT_FALSE(f & _PAGE_USER);
}

/*
 * Every exception-table entry's instruction and fixup lie in the text and
 * are mapped executable: a fixup placed in a section of its own outside
 * [_text, _etext) ends up no-execute, and the first -EFAULT it should
 * produce becomes an oops instead.
 */
extern const struct exception_table_entry __start___ex_table[], __stop___ex_table[];

KTEST(kimage_extable_targets_are_text)
{
	unsigned long bad = 0, n = 0;

	for (const struct exception_table_entry *e = __start___ex_table;
	     e < __stop___ex_table; e++, n++) {
		u64 f;

		bad += e->insn < (unsigned long)_text || e->insn >= (unsigned long)_etext;
		bad += e->fixup < (unsigned long)_text || e->fixup >= (unsigned long)_etext;
		bad += !translate(swapper_pg_dir, e->fixup, NULL, &f, NULL) || (f & _PAGE_NX);
	}
	EXPECT_GT(n, 4);
	EXPECT_EQ(bad, 0);
}

KTEST(kimage_identity_map_removed)
{
	struct fault_info fi = { 0 };

	/* Low memory was identity-mapped by boot/boot.asm; not any more. */
	EXPECT_FALSE(translate(swapper_pg_dir, 0x100000, NULL, NULL, NULL));
	EXPECT_FALSE(translate((pgd_t *)__va(read_cr3() & PTE_PFN_MASK), 0x200000, NULL, NULL, NULL));
	EXPECT_EQ(catch_fault(ktest_probe_read, (void *)0x100000, &fi), -EFAULT);
	EXPECT_EQ(fi.error_code, 0);
	EXPECT_EQ(read_cr3() & PTE_PFN_MASK, __pa_symbol(swapper_pg_dir));
}

KTEST(kimage_stack_guard_page)
{
	struct fault_info fi = { 0 };

	EXPECT_FALSE(translate(swapper_pg_dir, (unsigned long)boot_stack_guard, NULL, NULL, NULL));
	EXPECT_TRUE(translate(swapper_pg_dir, (unsigned long)boot_stack_bottom, NULL, NULL, NULL));
	EXPECT_EQ(catch_fault(ktest_probe_read, boot_stack_guard + 100, &fi), -EFAULT);
	EXPECT_EQ(fi.address, (unsigned long)boot_stack_guard + 100);
}

KTEST(kimage_cpu_protection_bits)
{
	EXPECT_TRUE(read_cr0() & X86_CR0_WP);    /* the kernel honours read-only PTEs */
	EXPECT_TRUE(rdmsr(MSR_EFER) & EFER_NXE); /* the NX bit means something */
	EXPECT_TRUE(read_cr4() & X86_CR4_PAE);
}

static struct ktest_case kimage_cases[] = {
	KTEST_CASE(kimage_text_not_writable),
	KTEST_CASE(kimage_rodata_not_writable),
	KTEST_CASE(kimage_data_not_executable),
	KTEST_CASE(kimage_direct_map_not_executable),
	KTEST_CASE(kimage_section_flags),
	KTEST_CASE(kimage_extable_targets_are_text),
	KTEST_CASE(kimage_identity_map_removed),
	KTEST_CASE(kimage_stack_guard_page),
	KTEST_CASE(kimage_cpu_protection_bits),
	{}
};

static struct ktest_suite kimage_suite = {
	.name = "kimage",
	.cases = kimage_cases,
};
ktest_register_suite(kimage_suite);
