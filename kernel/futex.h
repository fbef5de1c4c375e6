/* kernel/futex.h - fast user-space mutexes: the sleeping half (kernel/futex.c). */
#ifndef KERNEL_FUTEX_H
#define KERNEL_FUTEX_H

#include "kernel/types.h"

/* futex_wake - wake up to @n tasks of current's process waiting on @uaddr; returns how many. */
int futex_wake(u32 __user *uaddr, int n);

#endif
