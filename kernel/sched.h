/*
 * kernel/sched.h - tasks and the scheduler (Linux include/linux/sched.h).
 *
 * A task is a thread of execution with its own kernel stack: a kernel
 * thread, a process, or one thread of a process. Threads of one process
 * share mm (address space), files and signal handlers, and have the same
 * tgid (what getpid() returns); each has its own pid (gettid()).
 *
 * Scheduling is round-robin over one run queue. The kernel is not
 * preemptive (Linux's PREEMPT_NONE): a task in the kernel runs until it
 * sleeps, calls schedule() or cond_resched(), or returns to user mode; the
 * timer tick only *asks* for a switch (need_resched), which happens on the
 * way back to user mode.
 *
 * Locking order (outer first): tasklist_lock -> task_lock (t->alloc_lock)
 * -> rq_lock.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include "arch/x86_64/fpu.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/ptrace.h"
#include "kernel/list.h"
#include "kernel/signal.h"
#include "kernel/spinlock.h"
#include "kernel/types.h"
#include "kernel/wait.h"

typedef int pid_t;

/* task->state */
#define TASK_RUNNING         0
#define TASK_INTERRUPTIBLE   1   /* sleeping; a signal wakes it */
#define TASK_UNINTERRUPTIBLE 2   /* sleeping; only its event wakes it */
#define TASK_DEAD            64  /* exited; its last schedule() is done */
#define TASK_WAKEKILL        128 /* a fatal signal wakes it too */
#define TASK_KILLABLE (TASK_WAKEKILL | TASK_UNINTERRUPTIBLE)

/* task->exit_state */
#define EXIT_ZOMBIE 16   /* exited, waiting for its parent's wait4() */
#define EXIT_DEAD   32   /* reaped */

/* task->flags */
#define PF_KTHREAD 0x1   /* a kernel thread: no user mode, no mm */
#define PF_EXITING 0x2   /* in do_exit() */
#define PF_OOM_VICTIM 0x4 /* killed by the OOM killer (at oom_kill_time) */

#define TASK_COMM_LEN 16
#define THREAD_SIZE (16 * 1024)   /* kernel stack per task */

struct mm_struct;
struct files_struct;
struct inode;

/* What the context switch saves (arch/x86_64/switch.asm, process.c). */
struct thread_struct {
	unsigned long sp;      /* kernel RSP while switched out */
	unsigned long fsbase;  /* user TLS base (arch_prctl(ARCH_SET_FS)) */
	struct fxregs_state fpu;  /* user x87/SSE registers while switched out */
};

struct task_struct {
	/* -- rq_lock -- */
	volatile long state;           /* TASK_* above */
	struct list_head run_list;     /* on the run queue while runnable */
	bool on_rq;
	int time_slice;                /* ticks left before need_resched */

	/* -- owned by the task itself -- */
	unsigned int flags;            /* PF_* */
	unsigned long oom_kill_time;   /* jiffies when the OOM killer chose us */
	struct thread_struct thread;
	void *stack;                   /* lowest address of the kernel stack */
	int stack_slot;                /* which KMAP stack slot (kernel/fork.c) */

	/*
	 * alloc_lock (task_lock()): lets other tasks read what the task
	 * changes about itself - comm (written under it) and mm (changed
	 * under it by exec, exit and use_mm; see get_task_mm()).
	 */
	spinlock_t alloc_lock;
	char comm[TASK_COMM_LEN];      /* program name, for reports and /proc (alloc_lock) */

	/* -- tasklist_lock -- */
	pid_t pid;                     /* unique per task (gettid) */
	pid_t tgid;                    /* the thread group's leader's pid (getpid) */
	struct task_struct *real_parent;   /* who wait4()s for us */
	struct task_struct *group_leader;
	struct list_head children;     /* our child processes (their ->sibling) */
	struct list_head sibling;      /* in real_parent->children */
	struct list_head thread_node;  /* in signal->thread_head */
	struct list_head tasks;        /* in the list of all tasks */
	int exit_state;                /* 0, EXIT_ZOMBIE, EXIT_DEAD */
	int exit_code;                 /* wait4() status (Linux encoding) */
	int exit_signal;               /* sent to the parent at exit (SIGCHLD), -1 for threads */

	/* -- the resources a task may share with others (refcounted) -- */
	struct mm_struct *mm;          /* NULL for kernel threads; set and cleared under alloc_lock */
	struct mm_struct *active_mm;   /* the page tables in use (kernel threads borrow) */
	struct files_struct *files;
	struct inode *cwd;
	struct signal_struct *signal;  /* per process: shared pending, exit status */
	struct sighand_struct *sighand;/* per process: the handlers */

	/* -- signal state: sighand->siglock -- */
	sigset_t blocked;
	sigset_t saved_sigmask;        /* the mask before rt_sigsuspend ... */
	bool restore_sigmask;          /* ... to be put back by the next delivery */
	struct sigpending pending;     /* signals for this thread only */

	/* -- threads -- */
	int __user *set_child_tid;
	int __user *clear_child_tid;   /* CLONE_CHILD_CLEARTID: zero + futex wake at exit */
	struct vfork_done *vfork_done; /* a vfork parent waits on it until we exec or exit */

	/* -- lifetime -- */
	int usage;                     /* references (get/put_task_struct); freed at 0 */
	int exit_result;               /* a kernel thread's return value */

	/* -- accounting (owned by the task) -- */
	unsigned long min_flt, maj_flt;
	unsigned long nvcsw, nivcsw;   /* voluntary / involuntary switches */
	u64 start_time;                /* jiffies at creation */
};

/* clone() flags: Linux's values. */
#define CSIGNAL              0x000000ff  /* the signal sent to the parent at exit */
#define CLONE_VM             0x00000100
#define CLONE_FS             0x00000200
#define CLONE_FILES          0x00000400
#define CLONE_SIGHAND        0x00000800
#define CLONE_VFORK          0x00004000
#define CLONE_PARENT         0x00008000
#define CLONE_THREAD         0x00010000
#define CLONE_SYSVSEM        0x00040000
#define CLONE_SETTLS         0x00080000
#define CLONE_PARENT_SETTID  0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_DETACHED       0x00400000
#define CLONE_CHILD_SETTID   0x01000000

struct kernel_clone_args {
	unsigned long flags;       /* CLONE_* without CSIGNAL */
	int exit_signal;
	unsigned long stack;       /* new user RSP, or 0 for the parent's */
	unsigned long tls;         /* CLONE_SETTLS: the new FS base */
	int __user *parent_tid;
	int __user *child_tid;
};

struct vfork_done {
	wait_queue_head_t wq;
	bool done;
};

/* kernel_clone - fork/vfork/clone: a new task copying current. Returns its pid or -errno. */
pid_t kernel_clone(struct kernel_clone_args *args);
/* mm_release - current stops using its mm (exec, exit): clear_child_tid, wake a vfork parent. */
void mm_release(struct task_struct *t);

/* Sleeping and waking. */
void schedule(void);
/*
 * cond_resched - give up the CPU if the tick asked for it (long loops call
 * this). Returns 1 if it did (others ran meanwhile), else 0.
 */
int cond_resched(void);
/* need_resched - the tick (or a wake-up) asked this CPU to switch tasks. */
static inline bool need_resched(void)
{
	return READ_ONCE(this_cpu()->need_resched);
}
void set_need_resched(void);
/* wake_up_process - make a sleeping task runnable; true if it was asleep. */
bool wake_up_process(struct task_struct *t);
/* wake_up_state - wake @t only if its state is in @state (a mask). */
bool wake_up_state(struct task_struct *t, long state);
/* schedule_timeout_ticks - sleep in current->state for at most @ticks; returns ticks left. */
long schedule_timeout(long ticks);
void msleep(unsigned int ms);

/* The scheduler's set-up, and its tick. */
void sched_init(void);
void __noreturn cpu_idle(void);
unsigned long nr_context_switches(void);
void scheduler_tick(void);
/* sched_add - put a new task on the run queue. */
void sched_add(struct task_struct *t);

/* All tasks, for /proc and the tests: tasklist_lock protects the lists above. */
extern spinlock_t tasklist_lock;
extern struct list_head task_list;
extern struct task_struct init_task;   /* pid 0: the boot context, then the idle task */
struct task_struct *find_task_by_pid(pid_t pid);
unsigned long nr_tasks(void);

/* Kernel threads (kernel/fork.c). */
struct task_struct *kthread_create(int (*fn)(void *), void *arg, const char *name);
/* kthread_run - create and start. Returns the task (one reference, for
 * kthread_join) or NULL. */
struct task_struct *kthread_run(int (*fn)(void *), void *arg, const char *name);
/* kthread_join - wait until @t has exited and its stack is gone; returns fn's
 * result and drops the reference kthread_run gave. */
int kthread_join(struct task_struct *t);
/* kthread_abort - free a thread from kthread_create() that was never started. */
void kthread_abort(struct task_struct *t);

void get_task_struct(struct task_struct *t);
void put_task_struct(struct task_struct *t);
void __noreturn do_exit(int code);
/* Woken whenever a dead task's stack has been freed. */
extern wait_queue_head_t task_dead_wq;

/* Switching (arch/x86_64/process.c). */
struct task_struct *__switch_to(struct task_struct *prev, struct task_struct *next);

/* task_lock / task_unlock - @t's alloc_lock (Linux's names). Never held across a sleep. */
static inline void task_lock(struct task_struct *t)
{
	spin_lock(&t->alloc_lock);
}
static inline void task_unlock(struct task_struct *t)
{
	spin_unlock(&t->alloc_lock);
}
/* set_task_comm / get_task_comm - write or copy @t's name, under task_lock (kernel/fork.c). */
void set_task_comm(struct task_struct *t, const char *name);
char *get_task_comm(char *buf, size_t size, struct task_struct *t);
/*
 * get_task_mm - @t's address space with a new user (mmput() it), or NULL
 * if it has none (a kernel thread, or a task past exit_mm). Takes task_lock.
 */
struct mm_struct *get_task_mm(struct task_struct *t);

static inline bool thread_group_leader(const struct task_struct *t)
{
	return t->pid == t->tgid;
}

/*
 * signal_pending - an unblocked signal is pending for @t (its own or its
 * thread group's). Inline: every return to user mode asks.
 */
static inline bool signal_pending(struct task_struct *t)
{
	sigset_t pend = READ_ONCE(t->pending.signal);

	if (t->signal)
		pend |= READ_ONCE(t->signal->shared_pending.signal);
	return (pend & ~t->blocked) != 0;
}

#endif
