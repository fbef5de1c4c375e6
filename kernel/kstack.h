/* kernel/kstack.h - kernel stacks with guard pages (kernel/kstack.c). */
#ifndef KERNEL_KSTACK_H
#define KERNEL_KSTACK_H

#include "kernel/sched.h"
#include "mm/mm.h"

#define KSTACK_AREA      KMAP_AREA_START              /* the first GiB of the KMAP area */
#define KSTACK_SLOT_SIZE (2 * THREAD_SIZE)
#define KSTACK_SLOTS     4096

/* alloc_kernel_stack - a mapped THREAD_SIZE stack (lowest address), or NULL. */
void *alloc_kernel_stack(int *slot);
void free_kernel_stack(void *stack, int slot);
/* nr_kernel_stacks - task stacks allocated now (/proc/meminfo KernelStack: THREAD_SIZE each). */
unsigned long nr_kernel_stacks(void);

#endif
