/*
 * tests/ktest/test_timer.c - the periodic tick really interrupts us, and
 * the TSC-based clock moves forward at a sane rate.
 */
#include "tests/ktest/ktest.h"
#include "arch/x86_64/special_insns.h"
#include "arch/x86_64/time.h"
#include "arch/x86_64/traps.h"
#include "kernel/errno.h"
#include "kernel/timer.h"

KTEST(timer_ticks_arrive)
{
	unsigned long j0 = jiffies, irq0 = irq_count[0];

	ASSERT_FALSE(irqs_disabled());
	udelay(60 * 1000);  /* 60 ms: 60 ticks at 1000 Hz */
	EXPECT_GE(jiffies - j0, 60 * HZ / 1000 / 2);   /* a VM may lose some */
	EXPECT_LE(jiffies - j0, 60 * HZ / 1000 * 10);
	EXPECT_EQ(irq_count[0] - irq0, jiffies - j0);
}

KTEST(timer_no_ticks_with_irqs_off)
{
	unsigned long flags = local_irq_save();
	unsigned long j0 = jiffies;

	udelay(30 * 1000);
	unsigned long j1 = jiffies;

	local_irq_restore(flags);
	EXPECT_EQ(j1, j0);
	/* the pending tick is delivered as soon as interrupts are back on */
	udelay(1000);
	EXPECT_GT(jiffies, j0);
}

KTEST(timer_tsc_clock)
{
	u64 t0, t1;

	EXPECT_GT(tsc_khz, 1000);  /* more than 1 MHz */
	t0 = ktime_get_ns();
	udelay(2000);
	t1 = ktime_get_ns();
	EXPECT_GE(t1 - t0, 2000 * 1000);
	EXPECT_EQ(tsc_to_ns(tsc_khz), 1000000);  /* tsc_khz cycles are one millisecond */
}

/* The syscalls' timespec -> ticks: rounding up, malformed, and clamped huge values. */
KTEST(timer_timespec_to_ticks)
{
	struct timespec_user one_ns = { 0, 1 }, sec = { 2, 0 }, bad = { 0, 1000000000L },
			     neg = { -1, 0 }, huge = { __LONG_MAX__, 999999999L };

	EXPECT_EQ(timespec_to_ticks(&one_ns), 1);          /* rounds up */
	EXPECT_EQ(timespec_to_ticks(&sec), 2 * HZ);
	EXPECT_EQ(timespec_to_ticks(&bad), -EINVAL);
	EXPECT_EQ(timespec_to_ticks(&neg), -EINVAL);
	/* Linux accepts any valid timespec: clamped, never negative or -EINVAL */
	EXPECT_GT(timespec_to_ticks(&huge), 1000L * 365 * 24 * 3600 * HZ);
}

static struct ktest_case timer_cases[] = {
	KTEST_CASE(timer_ticks_arrive),
	KTEST_CASE(timer_no_ticks_with_irqs_off),
	KTEST_CASE(timer_tsc_clock),
	KTEST_CASE(timer_timespec_to_ticks),
	{}
};

static struct ktest_suite timer_suite = {
	.name = "timer",
	.cases = timer_cases,
};
ktest_register_suite(timer_suite);
