/*
 * arch/x86_64/uaccess.c - bulk copies to and from user memory (see uaccess.h).
 *
 * The copy is one "rep movsb" with an exception-table entry. If it faults
 * part-way, the CPU has already counted RCX down to the bytes still to go;
 * the fixup resumes right after the instruction with RCX intact, so the
 * return value is exactly the number of bytes not copied.
 */
#include "arch/x86_64/uaccess.h"
#include "kernel/string.h"

/* raw_copy - rep movsb with a fixup; returns the bytes left. No checks, no stac. */
static __always_inline unsigned long raw_copy(void *to, const void *from, unsigned long n)
{
	__asm__ __volatile__("1: rep movsb\n"
			     "2:\n"
			     _ASM_EXTABLE(1b, 2b)
			     : "+c"(n), "+D"(to), "+S"(from)
			     :
			     : "memory");
	return n;
}

unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	unsigned long left = n;

	if (access_ok(from, n)) {
		stac();
		left = raw_copy(to, (const void *)from, n);
		clac();
	}
	if (left)
		memset((char *)to + (n - left), 0, left);
	return left;
}

unsigned long copy_to_user(void __user *to, const void *from, unsigned long n)
{
	unsigned long left = n;

	if (access_ok(to, n)) {
		stac();
		left = raw_copy((void *)to, from, n);
		clac();
	}
	return left;
}

unsigned long clear_user(void __user *to, unsigned long n)
{
	if (!access_ok(to, n))
		return n;
	stac();
	__asm__ __volatile__("1: rep stosb\n"
			     "2:\n"
			     _ASM_EXTABLE(1b, 2b)
			     : "+c"(n), "+D"(to)
			     : "a"(0)
			     : "memory");
	clac();
	return n;
}

long strncpy_from_user(char *dst, const char __user *src, long count)
{
	for (long i = 0; i < count; i++) {
		char c;

		if (get_user(c, src + i))
			return -EFAULT;
		dst[i] = c;
		if (c == '\0')
			return i;
	}
	return count;
}

long copy_from_kernel_nofault(void *dst, const void *src, size_t size)
{
	return raw_copy(dst, src, size) ? -EFAULT : 0;
}

long copy_to_kernel_nofault(void *dst, const void *src, size_t size)
{
	return raw_copy(dst, src, size) ? -EFAULT : 0;
}
