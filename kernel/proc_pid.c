/*
 * kernel/proc_pid.c - the /proc/PID directories (Linux fs/proc/base.c,
 * array.c and task_mmu.c):
 *
 *   /proc/<pid>/status    proc_pid_status: Name, State, Pid, memory in kB, ...
 *   /proc/<pid>/maps      show_map_vma: one line per VMA, Linux's format
 *
 * A /proc/PID directory holds a pid, not a task: the task is looked up
 * again (under tasklist_lock) each time a file is opened, and a file of a
 * task that has gone meanwhile fails with -ESRCH, a lookup with -ENOENT.
 * Linux pins a struct pid instead, so a reused pid number cannot fool it;
 * here pids only wrap after 32767 new tasks.
 *
 * What is read of a task: what tasklist_lock protects (pid, tgid, parent,
 * exit_state), its name and mm under task_lock (get_task_comm,
 * get_task_mm), its signal state under its siglock, its VMAs under the
 * mm's mmap_lock (read). The text is made with no spinlock held across a
 * sleep; the seq_file buffer needs no allocation while it is written.
 *
 * Locking order: tasklist_lock -> task_lock / sighand->siglock;
 * mm->mmap_lock is taken with none of these held.
 */
#include "kernel/proc_internal.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/mm_types.h"

/* The task with pid @pid, not the idle task, or NULL. tasklist_lock held. */
static struct task_struct *proc_find_task(pid_t pid)
{
	return pid > 0 ? find_task_by_pid(pid) : NULL;
}

/* ---- /proc/PID/status ---- */

/* What status shows of a task, copied under tasklist_lock. */
struct task_status {
	char comm[TASK_COMM_LEN];
	const char *state;
	pid_t tgid, pid, ppid;
	bool kthread, has_files;
	int threads;
	unsigned long nvcsw, nivcsw;
	sigset_t pending, shared_pending, blocked, ignored, caught;
	struct mm_struct *mm;       /* a user of it (mmput), or NULL */
};

/*
 * get_task_state - Mirrors Linux get_task_state(): the letter and word of
 * Linux's task_state_array. An exit state wins over the run state (a
 * zombie is "Z" whatever it did last). tasklist_lock held.
 */
static const char *get_task_state(struct task_struct *t)
{
	long state = READ_ONCE(t->state);

	if (t->exit_state == EXIT_ZOMBIE)
		return "Z (zombie)";
	if (t->exit_state == EXIT_DEAD || (state & TASK_DEAD))
		return "X (dead)";
	if (state & TASK_UNINTERRUPTIBLE)
		return "D (disk sleep)";
	if (state & TASK_INTERRUPTIBLE)
		return "S (sleeping)";
	return "R (running)";
}

/*
 * task_sig - the signal sets status shows (Linux task_sig()): pending
 * for the task and for its process, blocked, ignored and caught.
 * tasklist_lock held; takes t->sighand->siglock (a task on the task list
 * still has its sighand; kernel threads have none).
 */
static void task_sig(struct task_struct *t, struct task_status *st)
{
	unsigned long flags;

	if (!t->sighand)
		return;
	spin_lock_irqsave(&t->sighand->siglock, flags);
	st->pending = t->pending.signal;
	st->blocked = t->blocked;
	if (t->signal)
		st->shared_pending = t->signal->shared_pending.signal;
	for (int sig = 1; sig <= _NSIG; sig++) {
		void __user *h = t->sighand->action[sig - 1].handler;

		if (h == SIG_IGN)
			st->ignored |= sigmask(sig);
		else if (h != SIG_DFL)
			st->caught |= sigmask(sig);
	}
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
}

/*
 * task_status_get - fill @st from the task @pid, taking a user of its mm
 * (st->mm: mmput() it). Takes tasklist_lock. 0, or -ESRCH if it is gone.
 */
static int task_status_get(pid_t pid, struct task_status *st)
{
	struct task_struct *t;
	unsigned long flags;

	memset(st, 0, sizeof(*st));
	spin_lock_irqsave(&tasklist_lock, flags);
	t = proc_find_task(pid);
	if (!t) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return -ESRCH;
	}
	get_task_comm(st->comm, sizeof(st->comm), t);
	st->state = get_task_state(t);
	st->pid = t->pid;
	st->tgid = t->tgid;
	st->ppid = t->real_parent ? t->real_parent->tgid : 0;
	st->kthread = t->flags & PF_KTHREAD;
	st->has_files = t->files != NULL;
	st->threads = t->signal ? READ_ONCE(t->signal->nr_threads) : 1;
	st->nvcsw = t->nvcsw;
	st->nivcsw = t->nivcsw;
	task_sig(t, st);
	st->mm = get_task_mm(t);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return 0;
}

/* show_vm_kb - one "Vm...:\t%8lu kB" line of status (VmSize, VmRSS, ...), from pages. */
static void show_vm_kb(struct seq_file *m, const char *name, unsigned long pages)
{
	seq_printf(m, "%s\t%8lu kB\n", name, pages << (PAGE_SHIFT - 10));
}

/*
 * task_mem - Mirrors Linux task_mem() (fs/proc/task_mmu.c): the Vm* and
 * Rss* lines of @mm. VmPeak/VmHWM (high-water marks), VmPin and the
 * hugetlb lines are left out: nothing tracks them. The data, stack and
 * exec sizes Linux keeps as counters are summed over the VMAs here, under
 * mmap_lock (read), which the caller must not hold.
 */
static void task_mem(struct seq_file *m, struct mm_struct *mm)
{
	unsigned long data = 0, stack = 0, exec = 0, total, text, lib;
	unsigned long anon = get_mm_counter(mm, MM_ANONPAGES);
	unsigned long file = get_mm_counter(mm, MM_FILEPAGES);
	unsigned long shmem = get_mm_counter(mm, MM_SHMEMPAGES);
	struct vm_area_struct *vma;

	down_read(&mm->mmap_lock);
	total = mm->total_vm;
	list_for_each_entry(vma, &mm->mmap, vm_list) {
		unsigned long f = vma->vm_flags;
		unsigned long pages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;

		/* Linux's is_data_mapping, is_stack_mapping, is_exec_mapping. */
		if ((f & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) == VM_WRITE)
			data += pages;
		if (f & VM_GROWSDOWN)
			stack += pages;
		if ((f & (VM_WRITE | VM_EXEC | VM_GROWSDOWN)) == VM_EXEC)
			exec += pages;
	}
	text = PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK);
	up_read(&mm->mmap_lock);
	text = min(text >> PAGE_SHIFT, exec);
	lib = exec - text;

	show_vm_kb(m, "VmSize:", total);
	show_vm_kb(m, "VmLck:", 0);               /* there is no mlock() */
	show_vm_kb(m, "VmRSS:", anon + file + shmem);
	show_vm_kb(m, "RssAnon:", anon);
	show_vm_kb(m, "RssFile:", file);
	show_vm_kb(m, "RssShmem:", shmem);
	show_vm_kb(m, "VmData:", data);
	show_vm_kb(m, "VmStk:", stack);
	show_vm_kb(m, "VmExe:", text);
	show_vm_kb(m, "VmLib:", lib);
	show_vm_kb(m, "VmPTE:", READ_ONCE(mm->nr_ptes));
	show_vm_kb(m, "VmSwap:", 0);
}

/*
 * proc_pid_status - Mirrors Linux proc_pid_status(): the lines that are
 * real here, in Linux's order and format (tab after the colon; sizes
 * "%8lu kB"; signal sets as 16 hex digits). Everyone is root, so the ids
 * are 0. A task without an mm (a kernel thread, a zombie) has no Vm lines,
 * as in Linux. Returns 0 or -ESRCH.
 */
static int proc_pid_status(struct seq_file *m, void *data)
{
	struct task_status st;
	int err = task_status_get((pid_t)(long)data, &st);

	if (err)
		return err;
	seq_printf(m, "Name:\t%s\n", st.comm);
	seq_printf(m, "State:\t%s\n", st.state);
	seq_printf(m, "Tgid:\t%d\n", st.tgid);
	seq_printf(m, "Ngid:\t0\n");
	seq_printf(m, "Pid:\t%d\n", st.pid);
	seq_printf(m, "PPid:\t%d\n", st.ppid);
	seq_printf(m, "TracerPid:\t0\n");
	seq_printf(m, "Uid:\t0\t0\t0\t0\n");
	seq_printf(m, "Gid:\t0\t0\t0\t0\n");
	seq_printf(m, "FDSize:\t%d\n", st.has_files ? NR_OPEN_MAX : 0);
	seq_printf(m, "Kthread:\t%d\n", st.kthread);
	if (st.mm) {
		task_mem(m, st.mm);
		mmput(st.mm);
	}
	seq_printf(m, "Threads:\t%d\n", st.threads);
	seq_printf(m, "SigPnd:\t%016llx\n", (unsigned long long)st.pending);
	seq_printf(m, "ShdPnd:\t%016llx\n", (unsigned long long)st.shared_pending);
	seq_printf(m, "SigBlk:\t%016llx\n", (unsigned long long)st.blocked);
	seq_printf(m, "SigIgn:\t%016llx\n", (unsigned long long)st.ignored);
	seq_printf(m, "SigCgt:\t%016llx\n", (unsigned long long)st.caught);
	seq_printf(m, "voluntary_ctxt_switches:\t%lu\n", st.nvcsw);
	seq_printf(m, "nonvoluntary_ctxt_switches:\t%lu\n", st.nivcsw);
	return 0;
}

/* ---- /proc/PID/maps ---- */

/*
 * show_map_vma - Mirrors Linux show_map_vma(): start-end, permissions
 * (p private, s shared), file offset, device, inode, then - from column
 * 73 - the file's name (" (deleted)" once unlinked), "/dev/zero
 * (deleted)" for shared anonymous memory, "[heap]" or "[stack]".
 * mm->mmap_lock held for reading.
 *
 *   00400000-00401000 r--p 00000000 00:01 37                          /bin/cat
 *   7fffff7ff000-7ffffffff000 rw-p 00000000 00:00 0                   [stack]
 */
static void show_map_vma(struct seq_file *m, struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	struct file *file = vma->vm_file;
	unsigned long flags = vma->vm_flags, ino = 0;
	unsigned long long pgoff = 0;
	unsigned int dev = 0;
	const char *name = NULL;

	if (file) {
		dev = RAMFS_DEV;
		ino = file->f_inode->i_ino;
		pgoff = (unsigned long long)vma->vm_pgoff << PAGE_SHIFT;
		name = file->f_path;
	} else if (flags & VM_SHARED) {
		/* Linux backs shared anonymous memory with an unlinked shmem file of this name. */
		dev = RAMFS_DEV;
		pgoff = (unsigned long long)vma->vm_pgoff << PAGE_SHIFT;
		name = "/dev/zero (deleted)";
	} else if (vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk) {
		name = "[heap]";
	} else if (vma->vm_start <= mm->start_stack && vma->vm_end >= mm->start_stack) {
		name = "[stack]";
	}
	seq_setwidth(m, 25 + sizeof(void *) * 6 - 1);
	seq_printf(m, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ", vma->vm_start, vma->vm_end,
		   flags & VM_READ ? 'r' : '-', flags & VM_WRITE ? 'w' : '-',
		   flags & VM_EXEC ? 'x' : '-', flags & VM_MAYSHARE ? 's' : 'p', pgoff,
		   MAJOR(dev), MINOR(dev), ino);
	if (name) {
		seq_pad(m, ' ');
		seq_puts(m, name);
		if (file && READ_ONCE(file->f_inode->i_nlink) == 0)
			seq_puts(m, " (deleted)");
	}
	seq_putc(m, '\n');
}

/*
 * proc_pid_maps - every VMA of the task's mm, in address order. A task
 * without an mm has an empty file. Returns 0 or -ESRCH.
 */
static int proc_pid_maps(struct seq_file *m, void *data)
{
	pid_t pid = (pid_t)(long)data;
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	struct task_struct *t;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	t = proc_find_task(pid);
	mm = t ? get_task_mm(t) : NULL;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (!t)
		return -ESRCH;
	if (!mm)
		return 0;
	down_read(&mm->mmap_lock);
	list_for_each_entry(vma, &mm->mmap, vm_list)
		show_map_vma(m, vma);
	up_read(&mm->mmap_lock);
	mmput(mm);
	return 0;
}

/* ---- the directory ---- */

static const struct proc_entry tgid_base_stuff[] = {
	{ "maps", proc_pid_maps },
	{ "status", proc_pid_status },
};

/* proc_pid_of - the pid a /proc/PID directory stands for. */
static pid_t proc_pid_of(struct inode *dir)
{
	return (pid_t)(long)dir->i_private;
}

/* task_alive - is there a task @pid? Takes tasklist_lock. */
static bool task_alive(pid_t pid)
{
	unsigned long flags;
	bool alive;

	spin_lock_irqsave(&tasklist_lock, flags);
	alive = proc_find_task(pid) != NULL;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return alive;
}

/* proc_pid_single_open - ->open of a /proc/PID file: its text for the directory's pid. */
static int proc_pid_single_open(struct inode *inode, struct file *f)
{
	const struct proc_entry *e = inode->i_private;

	return single_open(f, e->show, (void *)(long)proc_pid_of(inode->i_parent));
}

/* No ->write: a write is -EINVAL, as for Linux's /proc/PID/status and maps. */
static const struct file_operations proc_pid_file_ops = {
	.open = proc_pid_single_open,
	.read_iter = seq_read_iter,
	.llseek = seq_lseek,
	.release = single_release,
};

/*
 * proc_tgid_base_lookup - a file of /proc/PID, while the task lives.
 * i_rwsem held for reading. A new inode, ERR_PTR(-ENOENT) or -ENOMEM.
 */
static struct inode *proc_tgid_base_lookup(struct inode *dir, const char *name, int len)
{
	if (!task_alive(proc_pid_of(dir)))
		return ERR_PTR(-ENOENT);
	for (unsigned int i = 0; i < ARRAY_SIZE(tgid_base_stuff); i++) {
		const struct proc_entry *e = &tgid_base_stuff[i];

		if ((int)strlen(e->name) == len && memcmp(e->name, name, len) == 0)
			return proc_get_inode(dir, S_IFREG | 0444, NULL, &proc_pid_file_ops,
					      (void *)e);
	}
	return ERR_PTR(-ENOENT);
}

/* proc_tgid_base_readdir - ".", "..", then the files; empty once the task is gone. */
static int proc_tgid_base_readdir(struct file *f, struct dir_context *ctx)
{
	if (task_alive(proc_pid_of(f->f_inode)))
		proc_readdir_entries(f, ctx, tgid_base_stuff, ARRAY_SIZE(tgid_base_stuff));
	return 0;
}

static const struct inode_operations proc_tgid_base_inode_ops = {
	.lookup = proc_tgid_base_lookup,
};

static const struct file_operations proc_tgid_base_ops = {
	.llseek = generic_file_llseek,
	.iterate_shared = proc_tgid_base_readdir,
};

struct inode *proc_pid_lookup(struct inode *dir, pid_t pid)
{
	if (!task_alive(pid))
		return ERR_PTR(-ENOENT);
	return proc_get_inode(dir, S_IFDIR | 0555, &proc_tgid_base_inode_ops, &proc_tgid_base_ops,
			      (void *)(long)pid);
}

/*
 * next_tgid - Mirrors Linux next_tgid(): the smallest pid >= @nr of a
 * thread-group leader (zombies included, the idle task not), or 0.
 * Takes tasklist_lock.
 */
static pid_t next_tgid(pid_t nr)
{
	struct task_struct *t;
	unsigned long flags;
	pid_t best = 0;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(t, &task_list, tasks)
		if (t->pid > 0 && t->pid >= nr && thread_group_leader(t) && (!best || t->pid < best))
			best = t->pid;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return best;
}

int proc_pid_readdir(struct dir_context *ctx)
{
	char name[16];
	pid_t pid;

	/* No lock across the actor: it copies to user space, which may fault. */
	while ((pid = next_tgid((pid_t)(ctx->pos - PROC_PID_POS))) > 0) {
		snprintf(name, sizeof(name), "%d", pid);
		if (!proc_emit(ctx, PROC_PID_POS + pid, name, PROC_PID_POS + pid, DT_DIR))
			break;
	}
	return 0;
}
