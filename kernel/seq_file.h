/*
 * kernel/seq_file.h - files whose text the kernel writes on open (Linux
 * include/linux/seq_file.h, the single_open() kind only).
 *
 * A /proc file has no bytes of its own: its text is made from the
 * kernel's state. single_open() runs a show function once, at open, into
 * a kernel buffer; every read() of that open file then copies from the
 * same buffer, so reads of any size, at any offset, see one consistent
 * snapshot (Linux makes it at the first read; the effect is the same).
 * A read that starts again at offset 0 (after lseek(fd, 0, SEEK_SET))
 * makes the text anew, as in Linux, so a tool may keep the file open and
 * poll it.
 *
 *   open("/proc/meminfo")            read(fd, buf, 1) ... read(fd, buf, 4096)
 *     single_open(f, meminfo_proc_show)      seq_read_iter: copy from m->buf
 *       m->buf  "MemTotal:  ...  kB\n..."    at *pos, up to m->count
 *       (too small? twice the size, show again)
 */
#ifndef KERNEL_SEQ_FILE_H
#define KERNEL_SEQ_FILE_H

#include "kernel/compiler.h"
#include "kernel/fs.h"
#include "kernel/types.h"

struct seq_file {
	struct mutex lock;  /* readers and a remake of the text */
	/* -- lock (after single_open()) -- */
	char *buf;          /* the text (kmalloc'd) */
	size_t size;        /* bytes allocated */
	size_t count;       /* bytes of text */
	size_t pad_until;   /* seq_setwidth(): where seq_pad() pads to */
	bool overflow;      /* a write did not fit: shown again, bigger */
	bool read;          /* some of the text was read: a read at 0 makes it anew */
	/* -- fixed at single_open() -- */
	int (*show)(struct seq_file *m, void *data);
	void *data;
};

/* seq_printf / seq_puts / seq_putc - append to the text (or mark it overflowed). */
void seq_printf(struct seq_file *m, const char *fmt, ...) __printf(2, 3);
void seq_puts(struct seq_file *m, const char *s);
void seq_putc(struct seq_file *m, char c);
/*
 * seq_setwidth / seq_pad - Linux's column alignment: seq_setwidth(m, w)
 * marks the start of a field w bytes wide; seq_pad(m, c) fills it with
 * spaces up to there, then writes @c (if not 0).
 */
void seq_setwidth(struct seq_file *m, size_t width);
void seq_pad(struct seq_file *m, char c);

/*
 * single_open - Mirrors Linux single_open(): make @f's text now by
 * calling @show(m, @data) into a buffer, retrying with twice the room
 * until it fits; f->private_data is the seq_file afterwards. @show returns
 * 0 or -errno and must not sleep holding what it cannot hold across a
 * kmalloc. Returns 0, -ENOMEM or @show's error (nothing left allocated).
 */
int single_open(struct file *f, int (*show)(struct seq_file *m, void *data), void *data);
/*
 * seq_read_iter - ->read_iter: the text from *pos on; 0 at or past its
 * end. A read at offset 0 after some of the text was read (say after
 * lseek(fd, 0, SEEK_SET), as tools that poll a /proc file do) makes the
 * text anew first, as Linux's seq_file does; reads that go on from where
 * the last one stopped all see the one text.
 */
ssize_t seq_read_iter(struct file *f, struct iov_iter *to, loff_t *pos);
/* seq_lseek - ->llseek: SEEK_SET and SEEK_CUR only, as Linux (-EINVAL otherwise or below 0). */
loff_t seq_lseek(struct file *f, loff_t off, int whence);
/* single_release - ->release: free the text (none if single_open() failed). */
void single_release(struct inode *inode, struct file *f);

#endif
