/*
 * kernel/time_syscalls.c - clocks and sleeping for user space:
 * clock_gettime, gettimeofday, nanosleep, and sysinfo/uname's neighbours.
 *
 * CLOCK_MONOTONIC counts from boot (TSC-based, kernel/time.c). There is no
 * battery clock read yet: CLOCK_REALTIME is 2026-01-01T00:00:00Z + uptime,
 * which is also what "make bench" pins QEMU's RTC to.
 */
#include "arch/x86_64/qemu.h"
#include "arch/x86_64/time.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "kernel/timer.h"
#include "mm/mm.h"

#define REALTIME_BASE 1767225600L   /* 2026-01-01T00:00:00Z */

static void ns_to_timespec(u64 ns, struct timespec_user *ts)
{
	ts->tv_sec = ns / 1000000000ULL;
	ts->tv_nsec = ns % 1000000000ULL;
}

long sys_clock_gettime(SYSCALL_ARGS)
{
	struct timespec_user ts;
	u64 ns = ktime_get_ns();

	switch (a0) {
	case 0:  /* CLOCK_REALTIME */
	case 5:  /* CLOCK_REALTIME_COARSE */
		ns_to_timespec(ns, &ts);
		ts.tv_sec += REALTIME_BASE;
		break;
	case 1:  /* CLOCK_MONOTONIC */
	case 4:  /* CLOCK_MONOTONIC_RAW */
	case 6:  /* CLOCK_MONOTONIC_COARSE */
	case 7:  /* CLOCK_BOOTTIME */
	case 2:  /* CLOCK_PROCESS_CPUTIME_ID: not accounted separately */
	case 3:  /* CLOCK_THREAD_CPUTIME_ID */
		ns_to_timespec(ns, &ts);
		break;
	default:
		return -EINVAL;
	}
	return copy_to_user((void __user *)a1, &ts, sizeof(ts)) ? -EFAULT : 0;
}

long sys_gettimeofday(SYSCALL_ARGS)
{
	struct { long tv_sec, tv_usec; } tv;
	u64 ns = ktime_get_ns();

	tv.tv_sec = ns / 1000000000ULL + REALTIME_BASE;
	tv.tv_usec = (ns % 1000000000ULL) / 1000;
	if (a0 && copy_to_user((void __user *)a0, &tv, sizeof(tv)))
		return -EFAULT;
	return 0;
}

/* nanosleep(req, rem): interruptible; -EINTR with the time left in *rem. */
long sys_nanosleep(SYSCALL_ARGS)
{
	struct timespec_user req, rem;
	long ticks, left;

	if (copy_from_user(&req, (const void __user *)a0, sizeof(req)))
		return -EFAULT;
	ticks = timespec_to_ticks(&req);
	if (ticks < 0)
		return -EINVAL;
	for (left = ticks; left > 0 && !signal_pending(current);) {
		current->state = TASK_INTERRUPTIBLE;
		left = schedule_timeout(left);
	}
	current->state = TASK_RUNNING;
	if (left > 0) {  /* a signal cut the sleep short */
		ns_to_timespec((u64)left * (1000000000ULL / HZ), &rem);
		if (a1 && copy_to_user((void __user *)a1, &rem, sizeof(rem)))
			return -EFAULT;
		return -EINTR;
	}
	return 0;
}

long sys_clock_nanosleep(SYSCALL_ARGS)
{
	if (a1 != 0)  /* TIMER_ABSTIME is not supported */
		return -EINVAL;
	return sys_nanosleep(a2, a3, 0, 0, 0, 0);
}

struct sysinfo_user {
	long uptime;
	unsigned long loads[3];
	unsigned long totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	unsigned short procs, pad;
	unsigned long totalhigh, freehigh;
	unsigned int mem_unit;
	char _f[4];
};

long sys_sysinfo(SYSCALL_ARGS)
{
	struct sysinfo_user si = { 0 };

	si.uptime = ktime_get_ns() / 1000000000ULL;
	si.totalram = totalram_pages();
	si.freeram = nr_free_pages();
	si.procs = nr_tasks();
	si.mem_unit = PAGE_SIZE;
	return copy_to_user((void __user *)a0, &si, sizeof(si)) ? -EFAULT : 0;
}

#define LINUX_REBOOT_MAGIC1 0xfee1deadUL
#define LINUX_REBOOT_CMD_RESTART   0x01234567UL
#define LINUX_REBOOT_CMD_HALT      0xcdef0123UL
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedcUL

/* reboot(magic, magic2, cmd, arg): halt, power off and restart all leave QEMU. */
long sys_reboot(SYSCALL_ARGS)
{
	if (a0 != LINUX_REBOOT_MAGIC1 || (a1 != 672274793 && a1 != 85072278 &&
					   a1 != 369367448 && a1 != 537993216))
		return -EINVAL;
	if (a2 != LINUX_REBOOT_CMD_POWER_OFF && a2 != LINUX_REBOOT_CMD_HALT &&
	    a2 != LINUX_REBOOT_CMD_RESTART)
		return -EINVAL;
	printk("reboot: Power down\n");
	qemu_exit(QEMU_EXIT_SUCCESS);
}

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

/* arch_prctl(ARCH_SET_FS, base): the TLS pointer musl keeps in FS. */
long sys_arch_prctl(SYSCALL_ARGS)
{
	switch (a0) {
	case ARCH_SET_FS:
		if (a1 >= TASK_SIZE)
			return -EPERM;
		current->thread.fsbase = a1;
		wrmsr(MSR_FS_BASE, a1);
		return 0;
	case ARCH_GET_FS:
		return put_user(current->thread.fsbase, (unsigned long __user *)a1);
	default:
		return -EINVAL;
	}
}
