/*
 * kernel/file.c - open files and file descriptor tables (Linux
 * fs/file_table.c, fs/file.c, and dup/fcntl from fs/fcntl.c).
 *
 * Three objects, three lifetimes:
 *
 *   task ->files ──▶ struct files_struct   shared by the threads of a process
 *                      fd[0..255] ──▶ struct file   one open(): flags, position
 *                                        f_inode ──▶ struct inode   the file itself
 *
 * A struct file is counted in f_count: one per fd slot that points at it
 * (dup() and fork() make more) and one per kernel user holding it (a
 * running read(), a mapping's vm_file). The last fput() calls
 * f_op->release and drops the file's reference to its inode.
 *
 * Locking: files->lock (a spinlock) protects the fd array and the
 * close_on_exec bits. It is a leaf: nothing that sleeps, and no fput(),
 * happens under it - a file removed from the table is put after unlock.
 */
#include "kernel/fs.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscalls.h"
#include "mm/slab.h"

#define F_DUPFD         0
#define F_GETFD         1
#define F_SETFD         2
#define F_GETFL         3
#define F_SETFL         4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC      1

/* The flags fcntl(F_SETFL) may change; the others are fixed at open(). */
#define SETFL_MASK (O_APPEND | O_NONBLOCK)

/* ---- struct file ---- */

/*
 * The one inode behind every anon_inode_getfile() file (and every file
 * alloc_file() is given no inode for). vfs_init() makes it; it is never
 * freed: its count starts at 1 and every such file adds one.
 */
struct inode *anon_inode_inode;

/*
 * alloc_file - a new open file on @inode with open flags @flags and
 * methods @fop, f_count 1. The file takes its own reference to @inode (the
 * caller keeps its own); @inode NULL means the anonymous inode. f_mode
 * comes from the access mode in @flags. Returns ERR_PTR(-ENOMEM) on failure.
 */
struct file *alloc_file(struct inode *inode, unsigned int flags,
			const struct file_operations *fop)
{
	struct file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return ERR_PTR(-ENOMEM);
	if (!inode)
		inode = anon_inode_inode;
	iget(inode);
	f->f_count = 1;
	f->f_flags = flags;
	switch (flags & O_ACCMODE) {
	case O_RDONLY: f->f_mode = FMODE_READ; break;
	case O_WRONLY: f->f_mode = FMODE_WRITE; break;
	case O_RDWR:   f->f_mode = FMODE_READ | FMODE_WRITE; break;
	default:       f->f_mode = 0; break;   /* 3: neither (ioctl only) */
	}
	mutex_init(&f->f_pos_lock);
	f->f_pos = 0;
	f->f_inode = inode;
	f->f_mapping = &inode->i_data;
	f->f_op = fop;
	return f;
}

struct file *anon_inode_getfile(const char *name, const struct file_operations *fop,
				void *priv, unsigned int flags)
{
	struct file *f = alloc_file(NULL, flags, fop);

	(void)name;
	if (!IS_ERR(f))
		f->private_data = priv;
	return f;
}

/* get_file - one more reference to @f (which the caller holds one of). Returns @f. */
struct file *get_file(struct file *f)
{
	__atomic_add_fetch(&f->f_count, 1, __ATOMIC_RELAXED);
	return f;
}

/*
 * fput - drop a reference; the last one releases the file: f_op->release,
 * then the inode reference, then the struct. May sleep (release may, and
 * iput may free pages); never call it with a spinlock held.
 */
void fput(struct file *f)
{
	struct inode *inode;

	if (__atomic_sub_fetch(&f->f_count, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	inode = f->f_inode;
	if (f->f_op && f->f_op->release)
		f->f_op->release(inode, f);
	iput(inode);
	kfree(f->f_path);
	kfree(f);
}

/* ---- fd tables ---- */

/* files_alloc - an empty table with count 1, or NULL. */
struct files_struct *files_alloc(void)
{
	struct files_struct *files = kzalloc(sizeof(*files), GFP_KERNEL);

	if (!files)
		return NULL;
	files->count = 1;
	spin_lock_init(&files->lock, "files");
	return files;
}

/*
 * dup_fd - fork()'s copy of @old: the same files in the same slots, each
 * with one more reference, and the same close-on-exec bits. Takes
 * old->lock itself. NULL on ENOMEM.
 */
struct files_struct *dup_fd(struct files_struct *old)
{
	struct files_struct *new = files_alloc();
	unsigned long flags;

	if (!new)
		return NULL;
	spin_lock_irqsave(&old->lock, flags);
	for (int fd = 0; fd < NR_OPEN_MAX; fd++)
		if (old->fd[fd])
			new->fd[fd] = get_file(old->fd[fd]);
	memcpy(new->close_on_exec, old->close_on_exec, sizeof(new->close_on_exec));
	spin_unlock_irqrestore(&old->lock, flags);
	return new;
}

/*
 * put_files_struct - a task stops using @files (exit, or exec unsharing).
 * The last user closes every descriptor and frees the table. May sleep.
 */
void put_files_struct(struct files_struct *files)
{
	if (__atomic_sub_fetch(&files->count, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	/* Nobody else can see the table now: no lock needed. */
	for (int fd = 0; fd < NR_OPEN_MAX; fd++)
		if (files->fd[fd])
			fput(files->fd[fd]);
	kfree(files);
}

static void set_cloexec(struct files_struct *files, unsigned int fd, bool on)
{
	if (on)
		files->close_on_exec[fd / 64] |= 1UL << (fd % 64);
	else
		files->close_on_exec[fd / 64] &= ~(1UL << (fd % 64));
}

static bool get_cloexec(struct files_struct *files, unsigned int fd)
{
	return files->close_on_exec[fd / 64] & (1UL << (fd % 64));
}

/*
 * f_dupfd - put @f in the lowest free slot >= @minfd of current's table;
 * O_CLOEXEC in @flags sets the close-on-exec bit. The slot takes over the
 * caller's reference to @f on success; on failure the caller still owns
 * it. Returns the fd, -EMFILE (table full) or -EINVAL (@minfd too big).
 */
int f_dupfd(unsigned int minfd, struct file *f, unsigned int flags)
{
	struct files_struct *files = current->files;
	unsigned long irqflags;
	int ret = -EMFILE;

	if (!files)
		return -EMFILE;
	if (minfd >= NR_OPEN_MAX)
		return -EINVAL;
	spin_lock_irqsave(&files->lock, irqflags);
	for (unsigned int fd = minfd; fd < NR_OPEN_MAX; fd++) {
		if (!files->fd[fd]) {
			files->fd[fd] = f;
			set_cloexec(files, fd, flags & O_CLOEXEC);
			ret = (int)fd;
			break;
		}
	}
	spin_unlock_irqrestore(&files->lock, irqflags);
	return ret;
}

int fd_install_new(struct file *f, unsigned int flags)
{
	return f_dupfd(0, f, flags);
}

/*
 * replace_fd - dup2()'s core: slot @fd now holds @f (reference taken
 * over), and whatever it held before is closed (after the lock is
 * dropped). Returns @fd or -EBADF (@fd out of range; @f still the caller's).
 */
int replace_fd(unsigned int fd, struct file *f, unsigned int flags)
{
	struct files_struct *files = current->files;
	struct file *old;
	unsigned long irqflags;

	if (!files || fd >= NR_OPEN_MAX)
		return -EBADF;
	spin_lock_irqsave(&files->lock, irqflags);
	old = files->fd[fd];
	files->fd[fd] = f;
	set_cloexec(files, fd, flags & O_CLOEXEC);
	spin_unlock_irqrestore(&files->lock, irqflags);
	if (old)
		fput(old);
	return (int)fd;
}

/* fget - the file at @fd in current's table with a new reference, or NULL. */
struct file *fget(int fd)
{
	struct files_struct *files = current->files;
	struct file *f = NULL;
	unsigned long flags;

	if (!files || fd < 0 || fd >= NR_OPEN_MAX)
		return NULL;
	spin_lock_irqsave(&files->lock, flags);
	if (files->fd[fd])
		f = get_file(files->fd[fd]);
	spin_unlock_irqrestore(&files->lock, flags);
	return f;
}

/*
 * close_fd - empty slot @fd and drop the slot's reference (after unlock).
 * A read() still running on the file keeps it alive until it returns.
 * Returns 0 or -EBADF.
 */
int close_fd(int fd)
{
	struct files_struct *files = current->files;
	struct file *f = NULL;
	unsigned long flags;

	if (!files || fd < 0 || fd >= NR_OPEN_MAX)
		return -EBADF;
	spin_lock_irqsave(&files->lock, flags);
	f = files->fd[fd];
	files->fd[fd] = NULL;
	set_cloexec(files, fd, false);
	spin_unlock_irqrestore(&files->lock, flags);
	if (!f)
		return -EBADF;
	fput(f);
	return 0;
}

/*
 * do_close_on_exec - execve() past its point of no return: close every
 * descriptor marked close-on-exec. One at a time, because fput() cannot
 * run under the lock.
 */
void do_close_on_exec(struct files_struct *files)
{
	unsigned long flags;

	if (!files)
		return;
	for (int fd = 0; fd < NR_OPEN_MAX; fd++) {
		struct file *f = NULL;

		spin_lock_irqsave(&files->lock, flags);
		if (get_cloexec(files, fd)) {
			f = files->fd[fd];
			files->fd[fd] = NULL;
			set_cloexec(files, fd, false);
		}
		spin_unlock_irqrestore(&files->lock, flags);
		if (f)
			fput(f);
	}
}

/* ---- the syscalls on descriptors: close, dup, dup2, dup3, fcntl ---- */

/* close(fd) - 3 */
long sys_close(SYSCALL_ARGS)
{
	return close_fd((int)a0);
}

/* dup(oldfd) - 32: the lowest free fd, close-on-exec off. */
long sys_dup(SYSCALL_ARGS)
{
	struct file *f = fget((int)a0);
	int ret;

	if (!f)
		return -EBADF;
	ret = f_dupfd(0, f, 0);
	if (ret < 0)
		fput(f);
	return ret;
}

/* do_dup3 - dup2/dup3: @newfd refers to @oldfd's file; @flags O_CLOEXEC or 0. */
static long do_dup3(int oldfd, unsigned long newfd, unsigned int flags)
{
	struct file *f;
	int ret;

	if (newfd >= NR_OPEN_MAX)
		return -EBADF;
	f = fget(oldfd);
	if (!f)
		return -EBADF;
	ret = replace_fd((unsigned int)newfd, f, flags);
	if (ret < 0)
		fput(f);
	return ret;
}

/* dup2(oldfd, newfd) - 33: oldfd == newfd just checks that oldfd is open. */
long sys_dup2(SYSCALL_ARGS)
{
	if ((int)a0 == (long)a1 && a1 < NR_OPEN_MAX) {
		struct file *f = fget((int)a0);

		if (!f)
			return -EBADF;
		fput(f);
		return (long)a1;
	}
	return do_dup3((int)a0, a1, 0);
}

/* dup3(oldfd, newfd, flags) - 292: like dup2, but equal fds are -EINVAL. */
long sys_dup3(SYSCALL_ARGS)
{
	if (a2 & ~(unsigned long)O_CLOEXEC)
		return -EINVAL;
	if ((int)a0 == (long)a1)
		return -EINVAL;
	return do_dup3((int)a0, a1, (unsigned int)a2);
}

/*
 * fcntl(fd, cmd, arg) - 72: F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD/F_SETFD
 * (FD_CLOEXEC), F_GETFL, F_SETFL (only O_APPEND and O_NONBLOCK change).
 * Any other command is -EINVAL.
 */
long sys_fcntl(SYSCALL_ARGS)
{
	int fd = (int)a0;
	unsigned int cmd = (unsigned int)a1;
	struct files_struct *files = current->files;
	struct file *f = fget(fd);
	unsigned long flags;
	long ret = 0;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		ret = f_dupfd((unsigned int)min(a2, (unsigned long)NR_OPEN_MAX), f,
			      cmd == F_DUPFD_CLOEXEC ? O_CLOEXEC : 0);
		if (ret >= 0)
			return ret;   /* the slot took our reference */
		break;
	case F_GETFD:
		spin_lock_irqsave(&files->lock, flags);
		ret = get_cloexec(files, fd) ? FD_CLOEXEC : 0;
		spin_unlock_irqrestore(&files->lock, flags);
		break;
	case F_SETFD:
		spin_lock_irqsave(&files->lock, flags);
		if (files->fd[fd] == f)   /* not closed meanwhile */
			set_cloexec(files, fd, a2 & FD_CLOEXEC);
		spin_unlock_irqrestore(&files->lock, flags);
		break;
	case F_GETFL:
		ret = READ_ONCE(f->f_flags);
		break;
	case F_SETFL:
		/* f_flags is read without a lock by read/write: one store. */
		WRITE_ONCE(f->f_flags, (f->f_flags & ~SETFL_MASK) | ((unsigned int)a2 & SETFL_MASK));
		break;
	default:
		ret = -EINVAL;
		break;
	}
	fput(f);
	return ret;
}
