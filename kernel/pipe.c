/*
 * kernel/pipe.c - pipes (Linux fs/pipe.c, simpler).
 *
 * A pipe is a byte ring of PIPE_PAGES pages shared by two open files, a
 * read end and a write end, on one nameless inode:
 *
 *     fd[1] ─▶ file (FMODE_WRITE) ─┐                  ┌─ file (FMODE_READ) ◀─ fd[0]
 *                                  └▶ inode S_IFIFO ◀─┘
 *                                       i_private ─▶ struct pipe_inode_info
 *
 *     bufs: | page 0 | page 1 | page 2 | page 3 |   byte b lives in
 *                  ^tail           ^head            bufs[(b / PAGE_SIZE) % PIPE_PAGES]
 *
 * head and tail count bytes ever written and read; head - tail bytes wait
 * in the ring. A reader sleeps while it is empty and a writer remains; a
 * writer sleeps while it is full and a reader remains. With no writers
 * left, read returns 0 (end of file); with no readers left, write fails
 * with -EPIPE and the writer gets SIGPIPE. O_NONBLOCK turns each sleep
 * into -EAGAIN. A write of at most PIPE_BUF bytes is atomic: it waits
 * until all of it fits, so it is never interleaved with another write.
 *
 * Locking: pipe->mutex (sleeping) serialises all access to the ring and
 * the counters, and is held across copies to and from user memory, which
 * may fault. It is never held while waiting: a waiter drops it, sleeps on
 * rd_wait / wr_wait until the condition looks true (read without the
 * lock), then takes it again and re-checks. ->poll reads the counters
 * without the lock (it must not sleep): each is one aligned word, and a
 * stale value only means one more wake-up and look.
 */
#include "kernel/fs.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscalls.h"
#include "mm/mm.h"
#include "mm/slab.h"

#define PIPE_PAGES 4                       /* 16 KiB of buffer */
#define PIPE_SIZE  (PIPE_PAGES * PAGE_SIZE)
#define PIPE_BUF   PAGE_SIZE               /* writes up to this are atomic (POSIX) */

struct pipe_inode_info {
	struct mutex mutex;
	wait_queue_head_t rd_wait;     /* readers wait for data or the last writer */
	wait_queue_head_t wr_wait;     /* writers wait for room or the last reader */
	/* -- mutex (read without it by waiters' conditions and poll) -- */
	unsigned long head;            /* bytes written since creation */
	unsigned long tail;            /* bytes read since creation */
	int readers;                   /* open read ends */
	int writers;                   /* open write ends */
	/* -- fixed after creation -- */
	struct page *bufs[PIPE_PAGES];
};

static unsigned long pipe_used(struct pipe_inode_info *pipe)
{
	return READ_ONCE(pipe->head) - READ_ONCE(pipe->tail);
}

/* Wait conditions, evaluated without the mutex (then re-checked under it). */
static bool pipe_readable(struct pipe_inode_info *pipe)
{
	return pipe_used(pipe) > 0 || READ_ONCE(pipe->writers) == 0;
}

static bool pipe_writable(struct pipe_inode_info *pipe, size_t need)
{
	return PIPE_SIZE - pipe_used(pipe) >= need || READ_ONCE(pipe->readers) == 0;
}

/* ring_addr - kernel address of byte @b of the stream, and how many follow it in that page. */
static char *ring_addr(struct pipe_inode_info *pipe, unsigned long b, size_t *in_page)
{
	unsigned long off = b % PAGE_SIZE;

	*in_page = PAGE_SIZE - off;
	return (char *)page_address(pipe->bufs[(b / PAGE_SIZE) % PIPE_PAGES]) + off;
}

/*
 * pipe_read - read_iter of the read end. Returns as soon as it has read
 * anything (up to to->count); 0 at end of file (empty, no writers);
 * -EAGAIN (O_NONBLOCK, empty); -ERESTARTSYS if a signal came while
 * empty; -EFAULT if nothing could be copied. Sleeps with no lock held.
 */
static ssize_t pipe_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	struct pipe_inode_info *pipe = f->private_data;
	ssize_t done = 0;
	int err;

	if (!to->count)
		return 0;
	for (;;) {
		mutex_lock(&pipe->mutex);
		while (to->count && pipe->head != pipe->tail) {
			size_t in_page, copied;
			char *src = ring_addr(pipe, pipe->tail, &in_page);
			size_t n = min(min(in_page, (size_t)(pipe->head - pipe->tail)), to->count);

			copied = copy_to_iter(src, n, to);
			pipe->tail += copied;
			done += copied;
			if (copied < n) {
				if (!done)
					done = -EFAULT;
				break;
			}
		}
		if (done || pipe->writers == 0) {
			mutex_unlock(&pipe->mutex);
			break;   /* data, an error, or end of file */
		}
		mutex_unlock(&pipe->mutex);
		if (READ_ONCE(f->f_flags) & O_NONBLOCK)
			return -EAGAIN;
		err = wait_event_interruptible(pipe->rd_wait, pipe_readable(pipe));
		if (err)
			return err;
	}
	if (done > 0)
		wake_up(&pipe->wr_wait);   /* room for writers */
	return done;
}

/*
 * pipe_write - write_iter of the write end. Blocks until everything is
 * written (a write of at most PIPE_BUF bytes all at once). Returns the
 * bytes written; if none: -EPIPE (no readers; SIGPIPE sent to current),
 * -EAGAIN (O_NONBLOCK and no room), -ERESTARTSYS (signal), -EFAULT.
 */
static ssize_t pipe_write(struct file *f, struct iov_iter *from, loff_t *pos)
{
	struct pipe_inode_info *pipe = f->private_data;
	size_t atomic = from->count <= PIPE_BUF ? from->count : 1;
	ssize_t done = 0;
	int err = 0;

	while (from->count) {
		mutex_lock(&pipe->mutex);
		if (pipe->readers == 0) {
			mutex_unlock(&pipe->mutex);
			send_sig(SIGPIPE, current, 0);
			err = -EPIPE;
			break;
		}
		/* Fill what is free now - all or nothing for a small write. */
		while (from->count && PIPE_SIZE - (pipe->head - pipe->tail) >= atomic) {
			size_t in_page, copied;
			char *dst = ring_addr(pipe, pipe->head, &in_page);
			size_t n = min(min(in_page, (size_t)(PIPE_SIZE - (pipe->head - pipe->tail))),
				       from->count);

			copied = copy_from_iter(dst, n, from);
			pipe->head += copied;
			done += copied;
			atomic = 1;   /* the rest of an atomic write surely fits now */
			if (copied < n) {
				err = -EFAULT;
				break;
			}
		}
		mutex_unlock(&pipe->mutex);
		if (done)
			wake_up(&pipe->rd_wait);   /* data for readers */
		if (err || !from->count)
			break;
		if (READ_ONCE(f->f_flags) & O_NONBLOCK) {
			err = -EAGAIN;
			break;
		}
		err = wait_event_interruptible(pipe->wr_wait, pipe_writable(pipe, atomic));
		if (err)
			break;
	}
	return done ? done : err;
}

/*
 * pipe_poll - POLLIN when there is data, POLLHUP when the write end is
 * closed, POLLOUT when a PIPE_BUF write would not block, POLLERR when
 * the read end is closed. Lockless (see the top of the file).
 */
static unsigned int pipe_poll(struct file *f, struct poll_table_struct *pt)
{
	struct pipe_inode_info *pipe = f->private_data;
	unsigned int mask = 0;

	poll_wait(f, &pipe->rd_wait, pt);
	poll_wait(f, &pipe->wr_wait, pt);
	if (f->f_mode & FMODE_READ) {
		if (pipe_used(pipe))
			mask |= POLLIN | POLLRDNORM;
		if (READ_ONCE(pipe->writers) == 0)
			mask |= POLLHUP;
	}
	if (f->f_mode & FMODE_WRITE) {
		if (PIPE_SIZE - pipe_used(pipe) >= PIPE_BUF)
			mask |= POLLOUT | POLLWRNORM;
		if (READ_ONCE(pipe->readers) == 0)
			mask |= POLLERR;
	}
	return mask;
}

static void free_pipe_info(struct pipe_inode_info *pipe)
{
	for (int i = 0; i < PIPE_PAGES; i++)
		if (pipe->bufs[i])
			put_page(pipe->bufs[i]);
	kfree(pipe);
}

/*
 * pipe_release - one end is closed for good (its last fput). The other
 * side's sleepers are woken to see EOF or EPIPE; the last end frees the
 * pipe. The inode goes with fput's iput.
 */
static void pipe_release(struct inode *inode, struct file *f)
{
	struct pipe_inode_info *pipe = f->private_data;
	bool last;

	mutex_lock(&pipe->mutex);
	if (f->f_mode & FMODE_READ)
		pipe->readers--;
	if (f->f_mode & FMODE_WRITE)
		pipe->writers--;
	last = pipe->readers == 0 && pipe->writers == 0;
	mutex_unlock(&pipe->mutex);
	if (last) {
		inode->i_private = NULL;
		free_pipe_info(pipe);   /* no one else can reach it now */
		return;
	}
	wake_up(&pipe->rd_wait);
	wake_up(&pipe->wr_wait);
}

static const struct file_operations pipe_fops = {
	.read_iter = pipe_read,
	.write_iter = pipe_write,
	.poll = pipe_poll,
	.release = pipe_release,
};

static struct pipe_inode_info *alloc_pipe_info(void)
{
	struct pipe_inode_info *pipe = kzalloc(sizeof(*pipe), GFP_KERNEL);

	if (!pipe)
		return NULL;
	for (int i = 0; i < PIPE_PAGES; i++) {
		pipe->bufs[i] = alloc_page(GFP_KERNEL);
		if (!pipe->bufs[i]) {
			free_pipe_info(pipe);
			return NULL;
		}
	}
	mutex_init(&pipe->mutex);
	init_waitqueue_head(&pipe->rd_wait);
	init_waitqueue_head(&pipe->wr_wait);
	pipe->readers = pipe->writers = 1;
	return pipe;
}

/*
 * create_pipe_files - a new pipe: res[0] the read end, res[1] the write
 * end, one reference each. @flags may hold O_NONBLOCK (both ends).
 * Returns 0 or -ENOMEM (nothing left behind).
 */
int create_pipe_files(struct file **res, int flags)
{
	struct pipe_inode_info *pipe;
	struct inode *inode;
	struct file *r, *w;
	int err = -ENOMEM;

	inode = ramfs_get_inode(S_IFIFO | 0600, 0);
	if (!inode)
		return -ENOMEM;
	inode->i_nlink = 1;
	pipe = alloc_pipe_info();
	if (!pipe)
		goto out_iput;
	inode->i_private = pipe;
	inode->i_fop = &pipe_fops;

	r = alloc_file(inode, O_RDONLY | (flags & O_NONBLOCK), &pipe_fops);
	if (IS_ERR(r))
		goto out_free_pipe;
	r->private_data = pipe;
	w = alloc_file(inode, O_WRONLY | (flags & O_NONBLOCK), &pipe_fops);
	if (IS_ERR(w))
		goto out_free_read;
	w->private_data = pipe;
	iput(inode);   /* the two files hold it now */
	res[0] = r;
	res[1] = w;
	return 0;

out_free_read:
	r->f_op = NULL;   /* no release: the pipe is freed below, once */
	fput(r);
out_free_pipe:
	inode->i_private = NULL;
	free_pipe_info(pipe);
out_iput:
	iput(inode);
	return err;
}

/*
 * pipe2(fds, flags) - 293: flags O_CLOEXEC and O_NONBLOCK; writes the two
 * new fds (read end first) to user memory. -EINVAL, -EMFILE, -EFAULT,
 * -ENOMEM; on failure no fd is left open.
 */
long sys_pipe2(SYSCALL_ARGS)
{
	int __user *ufds = (int __user *)a0;
	int flags = (int)a1;
	struct file *files[2];
	int fd[2], err;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	if (!access_ok(ufds, 2 * sizeof(int)))
		return -EFAULT;
	err = create_pipe_files(files, flags);
	if (err)
		return err;
	fd[0] = fd_install_new(files[0], flags & O_CLOEXEC);
	if (fd[0] < 0) {
		err = fd[0];
		goto out_put_both;
	}
	fd[1] = fd_install_new(files[1], flags & O_CLOEXEC);
	if (fd[1] < 0) {
		err = fd[1];
		close_fd(fd[0]);
		fput(files[1]);
		return err;
	}
	if (copy_to_user(ufds, fd, sizeof(fd))) {
		close_fd(fd[0]);   /* another thread may have closed them already: harmless */
		close_fd(fd[1]);
		return -EFAULT;
	}
	return 0;

out_put_both:
	fput(files[0]);
	fput(files[1]);
	return err;
}

/* pipe(fds) - 22 */
long sys_pipe(SYSCALL_ARGS)
{
	return sys_pipe2(a0, 0, 0, 0, 0, 0);
}
