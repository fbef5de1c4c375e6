/*
 * uffd_signals - signals to tasks waiting in a userfault.
 *
 * Checks:
 *  1. a handled signal (pthread_kill SIGUSR1) to a thread waiting in a
 *     userfault: its handler runs while the page is still missing, then the
 *     access faults again (a second message, same address) and, once
 *     served, completes with the handler's bytes;
 *  2. a blocked signal does not end the wait (no second message, the thread
 *     stays asleep) until the page is served; the handler runs after it
 *     unblocks the signal;
 *  3. SIGKILL ends a process whose only thread waits in a userfault nobody
 *     will serve; so does SIGKILL to a process whose other thread handles;
 *     an unhandled SIGTERM (default action: terminate) ends such a wait too.
 */
#define _GNU_SOURCE
#include "utest.h"
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/userfaultfd.h>

/* ---- userfaultfd helpers (the same block in every uffd_*.c test) -------- */
#pragma GCC diagnostic ignored "-Wunused-function"
#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* userfaultfd(flags), skipping the whole test where the system has none. */
static int uffd_create(int flags)
{
	long fd = syscall(SYS_userfaultfd, flags);

	if (fd < 0 && (errno == ENOSYS || errno == EPERM)) {
		char why[96];
		snprintf(why, sizeof(why), "userfaultfd(%#x) not available here: errno %d (%s)",
			 flags, errno, strerror(errno));
		utest_skip(why);
	}
	REQUIRE(fd >= 0, "userfaultfd(%#x): errno %d (%s)", flags, errno, strerror(errno));
	return (int)fd;
}

/* A new uffd after a successful UFFDIO_API asking for `features`. */
static int uffd_open(int flags, __u64 features, __u64 *avail)
{
	int fd = uffd_create(flags);
	struct uffdio_api api = { .api = UFFD_API, .features = features };

	REQUIRE(ioctl(fd, UFFDIO_API, &api) == 0, "UFFDIO_API(features %#llx): errno %d (%s)",
		(unsigned long long)features, errno, strerror(errno));
	if (avail)
		*avail = api.features;
	return fd;
}

/* The features this kernel reports (UFFDIO_API on a scratch fd). */
static __u64 uffd_features(void)
{
	__u64 f = 0;
	int fd = uffd_open(O_CLOEXEC, 0, &f);

	close(fd);
	return f;
}

static int uffd_register(int fd, void *start, size_t len, __u64 mode, __u64 *ioctls)
{
	struct uffdio_register r = { .range = { (uintptr_t)start, len }, .mode = mode };
	int ret = ioctl(fd, UFFDIO_REGISTER, &r);

	if (ioctls)
		*ioctls = r.ioctls;
	return ret;
}

static int uffd_unregister(int fd, void *start, size_t len)
{
	struct uffdio_range r = { (uintptr_t)start, len };

	return ioctl(fd, UFFDIO_UNREGISTER, &r);
}

/* UFFDIO_COPY; *res gets the copy field (may be NULL). */
static int uffd_copy(int fd, void *dst, const void *src, size_t len, __u64 mode, __s64 *res)
{
	struct uffdio_copy c = { .dst = (uintptr_t)dst, .src = (uintptr_t)src, .len = len,
				 .mode = mode, .copy = 0x5a5a };
	int ret = ioctl(fd, UFFDIO_COPY, &c);

	if (res)
		*res = c.copy;
	return ret;
}

static int uffd_zeropage(int fd, void *dst, size_t len, __u64 mode, __s64 *res)
{
	struct uffdio_zeropage z = { .range = { (uintptr_t)dst, len }, .mode = mode,
				     .zeropage = 0x5a5a };
	int ret = ioctl(fd, UFFDIO_ZEROPAGE, &z);

	if (res)
		*res = z.zeropage;
	return ret;
}

static int uffd_wake(int fd, void *start, size_t len)
{
	struct uffdio_range r = { (uintptr_t)start, len };

	return ioctl(fd, UFFDIO_WAKE, &r);
}

/*
 * Wait up to `ms` for one message on an O_NONBLOCK uffd (poll, then read).
 * Returns 1 with *m filled, 0 if nothing came, -1 on a read error.
 */
static int uffd_wait_msg(int fd, struct uffd_msg *m, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r;

	do
		r = poll(&p, 1, ms);
	while (r == -1 && errno == EINTR);
	if (r <= 0)
		return 0;
	memset(m, 0xee, sizeof(*m));
	ssize_t n = read(fd, m, sizeof(*m));
	if (n == (ssize_t)sizeof(*m))
		return 1;
	if (n == -1 && errno == EAGAIN)
		return 0;
	utest_printf("  read(uffd) returned %zd, errno %d (%s)\n", n, errno, strerror(errno));
	return -1;
}

/* A page-sized anonymous private mapping of `pages` pages. */
static char *map_anon(size_t pages)
{
	void *p = mmap(NULL, pages * PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	REQUIRE(p != MAP_FAILED, "mmap of %zu pages: errno %d", pages, errno);
	return p;
}

/*
 * A thread that touches one address (read or write) and records when it
 * is done: what a "faulting thread" is in these tests.
 */
struct toucher {
	pthread_t thread;
	volatile char *addr;
	int write;          /* 0: read one byte; 1: write `value` */
	char value;
	char seen;          /* what a read saw */
	pid_t tid;
	volatile int started, done;
};

static void *toucher_main(void *arg)
{
	struct toucher *t = arg;

	t->tid = (pid_t)syscall(SYS_gettid);
	__atomic_store_n(&t->started, 1, __ATOMIC_SEQ_CST);
	if (t->write)
		*t->addr = t->value;
	else
		t->seen = *t->addr;
	__atomic_store_n(&t->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void touch_start(struct toucher *t, void *addr, int write, char value)
{
	memset(t, 0, sizeof(*t));
	t->addr = addr;
	t->write = write;
	t->value = value;
	REQUIRE(pthread_create(&t->thread, NULL, toucher_main, t) == 0, "pthread_create");
	while (!__atomic_load_n(&t->started, __ATOMIC_SEQ_CST))
		sched_yield();
}

/* Has the toucher finished within `ms`? */
static int touch_done(struct toucher *t, int ms)
{
	for (int i = 0; i < ms; i++) {
		if (__atomic_load_n(&t->done, __ATOMIC_SEQ_CST))
			return 1;
		msleep(1);
	}
	return __atomic_load_n(&t->done, __ATOMIC_SEQ_CST);
}
/* Join a toucher that is done; leave one that still waits (reported by
 * the caller's CHECK) so that the test goes on. */
static void touch_join(struct toucher *t)
{
	if (touch_done(t, 100))
		pthread_join(t->thread, NULL);
	else
		pthread_detach(t->thread);
}
/* ---- end of the helpers ------------------------------------------------ */

static volatile int usr1_count, usr1_in_fault_thread;
static volatile pid_t fault_tid;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_count++;
	if ((pid_t)syscall(SYS_gettid) == fault_tid)
		usr1_in_fault_thread++;
}

struct sigtoucher {
	char *addr;
	int block_usr1;
	char seen;
	volatile int ready, done;
	pthread_t th;
};

static void *sigtoucher_main(void *arg)
{
	struct sigtoucher *t = arg;
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	pthread_sigmask(t->block_usr1 ? SIG_BLOCK : SIG_UNBLOCK, &s, NULL);
	fault_tid = (pid_t)syscall(SYS_gettid);
	__atomic_store_n(&t->ready, 1, __ATOMIC_SEQ_CST);
	t->seen = *(volatile char *)t->addr;
	if (t->block_usr1)
		pthread_sigmask(SIG_UNBLOCK, &s, NULL);   /* the pending SIGUSR1 runs now */
	__atomic_store_n(&t->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static int wait_flag(volatile int *f, int ms)
{
	for (int i = 0; i < ms && !__atomic_load_n(f, __ATOMIC_SEQ_CST); i++)
		msleep(1);
	return __atomic_load_n(f, __ATOMIC_SEQ_CST);
}

static char src[PAGE_SIZE] __attribute__((aligned(4096)));

static void part_handled(int block)
{
	utest_printf("  %d. %s SIGUSR1 to a thread waiting in a userfault\n", block ? 2 : 1,
		     block ? "a blocked" : "a handled");
	int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, 0, NULL);
	char *a = map_anon(1);
	struct sigaction sa;
	struct uffd_msg m;
	static struct sigtoucher t;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);     /* no SA_RESTART: does not matter for faults */
	usr1_count = usr1_in_fault_thread = 0;
	REQUIRE(uffd_register(fd, a, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0, "REGISTER");
	memset(&t, 0, sizeof(t));
	t.addr = a + 321;
	t.block_usr1 = block;
	REQUIRE(pthread_create(&t.th, NULL, sigtoucher_main, &t) == 0, "pthread_create");
	CHECK(uffd_wait_msg(fd, &m, 2000) == 1 && m.arg.pagefault.address == (uintptr_t)a,
	      "no message for the first fault");
	CHECK(pthread_kill(t.th, SIGUSR1) == 0, "pthread_kill");
	if (!block) {
		CHECK(wait_flag(&usr1_count, 2000), "the handler did not run while the thread "
		      "waited in a userfault");
		CHECK(usr1_in_fault_thread == 1, "the handler ran in another thread");
		int got = uffd_wait_msg(fd, &m, 2000);
		CHECK(got == 1, "no second message after the handler returned (the access should "
		      "fault again)");
		if (got == 1)
			CHECK(m.event == UFFD_EVENT_PAGEFAULT && m.arg.pagefault.address == (uintptr_t)a &&
			      m.arg.pagefault.flags == 0, "second message: event %#x address %#llx "
			      "flags %#llx", m.event, (unsigned long long)m.arg.pagefault.address,
			      (unsigned long long)m.arg.pagefault.flags);
		CHECK(!t.done, "the access completed without the page");
	} else {
		msleep(100);
		CHECK(usr1_count == 0, "a blocked signal ran its handler");
		CHECK(uffd_wait_msg(fd, &m, 0) == 0, "a blocked signal ended the wait (second message)");
		CHECK(!t.done, "a blocked signal ended the wait");
	}
	memset(src, 0x5c, sizeof(src));
	CHECK(uffd_copy(fd, a, src, PAGE_SIZE, 0, NULL) == 0, "COPY: errno %d", errno);
	CHECK(wait_flag(&t.done, 2000), "the thread did not complete its access after COPY");
	if (t.done)
		pthread_join(t.th, NULL);
	else
		pthread_detach(t.th);
	CHECK(t.seen == 0x5c, "the access read %#x, want 0x5c", (unsigned char)t.seen);
	CHECK(usr1_count == 1 && usr1_in_fault_thread == 1, "handler ran %d times (%d in the "
	      "faulting thread), want once", usr1_count, usr1_in_fault_thread);
	CHECK(uffd_wait_msg(fd, &m, 0) == 0, "a message left over");
	signal(SIGUSR1, SIG_DFL);
	munmap(a, PAGE_SIZE);
	close(fd);
}

/* A child waits in a userfault on its own registered page; nobody serves. */
static void part_kill(int sig, int threaded)
{
	utest_printf("  3. %s to a process %s\n", sig == SIGKILL ? "SIGKILL" : "SIGTERM",
		     threaded ? "with one thread waiting in a userfault and one handling" :
				"whose only thread waits in a userfault");
	int p[2];
	REQUIRE(pipe(p) == 0, "pipe");
	pid_t pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, 0, NULL);
		char *a = map_anon(1);
		struct uffd_msg m;
		if (uffd_register(fd, a, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) != 0)
			_exit(2);
		if (threaded) {
			struct toucher t;
			touch_start(&t, a, 1, 1);
			if (uffd_wait_msg(fd, &m, 2000) != 1)
				_exit(3);
			(void)!write(p[1], "w", 1);
			for (;;)
				pause();
		}
		(void)!write(p[1], "w", 1);
		volatile char c = a[0];     /* waits forever */
		(void)c;
		_exit(4);
	}
	char c = 0;
	CHECK(read(p[0], &c, 1) == 1 && c == 'w', "child did not get ready");
	msleep(50);
	int st;
	CHECK(waitpid(pid, &st, WNOHANG) == 0, "the child ended before the signal");
	kill(pid, sig);
	st = utest_wait(pid);
	CHECK_SIGNALED(st, sig, "process waiting in a userfault");
	close(p[0]);
	close(p[1]);
}

int main(int argc, char **argv)
{
	utest_begin("uffd_signals", argc, argv);
	close(uffd_open(O_CLOEXEC, 0, NULL));      /* skips without userfaultfd */
	part_handled(0);
	part_handled(1);
	part_kill(SIGKILL, 0);
	part_kill(SIGKILL, 1);
	part_kill(SIGTERM, 0);
	return utest_done();
}
