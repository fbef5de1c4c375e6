/*
 * arch/x86_64/time.h - the periodic tick (PIT) and rdtsc-based timing.
 *
 * jiffies counts timer interrupts since timer_init(), HZ per second.
 * The TSC is calibrated against the PIT at boot; under QEMU's -icount the
 * TSC counts guest instructions, which makes rdtsc() deltas exact and
 * repeatable (the benchmarks rely on it).
 */
#ifndef ARCH_X86_64_TIME_H
#define ARCH_X86_64_TIME_H

#include "kernel/types.h"

#define HZ 1000   /* Linux's CONFIG_HZ_1000: a tick every millisecond */

extern volatile unsigned long jiffies;
extern u64 tsc_khz;                 /* TSC ticks per millisecond */

void timer_init(void);
void tsc_calibrate(void);
u64 tsc_to_ns(u64 cycles);
/* ktime_get_ns - nanoseconds since tsc_calibrate(), from the TSC. */
u64 ktime_get_ns(void);
/* udelay - busy-wait @us microseconds (interrupts may stay on). */
void udelay(unsigned long us);

/* The timer's own hook, set by the scheduler once it exists. */
extern void (*timer_tick_hook)(void);

#endif
