/*
 * uffd_util.h - the userfaultfd helpers shared by the uffd_*.c tests in
 * user/tests/ (on top of utest.h, which it includes).
 *
 * Use (a test that wants the GNU extensions defines _GNU_SOURCE first):
 *
 *     #define _GNU_SOURCE
 *     #include "uffd_util.h"
 *
 *     int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, 0, NULL);
 *     char *p = map_anon(1);
 *     REQUIRE(uffd_register(fd, p, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING,
 *                           NULL) == 0, "register");
 *     struct toucher t;
 *     touch_start(&t, p, 0, 0);             (a thread faults on p)
 *     expect_msg(fd, p, 0, "first read");   (the handler sees it)
 *     uffd_copy(fd, p, src, PAGE_SIZE, 0, NULL);
 *     CHECK(touch_done(&t, 1000), "...");
 *     touch_join(&t);
 *
 * The thin ioctl wrappers return what ioctl() returned (errno set as it
 * left it), so a test checks them with CHECK/CHECK_ERR itself; uffd_create,
 * uffd_open and map_anon REQUIRE success (uffd_create skips the test, exit
 * 77, where the system has no userfaultfd).
 */
#ifndef UFFD_UTIL_H
#define UFFD_UTIL_H

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

/* userfaultfd(2)'s own flag; older uapi headers lack it. */
#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif

/* Sleep `ms` milliseconds (nanosleep, resumed after a signal). */
__attribute__((unused))
static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* userfaultfd(flags), skipping the whole test where the system has none. */
__attribute__((unused))
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
__attribute__((unused))
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
__attribute__((unused))
static __u64 uffd_features(void)
{
	__u64 f = 0;
	int fd = uffd_open(O_CLOEXEC, 0, &f);

	close(fd);
	return f;
}

/*
 * A new O_NONBLOCK|O_CLOEXEC uffd with UFFD_FEATURE_EVENT_FORK (and
 * `more`), or -1 where this process cannot have it: not in the reported
 * features `feat`, or EPERM (Linux wants CAP_SYS_PTRACE). Part `part` of
 * the test says it skips.
 */
__attribute__((unused))
static int uffd_open_event_fork(__u64 feat, __u64 more, const char *part)
{
	if (!(feat & UFFD_FEATURE_EVENT_FORK)) {
		utest_printf("  %s. UFFD_FEATURE_EVENT_FORK not reported: skipped\n", part);
		return -1;
	}
	int fd = uffd_create(O_CLOEXEC | O_NONBLOCK);
	struct uffdio_api api = { .api = UFFD_API, .features = UFFD_FEATURE_EVENT_FORK | more };

	if (ioctl(fd, UFFDIO_API, &api) != 0) {
		CHECK(errno == EPERM, "UFFDIO_API(EVENT_FORK), reported: errno %d", errno);
		utest_printf("  %s. EVENT_FORK needs CAP_SYS_PTRACE here: skipped\n", part);
		close(fd);
		return -1;
	}
	return fd;
}

/* UFFDIO_REGISTER of [start, start+len); *ioctls gets the ioctls offered
 * (may be NULL). Returns what ioctl() returned. */
__attribute__((unused))
static int uffd_register(int fd, void *start, size_t len, __u64 mode, __u64 *ioctls)
{
	struct uffdio_register r = { .range = { (uintptr_t)start, len }, .mode = mode };
	int ret = ioctl(fd, UFFDIO_REGISTER, &r);

	if (ioctls)
		*ioctls = r.ioctls;
	return ret;
}

/* UFFDIO_UNREGISTER of [start, start+len). */
__attribute__((unused))
static int uffd_unregister(int fd, void *start, size_t len)
{
	struct uffdio_range r = { (uintptr_t)start, len };

	return ioctl(fd, UFFDIO_UNREGISTER, &r);
}

/* UFFDIO_COPY; *res gets the copy field (may be NULL). */
__attribute__((unused))
static int uffd_copy(int fd, void *dst, const void *src, size_t len, __u64 mode, __s64 *res)
{
	struct uffdio_copy c = { .dst = (uintptr_t)dst, .src = (uintptr_t)src, .len = len,
				 .mode = mode, .copy = 0x5a5a };
	int ret = ioctl(fd, UFFDIO_COPY, &c);

	if (res)
		*res = c.copy;
	return ret;
}

/* UFFDIO_ZEROPAGE; *res gets the zeropage field (may be NULL). */
__attribute__((unused))
static int uffd_zeropage(int fd, void *dst, size_t len, __u64 mode, __s64 *res)
{
	struct uffdio_zeropage z = { .range = { (uintptr_t)dst, len }, .mode = mode,
				     .zeropage = 0x5a5a };
	int ret = ioctl(fd, UFFDIO_ZEROPAGE, &z);

	if (res)
		*res = z.zeropage;
	return ret;
}

/* UFFDIO_WRITEPROTECT of [start, start+len) with `mode` (UFFDIO_WRITEPROTECT_MODE_*). */
__attribute__((unused))
static int uffd_writeprotect(int fd, void *start, size_t len, __u64 mode)
{
	struct uffdio_writeprotect w = { .range = { (uintptr_t)start, len }, .mode = mode };

	return ioctl(fd, UFFDIO_WRITEPROTECT, &w);
}

/*
 * Fill the first `filled` of the `pages` pages at `a` with 'a', 'b', ...,
 * register them all with MODE_WP (WRITEPROTECT must be offered) and
 * write-protect them; reading the filled pages back needs no handler.
 */
__attribute__((unused))
static void wp_fill_and_protect(int fd, char *a, size_t pages, size_t filled)
{
	__u64 ioctls = 0;
	int bad = 0;

	for (size_t i = 0; i < filled; i++)
		memset(a + i * PAGE_SIZE, 'a' + (int)i, PAGE_SIZE);
	REQUIRE(uffd_register(fd, a, pages * PAGE_SIZE, UFFDIO_REGISTER_MODE_WP, &ioctls) == 0,
		"REGISTER MODE_WP: errno %d (%s)", errno, strerror(errno));
	CHECK(ioctls & (1ULL << _UFFDIO_WRITEPROTECT), "ioctls %#llx lack WRITEPROTECT",
	      (unsigned long long)ioctls);
	CHECK(uffd_writeprotect(fd, a, pages * PAGE_SIZE, UFFDIO_WRITEPROTECT_MODE_WP) == 0,
	      "WRITEPROTECT(WP): errno %d (%s)", errno, strerror(errno));
	for (size_t i = 0; i < filled; i++)
		bad += ((volatile char *)a)[i * PAGE_SIZE + 9] != 'a' + (int)i;
	CHECK(bad == 0, "protected pages read wrong (%d)", bad);
}

/* UFFDIO_WAKE of the threads waiting in [start, start+len). */
__attribute__((unused))
static int uffd_wake(int fd, void *start, size_t len)
{
	struct uffdio_range r = { (uintptr_t)start, len };

	return ioctl(fd, UFFDIO_WAKE, &r);
}

/*
 * Wait up to `ms` for one message on an O_NONBLOCK uffd (poll, then read).
 * Returns 1 with *m filled, 0 if nothing came, -1 on a read error.
 */
__attribute__((unused))
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
__attribute__((unused))
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

/* The toucher thread: note its tid, touch, say done. */
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

/* Start a toucher on `addr` and wait until its thread runs. */
__attribute__((unused))
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
__attribute__((unused))
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
__attribute__((unused))
static void touch_join(struct toucher *t)
{
	if (touch_done(t, 100))
		pthread_join(t->thread, NULL);
	else
		pthread_detach(t->thread);
}

/*
 * Wait (up to 2 s) for one message on `fd` and check that it is the
 * page fault at `addr` with exactly `flags`; `what` names the step.
 */
__attribute__((unused))
static void expect_msg(int fd, void *addr, __u64 flags, const char *what)
{
	struct uffd_msg m;
	int got = uffd_wait_msg(fd, &m, 2000);
	CHECK(got == 1, "%s: no message", what);
	if (got == 1)
		CHECK(m.event == UFFD_EVENT_PAGEFAULT && m.arg.pagefault.address == (uintptr_t)addr &&
		      m.arg.pagefault.flags == flags, "%s: event %#x address %#llx flags %#llx, want "
		      "PAGEFAULT %p flags %#llx", what, m.event,
		      (unsigned long long)m.arg.pagefault.address,
		      (unsigned long long)m.arg.pagefault.flags, addr, (unsigned long long)flags);
}

/*
 * Wait up to `ms` for the child `pid`; one that has not finished by then
 * (asleep in a userfault, say) fails the check named `what` and is
 * killed. Returns its wait status.
 */
__attribute__((unused))
static int wait_child(pid_t pid, int ms, const char *what)
{
	int st = -1;

	for (int i = 0; i < ms; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return st;
		msleep(1);
	}
	CHECK(0, "%s: the child did not finish in %d ms (waiting in a userfault?)", what, ms);
	kill(pid, SIGKILL);
	return utest_wait(pid);
}

/* Are the `n` bytes at `p` all zero? */
__attribute__((unused))
static int all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		if (c[i])
			return 0;
	return 1;
}

#endif /* UFFD_UTIL_H */
