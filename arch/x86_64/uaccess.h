/*
 * arch/x86_64/uaccess.h - the only way the kernel touches user memory.
 *
 * Every access to a __user pointer goes through these helpers, which
 *   1. check with access_ok() that the whole range lies in user space, so a
 *      user cannot make the kernel read or write kernel memory;
 *   2. open the SMAP window (stac) just for the copy, then close it (clac);
 *   3. mark the copying instruction in the exception table, so that a fault
 *      on an unmapped or protected user page ends the copy and reports it
 *      (-EFAULT, or the number of bytes left) instead of an oops.
 *
 * Return conventions are Linux's:
 *   copy_{from,to}_user(), clear_user(): the number of bytes NOT copied
 *       (0 on success); copy_from_user() zero-fills what it could not copy.
 *   get_user(x, ptr), put_user(x, ptr): 0 or -EFAULT.
 *   strncpy_from_user(): length copied (without the NUL), -EFAULT, or
 *       @count if no NUL was found within @count bytes.
 */
#ifndef ARCH_X86_64_UACCESS_H
#define ARCH_X86_64_UACCESS_H

#include "arch/x86_64/extable.h"
#include "arch/x86_64/special_insns.h"
#include "kernel/compiler.h"
#include "kernel/errno.h"
#include "kernel/types.h"

/* The highest user address + 1: the last page below the canonical hole stays unused, as in Linux. */
#define TASK_SIZE_MAX 0x00007ffffffff000UL

/* access_ok - does [addr, addr+size) lie entirely in user space? */
static inline bool access_ok(const void __user *addr, unsigned long size)
{
	unsigned long a = (unsigned long)addr;

	return size <= TASK_SIZE_MAX && a <= TASK_SIZE_MAX - size;
}

unsigned long copy_from_user(void *to, const void __user *from, unsigned long n);
unsigned long copy_to_user(void __user *to, const void *from, unsigned long n);
unsigned long clear_user(void __user *to, unsigned long n);
long strncpy_from_user(char *dst, const char __user *src, long count);

/* copy_from_kernel_nofault - read kernel memory that may be unmapped: 0 or -EFAULT. */
long copy_from_kernel_nofault(void *dst, const void *src, size_t size);
/* copy_to_kernel_nofault - write kernel memory that may be unmapped or read-only: 0 or -EFAULT. */
long copy_to_kernel_nofault(void *dst, const void *src, size_t size);

/*
 * __get_user_asm - one load of @size bytes from user memory; on a fault the
 * fixup at 3: sets err = -EFAULT, zeroes the value and resumes at 2:.
 */
#define __uaccess_asm(insn, reg, out, in, err, zero)                          \
	__asm__ __volatile__("1: " insn "\n"                                  \
			     "2:\n"                                           \
			     ".pushsection .fixup, \"ax\"\n"                  \
			     "3: movl %[efault], %k[e]\n"                     \
			     zero                                             \
			     "   jmp 2b\n"                                    \
			     ".popsection\n"                                  \
			     _ASM_EXTABLE(1b, 3b)                             \
			     : [e] "+r"(err), out                             \
			     : in, [efault] "i"(-EFAULT)                      \
			     : "memory")

#define get_user(x, ptr)                                                        \
	({                                                                      \
		int __gu_err = 0;                                               \
		const __typeof__(*(ptr)) __user *__gu_p = (ptr);                \
		unsigned long __gu_val = 0;                                     \
		if (!access_ok(__gu_p, sizeof(*__gu_p))) {                      \
			__gu_err = -EFAULT;                                     \
		} else {                                                        \
			stac();                                                 \
			switch (sizeof(*__gu_p)) {                              \
			case 1: __uaccess_asm("movzbq %[p], %[v]", , [v] "=r"(__gu_val), [p] "m"(*(const u8 *)__gu_p), __gu_err, "   xorl %k[v], %k[v]\n"); break; \
			case 2: __uaccess_asm("movzwq %[p], %[v]", , [v] "=r"(__gu_val), [p] "m"(*(const u16 *)__gu_p), __gu_err, "   xorl %k[v], %k[v]\n"); break; \
			case 4: __uaccess_asm("movl %[p], %k[v]", , [v] "=r"(__gu_val), [p] "m"(*(const u32 *)__gu_p), __gu_err, "   xorl %k[v], %k[v]\n"); break; \
			default: __uaccess_asm("movq %[p], %[v]", , [v] "=r"(__gu_val), [p] "m"(*(const u64 *)__gu_p), __gu_err, "   xorl %k[v], %k[v]\n"); break; \
			}                                                       \
			clac();                                                 \
		}                                                               \
		(x) = (__typeof__(*(ptr)))__gu_val;                             \
		__gu_err;                                                       \
	})

#define put_user(x, ptr)                                                        \
	({                                                                      \
		int __pu_err = 0;                                               \
		__typeof__(*(ptr)) __user *__pu_p = (ptr);                      \
		unsigned long __pu_val = (unsigned long)(x);                    \
		if (!access_ok(__pu_p, sizeof(*__pu_p))) {                      \
			__pu_err = -EFAULT;                                     \
		} else {                                                        \
			stac();                                                 \
			switch (sizeof(*__pu_p)) {                              \
			case 1: __uaccess_asm("movb %b[v], %[p]", , [p] "=m"(*(u8 *)__pu_p), [v] "r"(__pu_val), __pu_err, ); break; \
			case 2: __uaccess_asm("movw %w[v], %[p]", , [p] "=m"(*(u16 *)__pu_p), [v] "r"(__pu_val), __pu_err, ); break; \
			case 4: __uaccess_asm("movl %k[v], %[p]", , [p] "=m"(*(u32 *)__pu_p), [v] "r"(__pu_val), __pu_err, ); break; \
			default: __uaccess_asm("movq %[v], %[p]", , [p] "=m"(*(u64 *)__pu_p), [v] "r"(__pu_val), __pu_err, ); break; \
			}                                                       \
			clac();                                                 \
		}                                                               \
		__pu_err;                                                       \
	})

#endif
