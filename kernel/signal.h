/*
 * kernel/signal.h - signals, with Linux's x86-64 numbers and structures.
 *
 * A signal is a bit in a pending set: per thread (task->pending, from
 * tgkill or a fault) or per process (signal->shared_pending, from kill). It
 * is delivered on the way back to user mode (do_signal): ignored, default
 * action (terminate, core, stop, ignore), or a handler run on the user stack
 * with a struct rt_sigframe that rt_sigreturn unwinds.
 */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#include "kernel/list.h"
#include "kernel/spinlock.h"
#include "kernel/types.h"
#include "kernel/wait.h"

#define SIGHUP     1
#define SIGINT     2
#define SIGQUIT    3
#define SIGILL     4
#define SIGTRAP    5
#define SIGABRT    6
#define SIGBUS     7
#define SIGFPE     8
#define SIGKILL    9
#define SIGUSR1   10
#define SIGSEGV   11
#define SIGUSR2   12
#define SIGPIPE   13
#define SIGALRM   14
#define SIGTERM   15
#define SIGSTKFLT 16
#define SIGCHLD   17
#define SIGCONT   18
#define SIGSTOP   19
#define SIGTSTP   20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGURG    23
#define SIGXCPU   24
#define SIGXFSZ   25
#define SIGVTALRM 26
#define SIGPROF   27
#define SIGWINCH  28
#define SIGIO     29
#define SIGPWR    30
#define SIGSYS    31
#define _NSIG     64

typedef u64 sigset_t;

#define sigmask(sig) (1ULL << ((sig) - 1))

/* sa_flags */
#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO   0x00000004
#define SA_RESTORER  0x04000000
#define SA_ONSTACK   0x08000000
#define SA_RESTART   0x10000000
#define SA_NODEFER   0x40000000
#define SA_RESETHAND 0x80000000

#define SIG_DFL ((void __user *)0)
#define SIG_IGN ((void __user *)1)

#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* The kernel's sigaction, the layout rt_sigaction() takes on x86-64. */
struct k_sigaction {
	void __user *handler;
	unsigned long flags;
	void __user *restorer;
	sigset_t mask;
};

/* siginfo_t as user space sees it: 128 bytes. */
typedef struct {
	int si_signo;
	int si_errno;
	int si_code;
	int __pad0;
	union {
		struct { int pid; unsigned int uid; } kill;
		struct { void __user *addr; } fault;
		struct { int pid; unsigned int uid; int status; long utime, stime; } chld;
		char __pad[112];
	};
} kernel_siginfo_t;

#define SI_USER    0
#define SI_TKILL  (-6)
#define SI_KERNEL  0x80
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRERR  2
#define CLD_EXITED  1
#define CLD_KILLED  2

struct sigqueue {
	struct list_head list;
	kernel_siginfo_t info;
};

struct sigpending {
	sigset_t signal;           /* which signals are pending */
	struct list_head list;     /* their siginfo, one sigqueue each (first of each kind) */
};

/* Per process: shared by all its threads. */
struct sighand_struct {
	int count;                           /* tasks sharing it (siglock) */
	spinlock_t siglock;                  /* protects this and every sharer's signal state */
	struct k_sigaction action[_NSIG];
};

struct signal_struct {
	int nr_threads;                      /* live threads (siglock) */
	int live;
	struct list_head thread_head;        /* the threads (tasklist_lock) */
	struct sigpending shared_pending;    /* kill() targets (siglock) */
	int group_exit_code;                 /* set by exit_group / a fatal signal */
	bool group_exiting;                  /* (siglock) */
	wait_queue_head_t wait_chldexit;     /* the parent sleeps here in wait4() */
	/* -- tasklist_lock: counts of exited threads, and of reaped children -- */
	unsigned long min_flt, maj_flt, nvcsw, nivcsw;
	unsigned long cmin_flt, cmaj_flt, cnvcsw, cnivcsw;
	struct task_struct *foreground;      /* unused until job control */
};

struct task_struct;

/*
 * Sending signals (kernel/signal.c).
 *   force_sig_fault - a fault in the current task (SIGSEGV, SIGBUS, ...):
 *       delivered even if blocked or ignored (then the default action kills).
 *   send_sig - to one task (@t->pending), as tgkill does.
 *   kill_pid - to a whole process (shared pending), as kill does.
 */
int force_sig_fault(int sig, int code, void __user *addr);
int send_sig(int sig, struct task_struct *t, int priv);
int send_sig_info(int sig, kernel_siginfo_t *info, struct task_struct *t);
int kill_pid(int pid, int sig);
/* signal_console_users - ^C on the console: @sig to every user process but init. */
void signal_console_users(int sig);

/* force_fatal_sig - current dies of @sig whatever its handler (exec failing late). */
void force_fatal_sig(int sig);
/* zap_other_threads - siglock held: SIGKILL every other thread of @t's process. */
void zap_other_threads(struct task_struct *t);
bool signal_group_exiting(struct task_struct *t);
/* Signal state of a process: allocation, exec, exit (kernel/signal.c). */
struct signal_struct *alloc_signal_struct(void);
struct sighand_struct *alloc_sighand_struct(void);
void flush_signal_handlers(struct task_struct *t);
void exit_task_signals(struct task_struct *t);
/* do_notify_parent - tasklist_lock held: @leader's process ended; tell its parent. */
void do_notify_parent(struct task_struct *leader);

/* signal_pending(t) - an unblocked signal is pending: kernel/sched.h (inline). */
/* fatal_signal_pending - SIGKILL is pending (the task is being killed). */
bool fatal_signal_pending(struct task_struct *t);

#endif
