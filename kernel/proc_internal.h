/*
 * kernel/proc_internal.h - what the two halves of /proc share (Linux
 * fs/proc/internal.h): kernel/procfs.c (the root, meminfo, vmstat) and
 * kernel/proc_pid.c (the /proc/PID directories).
 *
 * Every /proc inode is made by a lookup and lives as long as someone
 * holds it (an open file, a walk, a cwd); there is no cache. What it
 * shows is named by two fields:
 *
 *   i_private   a file: its struct proc_entry; a /proc/PID directory: the pid
 *   i_parent    its directory (a reference), so a /proc/PID file finds its pid
 *               in i_parent->i_private
 */
#ifndef KERNEL_PROC_INTERNAL_H
#define KERNEL_PROC_INTERNAL_H

#include "kernel/fs.h"
#include "kernel/sched.h"
#include "kernel/seq_file.h"

/* One file of a /proc directory (Linux's proc_dir_entry / pid_entry, in one). */
struct proc_entry {
	const char *name;
	/* show - write the file's text; @data is the pid for /proc/PID files. 0 or -errno. */
	int (*show)(struct seq_file *m, void *data);
};

/* getdents cookies of /proc: ".", "..", then the entries; pids from here (pid + this). */
#define PROC_PID_POS 256

/*
 * proc_get_inode - a new inode for an entry of @dir (the caller's
 * reference, count 1): type and permissions @mode, methods @iop (NULL for
 * a file) and @fop, and @private. It holds a reference to @dir
 * (i_parent). ERR_PTR(-ENOMEM).
 */
struct inode *proc_get_inode(struct inode *dir, umode_t mode, const struct inode_operations *iop,
			     const struct file_operations *fop, void *private);

/*
 * proc_emit - one directory entry for getdents, at cookie @pos: the actor
 * gets it with next cookie @pos + 1; on success ctx->pos moves past it.
 * Returns false when the caller's buffer is full. No spinlock may be held
 * (the actor copies to user space).
 */
bool proc_emit(struct dir_context *ctx, loff_t pos, const char *name, u64 ino,
	       unsigned int type);

/*
 * proc_readdir_entries - a /proc directory's ".", "..", then @entries[0..@n)
 * as regular files, at cookies 0, 1, 2, ... from ctx->pos on (Linux's
 * dir_emit_dots and proc_readdir_de). Returns false if the caller's buffer
 * filled up first, true when all were given.
 */
bool proc_readdir_entries(struct file *f, struct dir_context *ctx,
			  const struct proc_entry *entries, unsigned int n);

/* ---- kernel/proc_pid.c ---- */
/* proc_pid_lookup - the /proc/@pid directory (any live task's pid), or ERR_PTR(-ENOENT). */
struct inode *proc_pid_lookup(struct inode *dir, pid_t pid);
/*
 * proc_pid_readdir - /proc's process part: one directory per thread group,
 * ascending, from cookie ctx->pos >= PROC_PID_POS on (Linux
 * proc_pid_readdir). Returns 0.
 */
int proc_pid_readdir(struct dir_context *ctx);

#endif
