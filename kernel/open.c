/*
 * kernel/open.c - the system calls that take a path or change the name
 * space (Linux fs/open.c, fs/stat.c, fs/namei.c's syscalls, fs/d_path.c).
 *
 * Each copies the path from user space once (getname), turns a dirfd into
 * a base directory (dfd_base), and calls the kernel's own operation in
 * kernel/namei.c; what it returns goes back to the user unchanged.
 */
#include "kernel/fs.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscalls.h"
#include "mm/slab.h"

#define AT_SYMLINK_NOFOLLOW 0x100
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4

/*
 * getname - copy a path from user space into a new PATH_MAX buffer
 * (kfree() it). ERR_PTR(-EFAULT), -ENAMETOOLONG, -ENOMEM; an empty path is
 * -ENOENT unless @empty_ok.
 */
static char *getname(const char __user *upath, bool empty_ok)
{
	char *name = kmalloc(PATH_MAX, GFP_KERNEL);
	long len;

	if (!name)
		return ERR_PTR(-ENOMEM);
	len = strncpy_from_user(name, upath, PATH_MAX);
	if (len < 0 || len == PATH_MAX || (len == 0 && !empty_ok)) {
		kfree(name);
		return ERR_PTR(len < 0 ? -EFAULT : len ? -ENAMETOOLONG : -ENOENT);
	}
	return name;
}

/*
 * dfd_base - where a relative @path of an *at() call starts: the cwd for
 * AT_FDCWD, else the directory open at @dfd. Returns a referenced inode
 * (iput() it), ERR_PTR(-EBADF) or ERR_PTR(-ENOTDIR). An absolute path
 * ignores @dfd, as in Linux.
 */
static struct inode *dfd_base(int dfd, const char *path)
{
	struct inode *base;
	struct file *f;

	if (path[0] == '/' || dfd == AT_FDCWD) {
		base = current_cwd();
		iget(base);
		return base;
	}
	f = fget(dfd);
	if (!f)
		return ERR_PTR(-EBADF);
	base = f->f_inode;
	iget(base);
	fput(f);
	if (!S_ISDIR(base->i_mode) && path[0]) {
		iput(base);
		return ERR_PTR(-ENOTDIR);
	}
	return base;
}

/*
 * struct at_args - a user path resolved to (base, name): the common
 * prologue of every *at() system call. at_get() fills it; at_put() frees.
 */
struct at_args {
	char *name;
	struct inode *base;
};

static int at_get(struct at_args *at, int dfd, unsigned long upath, bool empty_ok)
{
	at->name = getname((const char __user *)upath, empty_ok);
	if (IS_ERR(at->name))
		return PTR_ERR(at->name);
	at->base = dfd_base(dfd, at->name);
	if (IS_ERR(at->base)) {
		kfree(at->name);
		return PTR_ERR(at->base);
	}
	return 0;
}

static void at_put(struct at_args *at)
{
	iput(at->base);
	kfree(at->name);
}

/*
 * user_path_at - Mirrors Linux user_path_at() (an inode, not a struct
 * path): the inode a user path names, looked up from @dfd, with a
 * reference (iput() it). With @empty_ok an empty path names the file at
 * @dfd itself (AT_EMPTY_PATH). ERR_PTR(-errno) from at_get() or
 * path_lookup().
 */
static struct inode *user_path_at(int dfd, unsigned long upath, bool empty_ok)
{
	struct at_args at;
	struct inode *inode;
	int err = at_get(&at, dfd, upath, empty_ok);

	if (err)
		return ERR_PTR(err);
	if (at.name[0] == '\0') {
		inode = at.base;   /* AT_EMPTY_PATH: the dirfd itself */
		iget(inode);
	} else {
		inode = path_lookup(at.base, at.name);
	}
	at_put(&at);
	return inode;
}

/* ---- open ---- */

static long do_sys_openat(int dfd, unsigned long upath, int flags, umode_t mode)
{
	struct at_args at;
	struct file *f;
	long fd;
	int err = at_get(&at, dfd, upath, false);

	if (err)
		return err;
	f = file_open_at(at.base, at.name, flags, mode);
	at_put(&at);
	if (IS_ERR(f))
		return PTR_ERR(f);
	fd = fd_install_new(f, flags & O_CLOEXEC);
	if (fd < 0)
		fput(f);
	return fd;
}

/* open(path, flags, mode) - 2 */
long sys_open(SYSCALL_ARGS)
{
	return do_sys_openat(AT_FDCWD, a0, (int)a1, (umode_t)a2);
}

/* openat(dirfd, path, flags, mode) - 257 */
long sys_openat(SYSCALL_ARGS)
{
	return do_sys_openat((int)a0, a1, (int)a2, (umode_t)a3);
}

/* creat(path, mode) - 85: open(path, O_CREAT|O_WRONLY|O_TRUNC, mode). */
long sys_creat(SYSCALL_ARGS)
{
	return do_sys_openat(AT_FDCWD, a0, O_CREAT | O_WRONLY | O_TRUNC, (umode_t)a1);
}

/* ---- stat ---- */

static long put_stat(struct inode *inode, unsigned long ubuf)
{
	struct stat st;

	vfs_getattr(inode, &st);
	return copy_to_user((void __user *)ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

/*
 * do_fstatat - stat of @upath from @dfd; with AT_EMPTY_PATH and "" the
 * file at @dfd itself. No symbolic links exist, so AT_SYMLINK_NOFOLLOW
 * changes nothing.
 */
static long do_fstatat(int dfd, unsigned long upath, unsigned long ubuf, int flags)
{
	struct inode *inode;
	long ret;

	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	inode = user_path_at(dfd, upath, flags & AT_EMPTY_PATH);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	ret = put_stat(inode, ubuf);
	iput(inode);
	return ret;
}

/* stat(path, statbuf) - 4 */
long sys_stat(SYSCALL_ARGS)
{
	return do_fstatat(AT_FDCWD, a0, a1, 0);
}

/* lstat(path, statbuf) - 6: the same, since there are no symbolic links. */
long sys_lstat(SYSCALL_ARGS)
{
	return do_fstatat(AT_FDCWD, a0, a1, AT_SYMLINK_NOFOLLOW);
}

/* newfstatat(dirfd, path, statbuf, flags) - 262 */
long sys_newfstatat(SYSCALL_ARGS)
{
	return do_fstatat((int)a0, a1, a2, (int)a3);
}

/* fstat(fd, statbuf) - 5 */
long sys_fstat(SYSCALL_ARGS)
{
	struct file *f = fget((int)a0);
	long ret;

	if (!f)
		return -EBADF;
	ret = put_stat(f->f_inode, a1);
	fput(f);
	return ret;
}

/* ---- access ---- */

/*
 * do_faccessat - does the file exist, and may root do @mode to it? Root
 * may read and write anything; it may execute only a file with some x bit.
 */
static long do_faccessat(int dfd, unsigned long upath, int mode)
{
	struct inode *inode;
	long ret = 0;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	inode = user_path_at(dfd, upath, false);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	if ((mode & X_OK) && !S_ISDIR(inode->i_mode) && !(inode->i_mode & 0111))
		ret = -EACCES;
	iput(inode);
	return ret;
}

/* access(path, mode) - 21 */
long sys_access(SYSCALL_ARGS)
{
	return do_faccessat(AT_FDCWD, a0, (int)a1);
}

/* faccessat(dirfd, path, mode) - 269 */
long sys_faccessat(SYSCALL_ARGS)
{
	return do_faccessat((int)a0, a1, (int)a2);
}

/* ---- truncate ---- */

/* ftruncate(fd, length) - 77: -EINVAL unless a regular file open for writing. */
long sys_ftruncate(SYSCALL_ARGS)
{
	struct file *f = fget((int)a0);
	long ret;

	if (!f)
		return -EBADF;
	if ((long)a1 < 0 || !(f->f_mode & FMODE_WRITE) || !S_ISREG(f->f_inode->i_mode))
		ret = -EINVAL;
	else
		ret = vfs_truncate(f->f_inode, (loff_t)a1);
	fput(f);
	return ret;
}

/* truncate(path, length) - 76 */
long sys_truncate(SYSCALL_ARGS)
{
	struct inode *inode;
	long ret;

	if ((long)a1 < 0)
		return -EINVAL;
	inode = user_path_at(AT_FDCWD, a0, false);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	ret = vfs_truncate(inode, (loff_t)a1);
	iput(inode);
	return ret;
}

/* ---- the current directory ---- */

/*
 * set_cwd - chdir and fchdir's last step: current's cwd becomes @dir,
 * whose reference it takes over. 0, or -ENOTDIR (and that reference
 * dropped) if @dir is not a directory.
 */
static int set_cwd(struct inode *dir)
{
	struct inode *old;

	if (!S_ISDIR(dir->i_mode)) {
		iput(dir);
		return -ENOTDIR;
	}
	old = current->cwd;
	current->cwd = dir;
	if (old)
		iput(old);
	return 0;
}

/* chdir(path) - 80 */
long sys_chdir(SYSCALL_ARGS)
{
	struct inode *dir = user_path_at(AT_FDCWD, a0, false);

	if (IS_ERR(dir))
		return PTR_ERR(dir);
	return set_cwd(dir);
}

/* fchdir(fd) - 81 */
long sys_fchdir(SYSCALL_ARGS)
{
	struct file *f = fget((int)a0);
	struct inode *dir;

	if (!f)
		return -EBADF;
	dir = f->f_inode;
	iget(dir);
	fput(f);
	return set_cwd(dir);
}

/*
 * getcwd(buf, size) - 79: the cwd's absolute path, built right to left by
 * asking each parent for the child's name. Returns the length with the
 * NUL, -ERANGE if @size is too small, -ENOENT if the cwd was removed.
 */
long sys_getcwd(SYSCALL_ARGS)
{
	char *path = kmalloc(PATH_MAX, GFP_KERNEL), *end, *p;
	long ret, len;

	if (!path)
		return -ENOMEM;
	end = path + PATH_MAX - 1;
	*end = '\0';
	p = prepend_path(current_cwd(), path, end);
	if (IS_ERR(p)) {
		ret = PTR_ERR(p);
		goto out_free;
	}
	if (p == end)
		*--p = '/';                  /* the cwd is the root */
	len = path + PATH_MAX - p;       /* with the NUL */
	if ((unsigned long)len > a1)
		ret = -ERANGE;
	else if (copy_to_user((void __user *)a0, p, len))
		ret = -EFAULT;
	else
		ret = len;
out_free:
	kfree(path);
	return ret;
}

/* ---- changing the name space ---- */

/* mkdirat(dirfd, path, mode) - 258 */
long sys_mkdirat(SYSCALL_ARGS)
{
	struct at_args at;
	int err = at_get(&at, (int)a0, a1, false);

	if (err)
		return err;
	err = do_mkdirat(at.base, at.name, (umode_t)a2);
	at_put(&at);
	return err;
}

/* mkdir(path, mode) - 83 */
long sys_mkdir(SYSCALL_ARGS)
{
	return sys_mkdirat(AT_FDCWD, a0, a1, 0, 0, 0);
}

/* unlinkat(dirfd, path, flags) - 263: AT_REMOVEDIR makes it rmdir. */
long sys_unlinkat(SYSCALL_ARGS)
{
	struct at_args at;
	int err;

	if (a2 & ~(unsigned long)AT_REMOVEDIR)
		return -EINVAL;
	err = at_get(&at, (int)a0, a1, false);
	if (err)
		return err;
	if (a2 & AT_REMOVEDIR)
		err = do_rmdir(at.base, at.name);
	else
		err = do_unlinkat(at.base, at.name);
	at_put(&at);
	return err;
}

/* rmdir(path) - 84 */
long sys_rmdir(SYSCALL_ARGS)
{
	return sys_unlinkat(AT_FDCWD, a0, AT_REMOVEDIR, 0, 0, 0);
}

/* unlink(path) - 87 */
long sys_unlink(SYSCALL_ARGS)
{
	return sys_unlinkat(AT_FDCWD, a0, 0, 0, 0, 0);
}
