/*
 * kernel/procfs.c - /proc: the kernel's state as read-only text files in
 * Linux's formats (Linux fs/proc/root.c, generic.c, inode.c, meminfo.c,
 * and mm/vmstat.c's /proc/vmstat).
 *
 *   /proc                 proc_root_lookup, proc_root_readdir
 *   ├── meminfo           meminfo_proc_show: memory in kB, "Name:   value kB"
 *   ├── vmstat            vmstat_show: "name value", pages and events
 *   ├── self              the caller's own /proc/<tgid> (a directory here:
 *   │                     there are no symbolic links)
 *   └── <pid>/            kernel/proc_pid.c: status, maps
 *
 * /proc is a directory entry of the root like any other, whose inode has
 * procfs's methods; nothing is mounted. Its files are S_IFREG 0444 with
 * size 0, like Linux's. Each open makes the text (kernel/seq_file.c), so
 * reads see one snapshot. Opening for writing works, as in Linux for
 * root; a write fails with Linux's errno: -EIO here (proc_reg_write
 * without ->proc_write), -EINVAL for /proc/PID files (no ->write at all).
 * Nothing can be created or removed: -ENOENT, -EPERM (kernel/namei.c).
 *
 * Where the numbers come from (all exact when read, see mm/mm.h):
 *   MemTotal, MemFree     the buddy allocator (totalram_pages, nr_free_pages)
 *   Cached, Shmem,        global page-state counters (NR_FILE_PAGES, NR_SHMEM,
 *   AnonPages, Mapped       NR_ANON_MAPPED, NR_FILE_MAPPED)
 *   Slab                  pages holding kmalloc() memory (mm/slab.c)
 *   KernelStack           task stacks (kernel/kstack.c), THREAD_SIZE each
 *   PageTables            page-table pages (nr_pgtable_pages)
 *   pgfault, pgalloc_...  vm_events
 *
 * Locking: none of its own. Each show function takes what it reads under
 * (zone_lock inside nr_free_pages, tasklist_lock, an mm's mmap_lock).
 */
#include "kernel/proc_internal.h"
#include "kernel/errno.h"
#include "kernel/kstack.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/pgtable.h"
#include "mm/slab.h"

/* ---- /proc/meminfo ---- */

/* show_val_kb - Mirrors Linux's: "Name:" padded to 16, pages as kB right-aligned in 8. */
static void show_val_kb(struct seq_file *m, const char *name, unsigned long pages)
{
	seq_printf(m, "%-16s%8lu kB\n", name, pages << (PAGE_SHIFT - 10));
}

/*
 * meminfo_proc_show - Mirrors Linux meminfo_proc_show(), the lines that
 * mean something here, in Linux's order. There is no swap, no block
 * device (Buffers) and nothing the kernel could reclaim (page-cache pages
 * are ramfs's and shmem's, which Linux cannot drop either), so
 * MemAvailable is MemFree. Returns 0.
 */
static int meminfo_proc_show(struct seq_file *m, void *data)
{
	unsigned long free = nr_free_pages(), slab = nr_slab_pages();

	(void)data;
	show_val_kb(m, "MemTotal:", totalram_pages());
	show_val_kb(m, "MemFree:", free);
	show_val_kb(m, "MemAvailable:", free);
	show_val_kb(m, "Buffers:", 0);
	show_val_kb(m, "Cached:", global_node_page_state(NR_FILE_PAGES));
	show_val_kb(m, "SwapCached:", 0);
	show_val_kb(m, "SwapTotal:", 0);
	show_val_kb(m, "SwapFree:", 0);
	show_val_kb(m, "AnonPages:", global_node_page_state(NR_ANON_MAPPED));
	show_val_kb(m, "Mapped:", global_node_page_state(NR_FILE_MAPPED));
	show_val_kb(m, "Shmem:", global_node_page_state(NR_SHMEM));
	show_val_kb(m, "KReclaimable:", 0);
	show_val_kb(m, "Slab:", slab);
	show_val_kb(m, "SReclaimable:", 0);
	show_val_kb(m, "SUnreclaim:", slab);
	/* Linux keeps this one in kB already. */
	seq_printf(m, "%-16s%8lu kB\n", "KernelStack:", nr_kernel_stacks() * (THREAD_SIZE >> 10));
	show_val_kb(m, "PageTables:", nr_pgtable_pages);
	return 0;
}

/* ---- /proc/vmstat ---- */

/*
 * vmstat_show - Mirrors Linux vmstat_show() (one "name value" line per
 * counter, Linux's names and order) for the counters Linux has, then this
 * kernel's own event counters, which Linux's /proc/vmstat lacks:
 * cow_copy, cow_reuse, zero_page_map, fork_pte_copy, pgtable_alloc,
 * pgtable_free (see struct vm_event_state). Pages, except nr_kernel_stack
 * (kB, as in Linux). Returns 0.
 */
static int vmstat_show(struct seq_file *m, void *data)
{
	const struct vm_event_state *ev = &vm_events;
	unsigned long slab = nr_slab_pages();

	(void)data;
	seq_printf(m, "nr_free_pages %lu\n", nr_free_pages());
	seq_printf(m, "nr_slab_reclaimable %lu\n", 0UL);
	seq_printf(m, "nr_slab_unreclaimable %lu\n", slab);
	seq_printf(m, "nr_anon_pages %lu\n", global_node_page_state(NR_ANON_MAPPED));
	seq_printf(m, "nr_mapped %lu\n", global_node_page_state(NR_FILE_MAPPED));
	seq_printf(m, "nr_file_pages %lu\n", global_node_page_state(NR_FILE_PAGES));
	seq_printf(m, "nr_shmem %lu\n", global_node_page_state(NR_SHMEM));
	seq_printf(m, "nr_kernel_stack %lu\n", nr_kernel_stacks() * (THREAD_SIZE >> 10));
	seq_printf(m, "nr_page_table_pages %lu\n", nr_pgtable_pages);
	seq_printf(m, "pgalloc_normal %lu\n", READ_ONCE(ev->pgalloc_normal));
	seq_printf(m, "pgfree %lu\n", READ_ONCE(ev->pgfree));
	seq_printf(m, "pgfault %lu\n", READ_ONCE(ev->pgfault));
	seq_printf(m, "pgmajfault %lu\n", READ_ONCE(ev->pgmajfault));
	/* This kernel's own. */
	seq_printf(m, "cow_copy %lu\n", READ_ONCE(ev->cow_copy));
	seq_printf(m, "cow_reuse %lu\n", READ_ONCE(ev->cow_reuse));
	seq_printf(m, "zero_page_map %lu\n", READ_ONCE(ev->zero_page_map));
	seq_printf(m, "fork_pte_copy %lu\n", READ_ONCE(ev->fork_pte_copy));
	seq_printf(m, "pgtable_alloc %lu\n", READ_ONCE(ev->pgtable_alloc));
	seq_printf(m, "pgtable_free %lu\n", READ_ONCE(ev->pgtable_free));
	return 0;
}

/* ---- the files of /proc itself ---- */

static const struct proc_entry proc_root_entries[] = {
	{ "meminfo", meminfo_proc_show },
	{ "vmstat", vmstat_show },
};

/* proc_single_open - ->open of a /proc file: its text, now (seq_file.h). */
static int proc_single_open(struct inode *inode, struct file *f)
{
	const struct proc_entry *e = inode->i_private;

	return single_open(f, e->show, NULL);
}

/* proc_reg_write_iter - Linux's proc_reg_write() for a file without ->proc_write: -EIO. */
static ssize_t proc_reg_write_iter(struct file *f, struct iov_iter *from, loff_t *pos)
{
	(void)f;
	(void)from;
	(void)pos;
	return -EIO;
}

static const struct file_operations proc_single_file_ops = {
	.open = proc_single_open,
	.read_iter = seq_read_iter,
	.write_iter = proc_reg_write_iter,
	.llseek = seq_lseek,
	.release = single_release,
};

struct inode *proc_get_inode(struct inode *dir, umode_t mode, const struct inode_operations *iop,
			     const struct file_operations *fop, void *private)
{
	/* A bare inode; ramfs only numbers it and sets up its locks. */
	struct inode *inode = ramfs_get_inode(mode, 0);

	if (!inode)
		return ERR_PTR(-ENOMEM);
	inode->i_op = iop;
	inode->i_fop = fop;
	inode->i_private = private;
	inode->i_nlink = S_ISDIR(mode) ? 2 : 1;
	iget(dir);
	inode->i_parent = dir;
	return inode;
}

bool proc_emit(struct dir_context *ctx, loff_t pos, const char *name, u64 ino,
	       unsigned int type)
{
	if (!ctx->actor(ctx, name, strlen(name), pos + 1, ino, type))
		return false;
	ctx->pos = pos + 1;
	return true;
}

bool proc_readdir_entries(struct file *f, struct dir_context *ctx,
			  const struct proc_entry *entries, unsigned int n)
{
	struct inode *dir = f->f_inode;

	if (ctx->pos == 0 && !proc_emit(ctx, 0, ".", dir->i_ino, DT_DIR))
		return false;
	if (ctx->pos == 1 && !proc_emit(ctx, 1, "..", dir->i_parent->i_ino, DT_DIR))
		return false;
	for (loff_t pos = ctx->pos; pos < 2 + (loff_t)n; pos++)
		if (!proc_emit(ctx, pos, entries[pos - 2].name, pos, DT_REG))
			return false;
	return true;
}

/* name_to_int - Mirrors Linux name_to_int(): a pid written in decimal, no leading 0; else -1. */
static pid_t name_to_int(const char *name, int len)
{
	long n = 0;

	if (len < 1 || len > 9 || (name[0] == '0' && len > 1))
		return -1;
	for (int i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		n = n * 10 + (name[i] - '0');
	}
	return (pid_t)n;
}

/*
 * proc_root_lookup - Mirrors Linux proc_root_lookup(): a file of /proc,
 * "self" (the caller's thread group) or a pid. @dir's i_rwsem held for
 * reading. A new inode with a reference, ERR_PTR(-ENOENT) or -ENOMEM.
 */
static struct inode *proc_root_lookup(struct inode *dir, const char *name, int len)
{
	pid_t pid;

	for (unsigned int i = 0; i < ARRAY_SIZE(proc_root_entries); i++) {
		const struct proc_entry *e = &proc_root_entries[i];

		if ((int)strlen(e->name) == len && memcmp(e->name, name, len) == 0)
			return proc_get_inode(dir, S_IFREG | 0444, NULL, &proc_single_file_ops,
					      (void *)e);
	}
	if (len == 4 && memcmp(name, "self", 4) == 0)
		return proc_pid_lookup(dir, current->tgid);
	pid = name_to_int(name, len);
	if (pid <= 0)
		return ERR_PTR(-ENOENT);
	return proc_pid_lookup(dir, pid);
}

/*
 * proc_root_readdir - ".", "..", the files, "self", then the processes
 * (proc_pid_readdir), resuming at ctx->pos. i_rwsem held for reading.
 * Returns 0.
 */
static int proc_root_readdir(struct file *f, struct dir_context *ctx)
{
	const loff_t self_pos = 2 + ARRAY_SIZE(proc_root_entries);

	if (!proc_readdir_entries(f, ctx, proc_root_entries, ARRAY_SIZE(proc_root_entries)))
		return 0;
	if (ctx->pos == self_pos && !proc_emit(ctx, self_pos, "self", self_pos, DT_DIR))
		return 0;
	if (ctx->pos < PROC_PID_POS)
		ctx->pos = PROC_PID_POS;
	return proc_pid_readdir(ctx);
}

static const struct inode_operations proc_root_inode_ops = {
	.lookup = proc_root_lookup,
};

static const struct file_operations proc_root_ops = {
	.llseek = generic_file_llseek,
	.iterate_shared = proc_root_readdir,
};

/*
 * proc_root_init - /proc: a procfs directory inode named "proc" in @root
 * (vfs_init, before any process). If the initramfs has a /proc too, its
 * mkdir finds this one and goes on. Returns 0, -ENOMEM or -EEXIST.
 */
int proc_root_init(struct inode *root)
{
	struct inode *proc = ramfs_get_inode(S_IFDIR | 0555, 0);
	int err;

	if (!proc)
		return -ENOMEM;
	proc->i_op = &proc_root_inode_ops;
	proc->i_fop = &proc_root_ops;
	down_write(&root->i_rwsem);
	err = root->i_op->link(root, "proc", 4, proc);
	up_write(&root->i_rwsem);
	iput(proc);   /* the name holds it now (or, on failure, nothing) */
	return err;
}
