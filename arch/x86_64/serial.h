/* arch/x86_64/serial.h - the 16550 UART on COM1. */
#ifndef ARCH_X86_64_SERIAL_H
#define ARCH_X86_64_SERIAL_H

#include "kernel/types.h"

#define COM1_PORT 0x3f8

void serial_init(void);
void serial_putc(char c);
void serial_write(const char *s, size_t n);
int serial_getc_nonblock(void);
/* serial_enable_rx_interrupt - received bytes raise IRQ 4 from now on (kernel/tty.c). */
void serial_enable_rx_interrupt(void);

#endif
