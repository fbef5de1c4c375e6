/*
 * kernel/cmdline.h - the kernel command line ("ktest=buddy* mm_audit=strict").
 * Parameters are space-separated words, "name" or "name=value".
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include "kernel/types.h"

/*
 * cmdline_get - copy the value of "name=value" into @buf (at most size-1
 * chars). Returns true if @name is present ("name" alone gives "").
 */
bool cmdline_get(const char *cmdline, const char *name, char *buf, size_t size);

#endif
