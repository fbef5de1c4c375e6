/*
 * mm/fail_alloc.h - fault injection for the page allocator and kmalloc
 * (Linux's fail_page_alloc / failslab, smaller).
 *
 * Armed, it makes chosen allocations fail as if memory had run out, so that
 * tests can prove every caller unwinds cleanly. Three ways to choose:
 *   nth     - fail only the Nth allocation from now (then disarm)
 *   every   - fail every Nth allocation
 *   random  - fail each with probability P/1000, from a seeded generator
 *             (the same seed fails the same allocations)
 * From the kernel command line: fail_page_alloc=nth:N, every:N or
 * random:P:SEED. From a selftest: the functions below.
 */
#ifndef MM_FAIL_ALLOC_H
#define MM_FAIL_ALLOC_H

#include "kernel/types.h"

void fail_alloc_nth(unsigned long n);
void fail_alloc_every(unsigned long n);
void fail_alloc_random(unsigned int permille, u64 seed);
void fail_alloc_off(void);
/* fail_alloc_injected - allocations failed on purpose since the last arming. */
unsigned long fail_alloc_injected(void);
/* fail_alloc_setup - parse fail_page_alloc= from the command line. */
void fail_alloc_setup(const char *cmdline);

/* should_fail_alloc - called by alloc_pages() and kmalloc(): fail this one? */
bool should_fail_alloc(void);

#endif
