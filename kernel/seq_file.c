/*
 * kernel/seq_file.c - text files made by the kernel at open (Linux
 * fs/seq_file.c, the single_open() kind). See kernel/seq_file.h.
 *
 * The text of one open file never changes after single_open() returns,
 * so reads need no lock: two threads reading the same fd at once each
 * copy from the same finished buffer. f_pos is the VFS's (f_pos_lock).
 */
#include "kernel/seq_file.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/slab.h"

/* The most text one file may have: the largest kmalloc() block (4 MiB). */
#define SEQ_MAX_SIZE (PAGE_SIZE << MAX_ORDER)

/* seq_set_overflow - a write did not fit: the buffer counts as full. */
static void seq_set_overflow(struct seq_file *m)
{
	m->overflow = true;
	m->count = m->size;
}

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	size_t room = m->size - m->count;
	va_list ap;
	int n;

	if (m->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(m->buf + m->count, room, fmt, ap);
	va_end(ap);
	if ((size_t)n >= room)      /* vsnprintf wants room for its NUL too */
		seq_set_overflow(m);
	else
		m->count += n;
}

void seq_puts(struct seq_file *m, const char *s)
{
	size_t len = strlen(s);

	if (m->overflow || len > m->size - m->count) {
		seq_set_overflow(m);
		return;
	}
	memcpy(m->buf + m->count, s, len);
	m->count += len;
}

void seq_putc(struct seq_file *m, char c)
{
	if (m->overflow || m->count >= m->size) {
		seq_set_overflow(m);
		return;
	}
	m->buf[m->count++] = c;
}

void seq_setwidth(struct seq_file *m, size_t width)
{
	m->pad_until = m->count + width;
}

void seq_pad(struct seq_file *m, char c)
{
	while (m->count < m->pad_until && !m->overflow)
		seq_putc(m, ' ');
	if (c)
		seq_putc(m, c);
}

/*
 * single_open - see seq_file.h. Entry: @f just made by open(2), no lock
 * held. Exit: f->private_data is the seq_file holding the whole text, or
 * (on error) NULL with nothing allocated.
 */
int single_open(struct file *f, int (*show)(struct seq_file *m, void *data), void *data)
{
	struct seq_file *m = kzalloc(sizeof(*m), GFP_KERNEL);
	size_t size = PAGE_SIZE;
	int err;

	if (!m)
		return -ENOMEM;
	for (;;) {
		err = -ENOMEM;
		m->buf = kmalloc(size, GFP_KERNEL);
		if (!m->buf)
			goto out_free;
		m->size = size;
		m->count = 0;
		m->pad_until = 0;
		m->overflow = false;
		err = show(m, data);
		if (err)
			goto out_free_buf;
		if (!m->overflow)
			break;
		/* Too small: start again with twice the room (Linux's traverse()). */
		kfree(m->buf);
		m->buf = NULL;
		size *= 2;
		if (size > SEQ_MAX_SIZE) {
			err = -ENOMEM;
			goto out_free;
		}
	}
	f->private_data = m;
	return 0;

out_free_buf:
	kfree(m->buf);
out_free:
	kfree(m);
	return err;
}

/*
 * seq_read_iter - Mirrors Linux seq_read_iter() for a finished text.
 * Returns the bytes copied (*pos advanced), 0 at or past the end,
 * -EINVAL for a negative *pos, -EFAULT if nothing reached a bad buffer.
 */
ssize_t seq_read_iter(struct file *f, struct iov_iter *to, loff_t *pos)
{
	struct seq_file *m = f->private_data;
	size_t n, copied;

	if (*pos < 0)
		return -EINVAL;
	if ((size_t)*pos >= m->count)
		return 0;
	n = min(to->count, m->count - (size_t)*pos);
	copied = copy_to_iter(m->buf + *pos, n, to);
	if (!copied && n)
		return -EFAULT;
	*pos += copied;
	return copied;
}

/*
 * seq_lseek - Mirrors Linux seq_lseek(): the new position, which may lie
 * past the end (reads there return 0). Takes f_pos_lock.
 */
loff_t seq_lseek(struct file *f, loff_t off, int whence)
{
	loff_t pos = -EINVAL;

	mutex_lock(&f->f_pos_lock);
	if (whence == SEEK_CUR)
		off += f->f_pos;
	if ((whence == SEEK_SET || whence == SEEK_CUR) && off >= 0) {
		f->f_pos = off;
		pos = off;
	}
	mutex_unlock(&f->f_pos_lock);
	return pos;
}

void single_release(struct inode *inode, struct file *f)
{
	struct seq_file *m = f->private_data;

	(void)inode;
	if (!m)
		return;
	kfree(m->buf);
	kfree(m);
	f->private_data = NULL;
}
