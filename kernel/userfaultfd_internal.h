/*
 * kernel/userfaultfd_internal.h - what kernel/userfaultfd.c and
 * kernel/userfaultfd_ioctl.c share; nothing else includes it.
 */
#ifndef KERNEL_USERFAULTFD_INTERNAL_H
#define KERNEL_USERFAULTFD_INTERNAL_H

#include "kernel/fs.h"
#include "mm/userfaultfd_k.h"

#define UFFD_SHARED_FCNTL_FLAGS (O_CLOEXEC | O_NONBLOCK)
#define UFFD_API_REGISTER_MODES \
	(UFFDIO_REGISTER_MODE_MISSING | UFFDIO_REGISTER_MODE_WP | UFFDIO_REGISTER_MODE_MINOR)
#define TASK_NORMAL (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)

/* userfaultfd_is_initialized - UFFDIO_API has succeeded on @ctx. */
bool userfaultfd_is_initialized(struct userfaultfd_ctx *ctx);
/* __wake_userfault / wake_userfault - wake the faults waiting in [start, start+len). */
void __wake_userfault(struct userfaultfd_ctx *ctx, unsigned long start, unsigned long len);
void wake_userfault(struct userfaultfd_ctx *ctx, unsigned long start, unsigned long len);

/* userfaultfd_ioctl - the file's ->ioctl (kernel/userfaultfd_ioctl.c). */
long userfaultfd_ioctl(struct file *f, unsigned int cmd, unsigned long arg);
/* userfaultfd_clear_vma - unregister one VMA (unregister and release use it). */
struct vm_area_struct *userfaultfd_clear_vma(struct mm_struct *mm, struct vm_area_struct *vma,
					     unsigned long start, unsigned long end);

#endif
