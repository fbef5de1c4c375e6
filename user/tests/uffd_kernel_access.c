/*
 * uffd_kernel_access - the kernel's own accesses (copy_to_user /
 * copy_from_user) to registered missing pages.
 *
 * Checks:
 *  1. read(pipe, buf) into a registered missing page: the syscall waits, the
 *     message says WRITE and the page address; after COPY it completes with
 *     all bytes, which overwrite the COPYed page only where they landed;
 *  2. write(pipe, buf) from a missing page: message flags 0 (a read); after
 *     COPY the pipe carries the COPYed bytes;
 *  3. clock_gettime (the raw syscall, not the vDSO) into a missing page:
 *     waits, then completes;
 *  4. UFFD_USER_MODE_ONLY: the same read() and write() fail at once with
 *     EFAULT and queue no message; a user-mode access still waits and is
 *     reported;
 *  5. UFFD_FEATURE_SIGBUS: a kernel access fails with EFAULT and sends no
 *     SIGBUS.
 */
#define _GNU_SOURCE
#include "uffd_util.h"

enum { OP_READ, OP_WRITE, OP_CLOCK };

struct caller {
	int op, fd;
	void *buf;
	size_t len;
	long ret;
	int err;
	volatile int done;
	pthread_t th;
};

static void *caller_main(void *arg)
{
	struct caller *c = arg;
	errno = 0;
	if (c->op == OP_READ)
		c->ret = read(c->fd, c->buf, c->len);
	else if (c->op == OP_WRITE)
		c->ret = write(c->fd, c->buf, c->len);
	else
		c->ret = syscall(SYS_clock_gettime, CLOCK_MONOTONIC, c->buf);
	c->err = errno;
	__atomic_store_n(&c->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void call_start(struct caller *c, int op, int fd, void *buf, size_t len)
{
	memset(c, 0, sizeof(*c));
	c->op = op;
	c->fd = fd;
	c->buf = buf;
	c->len = len;
	REQUIRE(pthread_create(&c->th, NULL, caller_main, c) == 0, "pthread_create");
}

static int call_done(struct caller *c, int ms)
{
	for (int i = 0; i < ms && !__atomic_load_n(&c->done, __ATOMIC_SEQ_CST); i++)
		msleep(1);
	if (__atomic_load_n(&c->done, __ATOMIC_SEQ_CST)) {
		pthread_join(c->th, NULL);
		return 1;
	}
	return 0;
}

static char src[PAGE_SIZE] __attribute__((aligned(4096)));

static void part_blocking(void)
{
	utest_printf("  1-3. kernel accesses wait for the handler\n");
	int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, 0, NULL);
	char *a = map_anon(3);
	char data[100];
	int p[2];
	struct caller c;

	REQUIRE(pipe(p) == 0, "pipe");
	REQUIRE(uffd_register(fd, a, 3 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0, "REGISTER");
	for (int i = 0; i < 100; i++)
		data[i] = (char)(i * 3 + 1);
	REQUIRE(write(p[1], data, 100) == 100, "write to the pipe");

	/* 1. read() into a missing page */
	call_start(&c, OP_READ, p[0], a + 10, 100);
	expect_msg(fd, a, UFFD_PAGEFAULT_FLAG_WRITE, "read(pipe) into a missing page");
	msleep(50);
	CHECK(!c.done, "read() into a missing page did not wait (returned %ld errno %d)", c.ret, c.err);
	memset(src, 'k', PAGE_SIZE);
	CHECK(uffd_copy(fd, a, src, PAGE_SIZE, 0, NULL) == 0, "COPY: errno %d", errno);
	CHECK(call_done(&c, 2000), "read() did not complete after COPY");
	CHECK(c.ret == 100, "read() returned %ld errno %d (%s), want 100", c.ret, c.err,
	      strerror(c.err));
	CHECK(memcmp(a + 10, data, 100) == 0, "read() did not deliver the pipe's bytes");
	CHECK(a[9] == 'k' && a[110] == 'k' && a[PAGE_SIZE - 1] == 'k', "the COPYed bytes around "
	      "the read's target changed: %#x %#x", a[9], a[110]);

	/* 2. write() from a missing page */
	call_start(&c, OP_WRITE, p[1], a + PAGE_SIZE + 20, 50);
	expect_msg(fd, a + PAGE_SIZE, 0, "write(pipe) from a missing page");
	msleep(50);
	CHECK(!c.done, "write() from a missing page did not wait (returned %ld)", c.ret);
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		src[i] = (char)(i * 5 + 2);
	CHECK(uffd_copy(fd, a + PAGE_SIZE, src, PAGE_SIZE, 0, NULL) == 0, "COPY: errno %d", errno);
	CHECK(call_done(&c, 2000), "write() did not complete after COPY");
	CHECK(c.ret == 50, "write() returned %ld errno %d, want 50", c.ret, c.err);
	char got[50];
	CHECK(read(p[0], got, 50) == 50 && memcmp(got, src + 20, 50) == 0,
	      "the pipe does not carry the COPYed bytes");

	/* 3. clock_gettime */
	call_start(&c, OP_CLOCK, 0, a + 2 * PAGE_SIZE + 64, 0);
	expect_msg(fd, a + 2 * PAGE_SIZE, UFFD_PAGEFAULT_FLAG_WRITE, "clock_gettime into a missing page");
	CHECK(uffd_zeropage(fd, a + 2 * PAGE_SIZE, PAGE_SIZE, 0, NULL) == 0, "ZEROPAGE: errno %d", errno);
	CHECK(call_done(&c, 2000), "clock_gettime did not complete after ZEROPAGE");
	struct timespec *ts = (struct timespec *)(a + 2 * PAGE_SIZE + 64);
	CHECK(c.ret == 0 && (ts->tv_sec > 0 || ts->tv_nsec > 0), "clock_gettime: %ld errno %d, "
	      "time %ld.%09ld", c.ret, c.err, (long)ts->tv_sec, ts->tv_nsec);
	struct uffd_msg m;
	CHECK(uffd_wait_msg(fd, &m, 0) == 0, "a message left over");
	close(p[0]);
	close(p[1]);
	munmap(a, 3 * PAGE_SIZE);
	close(fd);
}

static void part_user_mode_only(void)
{
	utest_printf("  4. UFFD_USER_MODE_ONLY\n");
	int fd = uffd_open(O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY, 0, NULL);
	char *a = map_anon(2);
	int p[2];
	struct caller c;
	struct uffd_msg m;

	REQUIRE(pipe(p) == 0, "pipe");
	REQUIRE(uffd_register(fd, a, 2 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0, "REGISTER");
	REQUIRE(write(p[1], "0123456789", 10) == 10, "write");
	call_start(&c, OP_READ, p[0], a + 10, 10);
	int done = call_done(&c, 2000);
	CHECK(done, "read() into a missing page with UFFD_USER_MODE_ONLY waited");
	if (done)
		CHECK(c.ret == -1 && c.err == EFAULT, "read() with UFFD_USER_MODE_ONLY: %ld errno %d "
		      "(%s), want -1/EFAULT", c.ret, c.err, strerror(c.err));
	call_start(&c, OP_WRITE, p[1], a + 10, 10);
	done = call_done(&c, 2000);
	CHECK(done, "write() from a missing page with UFFD_USER_MODE_ONLY waited");
	if (done)
		CHECK(c.ret == -1 && c.err == EFAULT, "write() with UFFD_USER_MODE_ONLY: %ld errno %d, "
		      "want -1/EFAULT", c.ret, c.err);
	CHECK(uffd_wait_msg(fd, &m, 0) == 0, "kernel accesses with UFFD_USER_MODE_ONLY were "
	      "reported (address %#llx)", (unsigned long long)m.arg.pagefault.address);
	if (!done)     /* release a stuck caller */
		uffd_zeropage(fd, a, PAGE_SIZE, 0, NULL);

	/* a user-mode access still waits for the handler */
	struct toucher t;
	touch_start(&t, a + PAGE_SIZE + 1, 0, 0);
	expect_msg(fd, a + PAGE_SIZE, 0, "user-mode read with UFFD_USER_MODE_ONLY");
	msleep(30);
	CHECK(!t.done, "a user-mode access with UFFD_USER_MODE_ONLY did not wait");
	memset(src, 'u', PAGE_SIZE);
	CHECK(uffd_copy(fd, a + PAGE_SIZE, src, PAGE_SIZE, 0, NULL) == 0, "COPY: errno %d", errno);
	CHECK(touch_done(&t, 2000) && t.seen == 'u', "user-mode reader: done %d saw %#x", t.done,
	      t.seen);
	touch_join(&t);
	close(p[0]);
	close(p[1]);
	munmap(a, 2 * PAGE_SIZE);
	close(fd);
}

static void sigbus_kernel_child(void *arg)
{
	(void)arg;
	int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, UFFD_FEATURE_SIGBUS, NULL);
	char *a = map_anon(1);
	int p[2];

	REQUIRE(pipe(p) == 0, "pipe");
	REQUIRE(uffd_register(fd, a, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0, "REGISTER");
	REQUIRE(write(p[1], "abc", 3) == 3, "write");
	CHECK_ERR(read(p[0], a, 3), EFAULT);
	CHECK_ERR(write(p[1], a + 100, 3), EFAULT);
	struct uffd_msg m;
	CHECK(uffd_wait_msg(fd, &m, 0) == 0, "a message in SIGBUS mode");
}

static void part_sigbus(__u64 feat)
{
	if (!(feat & UFFD_FEATURE_SIGBUS)) {
		utest_printf("  5. UFFD_FEATURE_SIGBUS not reported: skipped\n");
		return;
	}
	utest_printf("  5. UFFD_FEATURE_SIGBUS and kernel accesses\n");
	int st = utest_in_child(sigbus_kernel_child, NULL);
	CHECK_EXITED(st, 0, "kernel accesses in SIGBUS mode (EFAULT, no signal)");
}

int main(int argc, char **argv)
{
	utest_begin("uffd_kernel_access", argc, argv);
	__u64 feat = uffd_features();
	part_blocking();
	part_user_mode_only();
	part_sigbus(feat);
	return utest_done();
}
