/* arch/x86_64/stacktrace.h - frame-pointer backtraces. */
#ifndef ARCH_X86_64_STACKTRACE_H
#define ARCH_X86_64_STACKTRACE_H

#include "kernel/types.h"

#define MAX_BACKTRACE_DEPTH 32

/* show_stack - print "Call Trace:" and one symbolized line per frame from @rbp. */
void show_stack(unsigned long rbp);
/* dump_stack - show_stack() from the caller's frame. */
void dump_stack(void);
/*
 * save_stack_trace - store up to @max return addresses from frame @rbp in
 * @out; returns how many were stored.
 */
int save_stack_trace(unsigned long rbp, unsigned long *out, int max);
/* stack_guard_page_hit - is @addr inside (or just around) a stack guard page? */
bool stack_guard_page_hit(unsigned long addr);

#endif
