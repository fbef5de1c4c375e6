/*
 * arch/x86_64/pic.c - the legacy 8259A PIC pair.
 *
 * At power-on the master PIC delivers IRQ 0-7 on vectors 8-15, on top of
 * the CPU's exceptions. pic_init() moves IRQ 0-7 to vectors 32-39 and the
 * slave's IRQ 8-15 to 40-47, and masks every line; request_irq() unmasks
 * the ones with a handler. Each interrupt is acknowledged with an EOI.
 */
#include "arch/x86_64/pic.h"
#include "arch/x86_64/special_insns.h"
#include "arch/x86_64/traps.h"

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1
#define PIC_EOI   0x20
#define PIC_READ_ISR 0x0b

static u16 irq_mask = 0xffff & ~(1u << 2);  /* line 2 is the cascade to the slave */

static void pic_write_mask(void)
{
	outb(PIC1_DATA, irq_mask & 0xff);
	outb(PIC2_DATA, irq_mask >> 8);
}

void pic_init(void)
{
	outb(PIC1_CMD, 0x11);  io_delay();  /* ICW1: init, ICW4 follows */
	outb(PIC2_CMD, 0x11);  io_delay();
	outb(PIC1_DATA, IRQ0_VECTOR);  io_delay();      /* ICW2: vector base */
	outb(PIC2_DATA, IRQ0_VECTOR + 8);  io_delay();
	outb(PIC1_DATA, 1 << 2);  io_delay();  /* ICW3: slave on line 2 */
	outb(PIC2_DATA, 2);  io_delay();       /* ICW3: slave identity */
	outb(PIC1_DATA, 0x01);  io_delay();    /* ICW4: 8086 mode */
	outb(PIC2_DATA, 0x01);  io_delay();
	pic_write_mask();
}

void pic_mask(int irq)
{
	irq_mask |= 1u << irq;
	pic_write_mask();
}

void pic_unmask(int irq)
{
	irq_mask &= ~(1u << irq);
	pic_write_mask();
}

void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}

/*
 * pic_is_spurious - IRQ 7 and 15 may fire with nothing in service (a
 * glitch). Those must not be acknowledged as real interrupts (a spurious 15
 * still needs the master's EOI for the cascade).
 */
bool pic_is_spurious(int irq)
{
	if (irq == 7) {
		outb(PIC1_CMD, PIC_READ_ISR);
		return !(inb(PIC1_CMD) & 0x80);
	}
	if (irq == 15) {
		outb(PIC2_CMD, PIC_READ_ISR);
		if (!(inb(PIC2_CMD) & 0x80)) {
			outb(PIC1_CMD, PIC_EOI);
			return true;
		}
	}
	return false;
}
