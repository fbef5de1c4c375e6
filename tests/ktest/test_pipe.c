/*
 * tests/ktest/test_pipe.c - pipes and poll(): a reader sleeps until a
 * writer writes, end of file when the writers are gone, EPIPE when the
 * readers are, O_NONBLOCK, a write larger than the whole pipe crossing a
 * small reader, PIPE_BUF atomicity, and poll() waking on a pipe. The two
 * sides run in two kernel threads and talk through kernel_read/kernel_write.
 */
#include "tests/ktest/ktest.h"
#include "arch/x86_64/time.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/slab.h"

#define PIPE_CAPACITY (4 * 4096)   /* kernel/pipe.c: PIPE_PAGES pages */

static int pipe_suite_init(void)
{
	if (!ramfs_root())
		vfs_init();
	return 0;
}

struct side {
	struct file *f;
	char *buf;
	size_t n;
	volatile ssize_t result;
	volatile bool done;
};

static int reader_fn(void *arg)
{
	struct side *s = arg;
	loff_t pos = 0;

	s->result = kernel_read(s->f, s->buf, s->n, &pos);
	s->done = true;
	return 0;
}

static int writer_fn(void *arg)
{
	struct side *s = arg;
	loff_t pos = 0;

	s->result = kernel_write(s->f, s->buf, s->n, &pos);
	s->done = true;
	return 0;
}

KTEST(pipe_reader_blocks_until_written)
{
	struct file *p[2];
	char buf[16] = { 0 };
	struct side r = { .buf = buf, .n = sizeof(buf) };
	struct task_struct *t;
	loff_t pos = 0;

	ASSERT_EQ(create_pipe_files(p, 0), 0);
	r.f = p[0];
	t = kthread_run(reader_fn, &r, "kt-pipe-rd");
	ASSERT_NOT_NULL(t);
	msleep(20);
	EXPECT_FALSE(r.done);                         /* asleep on an empty pipe */
	EXPECT_EQ(t->state, TASK_INTERRUPTIBLE);
	EXPECT_EQ(kernel_write(p[1], "hello", 5, &pos), 5);
	kthread_join(t);
	EXPECT_TRUE(r.done);
	EXPECT_EQ(r.result, 5);                       /* what there was, not all 16 */
	EXPECT_STREQ(buf, "hello");
	fput(p[0]);
	fput(p[1]);
}

KTEST(pipe_eof_when_writers_gone)
{
	struct file *p[2];
	char buf[8];
	struct side r = { .buf = buf, .n = sizeof(buf) };
	struct task_struct *t;
	loff_t pos = 0;

	ASSERT_EQ(create_pipe_files(p, 0), 0);
	EXPECT_EQ(kernel_write(p[1], "abc", 3, &pos), 3);
	fput(p[1]);                                   /* the only writer */
	EXPECT_EQ(kernel_read(p[0], buf, sizeof(buf), &pos), 3);   /* data first */
	EXPECT_EQ(kernel_read(p[0], buf, sizeof(buf), &pos), 0);   /* then EOF */
	fput(p[0]);

	/* A reader already asleep is woken by the last close and sees EOF. */
	ASSERT_EQ(create_pipe_files(p, 0), 0);
	r.f = p[0];
	t = kthread_run(reader_fn, &r, "kt-pipe-eof");
	ASSERT_NOT_NULL(t);
	msleep(20);
	EXPECT_FALSE(r.done);
	fput(p[1]);
	kthread_join(t);
	EXPECT_EQ(r.result, 0);
	fput(p[0]);
}

KTEST(pipe_epipe_when_readers_gone)
{
	struct file *p[2];
	struct side w = { .buf = "data", .n = 4 };
	struct task_struct *t;

	ASSERT_EQ(create_pipe_files(p, 0), 0);
	fput(p[0]);
	w.f = p[1];
	/* In a thread of its own: the writer also gets SIGPIPE. */
	t = kthread_run(writer_fn, &w, "kt-pipe-epipe");
	ASSERT_NOT_NULL(t);
	kthread_join(t);
	EXPECT_EQ(w.result, -EPIPE);
	fput(p[1]);
}

KTEST(pipe_big_write_through_small_reads)
{
	const size_t total = 40000;                   /* 2.4 times the pipe */
	struct file *p[2];
	char *src = kmalloc(total, GFP_KERNEL), *dst = kzalloc(total, GFP_KERNEL);
	struct side w = { .buf = src, .n = total };
	struct task_struct *t;
	size_t got = 0;
	int reads = 0;
	loff_t pos = 0;

	ASSERT_NOT_NULL(src);
	ASSERT_NOT_NULL(dst);
	for (size_t i = 0; i < total; i++)
		src[i] = (char)(i % 251);
	ASSERT_EQ(create_pipe_files(p, 0), 0);
	w.f = p[1];
	t = kthread_run(writer_fn, &w, "kt-pipe-big");
	ASSERT_NOT_NULL(t);
	while (got < total) {
		ssize_t n = kernel_read(p[0], dst + got, min((size_t)1000, total - got), &pos);

		if (n <= 0)
			break;
		got += n;
		reads++;
	}
	kthread_join(t);
	EXPECT_EQ(got, total);
	EXPECT_EQ(w.result, total);                   /* the writer blocked, then finished */
	EXPECT_GE(reads, 40);
	EXPECT_EQ(memcmp(src, dst, total), 0);
	fput(p[0]);
	fput(p[1]);
	kfree(src);
	kfree(dst);
}

KTEST(pipe_nonblocking_and_atomic)
{
	struct file *p[2];
	char *big = kzalloc(PIPE_CAPACITY, GFP_KERNEL);
	char c;
	loff_t pos = 0;

	ASSERT_NOT_NULL(big);
	ASSERT_EQ(create_pipe_files(p, O_NONBLOCK), 0);
	EXPECT_EQ(kernel_read(p[0], &c, 1, &pos), -EAGAIN);
	EXPECT_EQ(kernel_write(p[1], big, PIPE_CAPACITY - 100, &pos), PIPE_CAPACITY - 100);
	/* 200 bytes <= PIPE_BUF: all or nothing, so nothing. */
	EXPECT_EQ(kernel_write(p[1], big, 200, &pos), -EAGAIN);
	/* A big write takes what fits. */
	EXPECT_EQ(kernel_write(p[1], big, 8192, &pos), 100);
	EXPECT_EQ(kernel_write(p[1], big, 1, &pos), -EAGAIN);
	EXPECT_EQ(kernel_read(p[0], big, PIPE_CAPACITY, &pos), PIPE_CAPACITY);
	EXPECT_EQ(kernel_read(p[0], big, 1, &pos), -EAGAIN);
	/* Wrong directions. */
	EXPECT_EQ(kernel_write(p[0], "x", 1, &pos), -EBADF);
	EXPECT_EQ(kernel_read(p[1], &c, 1, &pos), -EBADF);
	EXPECT_NULL(p[0]->f_op->llseek);              /* lseek: -ESPIPE */
	EXPECT_TRUE((p[0]->f_inode->i_mode & S_IFMT) == S_IFIFO);
	fput(p[0]);
	fput(p[1]);
	kfree(big);
}

KTEST(pipe_poll_bits)
{
	struct file *p[2];
	loff_t pos = 0;

	ASSERT_EQ(create_pipe_files(p, 0), 0);
	EXPECT_EQ(p[0]->f_op->poll(p[0], NULL), 0);
	EXPECT_EQ(p[1]->f_op->poll(p[1], NULL), POLLOUT | POLLWRNORM);
	EXPECT_EQ(kernel_write(p[1], "x", 1, &pos), 1);
	EXPECT_EQ(p[0]->f_op->poll(p[0], NULL), POLLIN | POLLRDNORM);
	fput(p[1]);
	EXPECT_EQ(p[0]->f_op->poll(p[0], NULL), POLLIN | POLLRDNORM | POLLHUP);
	fput(p[0]);
	ASSERT_EQ(create_pipe_files(p, 0), 0);
	fput(p[0]);
	EXPECT_EQ(p[1]->f_op->poll(p[1], NULL) & POLLERR, POLLERR);
	fput(p[1]);
}

/* ---- poll() over a table of descriptors ---- */

static struct files_struct *saved_files;

/* use_files - give this kernel thread a fresh fd table for the case. */
static struct files_struct *use_files(void)
{
	saved_files = current->files;
	current->files = files_alloc();
	return current->files;
}

static void restore_files(void)
{
	put_files_struct(current->files);   /* closes what the case left open */
	current->files = saved_files;
}

struct delayed_write {
	struct file *f;
	unsigned int ms;
};

static int delayed_writer(void *arg)
{
	struct delayed_write *d = arg;
	loff_t pos = 0;

	msleep(d->ms);
	return (int)kernel_write(d->f, "!", 1, &pos);
}

KTEST(poll_times_out_then_wakes_on_data)
{
	struct file *p[2];
	struct pollfd fds[3];
	struct delayed_write d;
	struct task_struct *t;
	unsigned long j0;
	int rfd, wfd;

	ASSERT_NOT_NULL(use_files());
	ASSERT_EQ(create_pipe_files(p, 0), 0);
	rfd = fd_install_new(p[0], 0);
	wfd = fd_install_new(p[1], 0);
	ASSERT_GE(rfd, 0);
	ASSERT_GE(wfd, 0);

	/* Nothing to read: a 3-tick timeout runs out. */
	fds[0] = (struct pollfd){ .fd = rfd, .events = POLLIN };
	j0 = jiffies;
	EXPECT_EQ(kernel_poll(fds, 1, 3), 0);
	EXPECT_GE(jiffies - j0, 3);
	EXPECT_EQ(fds[0].revents, 0);

	/* No timeout: sleeps until a writer 30 ms later makes it readable. */
	d.f = get_file(p[1]);
	d.ms = 30;
	t = kthread_run(delayed_writer, &d, "kt-poll-wr");
	ASSERT_NOT_NULL(t);
	fds[1] = (struct pollfd){ .fd = 77, .events = POLLIN };     /* not open */
	fds[2] = (struct pollfd){ .fd = -1, .events = POLLIN };     /* ignored */
	j0 = jiffies;
	EXPECT_EQ(kernel_poll(fds, 1, -1), 1);
	EXPECT_EQ(fds[0].revents, POLLIN);
	EXPECT_GE(jiffies - j0, 2);
	EXPECT_EQ(kthread_join(t), 1);
	fput(d.f);

	/* Ready at once; a closed fd is POLLNVAL; the writer asks POLLOUT. */
	fds[1].events = POLLIN;
	EXPECT_EQ(kernel_poll(fds, 3, 0), 2);
	EXPECT_EQ(fds[0].revents, POLLIN);
	EXPECT_EQ(fds[1].revents, POLLNVAL);
	EXPECT_EQ(fds[2].revents, 0);
	fds[0] = (struct pollfd){ .fd = wfd, .events = POLLOUT };
	EXPECT_EQ(kernel_poll(fds, 1, 0), 1);
	EXPECT_EQ(fds[0].revents, POLLOUT);
	restore_files();
}

static struct ktest_case pipe_cases[] = {
	KTEST_CASE(pipe_reader_blocks_until_written),
	KTEST_CASE(pipe_eof_when_writers_gone),
	KTEST_CASE(pipe_epipe_when_readers_gone),
	KTEST_CASE(pipe_big_write_through_small_reads),
	KTEST_CASE(pipe_nonblocking_and_atomic),
	KTEST_CASE(pipe_poll_bits),
	KTEST_CASE(poll_times_out_then_wakes_on_data),
	{}
};

static struct ktest_suite pipe_suite = {
	.name = "pipe",
	.cases = pipe_cases,
	.init = pipe_suite_init,
};
ktest_register_suite(pipe_suite);
