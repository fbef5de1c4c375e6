/*
 * page_64.h - clear_page() and copy_page(), as in Linux's
 * arch/x86/include/asm/page_64.h: whole 4 KiB pages, page-aligned.
 *
 * Both are one `rep` string instruction on quadwords: 512 iterations a
 * page. (memset/memcpy must handle any length and alignment; these need
 * not, which is the whole point of having them.)
 */
#ifndef ARCH_X86_64_PAGE_64_H
#define ARCH_X86_64_PAGE_64_H

#define PAGE_QWORDS (4096 / 8)

/* clear_page - zero the page at kernel address @page (page-aligned). */
static inline void clear_page(void *page)
{
	unsigned long n = PAGE_QWORDS;

	__asm__ __volatile__("rep stosq"
			     : "+D"(page), "+c"(n)
			     : "a"(0UL)
			     : "memory");
}

/* copy_page - copy the page at @from to the page at @to (both aligned). */
static inline void copy_page(void *to, const void *from)
{
	unsigned long n = PAGE_QWORDS;

	__asm__ __volatile__("rep movsq"
			     : "+D"(to), "+S"(from), "+c"(n)
			     :
			     : "memory");
}

#endif
