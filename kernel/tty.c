/*
 * kernel/tty.c - the console terminal: /dev/console on COM1 with a line
 * discipline (Linux drivers/tty/n_tty.c and tty_io.c, in miniature).
 *
 * Input path, one byte at a time:
 *
 *   UART receives 'a' -> IRQ 4 -> serial_rx_interrupt() -> tty_receive_char(tty, 'a')
 *     canonical mode (ICANON, the default): the line being typed is edited
 *     in place - Backspace/DEL erase, ^U kills the line, echo shows it -
 *     and becomes readable only when Enter (or ^D) ends it; ^C (ISIG)
 *     throws the input away and sends SIGINT to the console's processes.
 *   read() -> tty_read() sleeps until a line is complete, then returns at
 *     most that one line; ^D on an empty line makes read() return 0 (EOF).
 *
 *   read_buf (a ring, indices grow forever, masked on use):
 *
 *     read_tail         canon_head         read_head
 *        v                  v                  v
 *   ... | l s \n e c h o \n | c a t _ f       | ...
 *        readable lines      line being edited
 *
 *   A set bit in read_flags marks a byte that ends a line: '\n', or an
 *   EOF mark (a ^D, stored as 0 and never returned to the reader). Without
 *   ICANON every byte is readable at once (canon_head follows read_head).
 *
 * Output: write() and the echo go to tty->write (console_write for the
 * console), where "\n" becomes "\r\n" (serial_write). The line discipline
 * works on any struct tty_struct, so the tests drive one of their own with
 * an output hook that records the echo.
 *
 * Locking: tty->lock is a spinlock taken with interrupts off, because the
 * receive interrupt takes it. No user copy and no output happens under it:
 * the reader moves bytes into a small kernel buffer under the lock and
 * copies them out after; the echo is collected and written after unlock.
 */
#include "kernel/fs.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/traps.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "mm/slab.h"

#define N_TTY_BUF_SIZE 4096
#define N_TTY_MASK (N_TTY_BUF_SIZE - 1)
#define EOF_MARK 0           /* what a ^D leaves in read_buf, with its flag set */

/* termios bits (Linux's values) */
#define ICRNL   0000400
#define IXON    0002000
#define OPOST   0000001
#define ONLCR   0000004
#define B38400  0000017
#define CS8     0000060
#define CREAD   0000200
#define HUPCL   0002000
#define ISIG    0000001
#define ICANON  0000002
#define ECHO    0000010
#define ECHOE   0000020
#define ECHOK   0000040
#define ECHOCTL 0001000
#define ECHOKE  0004000
#define IEXTEN  0100000
/* c_cc indices */
#define VINTR 0
#define VQUIT 1
#define VERASE 2
#define VKILL 3
#define VEOF 4
#define VTIME 5
#define VMIN 6
#define VSTART 8
#define VSTOP 9
#define VSUSP 10
#define VREPRINT 12
#define VDISCARD 13
#define VWERASE 14
#define VLNEXT 15
#define NCCS 19

/* ioctl numbers */
#define TCGETS     0x5401
#define TCSETS     0x5402
#define TCSETSW    0x5403
#define TCSETSF    0x5404
#define TIOCGPGRP  0x540F
#define TIOCSPGRP  0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD   0x541B

/* struct termios as TCGETS copies it (the kernel's, 36 bytes; not glibc's). */
struct termios {
	u32 c_iflag, c_oflag, c_cflag, c_lflag;
	u8 c_line;
	u8 c_cc[NCCS];
};

struct winsize {
	u16 ws_row, ws_col, ws_xpixel, ws_ypixel;
};

struct tty_struct {
	spinlock_t lock;
	wait_queue_head_t read_wait;            /* readers wait for a line (or a byte) */
	void (*write)(const char *buf, size_t n);   /* the device's output */
	/* -- lock -- */
	struct termios termios;
	struct winsize winsize;
	unsigned long read_head;                /* where the next typed byte goes */
	unsigned long canon_head;               /* end of the completed lines */
	unsigned long read_tail;                /* the next byte read() takes */
	char read_buf[N_TTY_BUF_SIZE];
	unsigned long read_flags[N_TTY_BUF_SIZE / 64];   /* bit i: read_buf[i] ends a line */
};

static struct tty_struct console_tty;

static const struct termios tty_std_termios = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B38400 | CS8 | CREAD | HUPCL,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
	.c_cc = {
		[VINTR] = 003, [VQUIT] = 034, [VERASE] = 0177, [VKILL] = 025,
		[VEOF] = 004, [VTIME] = 0, [VMIN] = 1, [VSTART] = 021, [VSTOP] = 023,
		[VSUSP] = 032, [VREPRINT] = 022, [VDISCARD] = 017, [VWERASE] = 027,
		[VLNEXT] = 026,
	},
};

static void tty_init(struct tty_struct *tty, void (*write)(const char *, size_t))
{
	memset(tty, 0, sizeof(*tty));
	spin_lock_init(&tty->lock, "tty");
	init_waitqueue_head(&tty->read_wait);
	tty->write = write;
	tty->termios = tty_std_termios;
	tty->winsize.ws_row = 24;
	tty->winsize.ws_col = 80;
}

/* tty_alloc - a terminal writing to @write, with the console's defaults (tests). */
struct tty_struct *tty_alloc(void (*write)(const char *buf, size_t n))
{
	struct tty_struct *tty = kmalloc(sizeof(*tty), GFP_KERNEL);

	if (tty)
		tty_init(tty, write);
	return tty;
}

void tty_free(struct tty_struct *tty)
{
	kfree(tty);
}

static bool L_ICANON(struct tty_struct *tty) { return tty->termios.c_lflag & ICANON; }

/* ---- input: the line discipline ---- */

/* An echo collected under the lock, written after it. */
struct echo_buf {
	char buf[16];
	int n;
};

static void echo(struct echo_buf *e, const char *s)
{
	while (*s && e->n < (int)sizeof(e->buf))
		e->buf[e->n++] = *s++;
}

/* echo_char - @c as the terminal shows it: control characters as ^X with ECHOCTL. */
static void echo_char(struct tty_struct *tty, struct echo_buf *e, unsigned char c)
{
	char s[3] = { (char)c, 0, 0 };

	if (!(tty->termios.c_lflag & ECHO))
		return;
	if (c < 32 && c != '\n' && c != '\t' && (tty->termios.c_lflag & ECHOCTL)) {
		s[0] = '^';
		s[1] = (char)(c + '@');
	}
	echo(e, s);
}

/* put_char - append to the ring; @eol marks a line end. tty->lock held. */
static void put_char(struct tty_struct *tty, char c, bool eol)
{
	unsigned long i = tty->read_head & N_TTY_MASK;

	tty->read_buf[i] = c;
	if (eol)
		tty->read_flags[i / 64] |= 1UL << (i % 64);
	else
		tty->read_flags[i / 64] &= ~(1UL << (i % 64));
	tty->read_head++;
}

/* erase_char - drop the last byte of the line being edited; false if it is empty. */
static bool erase_char(struct tty_struct *tty, struct echo_buf *e)
{
	unsigned char c;

	if (tty->read_head == tty->canon_head)
		return false;
	c = tty->read_buf[--tty->read_head & N_TTY_MASK];
	if ((tty->termios.c_lflag & (ECHO | ECHOE)) == (ECHO | ECHOE)) {
		echo(e, "\b \b");
		if (c < 32 && c != '\t' && (tty->termios.c_lflag & ECHOCTL))
			echo(e, "\b \b");   /* it was shown as two characters */
	}
	return true;
}

/*
 * tty_receive_char - one byte arrived from the device (the receive
 * interrupt, or a test). Edits, completes or discards the current line,
 * echoes, wakes readers; ^C also calls signal_console_users(SIGINT) -
 * after dropping the lock, still in the caller's context (for the console,
 * the interrupt: interrupts off). Never sleeps.
 */
void tty_receive_char(struct tty_struct *tty, unsigned char c)
{
	struct echo_buf e = { .n = 0 };
	const struct termios *t = &tty->termios;
	unsigned long flags;
	int sig = 0;
	bool wake = false;

	spin_lock_irqsave(&tty->lock, flags);
	if (c == '\r' && (t->c_iflag & ICRNL))
		c = '\n';
	if ((t->c_lflag & ISIG) && c == t->c_cc[VINTR]) {
		/* Like Linux, a ^C flushes all pending input, not only this line. */
		tty->read_tail = tty->canon_head = tty->read_head;
		if (t->c_lflag & ECHO)
			echo(&e, "^C\n");
		sig = SIGINT;
		goto out_unlock;
	}
	if (!L_ICANON(tty)) {
		if (tty->read_head - tty->read_tail < N_TTY_BUF_SIZE) {
			put_char(tty, (char)c, false);
			tty->canon_head = tty->read_head;
			echo_char(tty, &e, c);
			wake = true;
		}
		goto out_unlock;
	}
	if (c == t->c_cc[VERASE] || c == '\b') {
		erase_char(tty, &e);
	} else if (c == t->c_cc[VKILL]) {
		tty->read_head = tty->canon_head;   /* ^U: start the line again, below */
		if (t->c_lflag & ECHO)
			echo(&e, "^U\n");
	} else if (c == t->c_cc[VEOF] || c == '\n') {
		/* A line end always fits: ordinary bytes leave the last slot free. */
		if (tty->read_head - tty->read_tail < N_TTY_BUF_SIZE) {
			put_char(tty, c == '\n' ? '\n' : EOF_MARK, true);
			tty->canon_head = tty->read_head;
			if (c == '\n')
				echo_char(tty, &e, c);
			wake = true;
		}
	} else if (tty->read_head - tty->read_tail < N_TTY_BUF_SIZE - 1) {
		put_char(tty, (char)c, false);
		echo_char(tty, &e, c);
	}   /* else: the buffer is full; the byte is dropped */
out_unlock:
	spin_unlock_irqrestore(&tty->lock, flags);
	if (e.n)
		tty->write(e.buf, e.n);
	if (wake)
		wake_up(&tty->read_wait);
	if (sig)
		signal_console_users(sig);
}

/* Readable input, for wait conditions and poll (a lockless look). */
static unsigned long input_available(struct tty_struct *tty)
{
	unsigned long limit = L_ICANON(tty) ? READ_ONCE(tty->canon_head) : READ_ONCE(tty->read_head);

	return limit - READ_ONCE(tty->read_tail);
}

static struct tty_struct *file_tty(struct file *f)
{
	return f->private_data ? f->private_data : &console_tty;
}

/*
 * tty_read - read_iter: canonical mode returns at most one line, the '\n'
 * included, or 0 for a ^D on an empty line; otherwise whatever has been
 * typed (at least one byte). Sleeps until there is something; -EAGAIN
 * with O_NONBLOCK, -ERESTARTSYS on a signal, -EFAULT.
 */
static ssize_t tty_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	struct tty_struct *tty = file_tty(f);
	ssize_t done = 0;
	char kbuf[128];
	int err;

	for (;;) {
		unsigned long flags, limit;
		size_t n = 0, want = min(sizeof(kbuf), to->count);
		bool line_end = false, more;

		spin_lock_irqsave(&tty->lock, flags);
		limit = L_ICANON(tty) ? tty->canon_head : tty->read_head;
		while (n < want && tty->read_tail != limit) {
			unsigned long i = tty->read_tail++ & N_TTY_MASK;
			char c = tty->read_buf[i];

			if (tty->read_flags[i / 64] & (1UL << (i % 64))) {
				tty->read_flags[i / 64] &= ~(1UL << (i % 64));
				line_end = true;
				if (c != '\n')
					break;   /* an EOF mark: ends the line, is not data */
				kbuf[n++] = c;
				break;
			}
			kbuf[n++] = c;
		}
		more = tty->read_tail != limit;
		spin_unlock_irqrestore(&tty->lock, flags);

		if (n) {
			size_t copied = copy_to_iter(kbuf, n, to);

			done += copied;
			if (copied < n)   /* the bytes not copied are lost, as in Linux */
				return done ? done : -EFAULT;
		}
		if (line_end || !to->count)
			return done;
		if (n && more)
			continue;
		if (done)
			return done;
		if (READ_ONCE(f->f_flags) & O_NONBLOCK)
			return -EAGAIN;
		err = wait_event_interruptible(tty->read_wait, input_available(tty) > 0);
		if (err)
			return err;
	}
}

/* tty_write - write_iter: everything goes to the device, in 256-byte pieces. */
static ssize_t tty_write(struct file *f, struct iov_iter *from, loff_t *pos)
{
	struct tty_struct *tty = file_tty(f);
	ssize_t done = 0;
	char kbuf[256];

	while (from->count) {
		size_t want = min(sizeof(kbuf), from->count);
		size_t n = copy_from_iter(kbuf, want, from);

		if (n)
			tty->write(kbuf, n);
		done += n;
		if (n < want)
			return done ? done : -EFAULT;
		cond_resched();
	}
	return done;
}

static unsigned int tty_poll(struct file *f, struct poll_table_struct *pt)
{
	struct tty_struct *tty = file_tty(f);
	unsigned int mask = POLLOUT | POLLWRNORM;

	poll_wait(f, &tty->read_wait, pt);
	if (input_available(tty))
		mask |= POLLIN | POLLRDNORM;
	return mask;
}

/*
 * tty_ioctl - the terminal ioctls a C library needs: TCGETS/TCSETS*
 * (the termios; TCSETSF also flushes input), TIOCGWINSZ/TIOCSWINSZ (80x24
 * unless set), TIOCGPGRP (the caller's pid: there is no job control),
 * TIOCSPGRP (accepted), FIONREAD. Anything else -ENOTTY.
 */
static long tty_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct tty_struct *tty = file_tty(f);
	void __user *p = (void __user *)arg;
	struct termios t;
	struct winsize ws;
	unsigned long flags;
	int pgrp;

	switch (cmd) {
	case TCGETS:
		spin_lock_irqsave(&tty->lock, flags);
		t = tty->termios;
		spin_unlock_irqrestore(&tty->lock, flags);
		return copy_to_user(p, &t, sizeof(t)) ? -EFAULT : 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		if (copy_from_user(&t, p, sizeof(t)))
			return -EFAULT;
		spin_lock_irqsave(&tty->lock, flags);
		if (cmd == TCSETSF)
			tty->read_tail = tty->canon_head = tty->read_head;
		tty->termios = t;
		if (!(t.c_lflag & ICANON))
			tty->canon_head = tty->read_head;   /* a half-typed line becomes readable */
		spin_unlock_irqrestore(&tty->lock, flags);
		wake_up(&tty->read_wait);
		return 0;
	case TIOCGWINSZ:
		spin_lock_irqsave(&tty->lock, flags);
		ws = tty->winsize;
		spin_unlock_irqrestore(&tty->lock, flags);
		return copy_to_user(p, &ws, sizeof(ws)) ? -EFAULT : 0;
	case TIOCSWINSZ:
		if (copy_from_user(&ws, p, sizeof(ws)))
			return -EFAULT;
		spin_lock_irqsave(&tty->lock, flags);
		tty->winsize = ws;
		spin_unlock_irqrestore(&tty->lock, flags);
		return 0;
	case TIOCGPGRP:
		return put_user(current->tgid, (int __user *)p);
	case TIOCSPGRP:   /* no job control: accept any group */
		if (get_user(pgrp, (int __user *)p))
			return -EFAULT;
		(void)pgrp;
		return 0;
	case FIONREAD:
		return put_user((int)input_available(tty), (int __user *)p);
	default:
		return -ENOTTY;
	}
}

const struct file_operations console_fops = {
	.read_iter = tty_read,
	.write_iter = tty_write,
	.poll = tty_poll,
	.ioctl = tty_ioctl,
};

/* tty_open_file - an open file on @tty (tests use their own terminals). */
struct file *tty_open_file(struct tty_struct *tty, unsigned int flags)
{
	struct file *f = alloc_file(NULL, flags, &console_fops);

	if (!IS_ERR(f))
		f->private_data = tty;
	return f;
}

/* console_open - /dev/console, as init's stdin, stdout and stderr. ERR_PTR on failure. */
struct file *console_open(unsigned int flags)
{
	struct inode *inode = path_lookup(ramfs_root(), "/dev/console");
	struct file *f;

	if (IS_ERR(inode))
		return ERR_PTR(PTR_ERR(inode));
	f = alloc_file(inode, flags, &console_fops);
	iput(inode);
	return f;
}

/* serial_rx_interrupt - IRQ 4: hand every byte the UART holds to the line discipline. */
static void serial_rx_interrupt(int irq, struct pt_regs *regs)
{
	int c;

	while ((c = serial_getc_nonblock()) >= 0)
		tty_receive_char(&console_tty, (unsigned char)c);
}

/* console_init - the console terminal, and keyboard input by interrupt from now on. */
void console_init(void)
{
	tty_init(&console_tty, console_write);
	request_irq(4, serial_rx_interrupt);
	serial_enable_rx_interrupt();
}
