/*
 * kernel/syscall_table.c - which system calls exist, by Linux x86-64
 * number. A missing entry returns -ENOSYS (and is logged once).
 */
#include "kernel/syscalls.h"

#define SYS(nr, name) [nr] = { sys_##name, #name }
#define DECLARE(name) long sys_##name(SYSCALL_ARGS)

DECLARE(getpid);
DECLARE(gettid);
DECLARE(getppid);
DECLARE(getuid);
DECLARE(sched_yield);
DECLARE(uname);

const struct syscall_entry sys_call_table[NR_syscalls] = {
	SYS(24, sched_yield),
	SYS(39, getpid),
	SYS(63, uname),
	SYS(102, getuid),
	[104] = { sys_getuid, "getgid" },
	[107] = { sys_getuid, "geteuid" },
	[108] = { sys_getuid, "getegid" },
	SYS(110, getppid),
	SYS(186, gettid),
};
