/*
 * kernel/syscalls.h - the system-call table (Linux x86-64 numbers,
 * arch/x86/entry/syscalls/syscall_64.tbl) and the sys_* functions.
 *
 * Every handler takes six unsigned longs (RDI, RSI, RDX, R10, R8, R9) and
 * returns a long: the result, or -errno.
 */
#ifndef KERNEL_SYSCALLS_H
#define KERNEL_SYSCALLS_H

#include "kernel/types.h"

#define SYSCALL_ARGS unsigned long a0, unsigned long a1, unsigned long a2, \
		     unsigned long a3, unsigned long a4, unsigned long a5
typedef long (*syscall_fn_t)(SYSCALL_ARGS);

#define NR_syscalls 451

struct syscall_entry {
	syscall_fn_t fn;
	const char *name;
};

/* The table: index = syscall number; NULL fn = not implemented (-ENOSYS). */
extern const struct syscall_entry sys_call_table[NR_syscalls];
/* syscall_name - Linux's name for @nr, for the -ENOSYS log line. */
const char *syscall_name(unsigned long nr);

#endif
