/*
 * arch/x86_64/uaccess.c - bulk copies to and from user memory (see uaccess.h).
 *
 * The copy is a "rep movsq" for the quadwords and a "rep movsb" for the
 * last n % 8 bytes, each with an exception-table entry (a `rep` costs an
 * iteration per element, so quadwords are eight times cheaper than bytes).
 * If the movsb faults part-way, the CPU has already counted RCX down to
 * the bytes still to go; its fixup resumes right after it with RCX intact,
 * so the return value is exactly the number of bytes not copied. If the
 * movsq faults, its fixup turns the quadwords left into bytes
 * (8 * RCX + tail) and restarts the movsb from the same place, which then
 * stops at the exact faulting byte - as Linux's copy_user_handle_tail does.
 */
#include "arch/x86_64/uaccess.h"
#include "kernel/string.h"

/* raw_copy - movsq + movsb with fixups; returns the bytes left. No checks, no stac. */
static __always_inline unsigned long raw_copy(void *to, const void *from, unsigned long n)
{
	unsigned long tail = n & 7;

	n >>= 3;
	__asm__ __volatile__("1: rep movsq\n"
			     "   mov %3, %0\n"
			     "2: rep movsb\n"
			     "   jmp 4f\n"
			     "3: lea (%3, %0, 8), %0\n"
			     "   jmp 2b\n"
			     "4:\n"
			     _ASM_EXTABLE(1b, 3b)
			     _ASM_EXTABLE(2b, 4b)
			     : "+c"(n), "+D"(to), "+S"(from)
			     : "r"(tail)
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
	unsigned long tail = n & 7;

	if (!access_ok(to, n))
		return n;
	n >>= 3;
	stac();
	/* The same shape as raw_copy: quadwords, then bytes; exact on a fault. */
	__asm__ __volatile__("1: rep stosq\n"
			     "   mov %2, %0\n"
			     "2: rep stosb\n"
			     "   jmp 4f\n"
			     "3: lea (%2, %0, 8), %0\n"
			     "   jmp 2b\n"
			     "4:\n"
			     _ASM_EXTABLE(1b, 3b)
			     _ASM_EXTABLE(2b, 4b)
			     : "+c"(n), "+D"(to)
			     : "r"(tail), "a"(0)
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
