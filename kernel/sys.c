/*
 * kernel/sys.c - small system calls about the caller itself (Linux
 * kernel/sys.c): ids, uname, yielding.
 */
#include "arch/x86_64/uaccess.h"
#include "generated/version.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscalls.h"

long sys_getpid(SYSCALL_ARGS) { return current->tgid; }
long sys_gettid(SYSCALL_ARGS) { return current->pid; }
long sys_getppid(SYSCALL_ARGS)
{
	struct task_struct *leader = current->group_leader;

	return leader->real_parent ? leader->real_parent->tgid : 0;
}
/* There are no users: everything runs as root. */
long sys_getuid(SYSCALL_ARGS) { return 0; }

long sys_sched_yield(SYSCALL_ARGS)
{
	schedule();
	return 0;
}

struct new_utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

long sys_uname(SYSCALL_ARGS)
{
	struct new_utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "mmkern", sizeof(u.sysname));
	strlcpy(u.nodename, "mmkern", sizeof(u.nodename));
	strlcpy(u.release, KERNEL_VERSION, sizeof(u.release));
	strlcpy(u.version, "#1 teaching kernel", sizeof(u.version));
	strlcpy(u.machine, "x86_64", sizeof(u.machine));
	return copy_to_user((void __user *)a0, &u, sizeof(u)) ? -EFAULT : 0;
}
