/*
 * tests/ktest/test_harness_selftest.c - deliberately broken cases that
 * prove the host-side harness (tests/run_tests.py) notices each way a run
 * can go wrong. This suite runs only when named exactly
 * (ktest=harness_selftest.CASE); "make test" boots each case on its own and
 * checks that the harness reports it as the failure it is.
 */
#include "tests/ktest/ktest.h"
#include "arch/x86_64/qemu.h"
#include "arch/x86_64/special_insns.h"
#include "kernel/printk.h"
#include "mm/mm.h"

KTEST(hs_fail)
{
	EXPECT_EQ(1 + 1, 3);
}

KTEST(hs_panic)
{
	panic("harness_selftest: a deliberate panic");
}

KTEST(hs_triple_fault)
{
	struct desc_ptr empty = { .size = 0, .address = 0 };

	/* No IDT: the exception cannot be delivered, nor can #DF: the CPU resets. */
	local_irq_disable();
	load_idt(&empty);
	__asm__ __volatile__("ud2");
}

KTEST(hs_hang)
{
	local_irq_disable();
	for (;;)
		halt();
}

KTEST(hs_short_plan)
{
	/* Claim success before this case (or the suite) has reported. */
	qemu_exit(QEMU_EXIT_SUCCESS);
}

KTEST(hs_leak)
{
	struct page *p = alloc_page(GFP_KERNEL);

	EXPECT_NOT_NULL(p);  /* and never freed: the runner's leak check must fail us */
}

static volatile int recursion_limit = 1 << 30;  /* far beyond any stack */

static int __noinline recurse_deep(int depth)
{
	volatile char frame[256];

	frame[0] = (char)depth;
	if (depth >= recursion_limit)
		return 0;
	return recurse_deep(depth + 1) + frame[0];
}

KTEST(hs_stack_overflow)
{
	ktest_info("recursing on the stack at %p", __builtin_frame_address(0));
	EXPECT_EQ(recurse_deep(0), 0);
}

static struct ktest_case harness_selftest_cases[] = {
	{ "fail", hs_fail },
	{ "panic", hs_panic },
	{ "triple_fault", hs_triple_fault },
	{ "hang", hs_hang },
	{ "short_plan", hs_short_plan },
	{ "leak", hs_leak },
	{ "stack_overflow", hs_stack_overflow },
	{}
};

static struct ktest_suite harness_selftest_suite = {
	.name = "harness_selftest",
	.cases = harness_selftest_cases,
	.explicit_only = true,
};
ktest_register_suite(harness_selftest_suite);
