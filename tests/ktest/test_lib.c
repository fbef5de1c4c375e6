/*
 * tests/ktest/test_lib.c - the kernel's small library: printk formatting,
 * the built-in symbol table and backtraces, strings and the command line.
 */
#include "tests/ktest/ktest.h"
#include "arch/x86_64/stacktrace.h"
#include "kernel/cmdline.h"
#include "kernel/kallsyms.h"
#include "kernel/printk.h"
#include "kernel/string.h"

void kmain(u32 magic, u64 mbi_phys);

KTEST(lib_snprintf_formats)
{
	char b[64];
	const char *volatile null_str = NULL;  /* volatile: gcc must not see it is NULL */

	snprintf(b, sizeof(b), "%d|%5d|%-5d|%05d", -42, 42, 42, 42);
	EXPECT_STREQ(b, "-42|   42|42   |00042");
	snprintf(b, sizeof(b), "%x %X %#lx %o", 0xbeefu, 0xbeefu, 0x1000UL, 8u);
	EXPECT_STREQ(b, "beef BEEF 0x1000 10");
	snprintf(b, sizeof(b), "%lu %ld %lld", ~0UL, -1L, -9000000000LL);
	EXPECT_STREQ(b, "18446744073709551615 -1 -9000000000");
	snprintf(b, sizeof(b), "[%s] [%.3s] [%6s] [%c] [%%]", null_str, "abcdef", "ab", 'z');
	EXPECT_STREQ(b, "[(null)] [abc] [    ab] [z] [%]");
	snprintf(b, sizeof(b), "%p", (void *)0xffff888000001000UL);
	EXPECT_STREQ(b, "0xffff888000001000");
	snprintf(b, sizeof(b), "%zu %016lx", (size_t)7, 0xabUL);
	EXPECT_STREQ(b, "7 00000000000000ab");
}

KTEST(lib_snprintf_truncates)
{
	char b[8];

	EXPECT_EQ(snprintf(b, sizeof(b), "0123456789"), 10);  /* the length it wanted */
	EXPECT_STREQ(b, "0123456");                            /* and always a NUL */
	EXPECT_EQ(snprintf(b, 1, "abc"), 3);
	EXPECT_STREQ(b, "");
}

KTEST(lib_kallsyms_lookup)
{
	unsigned long size, off;
	const char *name;
	char b[KSYM_NAME_LEN + 40];

	EXPECT_EQ(kallsyms_lookup_name("kmain"), (unsigned long)kmain);
	EXPECT_EQ(kallsyms_lookup_name("no_such_function_here"), 0);
	name = kallsyms_lookup((unsigned long)kmain + 5, &size, &off);
	ASSERT_NOT_NULL(name);
	EXPECT_STREQ(name, "kmain");
	EXPECT_EQ(off, 5);
	EXPECT_GT(size, 5);
	/* Data is not text: no symbol. */
	EXPECT_NULL(kallsyms_lookup((unsigned long)&kallsyms_num_syms, NULL, NULL));
	snprintf(b, sizeof(b), "%pS", (void *)((unsigned long)kmain + 0x10));
	EXPECT_EQ(strncmp(b, "kmain+0x10/0x", 13), 0);
	snprintf(b, sizeof(b), "%ps", (void *)((unsigned long)kmain + 0x10));
	EXPECT_STREQ(b, "kmain+0x10");
}

/* A frame-pointer backtrace from inside a case names the runner that called it. */
KTEST(lib_backtrace_names_callers)
{
	unsigned long trace[8];
	int n = save_stack_trace((unsigned long)__builtin_frame_address(0), trace, 8);
	const char *caller;

	ASSERT_GE(n, 2);
	caller = kallsyms_lookup(trace[0], NULL, NULL);
	ASSERT_NOT_NULL(caller);
	EXPECT_STREQ(caller, "run_case_body");
	bool found_runner = false;

	for (int i = 0; i < n; i++) {
		const char *f = kallsyms_lookup(trace[i], NULL, NULL);

		if (f && strcmp(f, "ktest_run") == 0)
			found_runner = true;
	}
	EXPECT_TRUE(found_runner);
}

KTEST(lib_strings)
{
	char b[8];

	EXPECT_TRUE(glob_match("*", "anything"));
	EXPECT_TRUE(glob_match("buddy*", "buddy"));
	EXPECT_TRUE(glob_match("b?ddy", "buddy"));
	EXPECT_TRUE(glob_match("*_fault*", "pf_null_fault_case"));
	EXPECT_FALSE(glob_match("pf", "pf_x"));
	EXPECT_FALSE(glob_match("*x", "abc"));
	EXPECT_EQ(strlcpy(b, "truncated", sizeof(b)), 9);
	EXPECT_STREQ(b, "truncat");
	EXPECT_EQ(simple_strtoul("0x1f", NULL, 0), 31);
	EXPECT_EQ(simple_strtoul("017", NULL, 0), 15);
	EXPECT_EQ(simple_strtoul("123abc", NULL, 10), 123);
	char m[] = "abcdef";

	memmove(m + 2, m, 4);  /* overlapping, forwards */
	EXPECT_STREQ(m, "ababcd");
	memmove(m, m + 2, 4);  /* overlapping, backwards */
	EXPECT_STREQ(m, "abcdcd");
	EXPECT_LT(strcmp("abc", "abd"), 0);
	EXPECT_EQ(strncmp("abcX", "abcY", 3), 0);
}

KTEST(lib_cmdline)
{
	const char *cl = "ktest=pf* quiet init=/bin/sh ktest_extra=1";
	char v[32];

	EXPECT_TRUE(cmdline_get(cl, "ktest", v, sizeof(v)));
	EXPECT_STREQ(v, "pf*");
	EXPECT_TRUE(cmdline_get(cl, "quiet", v, sizeof(v)));
	EXPECT_STREQ(v, "");
	EXPECT_TRUE(cmdline_get(cl, "init", v, sizeof(v)));
	EXPECT_STREQ(v, "/bin/sh");
	EXPECT_FALSE(cmdline_get(cl, "ktest_extr", v, sizeof(v)));
	EXPECT_FALSE(cmdline_get(cl, "nosuch", v, sizeof(v)));
}

static struct ktest_case lib_cases[] = {
	KTEST_CASE(lib_snprintf_formats),
	KTEST_CASE(lib_snprintf_truncates),
	KTEST_CASE(lib_kallsyms_lookup),
	KTEST_CASE(lib_backtrace_names_callers),
	KTEST_CASE(lib_strings),
	KTEST_CASE(lib_cmdline),
	{}
};

static struct ktest_suite lib_suite = {
	.name = "lib",
	.cases = lib_cases,
};
ktest_register_suite(lib_suite);
