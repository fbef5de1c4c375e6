/*
 * arch/x86_64/qemu.h - leaving QEMU with a verdict.
 *
 * QEMU's isa-debug-exit device (iobase 0xf4) ends QEMU with exit status
 * (v << 1) | 1 when v is written to it. QEMU itself uses 0 and 1, so the
 * verdicts are 0x10 (status 33, success) and 0x11 (status 35, failure).
 * On a machine without the device the write does nothing and we halt.
 */
#ifndef ARCH_X86_64_QEMU_H
#define ARCH_X86_64_QEMU_H

#include "kernel/compiler.h"

#define QEMU_EXIT_PORT    0xf4
#define QEMU_EXIT_SUCCESS 0x10
#define QEMU_EXIT_FAILURE 0x11

void __noreturn qemu_exit(int code);

#endif
