/*
 * kernel/init.c - the first user process, and user processes started by
 * the kernel itself (Linux init/main.c kernel_init(), kernel/umh.c).
 *
 * A user process is born as a kernel thread: user_process_thread() gives
 * it what a process has (file descriptors on the console or on files the
 * caller chose, a current directory, signal state), then execs a program.
 * When its thread function returns, ret_from_fork_asm finds that it is no
 * longer a kernel thread and returns to user mode, into the new program.
 */
#include "kernel/init.h"
#include "arch/x86_64/process.h"
#include "kernel/errno.h"
#include "kernel/exec.h"
#include "kernel/fs.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/slab.h"

struct signal_struct *alloc_signal_struct(void);
struct sighand_struct *alloc_sighand_struct(void);

/*
 * become_process - give the current kernel thread a signal_struct (so it
 * can have and reap children) if it has none.
 */
int become_process(void)
{
	struct task_struct *t = current;
	unsigned long flags;

	if (t->signal)
		return 0;
	t->signal = alloc_signal_struct();
	t->sighand = alloc_sighand_struct();
	if (!t->signal || !t->sighand)
		return -ENOMEM;
	spin_lock_irqsave(&tasklist_lock, flags);
	t->tgid = t->pid;
	t->group_leader = t;
	list_add_tail(&t->thread_node, &t->signal->thread_head);
	t->signal->nr_threads = 1;
	t->signal->live = 1;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return 0;
}

/* setup_std_fds - fds 0, 1, 2 of a fresh table: @in, @out, @err (one reference each taken). */
static int setup_std_fds(struct file *in, struct file *out, struct file *err)
{
	struct file *f[3] = { in, out, err };

	current->files = files_alloc();
	if (!current->files)
		return -ENOMEM;
	for (int i = 0; i < 3; i++)
		if (fd_install_new(get_file(f[i]), 0) != i)
			return -EMFILE;
	return 0;
}

struct spawn_args {
	const char *path;
	const char *const *argv;
	const char *const *envp;
	struct file *in, *out, *err;
	long result;                 /* exec's result, for the spawner */
	struct vfork_done started;   /* done when exec has succeeded or failed */
};

static const char *const default_envp[] = { "HOME=/", "PATH=/bin:/sbin", "TERM=vt100", NULL };

/* user_process_thread - turn this kernel thread (already a process: see user_spawn) into @path. */
static int user_process_thread(void *arg)
{
	struct spawn_args *sa = arg;
	long ret;

	ret = setup_std_fds(sa->in, sa->out, sa->err);
	if (!ret) {
		current->cwd = ramfs_root();
		iget(current->cwd);
		ret = do_execve(sa->path, sa->argv, sa->envp ? sa->envp : default_envp, true);
	}
	sa->result = ret;
	sa->started.done = true;
	wake_up(&sa->started.wq);
	/* On success, returning takes us into the program (switch.asm). */
	return (int)ret;
}

pid_t user_spawn(const char *path, const char *const *argv, const char *const *envp,
		 struct file *in, struct file *out, struct file *err)
{
	struct spawn_args sa = { .path = path, .argv = argv, .envp = envp,
				 .in = in, .out = out, .err = err };
	struct signal_struct *sig;
	struct sighand_struct *sh;
	struct task_struct *t;
	unsigned long flags;
	pid_t pid;

	if (become_process())
		return -ENOMEM;
	init_waitqueue_head(&sa.started.wq);
	t = kthread_create(user_process_thread, &sa, "spawn");
	if (!t)
		return -ENOMEM;
	/*
	 * Everything the child needs to be a process that its parent can reap
	 * is made here, before it runs: if that fails, it never existed.
	 */
	sig = alloc_signal_struct();
	sh = alloc_sighand_struct();
	if (!sig || !sh) {
		kfree(sig);
		kfree(sh);
		kthread_abort(t);
		return -ENOMEM;
	}
	spin_lock_irqsave(&tasklist_lock, flags);
	t->signal = sig;
	t->sighand = sh;
	t->tgid = t->pid;
	t->group_leader = t;
	list_add_tail(&t->thread_node, &sig->thread_head);
	sig->nr_threads = 1;
	sig->live = 1;
	/* It is our child: we wait4() for it like any parent. */
	t->real_parent = current;
	t->exit_signal = SIGCHLD;
	list_add_tail(&t->sibling, &current->children);
	get_task_struct(t);  /* the parent's reference, dropped when reaped */
	spin_unlock_irqrestore(&tasklist_lock, flags);
	pid = t->pid;
	sched_add(t);
	wait_event(sa.started.wq, READ_ONCE(sa.started.done));
	if (sa.result < 0) {
		int status;

		kernel_wait(pid, &status);  /* it exits at once: reap it */
		return sa.result;
	}
	return pid;
}

long kernel_wait(pid_t pid, int *status)
{
	long ret;

	do {
		ret = do_wait_status(pid, status, 0);
	} while (ret == -ERESTARTSYS);
	return ret;
}

/* kernel_init - pid 1: exec the init program (init= on the command line, or /sbin/init). */
int kernel_init_thread(void *arg)
{
	const char *path = arg;
	const char *argv[] = { path, NULL };
	struct file *console = console_open(O_RDWR);
	long ret;

	if (IS_ERR(console))
		panic("no /dev/console for init: %ld", PTR_ERR(console));
	ret = become_process();
	if (!ret)
		ret = setup_std_fds(console, console, console);
	fput(console);
	if (!ret) {
		current->cwd = ramfs_root();
		iget(current->cwd);
		ret = do_execve(path, argv, default_envp, true);
	}
	if (ret)
		panic("cannot run init %s: error %ld (is it in the initramfs?)", path, ret);
	return 0;
}
