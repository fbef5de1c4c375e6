/* kernel/exec.h - running a program (kernel/exec.c). */
#ifndef KERNEL_EXEC_H
#define KERNEL_EXEC_H

#include "kernel/types.h"

/*
 * do_execve - replace current's program with @filename (a kernel string).
 * @argv/@envp are user pointers, or kernel pointers if @kernel_args (the
 * kernel starting init). Returns 0 (the registers now enter the new
 * program) or -errno (the old program carries on, unless the failure came
 * after the point of no return, in which case a fatal signal is pending).
 */
long do_execve(const char *filename, const char *const *argv, const char *const *envp,
	       bool kernel_args);

/* de_thread - make current the only thread of its process (exec). */
int de_thread(void);

#endif
