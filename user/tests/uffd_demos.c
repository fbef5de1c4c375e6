/*
 * uffd_demos - run the two userfaultfd demos of /bin as a selftest.
 *
 * Checks:
 *  1. uffd-demo 3: exits 0, says "3 faults handled for 3 pages; every byte
 *     as copied", one handler line per page, each before the main thread's
 *     reads of that page;
 *  2. lazymem 24 3: exits 0; 16 of 24 pages touched, 16 faults, 16 pages
 *     fetched, 65536 bytes moved, 8 never moved; the server sent 16 pages.
 * Their output is shown as diagnostics.
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

/* Run a program with its stdout+stderr in a pipe; return the wait status. */
static int run(const char *path, char *const argv[], char *out, size_t outsz)
{
	int p[2];
	size_t got = 0;

	REQUIRE(pipe(p) == 0, "pipe");
	pid_t pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		execv(path, argv);
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		struct pollfd pf = { .fd = p[0], .events = POLLIN };
		if (poll(&pf, 1, 10000) != 1) {
			CHECK(0, "%s: no output for 10 s", path);
			kill(pid, SIGKILL);
			break;
		}
		ssize_t n = read(p[0], out + got, outsz - 1 - got);
		if (n <= 0)
			break;
		got += n;
		if (got == outsz - 1)
			break;
	}
	out[got] = 0;
	close(p[0]);
	/* show it */
	for (char *line = out, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl) {
			utest_printf("  | %s\n", line);
			break;
		}
		utest_printf("  | %.*s\n", (int)(nl - line), line);
	}
	return utest_wait(pid);
}

int main(int argc, char **argv)
{
	static char out[16384];
	char path[4096];

	utest_begin("uffd_demos", argc, argv);
	close(uffd_open(O_CLOEXEC, 0, NULL));      /* skips without userfaultfd */

	snprintf(path, sizeof(path), "%s", utest_path("/bin/uffd-demo"));
	char *a1[] = { "uffd-demo", "3", NULL };
	int st = run(path, a1, out, sizeof(out));
	CHECK_EXITED(st, 0, "uffd-demo 3");
	CHECK(strstr(out, "uffd-demo: 3 faults handled for 3 pages; every byte as copied") != NULL,
	      "uffd-demo: summary line missing");
	int order_ok = 1;
	for (int i = 0; i < 3; i++) {
		char h[64], m[64];
		snprintf(h, sizeof(h), "handler: fault #%d at", i + 1);
		snprintf(m, sizeof(m), "main: page %d offset    0 reads '%c'", i, 'A' + i);
		char *ph = strstr(out, h), *pm = strstr(out, m);
		if (!ph || !pm || ph > pm)
			order_ok = 0;
	}
	CHECK(order_ok, "uffd-demo: a handler line per page, before the main thread's reads");

	snprintf(path, sizeof(path), "%s", utest_path("/bin/lazymem"));
	char *a2[] = { "lazymem", "24", "3", NULL };
	st = run(path, a2, out, sizeof(out));
	CHECK_EXITED(st, 0, "lazymem 24 3");
	CHECK(strstr(out, "client: touched 16 of 24 pages: 16 faults, 16 pages fetched, 65536 bytes "
		      "moved, 8 pages never moved") != NULL, "lazymem: client summary missing");
	CHECK(strstr(out, "server: request pipe closed; sent 16 of 24 pages (65536 bytes)") != NULL,
	      "lazymem: server summary missing");
	CHECK(strstr(out, "lazymem: every touched page holds the server's bytes") != NULL,
	      "lazymem: verdict missing");
	return utest_done();
}
