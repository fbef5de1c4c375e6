/*
 * tests/ktest/test_pf.c - page faults through our own IDT: CR2 and the
 * decoded error code for each kind of fault, the plain-words reasons, and
 * the exception-table fixups that turn a fault in copy_from_user() into
 * -EFAULT. Each fault is provoked inside catch_fault(), which records what
 * the #PF handler saw.
 */
#include "tests/ktest/ktest.h"
#include "arch/x86_64/fault.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/string.h"
#include "tests/ktest/ktest_util.h"

extern const struct exception_table_entry __start___ex_table[];
extern const struct exception_table_entry __stop___ex_table[];

KTEST(pf_unmapped_read)
{
	struct fault_info fi = { 0 };
	void *addr = (void *)(KTEST_KVA(7) + 0x123);
	unsigned long before = pgfault_count;

	ASSERT_FALSE(translate(swapper_pg_dir, (unsigned long)addr, NULL, NULL, NULL));
	EXPECT_EQ(catch_fault(ktest_probe_read, addr, &fi), -EFAULT);
	EXPECT_EQ(fi.vector, 14);
	EXPECT_EQ(fi.address, (unsigned long)addr);
	EXPECT_EQ(fi.error_code, 0);  /* not present, read, kernel mode */
	EXPECT_EQ(pgfault_count, before + 1);
}

KTEST(pf_write_to_readonly)
{
	struct ktest_mapping m;
	struct fault_info fi = { 0 };

	ASSERT_EQ(ktest_map(&m, KTEST_KVA(0), PAGE_KERNEL_RO, 0x11), 0);
	/* Reading is allowed ... */
	EXPECT_EQ(catch_fault(ktest_probe_read, (void *)m.va, &fi), 0);
	/* ... writing faults: present + write, kernel mode, at that address. */
	EXPECT_EQ(catch_fault(ktest_probe_write, (void *)(m.va + 8), &fi), -EFAULT);
	EXPECT_EQ(fi.vector, 14);
	EXPECT_EQ(fi.address, m.va + 8);
	EXPECT_EQ(fi.error_code, X86_PF_PROT | X86_PF_WRITE);
	EXPECT_EQ(((u8 *)page_address(m.page))[8], 0x11);
	ktest_unmap(&m);
}

KTEST(pf_fetch_from_nx)
{
	struct ktest_mapping nx, x;
	struct fault_info fi = { 0 };

	/* 0xc3 is "ret": calling the page returns at once if it may run. */
	ASSERT_EQ(ktest_map(&nx, KTEST_KVA(0), PAGE_KERNEL, 0xc3), 0);
	ASSERT_EQ(ktest_map(&x, KTEST_KVA(1), PAGE_KERNEL_EXEC, 0xc3), 0);
	EXPECT_EQ(catch_fault(ktest_probe_call, (void *)x.va, &fi), 0);
	EXPECT_EQ(catch_fault(ktest_probe_call, (void *)nx.va, &fi), -EFAULT);
	EXPECT_EQ(fi.address, nx.va);
	EXPECT_EQ(fi.ip, nx.va);
	EXPECT_EQ(fi.error_code, X86_PF_PROT | X86_PF_INSTR);
	ktest_unmap(&nx);
	ktest_unmap(&x);
}

KTEST(pf_null_pointer)
{
	struct fault_info fi = { 0 };

	EXPECT_EQ(catch_fault(ktest_probe_read, (void *)0x10, &fi), -EFAULT);
	EXPECT_EQ(fi.address, 0x10);
	EXPECT_EQ(fi.error_code, 0);
	EXPECT_STREQ(page_fault_reason(fi.error_code, fi.address), "NULL pointer dereference");
}

KTEST(pf_reasons_in_plain_words)
{
	char buf[96];

	EXPECT_STREQ(page_fault_reason(X86_PF_PROT | X86_PF_WRITE, 0xffffffff80100000UL),
		     "write to a read-only page");
	EXPECT_STREQ(page_fault_reason(X86_PF_PROT | X86_PF_INSTR, 0xffff888000200000UL),
		     "instruction fetch from a no-execute page");
	EXPECT_STREQ(page_fault_reason(X86_PF_PROT | X86_PF_INSTR, 0x400000),
		     "kernel tried to execute a user page (SMEP)");
	EXPECT_STREQ(page_fault_reason(X86_PF_PROT, 0x400000),
		     "kernel access to a user page outside uaccess (SMAP)");
	EXPECT_STREQ(page_fault_reason(0, 0xffffc90000001000UL),
		     "access to a page that is not mapped");
	EXPECT_STREQ(page_fault_reason(X86_PF_RSVD | X86_PF_PROT, 0x1000),
		     "reserved bit set in a page-table entry");
	EXPECT_STREQ(pf_error_decode(X86_PF_PROT | X86_PF_WRITE | X86_PF_USER, buf, sizeof(buf)),
		     "protection-violation write user-mode");
	EXPECT_STREQ(pf_error_decode(X86_PF_INSTR, buf, sizeof(buf)),
		     "not-present instruction-fetch kernel-mode");
}

KTEST(pf_extable_fixup_efault)
{
	void __user *bad = (void __user *)0x1000;   /* user half, nothing mapped */
	char buf[16];
	u64 v = 123;

	ASSERT_NE(__stop___ex_table - __start___ex_table, 0);
	memset(buf, 'x', sizeof(buf));
	EXPECT_EQ(copy_from_user(buf, bad, sizeof(buf)), sizeof(buf));
	EXPECT_EQ(buf[0], 0);               /* the uncopied part is zero-filled */
	EXPECT_EQ(buf[15], 0);
	EXPECT_EQ(copy_to_user(bad, buf, sizeof(buf)), sizeof(buf));
	EXPECT_EQ(get_user(v, (u64 __user *)bad), -EFAULT);
	EXPECT_EQ(v, 0);                    /* get_user zeroes on failure */
	EXPECT_EQ(put_user(v, (u64 __user *)bad), -EFAULT);
	EXPECT_EQ(clear_user(bad, 8), 8);
	EXPECT_EQ(strncpy_from_user(buf, (const char __user *)bad, 8), -EFAULT);
}

KTEST(pf_uaccess_rejects_kernel_addresses)
{
	static u64 secret = 0x5ec2e7;
	u64 v = 0;
	u8 buf[8];

	/* access_ok() refuses before any access: no fault is even taken. */
	unsigned long faults = pgfault_count;

	EXPECT_FALSE(access_ok((void __user *)&secret, 8));
	EXPECT_FALSE(access_ok((void __user *)(TASK_SIZE_MAX - 4), 8));
	EXPECT_TRUE(access_ok((void __user *)(TASK_SIZE_MAX - 8), 8));
	EXPECT_EQ(copy_from_user(buf, (void __user *)&secret, 8), 8);
	EXPECT_EQ(get_user(v, (u64 __user *)&secret), -EFAULT);
	EXPECT_EQ(v, 0);
	EXPECT_EQ(put_user(1, (u64 __user *)&secret), -EFAULT);
	EXPECT_EQ(secret, 0x5ec2e7);
	EXPECT_EQ(pgfault_count, faults);
}

KTEST(pf_uaccess_mapped_user_page)
{
	struct ktest_mapping m;
	char out[32], in[32] = "hello from the kernel";
	u32 word = 0;

	ASSERT_EQ(ktest_map(&m, KTEST_UVA(0), PAGE_SHARED, 0), 0);
	EXPECT_EQ(copy_to_user((void __user *)(m.va + 100), in, sizeof(in)), 0);
	EXPECT_EQ(memcmp((char *)page_address(m.page) + 100, in, sizeof(in)), 0);
	EXPECT_EQ(copy_from_user(out, (void __user *)(m.va + 100), sizeof(out)), 0);
	EXPECT_EQ(memcmp(out, in, sizeof(in)), 0);
	EXPECT_EQ(put_user(0xabcd1234u, (u32 __user *)m.va), 0);
	EXPECT_EQ(get_user(word, (u32 __user *)m.va), 0);
	EXPECT_EQ(word, 0xabcd1234u);
	EXPECT_EQ(strncpy_from_user(out, (const char __user *)(m.va + 100), sizeof(out)),
		  (long)strlen(in));
	ktest_unmap(&m);
}

KTEST(pf_partial_copy_counts_bytes)
{
	struct ktest_mapping m;
	char buf[100];

	/* 40 bytes at the end of a mapped page, then an unmapped page. */
	ASSERT_EQ(ktest_map(&m, KTEST_UVA(0), PAGE_SHARED, 'a'), 0);
	memset(buf, 'z', sizeof(buf));
	EXPECT_EQ(copy_from_user(buf, (void __user *)(m.va + PAGE_SIZE - 40), 100), 60);
	EXPECT_EQ(buf[0], 'a');
	EXPECT_EQ(buf[39], 'a');
	EXPECT_EQ(buf[40], 0);
	EXPECT_EQ(buf[99], 0);
	EXPECT_EQ(copy_to_user((void __user *)(m.va + PAGE_SIZE - 10), buf, 30), 20);
	ktest_unmap(&m);
}

static struct ktest_case pf_cases[] = {
	KTEST_CASE(pf_unmapped_read),
	KTEST_CASE(pf_write_to_readonly),
	KTEST_CASE(pf_fetch_from_nx),
	KTEST_CASE(pf_null_pointer),
	KTEST_CASE(pf_reasons_in_plain_words),
	KTEST_CASE(pf_extable_fixup_efault),
	KTEST_CASE(pf_uaccess_rejects_kernel_addresses),
	KTEST_CASE(pf_uaccess_mapped_user_page),
	KTEST_CASE(pf_partial_copy_counts_bytes),
	{}
};

static struct ktest_suite pf_suite = {
	.name = "pf",
	.cases = pf_cases,
};
ktest_register_suite(pf_suite);
