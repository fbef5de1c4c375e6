/*
 * arch/x86_64/serial.c - the 16550 UART on COM1: the kernel's console.
 *
 * Registers (offsets from 0x3f8):
 *   +0 THR/RBR  transmit / receive byte      (DLL when LCR.DLAB=1)
 *   +1 IER      interrupt enable             (DLM when LCR.DLAB=1)
 *   +2 FCR      FIFO control
 *   +3 LCR      line control: 8N1, DLAB
 *   +4 MCR      modem control: DTR, RTS, OUT2 (OUT2 gates the IRQ line)
 *   +5 LSR      line status: bit0 data ready, bit5 transmitter empty
 *
 * Output is polled: each byte waits for LSR.THRE. Input raises IRQ 4 once
 * the console driver (kernel/tty.c) calls serial_enable_rx_interrupt();
 * its handler then drains the bytes with serial_getc_nonblock().
 */
#include "arch/x86_64/serial.h"
#include "arch/x86_64/special_insns.h"

#define UART_THR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_IER_RDI  0x01   /* interrupt when a byte has been received */
#define UART_LSR_DR   0x01
#define UART_LSR_THRE 0x20

void serial_init(void)
{
	outb(COM1_PORT + UART_IER, 0x00);  /* no interrupts yet */
	outb(COM1_PORT + UART_LCR, 0x80);  /* DLAB: set the divisor */
	outb(COM1_PORT + 0, 0x01);         /* 115200 baud */
	outb(COM1_PORT + 1, 0x00);
	outb(COM1_PORT + UART_LCR, 0x03);  /* 8 bits, no parity, 1 stop */
	outb(COM1_PORT + UART_FCR, 0xc7);  /* FIFOs on and cleared */
	outb(COM1_PORT + UART_MCR, 0x0b);  /* DTR, RTS, OUT2 */
}

void serial_putc(char c)
{
	while (!(inb(COM1_PORT + UART_LSR) & UART_LSR_THRE))
		cpu_relax();
	outb(COM1_PORT + UART_THR, (u8)c);
}

/* serial_write - write @n bytes; "\n" becomes "\r\n" for terminals. */
void serial_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

/* serial_getc_nonblock - the next received byte, or -1 if none is waiting. */
int serial_getc_nonblock(void)
{
	if (!(inb(COM1_PORT + UART_LSR) & UART_LSR_DR))
		return -1;
	return inb(COM1_PORT + UART_THR);
}

/*
 * serial_enable_rx_interrupt - raise IRQ 4 whenever a byte arrives. Reading
 * the byte (RBR) acknowledges it. Bytes that arrived before are drained
 * and dropped (nobody was listening then).
 */
void serial_enable_rx_interrupt(void)
{
	while (serial_getc_nonblock() >= 0)
		;
	outb(COM1_PORT + UART_IER, UART_IER_RDI);
}
