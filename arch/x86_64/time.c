/*
 * arch/x86_64/time.c - the 8253/8254 PIT as the periodic tick, and the TSC.
 *
 * PIT ports: 0x40 channel 0 (wired to IRQ 0), 0x42 channel 2 (its gate and
 * output are bits 0 and 5 of port 0x61), 0x43 mode/command. The PIT counts
 * down from a divisor at 1,193,182 Hz.
 */
#include "arch/x86_64/time.h"
#include "arch/x86_64/special_insns.h"
#include "arch/x86_64/traps.h"

#define PIT_HZ 1193182UL
#define PIT_CH0 0x40
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61

volatile unsigned long jiffies;
u64 tsc_khz;
static u64 tsc_base;
void (*timer_tick_hook)(void);

static void timer_interrupt(int irq, struct pt_regs *regs)
{
	(void)irq;
	(void)regs;
	jiffies++;
	if (timer_tick_hook)
		timer_tick_hook();
}

/* timer_init - PIT channel 0 in mode 2 (rate generator) at HZ; IRQ 0 on. */
void timer_init(void)
{
	unsigned long divisor = (PIT_HZ + HZ / 2) / HZ;

	outb(PIT_CMD, 0x34);  /* channel 0, lobyte/hibyte, mode 2, binary */
	outb(PIT_CH0, divisor & 0xff);
	outb(PIT_CH0, divisor >> 8);
	request_irq(0, timer_interrupt);
}

/*
 * tsc_calibrate - count TSC ticks across a 10 ms one-shot of PIT channel 2
 * (gate on, speaker off, poll the channel's output bit). Interrupts may be
 * on or off.
 */
void tsc_calibrate(void)
{
	const unsigned long ms = 10;
	unsigned long count = PIT_HZ * ms / 1000;
	u8 gate = inb(PIT_GATE);
	u64 t0, t1;

	outb(PIT_GATE, (gate & ~0x02) | 0x01);  /* gate on, speaker off */
	outb(PIT_CMD, 0xb0);                     /* channel 2, lo/hi, mode 0 */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	t0 = rdtsc();
	while (!(inb(PIT_GATE) & 0x20))
		cpu_relax();
	t1 = rdtsc();
	outb(PIT_GATE, gate);
	tsc_khz = (t1 - t0) / ms;
	if (tsc_khz == 0)
		tsc_khz = 1;
	tsc_base = rdtsc();
}

u64 tsc_to_ns(u64 cycles)
{
	/* cycles * 1e6 / khz, split to stay in 64 bits for large deltas */
	return (cycles / tsc_khz) * 1000000ULL + (cycles % tsc_khz) * 1000000ULL / tsc_khz;
}

u64 ktime_get_ns(void)
{
	return tsc_to_ns(rdtsc() - tsc_base);
}

void udelay(unsigned long us)
{
	u64 end = rdtsc() + (u64)us * tsc_khz / 1000;

	while (rdtsc() < end)
		cpu_relax();
}
