/*
 * kernel/seq_file.c - text files made by the kernel at open (Linux
 * fs/seq_file.c, the single_open() kind). See kernel/seq_file.h.
 *
 * The text is made at open, and made anew when a read starts again at
 * offset 0 after an earlier read (Linux's behaviour after lseek(fd, 0)).
 * m->lock keeps a remake from freeing the text under a reader. f_pos is
 * the VFS's (f_pos_lock).
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
 * seq_fill - (re)make @m's text: call ->show into a buffer, with twice the
 * room each time it does not fit (Linux's traverse()). On success the new
 * text replaces the old; on failure the old stays. Returns 0, -ENOMEM or
 * ->show's error. @m->lock held, or @m not yet visible.
 */
static int seq_fill(struct seq_file *m)
{
	char *old = m->buf;
	size_t old_size = m->size, old_count = m->count, size = PAGE_SIZE;
	int err;

	for (;;) {
		m->buf = kmalloc(size, GFP_KERNEL);
		if (!m->buf) {
			err = -ENOMEM;
			break;
		}
		m->size = size;
		m->count = 0;
		m->pad_until = 0;
		m->overflow = false;
		err = m->show(m, m->data);
		if (!err && !m->overflow) {
			kfree(old);
			return 0;
		}
		kfree(m->buf);
		size *= 2;
		if (!err && size > SEQ_MAX_SIZE)
			err = -ENOMEM;
		if (err)
			break;
	}
	m->buf = old;      /* the previous text, if any, stays as it was */
	m->size = old_size;
	m->count = old_count;
	return err;
}

/*
 * single_open - see seq_file.h. Entry: @f just made by open(2), no lock
 * held. Exit: f->private_data is the seq_file holding the whole text, or
 * (on error) NULL with nothing allocated.
 */
int single_open(struct file *f, int (*show)(struct seq_file *m, void *data), void *data)
{
	struct seq_file *m = kzalloc(sizeof(*m), GFP_KERNEL);
	int err;

	if (!m)
		return -ENOMEM;
	mutex_init(&m->lock);
	m->show = show;
	m->data = data;
	err = seq_fill(m);
	if (err) {
		kfree(m);
		return err;
	}
	f->private_data = m;
	return 0;
}

/*
 * seq_read_iter - Mirrors Linux seq_read_iter() for a finished text.
 * Returns the bytes copied (*pos advanced), 0 at or past the end,
 * -EINVAL for a negative *pos, -EFAULT if nothing reached a bad buffer.
 */
ssize_t seq_read_iter(struct file *f, struct iov_iter *to, loff_t *pos)
{
	struct seq_file *m = f->private_data;
	ssize_t ret = 0;
	size_t n, copied;

	if (*pos < 0)
		return -EINVAL;
	mutex_lock(&m->lock);
	if (*pos == 0 && m->read) {
		ret = seq_fill(m);
		if (ret)
			goto out;
		m->read = false;
	}
	if ((size_t)*pos >= m->count)
		goto out;
	n = min(to->count, m->count - (size_t)*pos);
	copied = copy_to_iter(m->buf + *pos, n, to);
	if (!copied && n) {
		ret = -EFAULT;
		goto out;
	}
	m->read = true;
	*pos += copied;
	ret = copied;
out:
	mutex_unlock(&m->lock);
	return ret;
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
