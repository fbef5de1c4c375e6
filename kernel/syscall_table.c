/*
 * kernel/syscall_table.c - which system calls exist, by Linux x86-64
 * number (arch/x86/entry/syscalls/syscall_64.tbl). A missing entry returns
 * -ENOSYS and is logged once with its name.
 */
#include "kernel/syscalls.h"

#define SYS(nr, name) [nr] = { sys_##name, #name }
#define ALIAS(nr, name, fn) [nr] = { sys_##fn, #name }
#define DECLARE(name) long sys_##name(SYSCALL_ARGS)

/* files: kernel/read_write.c, kernel/open.c, kernel/pipe.c, kernel/poll.c, kernel/tty.c */
DECLARE(read); DECLARE(write); DECLARE(open); DECLARE(close); DECLARE(stat);
DECLARE(fstat); DECLARE(lstat); DECLARE(poll); DECLARE(lseek); DECLARE(ioctl);
DECLARE(readv); DECLARE(writev); DECLARE(access); DECLARE(pipe); DECLARE(dup);
DECLARE(dup2); DECLARE(fcntl); DECLARE(ftruncate); DECLARE(getdents64);
DECLARE(getcwd); DECLARE(chdir); DECLARE(mkdir); DECLARE(rmdir); DECLARE(unlink);
DECLARE(openat); DECLARE(mkdirat); DECLARE(newfstatat); DECLARE(unlinkat);
DECLARE(ppoll); DECLARE(dup3); DECLARE(pipe2); DECLARE(pread64); DECLARE(pwrite64);
DECLARE(fsync); DECLARE(creat); DECLARE(faccessat); DECLARE(truncate); DECLARE(fchdir);
/* memory: mm/mmap.c, mm/mprotect.c */
DECLARE(mmap); DECLARE(mprotect); DECLARE(munmap); DECLARE(brk);
/* processes: kernel/fork.c, kernel/exec.c, kernel/exit.c */
DECLARE(fork); DECLARE(vfork); DECLARE(clone); DECLARE(execve); DECLARE(exit);
DECLARE(exit_group); DECLARE(wait4); DECLARE(set_tid_address); DECLARE(getrusage);
/* signals: kernel/signal.c */
DECLARE(rt_sigaction); DECLARE(rt_sigprocmask); DECLARE(rt_sigreturn);
DECLARE(rt_sigpending); DECLARE(kill); DECLARE(tgkill); DECLARE(tkill);
DECLARE(pause); DECLARE(rt_sigsuspend);
/* threads and time: kernel/futex.c, kernel/time_syscalls.c */
DECLARE(futex); DECLARE(arch_prctl); DECLARE(clock_gettime); DECLARE(gettimeofday);
DECLARE(nanosleep); DECLARE(clock_nanosleep); DECLARE(sysinfo); DECLARE(reboot);
/* kernel/sys.c */
DECLARE(getpid); DECLARE(gettid); DECLARE(getppid); DECLARE(getuid);
DECLARE(sched_yield); DECLARE(uname);
/* userfaultfd: kernel/userfaultfd.c */
DECLARE(userfaultfd);

const struct syscall_entry sys_call_table[NR_syscalls] = {
	SYS(0, read),
	SYS(1, write),
	SYS(2, open),
	SYS(3, close),
	SYS(4, stat),
	SYS(5, fstat),
	SYS(6, lstat),
	SYS(7, poll),
	SYS(8, lseek),
	SYS(9, mmap),
	SYS(10, mprotect),
	SYS(11, munmap),
	SYS(12, brk),
	SYS(13, rt_sigaction),
	SYS(14, rt_sigprocmask),
	SYS(15, rt_sigreturn),
	SYS(16, ioctl),
	SYS(17, pread64),
	SYS(18, pwrite64),
	SYS(19, readv),
	SYS(20, writev),
	SYS(21, access),
	SYS(22, pipe),
	SYS(24, sched_yield),
	SYS(32, dup),
	SYS(33, dup2),
	SYS(34, pause),
	SYS(35, nanosleep),
	SYS(39, getpid),
	SYS(56, clone),
	SYS(57, fork),
	SYS(58, vfork),
	SYS(59, execve),
	SYS(60, exit),
	SYS(61, wait4),
	SYS(62, kill),
	SYS(63, uname),
	SYS(72, fcntl),
	SYS(74, fsync),
	ALIAS(75, fdatasync, fsync),
	SYS(76, truncate),
	SYS(77, ftruncate),
	SYS(79, getcwd),
	SYS(80, chdir),
	SYS(81, fchdir),
	SYS(83, mkdir),
	SYS(84, rmdir),
	SYS(85, creat),
	SYS(87, unlink),
	SYS(96, gettimeofday),
	SYS(98, getrusage),
	SYS(99, sysinfo),
	SYS(102, getuid),
	ALIAS(104, getgid, getuid),
	ALIAS(107, geteuid, getuid),
	ALIAS(108, getegid, getuid),
	SYS(110, getppid),
	SYS(127, rt_sigpending),
	SYS(130, rt_sigsuspend),
	SYS(158, arch_prctl),
	SYS(169, reboot),
	SYS(186, gettid),
	SYS(200, tkill),
	SYS(202, futex),
	SYS(217, getdents64),
	SYS(218, set_tid_address),
	SYS(228, clock_gettime),
	SYS(230, clock_nanosleep),
	SYS(231, exit_group),
	SYS(234, tgkill),
	SYS(257, openat),
	SYS(258, mkdirat),
	SYS(262, newfstatat),
	SYS(263, unlinkat),
	SYS(269, faccessat),
	SYS(271, ppoll),
	SYS(292, dup3),
	SYS(293, pipe2),
	SYS(323, userfaultfd),
};
