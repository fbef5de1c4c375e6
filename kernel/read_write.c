/*
 * kernel/read_write.c - moving bytes through open files (Linux
 * fs/read_write.c, fs/readdir.c, fs/ioctl.c, lib/iov_iter.c).
 *
 *   read(fd, buf, n)                       kernel_read(file, kbuf, n, &pos)
 *     fget(fd), access_ok(buf)               |
 *     f_pos_lock (seekable files)            |
 *        \____________ vfs_read(file, iov_iter, &pos) ____________/
 *                        f_mode, directory checks
 *                        f_op->read_iter (or ->read for user buffers)
 *
 * The methods see a struct iov_iter, not a raw pointer, so the same code
 * serves a user buffer (copy_to_user, which may fault) and a kernel one
 * (memcpy). User pointers are checked by access_ok() up front and copied
 * only through uaccess.h, which turns a fault into a short copy.
 *
 * f_pos: a file with a position (it has ->llseek) is read and written
 * under f->f_pos_lock, so two threads sharing an fd never use the same
 * offset twice. Pipes and terminals have no position and no such lock -
 * they may sleep for a long time, and a second reader must not hang on a
 * mutex meanwhile.
 */
#include "kernel/fs.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscalls.h"
#include "mm/mm.h"
#include "mm/slab.h"

/* The most one read/write moves, as Linux: INT_MAX rounded down to a page. */
#define MAX_RW_COUNT (0x7fffffffL & PAGE_MASK)
#define UIO_MAXIOV 1024

/* ---- iov_iter ---- */

size_t copy_to_iter(const void *from, size_t n, struct iov_iter *i)
{
	size_t done;

	n = min(n, i->count);
	if (i->kernel) {
		memcpy(i->kbuf, from, n);
		done = n;
	} else {
		done = n - copy_to_user(i->ubuf, from, n);
	}
	i->kbuf += done;    /* same storage as ubuf */
	i->count -= done;
	return done;
}

size_t copy_from_iter(void *to, size_t n, struct iov_iter *i)
{
	size_t done;

	n = min(n, i->count);
	if (i->kernel) {
		memcpy(to, i->kbuf, n);
		done = n;
	} else {
		done = n - copy_from_user(to, i->ubuf, n);
	}
	i->kbuf += done;
	i->count -= done;
	return done;
}

size_t iov_iter_zero(size_t n, struct iov_iter *i)
{
	size_t done;

	n = min(n, i->count);
	if (i->kernel) {
		memset(i->kbuf, 0, n);
		done = n;
	} else {
		done = n - clear_user(i->ubuf, n);
	}
	i->kbuf += done;
	i->count -= done;
	return done;
}

static void iter_user(struct iov_iter *i, void __user *buf, size_t n)
{
	i->kernel = false;
	i->ubuf = buf;
	i->count = n;
}

static void iter_kernel(struct iov_iter *i, const void *buf, size_t n)
{
	i->kernel = true;
	i->kbuf = (char *)buf;
	i->count = n;
}

/* ---- the VFS entry points ---- */

/*
 * vfs_read - read from @f at *pos into @to. Returns bytes read (0: end of
 * file), or -EBADF (not open for reading), -EISDIR, -EINVAL (the file
 * cannot be read into this kind of buffer), or the method's -errno.
 */
ssize_t vfs_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	ssize_t n;

	if (!(f->f_mode & FMODE_READ))
		return -EBADF;
	if (S_ISDIR(f->f_inode->i_mode))
		return -EISDIR;
	if (to->count > MAX_RW_COUNT)
		to->count = MAX_RW_COUNT;
	if (f->f_op->read_iter)
		return f->f_op->read_iter(f, to, pos);
	if (!f->f_op->read || to->kernel)
		return -EINVAL;
	n = f->f_op->read(f, to->ubuf, to->count, pos);
	if (n > 0) {
		to->ubuf += n;
		to->count -= n;
	}
	return n;
}

/* vfs_write - the mirror image of vfs_read (-EBADF: not open for writing). */
ssize_t vfs_write(struct file *f, struct iov_iter *from, loff_t *pos)
{
	ssize_t n;

	if (!(f->f_mode & FMODE_WRITE))
		return -EBADF;
	if (from->count > MAX_RW_COUNT)
		from->count = MAX_RW_COUNT;
	if (f->f_op->write_iter)
		return f->f_op->write_iter(f, from, pos);
	if (!f->f_op->write || from->kernel)
		return -EINVAL;
	n = f->f_op->write(f, from->ubuf, from->count, pos);
	if (n > 0) {
		from->ubuf += n;
		from->count -= n;
	}
	return n;
}

/* kernel_read - read into kernel memory at *pos (exec reads ELF headers this way). */
ssize_t kernel_read(struct file *f, void *buf, size_t n, loff_t *pos)
{
	struct iov_iter i;

	iter_kernel(&i, buf, n);
	return vfs_read(f, &i, pos);
}

ssize_t kernel_write(struct file *f, const void *buf, size_t n, loff_t *pos)
{
	struct iov_iter i;

	iter_kernel(&i, buf, n);
	return vfs_write(f, &i, pos);
}

/* has_pos - does @f have a position (and so an f_pos_lock to take)? */
static bool has_pos(struct file *f)
{
	return f->f_op->llseek != NULL;
}

/*
 * do_rw_at - read or write @f at f_pos (@ppos NULL) or at *@ppos (pread,
 * pwrite), for one user buffer. Takes f_pos_lock for f_pos.
 */
static ssize_t do_rw_at(struct file *f, bool write, void __user *buf, size_t n, loff_t *ppos)
{
	struct iov_iter i;
	ssize_t ret;
	loff_t pos = 0;
	bool locked = !ppos && has_pos(f);

	if (!access_ok(buf, n))
		return -EFAULT;
	iter_user(&i, buf, n);
	if (locked) {
		mutex_lock(&f->f_pos_lock);
		pos = f->f_pos;
	} else if (ppos) {
		pos = *ppos;
	}
	ret = write ? vfs_write(f, &i, &pos) : vfs_read(f, &i, &pos);
	if (locked) {
		if (ret >= 0)
			f->f_pos = pos;
		mutex_unlock(&f->f_pos_lock);
	}
	return ret;
}

/* do_rw - read/write: do_rw_at() on @fd's file at its f_pos. -EBADF for a bad fd. */
static long do_rw(unsigned long fd, bool write, void __user *buf, size_t n)
{
	struct file *f = fget((int)fd);
	ssize_t ret;

	if (!f)
		return -EBADF;
	ret = do_rw_at(f, write, buf, n, NULL);
	fput(f);
	return ret;
}

/* read(fd, buf, count) - 0 */
long sys_read(SYSCALL_ARGS)
{
	return do_rw(a0, false, (void __user *)a1, a2);
}

/* write(fd, buf, count) - 1 */
long sys_write(SYSCALL_ARGS)
{
	return do_rw(a0, true, (void __user *)a1, a2);
}

/* pread64/pwrite64 - at an explicit offset; f_pos untouched. -ESPIPE without one. */
static long do_prw(unsigned long fd, bool write, void __user *buf, size_t n, long off)
{
	struct file *f = fget((int)fd);
	loff_t pos = off;
	ssize_t ret;

	if (!f)
		return -EBADF;
	if (!has_pos(f))
		ret = -ESPIPE;
	else if (off < 0)
		ret = -EINVAL;
	else
		ret = do_rw_at(f, write, buf, n, &pos);
	fput(f);
	return ret;
}

/* pread64(fd, buf, count, offset) - 17 */
long sys_pread64(SYSCALL_ARGS)
{
	return do_prw(a0, false, (void __user *)a1, a2, (long)a3);
}

/* pwrite64(fd, buf, count, offset) - 18 */
long sys_pwrite64(SYSCALL_ARGS)
{
	return do_prw(a0, true, (void __user *)a1, a2, (long)a3);
}

struct iovec {
	void __user *iov_base;
	size_t iov_len;
};

/*
 * do_readv_writev - readv/writev: the segments in order, as one operation
 * on f_pos; stops at the first short transfer. Returns the total, or the
 * first error if nothing moved: -EINVAL (bad count or total too big),
 * -EFAULT (bad array or segment).
 */
static long do_readv_writev(unsigned long fd, const struct iovec __user *uvec,
			    unsigned long cnt, bool write)
{
	struct iovec *vec;
	struct file *f;
	size_t total = 0;
	ssize_t done = 0, ret = 0;
	loff_t pos = 0;
	bool locked;

	if (cnt > UIO_MAXIOV)
		return -EINVAL;
	if (cnt == 0)
		return 0;
	vec = kmalloc(cnt * sizeof(*vec), GFP_KERNEL);
	if (!vec)
		return -ENOMEM;
	if (copy_from_user(vec, uvec, cnt * sizeof(*vec))) {
		ret = -EFAULT;
		goto out_free;
	}
	for (unsigned long i = 0; i < cnt; i++) {
		if (vec[i].iov_len > (size_t)MAX_RW_COUNT - total) {
			ret = -EINVAL;
			goto out_free;
		}
		total += vec[i].iov_len;
		if (!access_ok(vec[i].iov_base, vec[i].iov_len)) {
			ret = -EFAULT;
			goto out_free;
		}
	}
	f = fget((int)fd);
	if (!f) {
		ret = -EBADF;
		goto out_free;
	}
	locked = has_pos(f);
	if (locked) {
		mutex_lock(&f->f_pos_lock);
		pos = f->f_pos;
	}
	for (unsigned long i = 0; i < cnt; i++) {
		struct iov_iter it;

		if (!vec[i].iov_len)
			continue;
		iter_user(&it, vec[i].iov_base, vec[i].iov_len);
		ret = write ? vfs_write(f, &it, &pos) : vfs_read(f, &it, &pos);
		if (ret < 0)
			break;
		done += ret;
		if ((size_t)ret < vec[i].iov_len)
			break;
	}
	if (locked) {
		f->f_pos = pos;
		mutex_unlock(&f->f_pos_lock);
	}
	fput(f);
	if (done)
		ret = done;
out_free:
	kfree(vec);
	return ret;
}

/* readv(fd, iov, iovcnt) - 19 */
long sys_readv(SYSCALL_ARGS)
{
	if ((long)a2 < 0)
		return -EINVAL;
	return do_readv_writev(a0, (const struct iovec __user *)a1, a2, false);
}

/* writev(fd, iov, iovcnt) - 20 */
long sys_writev(SYSCALL_ARGS)
{
	if ((long)a2 < 0)
		return -EINVAL;
	return do_readv_writev(a0, (const struct iovec __user *)a1, a2, true);
}

/*
 * generic_file_llseek - SEEK_SET, SEEK_CUR, SEEK_END (SEEK_DATA 3 and
 * SEEK_HOLE 4 treat the whole file as data) on f_pos, under f_pos_lock.
 * Returns the new position, -EINVAL for a bad @whence or a negative result,
 * -ENXIO for SEEK_DATA/SEEK_HOLE at or past the end.
 */
loff_t generic_file_llseek(struct file *f, loff_t off, int whence)
{
	struct inode *inode = f->f_inode;
	loff_t size = S_ISDIR(inode->i_mode) ? 0 : READ_ONCE(inode->i_size);
	loff_t pos;

	mutex_lock(&f->f_pos_lock);
	switch (whence) {
	case SEEK_SET: pos = off; break;
	case SEEK_CUR: pos = f->f_pos + off; break;
	case SEEK_END: pos = S_ISDIR(inode->i_mode) ? -EINVAL : size + off; break;
	case 3:        pos = off < size ? off : -ENXIO; break;   /* SEEK_DATA */
	case 4:        pos = off < size ? size : -ENXIO; break;  /* SEEK_HOLE */
	default:       pos = -EINVAL; break;
	}
	if (pos < 0 && pos != -ENXIO)
		pos = -EINVAL;
	if (pos >= 0)
		f->f_pos = pos;
	mutex_unlock(&f->f_pos_lock);
	return pos;
}

/* lseek(fd, offset, whence) - 8: -ESPIPE on pipes and terminals. */
long sys_lseek(SYSCALL_ARGS)
{
	struct file *f = fget((int)a0);
	long ret;

	if (!f)
		return -EBADF;
	ret = f->f_op->llseek ? f->f_op->llseek(f, (loff_t)a1, (int)a2) : -ESPIPE;
	fput(f);
	return ret;
}

/* ioctl(fd, cmd, arg) - 16: the file's own; -ENOTTY if it has none. */
long sys_ioctl(SYSCALL_ARGS)
{
	struct file *f = fget((int)a0);
	long ret;

	if (!f)
		return -EBADF;
	ret = f->f_op->ioctl ? f->f_op->ioctl(f, (unsigned int)a1, a2) : -ENOTTY;
	fput(f);
	return ret;
}

/* fsync(fd) - 74, fdatasync(fd) - 75: nothing to write back in RAM. */
long sys_fsync(SYSCALL_ARGS)
{
	struct file *f = fget((int)a0);

	if (!f)
		return -EBADF;
	fput(f);
	return 0;
}

/* ---- directories ---- */

/*
 * iterate_dir - run @f's ->iterate_shared under the directory's i_rwsem
 * (read). Returns 0 or -ENOTDIR / the method's error.
 */
int iterate_dir(struct file *f, struct dir_context *ctx)
{
	struct inode *inode = f->f_inode;
	int ret;

	if (!f->f_op->iterate_shared)
		return -ENOTDIR;
	down_read(&inode->i_rwsem);
	ret = f->f_op->iterate_shared(f, ctx);
	up_read(&inode->i_rwsem);
	return ret;
}

/* struct linux_dirent64, as getdents64 writes it: 19 bytes, the name, NUL, padding to 8. */
struct linux_dirent64 {
	u64 d_ino;
	s64 d_off;
	u16 d_reclen;
	u8 d_type;
	char d_name[];
} __packed;

struct getdents_callback {
	struct dir_context ctx;
	char __user *cur;      /* where the next record goes */
	size_t left;           /* bytes left in the user buffer */
	int error;
};

/* filldir64 - the getdents64 actor: one record into the user buffer, or false if full. */
static bool filldir64(struct dir_context *ctx, const char *name, int namelen,
		      loff_t next_pos, u64 ino, unsigned int d_type)
{
	struct getdents_callback *buf = container_of(ctx, struct getdents_callback, ctx);
	size_t reclen = ALIGN_UP(sizeof(struct linux_dirent64) + namelen + 1, 8);
	char rec[ALIGN_UP(sizeof(struct linux_dirent64) + NAME_MAX + 1, 8)];
	struct linux_dirent64 *d = (struct linux_dirent64 *)rec;

	if (reclen > buf->left) {
		buf->error = -EINVAL;   /* reported only if not even one record fit */
		return false;
	}
	memset(rec, 0, reclen);
	d->d_ino = ino;
	d->d_off = next_pos;
	d->d_reclen = reclen;
	d->d_type = d_type;
	memcpy(d->d_name, name, namelen);
	if (copy_to_user(buf->cur, rec, reclen)) {
		buf->error = -EFAULT;
		return false;
	}
	buf->cur += reclen;
	buf->left -= reclen;
	return true;
}

/*
 * getdents64(fd, dirp, count) - 217: as many records as fit, from f_pos
 * on. Returns the bytes written (0 at the end), -ENOTDIR, -EFAULT, or
 * -EINVAL if the buffer cannot hold the next record.
 */
long sys_getdents64(SYSCALL_ARGS)
{
	struct getdents_callback buf = {
		.ctx.actor = filldir64,
		.cur = (char __user *)a1,
		.left = a2,
	};
	struct file *f = fget((int)a0);
	long ret;

	if (!f)
		return -EBADF;
	if (!access_ok((void __user *)a1, a2)) {
		ret = -EFAULT;
		goto out_fput;
	}
	if (!f->f_op->iterate_shared) {
		ret = -ENOTDIR;
		goto out_fput;
	}
	mutex_lock(&f->f_pos_lock);
	buf.ctx.pos = f->f_pos;
	ret = iterate_dir(f, &buf.ctx);
	f->f_pos = buf.ctx.pos;
	mutex_unlock(&f->f_pos_lock);
	if (buf.left != a2)
		ret = a2 - buf.left;
	else if (buf.error)
		ret = buf.error;
out_fput:
	fput(f);
	return ret;
}
