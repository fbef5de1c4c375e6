/* kernel/init.h - user processes the kernel starts itself (kernel/init.c). */
#ifndef KERNEL_INIT_H
#define KERNEL_INIT_H

#include "kernel/sched.h"

struct file;

/* kernel_init_thread - the body of pid 1; @arg is the path of the init program. */
int kernel_init_thread(void *arg);

/*
 * user_spawn - start @path as a child process of the calling kernel thread,
 * with fds 0/1/2 on @in/@out/@err. Returns its pid once exec has succeeded,
 * or -errno (exec's error; the child is already reaped).
 */
pid_t user_spawn(const char *path, const char *const *argv, const char *const *envp,
		 struct file *in, struct file *out, struct file *err);
/* kernel_wait - wait4(pid) for a kernel thread: the child's pid, status in *status. */
long kernel_wait(pid_t pid, int *status);
/* become_process - let a kernel thread have child processes. */
int become_process(void);

/* do_wait_status - kernel/exit.c's wait4 core. */
long do_wait_status(pid_t pid, int *status, int options);

#endif
