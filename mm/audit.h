/* mm/audit.h - the memory invariant audit (mm/audit.c). */
#ifndef MM_AUDIT_H
#define MM_AUDIT_H

#include "kernel/types.h"

struct mm_struct;

/*
 * mm_audit_mms - check the @n address spaces in @mms against every frame's
 * struct page (see mm/audit.c for the invariants). Prints each violation
 * with the frame, its struct page and the PTEs that map it. Returns the
 * number of violations. Takes each mm's mmap_lock for reading; call with no
 * mm lock held.
 */
int mm_audit_mms(struct mm_struct **mms, int n);
/* mm_audit - the same for the address spaces of every live task. */
int mm_audit(const char *when);

/* mm_audit=strict on the command line: audit after every fork, exec and exit. */
extern bool mm_audit_strict;
/* Violations found by the strict hooks since boot (the selftest runner watches it). */
extern unsigned long mm_audit_violations;
void mm_audit_hook(const char *when);

#endif
