/*
 * tests/ktest/test_tty.c - the terminal line discipline. Typing cannot be
 * automated, so each case makes a terminal of its own whose output (the
 * echo) goes to a buffer, feeds it bytes with tty_receive_char() - what
 * the serial interrupt does for the console - and reads it through an
 * open file, as a process would.
 */
#include "tests/ktest/ktest.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "tests/ktest/ktest_util.h"

static char echo_log[256];
static size_t echo_len;

static void capture(const char *buf, size_t n)
{
	while (n-- && echo_len < sizeof(echo_log) - 1)
		echo_log[echo_len++] = *buf++;
	echo_log[echo_len] = '\0';
}

static int tty_suite_init(void)
{
	if (!ramfs_root())
		vfs_init();
	return 0;
}

static void type(struct tty_struct *tty, const char *s)
{
	while (*s)
		tty_receive_char(tty, (unsigned char)*s++);
}

/* open_test_tty - a fresh terminal and a file on it; the echo log emptied. */
static struct file *open_test_tty(struct ktest *test, struct tty_struct **ttyp)
{
	struct tty_struct *tty = tty_alloc(capture);
	struct file *f;

	ASSERT_NOT_NULL(tty);
	f = tty_open_file(tty, O_RDWR);
	ASSERT_FALSE(IS_ERR(f));
	echo_len = 0;
	echo_log[0] = '\0';
	*ttyp = tty;
	return f;
}

static void close_test_tty(struct file *f, struct tty_struct *tty)
{
	fput(f);
	tty_free(tty);
}

static long read_str(struct file *f, char *buf, size_t n)
{
	loff_t pos = 0;
	long r = kernel_read(f, buf, n, &pos);

	buf[r > 0 ? r : 0] = '\0';
	return r;
}

KTEST(tty_line_editing_and_echo)
{
	struct tty_struct *tty;
	struct file *f = open_test_tty(test, &tty);
	char buf[32];

	type(tty, "ab\x7f" "c\b" "d\r");     /* DEL and BS erase; CR becomes NL */
	EXPECT_EQ(read_str(f, buf, sizeof(buf)), 3);
	EXPECT_STREQ(buf, "ad\n");
	EXPECT_STREQ(echo_log, "ab\b \bc\b \bd\n");
	/* Backspace on an empty line does nothing, not even echo. */
	echo_len = 0;
	type(tty, "\x7fx\x15yz\n");          /* ^U kills "x" */
	EXPECT_EQ(read_str(f, buf, sizeof(buf)), 3);
	EXPECT_STREQ(buf, "yz\n");
	EXPECT_STREQ(echo_log, "x^U\nyz\n");
	/* A control character echoes as ^X and erases as two columns. */
	echo_len = 0;
	type(tty, "\x01\x7f\n");
	EXPECT_STREQ(echo_log, "^A\b \b\b \b\n");
	EXPECT_EQ(read_str(f, buf, sizeof(buf)), 1);
	close_test_tty(f, tty);
}

KTEST(tty_reads_one_line_at_a_time)
{
	struct tty_struct *tty;
	struct file *f = open_test_tty(test, &tty);
	char buf[32];

	type(tty, "one\ntwo\npartial");
	EXPECT_EQ(read_str(f, buf, sizeof(buf)), 4);
	EXPECT_STREQ(buf, "one\n");
	EXPECT_EQ(read_str(f, buf, 2), 2);               /* a short buffer takes a part */
	EXPECT_STREQ(buf, "tw");
	EXPECT_EQ(read_str(f, buf, sizeof(buf)), 2);     /* and the rest of that line */
	EXPECT_STREQ(buf, "o\n");
	/* "partial" is not a line yet: a non-blocking read finds nothing. */
	f->f_flags |= O_NONBLOCK;
	EXPECT_EQ(read_str(f, buf, sizeof(buf)), -EAGAIN);
	EXPECT_EQ(f->f_op->poll(f, NULL), POLLOUT | POLLWRNORM);
	type(tty, "\n");
	EXPECT_EQ(f->f_op->poll(f, NULL), POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM);
	EXPECT_EQ(read_str(f, buf, sizeof(buf)), 8);
	EXPECT_STREQ(buf, "partial\n");
	close_test_tty(f, tty);
}

KTEST(tty_ctrl_d_is_eof_at_line_start)
{
	struct tty_struct *tty;
	struct file *f = open_test_tty(test, &tty);
	char buf[32];

	type(tty, "\x04");
	EXPECT_EQ(read_str(f, buf, sizeof(buf)), 0);     /* end of file */
	type(tty, "xy\x04");
	EXPECT_EQ(read_str(f, buf, sizeof(buf)), 2);     /* the line, without a newline */
	EXPECT_STREQ(buf, "xy");
	EXPECT_STREQ(echo_log, "xy");                    /* ^D itself is not echoed */
	close_test_tty(f, tty);
}

KTEST(tty_ctrl_c_discards_input)
{
	struct tty_struct *tty;
	struct file *f = open_test_tty(test, &tty);
	char buf[32];

	type(tty, "done\nabc\x03" "d\n");   /* ^C: SIGINT to console users, input flushed */
	EXPECT_STREQ(echo_log, "done\nabc^C\nd\n");
	EXPECT_EQ(read_str(f, buf, sizeof(buf)), 2);
	EXPECT_STREQ(buf, "d\n");
	close_test_tty(f, tty);
}

struct tty_reader {
	struct file *f;
	char buf[32];
	volatile long result;
};

static int tty_reader_fn(void *arg)
{
	struct tty_reader *r = arg;

	r->result = read_str(r->f, r->buf, sizeof(r->buf));
	return 0;
}

KTEST(tty_read_blocks_until_enter)
{
	struct tty_struct *tty;
	struct file *f = open_test_tty(test, &tty);
	struct tty_reader r = { .f = f, .result = -1 };
	struct task_struct *t = kthread_run(tty_reader_fn, &r, "kt-tty-rd");

	ASSERT_NOT_NULL(t);
	msleep(20);
	type(tty, "hi");
	msleep(20);
	EXPECT_EQ(r.result, -1);                          /* no line yet: still asleep */
	EXPECT_EQ(t->state, TASK_INTERRUPTIBLE);
	type(tty, "\r");
	kthread_join(t);
	EXPECT_EQ(r.result, 3);
	EXPECT_STREQ(r.buf, "hi\n");
	close_test_tty(f, tty);
}

KTEST(tty_write_goes_to_device)
{
	struct tty_struct *tty;
	struct file *f = open_test_tty(test, &tty);
	loff_t pos = 0;

	EXPECT_EQ(kernel_write(f, "out\n", 4, &pos), 4);
	EXPECT_STREQ(echo_log, "out\n");
	close_test_tty(f, tty);
}

#define TCGETS     0x5401
#define TCSETS     0x5402
#define TIOCGPGRP  0x540F
#define TIOCGWINSZ 0x5413

KTEST(tty_ioctls)
{
	struct tty_struct *tty;
	struct file *f = open_test_tty(test, &tty);
	struct ktest_mapping m;
	u32 *t;   /* struct termios: iflag, oflag, cflag, lflag, line, cc[19] */
	u16 *ws;
	char buf[8];

	ASSERT_EQ(ktest_map(&m, KTEST_UVA(0), PAGE_SHARED, 0), 0);
	t = page_address(m.page);
	ws = (u16 *)((char *)page_address(m.page) + 256);
	EXPECT_EQ(f->f_op->ioctl(f, TCGETS, m.va), 0);
	EXPECT_EQ(t[3] & 0xb, 0xb);                       /* ISIG | ICANON | ECHO */
	EXPECT_EQ(t[0] & 0400, 0400);                     /* ICRNL */
	EXPECT_EQ(((u8 *)t)[17 + 4], 4);                  /* c_cc[VEOF] = ^D */
	EXPECT_EQ(f->f_op->ioctl(f, TIOCGWINSZ, m.va + 256), 0);
	EXPECT_EQ(ws[0], 24);
	EXPECT_EQ(ws[1], 80);
	EXPECT_EQ(f->f_op->ioctl(f, TIOCGPGRP, m.va + 512), 0);
	EXPECT_EQ(*(int *)((char *)page_address(m.page) + 512), current->tgid);
	EXPECT_EQ(f->f_op->ioctl(f, 0x1234, m.va), -ENOTTY);
	EXPECT_EQ(f->f_op->ioctl(f, TCGETS, 0), -EFAULT);

	/* Raw mode, no echo: each byte is readable at once. */
	t[3] &= ~0xaU;                                    /* ~(ICANON | ECHO) */
	EXPECT_EQ(f->f_op->ioctl(f, TCSETS, m.va), 0);
	type(tty, "q");
	EXPECT_EQ(read_str(f, buf, sizeof(buf)), 1);
	EXPECT_STREQ(buf, "q");
	EXPECT_STREQ(echo_log, "");
	ktest_unmap(&m);
	close_test_tty(f, tty);
}

static struct ktest_case tty_cases[] = {
	KTEST_CASE(tty_line_editing_and_echo),
	KTEST_CASE(tty_reads_one_line_at_a_time),
	KTEST_CASE(tty_ctrl_d_is_eof_at_line_start),
	KTEST_CASE(tty_ctrl_c_discards_input),
	KTEST_CASE(tty_read_blocks_until_enter),
	KTEST_CASE(tty_write_goes_to_device),
	KTEST_CASE(tty_ioctls),
	{}
};

static struct ktest_suite tty_suite = {
	.name = "tty",
	.cases = tty_cases,
	.init = tty_suite_init,
};
ktest_register_suite(tty_suite);
