/* kernel/printk.h - formatted output on the console, and panic(). */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>
#include "kernel/compiler.h"
#include "kernel/types.h"

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);
void __noreturn panic(const char *fmt, ...) __printf(1, 2);
/* console_write - raw bytes to the console (COM1) under the printk lock. */
void console_write(const char *buf, size_t n);

/*
 * The printk log (Linux's dmesg buffer): the last 32 KiB printk wrote.
 * printk_log_pos - a mark: how many bytes printk has logged since boot.
 * printk_log_read - copy into @buf what was logged after the mark @since
 * (as much as is still kept, at most @size - 1 bytes), NUL-terminated.
 * Returns the bytes copied.
 */
u64 printk_log_pos(void);
size_t printk_log_read(u64 since, char *buf, size_t size);

/* oops_in_progress - set once the kernel is dying; printk then ignores its lock. */
extern int oops_in_progress;

#define pr_info(fmt, ...) printk(fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk("WARNING: " fmt, ##__VA_ARGS__)

/* BUG_ON - a broken kernel invariant: panic with file and line. */
#define BUG_ON(cond)                                                          \
	do {                                                                  \
		if (unlikely(cond))                                           \
			panic("BUG: %s at %s:%d", #cond, __FILE__, __LINE__); \
	} while (0)
#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)

/* WARN_ON - report an unexpected condition once per call site, and go on. */
#define WARN_ON(cond)                                                         \
	({                                                                    \
		static bool __warned;                                         \
		bool __c = !!(cond);                                          \
		if (unlikely(__c) && !__warned) {                             \
			__warned = true;                                      \
			printk("WARNING: %s at %s:%d\n", #cond, __FILE__,     \
			       __LINE__);                                     \
		}                                                             \
		__c;                                                          \
	})

#endif
