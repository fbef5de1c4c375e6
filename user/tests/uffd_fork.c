/*
 * uffd_fork - fork() of a process with registered ranges.
 *
 * Checks:
 *  1. without UFFD_FEATURE_EVENT_FORK the child's copy of the range is not
 *     registered: it reads the page the parent had COPYed, its missing
 *     pages read as zeros and take writes without waiting, and nothing is
 *     queued on the uffd (parent's or the inherited one); the parent's
 *     registration is intact (its own fault is still reported);
 *  2. with EVENT_FORK (skipped if not reported): while the FORK event is
 *     unread the fork does not return (the monitor delays its read by
 *     200 ms) and COPY into the parent's range is -1/EAGAIN (copy field
 *     -EAGAIN); the monitor reads a FORK message (unused bytes zero) whose
 *     ufd is a new, initialised uffd with the same O_NONBLOCK/FD_CLOEXEC;
 *     the child's faults come on that fd (not on the parent's) and a COPY
 *     through it serves the child; the child sees the parent's COPYed page;
 *     the parent's own faults still go to the parent's fd;
 *  3. with EVENT_FORK and nobody reading, fork() waits (150 ms) and SIGKILL
 *     ends the waiting process.
 */
#define _GNU_SOURCE
#include "uffd_util.h"

static char src[PAGE_SIZE] __attribute__((aligned(4096)));

static void part_no_event(void)
{
	utest_printf("  1. fork without EVENT_FORK\n");
	int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, 0, NULL);
	char *a = map_anon(4);
	struct uffd_msg m;

	REQUIRE(uffd_register(fd, a, 4 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0, "REGISTER");
	memset(src, 'P', PAGE_SIZE);
	REQUIRE(uffd_copy(fd, a, src, PAGE_SIZE, 0, NULL) == 0, "COPY");
	pid_t pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		CHECK(a[0] == 'P' && a[PAGE_SIZE - 1] == 'P', "child: the COPYed page reads %c", a[0]);
		CHECK(all_zero(a + PAGE_SIZE, PAGE_SIZE), "child: a missing page is not zero");
		a[2 * PAGE_SIZE + 3] = 'c';
		CHECK(a[2 * PAGE_SIZE + 3] == 'c', "child: write lost");
		CHECK_ERR(read(fd, &m, sizeof(m)), EAGAIN);
		utest_child_exit();
	}
	int st = wait_child(pid, 3000, "fork without EVENT_FORK");
	CHECK_EXITED(st, 0, "child touching its unregistered copy of the range");
	CHECK(uffd_wait_msg(fd, &m, 0) == 0, "the child's faults were reported to the parent's uffd "
	      "(address %#llx)", (unsigned long long)m.arg.pagefault.address);
	struct toucher t;
	touch_start(&t, a + PAGE_SIZE, 0, 0);
	CHECK(uffd_wait_msg(fd, &m, 2000) == 1 && m.arg.pagefault.address == (uintptr_t)(a + PAGE_SIZE),
	      "the parent's fault is no longer reported after the fork");
	CHECK(uffd_zeropage(fd, a + PAGE_SIZE, PAGE_SIZE, 0, NULL) == 0, "ZEROPAGE: errno %d", errno);
	CHECK(touch_done(&t, 2000), "parent's reader not released");
	touch_join(&t);
	munmap(a, 4 * PAGE_SIZE);
	close(fd);
}

/* ---- 2. EVENT_FORK ------------------------------------------------------- */
struct monitor {
	int fd;
	char *a;
	volatile int stop;
	int newfd;
	struct uffd_msg fork_msg;
	int copy_while_pending, copy_errno;
	__s64 copy_res;
	int old_msgs, new_msgs, new_copy_errors;
	struct uffd_msg last_new;
	pthread_t th;
};

static void *monitor_main(void *arg)
{
	static char csrc[PAGE_SIZE] __attribute__((aligned(4096)));
	struct monitor *mo = arg;
	struct pollfd p = { .fd = mo->fd, .events = POLLIN };
	struct uffd_msg m;

	/* the FORK event */
	while (!mo->stop && poll(&p, 1, 20) != 1)
		;
	if (mo->stop)
		return NULL;
	/* an event is pending: COPY into the parent's range must be refused */
	memset(csrc, 'x', PAGE_SIZE);
	errno = 0;
	mo->copy_res = 0;
	mo->copy_while_pending = uffd_copy(mo->fd, mo->a + 3 * PAGE_SIZE, csrc, PAGE_SIZE, 0,
					   &mo->copy_res);
	mo->copy_errno = errno;
	msleep(200);                /* the forking parent waits meanwhile */
	if (read(mo->fd, &m, sizeof(m)) != sizeof(m))
		return NULL;
	mo->fork_msg = m;
	if (m.event != UFFD_EVENT_FORK)
		return NULL;
	__atomic_store_n(&mo->newfd, (int)m.arg.fork.ufd, __ATOMIC_SEQ_CST);
	/* serve the child through the new fd; count anything on the old one */
	memset(csrc, 'C', PAGE_SIZE);
	while (!__atomic_load_n(&mo->stop, __ATOMIC_SEQ_CST)) {
		if (uffd_wait_msg(mo->fd, &m, 0) == 1)
			mo->old_msgs++;
		if (uffd_wait_msg(mo->newfd, &m, 10) != 1)
			continue;
		mo->new_msgs++;
		mo->last_new = m;
		if (uffd_copy(mo->newfd, (void *)(uintptr_t)(m.arg.pagefault.address & ~(PAGE_SIZE - 1)),
			      csrc, PAGE_SIZE, 0, NULL) != 0)
			mo->new_copy_errors++;
	}
	return NULL;
}

static void part_event_fork(__u64 feat)
{
	int fd = uffd_open_event_fork(feat, 0, "2");
	if (fd < 0)
		return;
	utest_printf("  2. fork with EVENT_FORK\n");
	char *a = map_anon(4);
	static struct monitor mo;
	struct timespec t0, t1;

	REQUIRE(uffd_register(fd, a, 4 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0, "REGISTER");
	memset(src, 'P', PAGE_SIZE);
	REQUIRE(uffd_copy(fd, a, src, PAGE_SIZE, 0, NULL) == 0, "COPY");
	mo.fd = fd;
	mo.a = a;
	mo.newfd = -1;
	REQUIRE(pthread_create(&mo.th, NULL, monitor_main, &mo) == 0, "pthread_create");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		/* the child: page 0 inherited, page 1 served by the monitor */
		int ok = a[0] == 'P' && a[PAGE_SIZE + 5] == 'C' && a[PAGE_SIZE] == 'C';
		_exit(ok ? 0 : 1);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	utest_printf("  fork() returned after %ld ms (the monitor read the event after 200 ms)\n", ms);
	CHECK(ms >= 150, "fork() returned after %ld ms, before the monitor read the FORK event", ms);
	CHECK(mo.copy_while_pending == -1 && mo.copy_errno == EAGAIN && mo.copy_res == -EAGAIN,
	      "COPY while the FORK event was pending: %d errno %d copy %lld, want -1/EAGAIN, -EAGAIN",
	      mo.copy_while_pending, mo.copy_errno, (long long)mo.copy_res);
	int st = wait_child(pid, 3000, "fork with EVENT_FORK");
	CHECK_EXITED(st, 0, "child whose page 0 is inherited and page 1 served through the new uffd");
	__atomic_store_n(&mo.stop, 1, __ATOMIC_SEQ_CST);
	pthread_join(mo.th, NULL);

	const unsigned char *raw = (const unsigned char *)&mo.fork_msg;
	CHECK(mo.fork_msg.event == UFFD_EVENT_FORK, "first message: event %#x, want FORK (%#x)",
	      mo.fork_msg.event, UFFD_EVENT_FORK);
	CHECK(all_zero(raw + 1, 7) && all_zero(raw + 12, 20), "FORK message: unused bytes not zero");
	int nfd = mo.newfd;
	CHECK(nfd >= 0 && nfd != fd && fcntl(nfd, F_GETFD) >= 0, "FORK message ufd %d is not an "
	      "open fd", nfd);
	if (nfd >= 0 && fcntl(nfd, F_GETFD) >= 0) {
		CHECK((fcntl(nfd, F_GETFL) & O_NONBLOCK) && (fcntl(nfd, F_GETFD) & FD_CLOEXEC),
		      "the new uffd: F_GETFL %#x F_GETFD %#x, want O_NONBLOCK and FD_CLOEXEC like "
		      "the parent's", fcntl(nfd, F_GETFL), fcntl(nfd, F_GETFD));
		struct uffdio_api api2 = { .api = UFFD_API };
		CHECK_ERR(ioctl(nfd, UFFDIO_API, &api2), EINVAL);    /* already initialised */
	}
	CHECK(mo.new_msgs == 1 && mo.new_copy_errors == 0, "the new uffd: %d messages, %d COPY "
	      "errors, want 1 and 0", mo.new_msgs, mo.new_copy_errors);
	CHECK(mo.new_msgs < 1 || (mo.last_new.event == UFFD_EVENT_PAGEFAULT &&
	      mo.last_new.arg.pagefault.address == (uintptr_t)(a + PAGE_SIZE)),
	      "child's fault: event %#x address %#llx, want PAGEFAULT %p", mo.last_new.event,
	      (unsigned long long)mo.last_new.arg.pagefault.address, a + PAGE_SIZE);
	CHECK(mo.old_msgs == 0, "%d messages on the parent's uffd after the fork", mo.old_msgs);
	if (nfd >= 0)
		close(nfd);

	/* the parent's range still reports to the parent's fd */
	struct toucher t;
	struct uffd_msg m;
	touch_start(&t, a + 2 * PAGE_SIZE, 1, 'p');
	CHECK(uffd_wait_msg(fd, &m, 2000) == 1 && m.arg.pagefault.address == (uintptr_t)(a + 2 * PAGE_SIZE),
	      "the parent's own fault after the fork");
	CHECK(uffd_zeropage(fd, a + 2 * PAGE_SIZE, PAGE_SIZE, 0, NULL) == 0, "ZEROPAGE: errno %d", errno);
	CHECK(touch_done(&t, 2000), "parent's writer not released");
	touch_join(&t);
	munmap(a, 4 * PAGE_SIZE);
	close(fd);
}

/* ---- 3. the forking task waits for the monitor, killably ----------------- */
static void part_fork_killable(__u64 feat)
{
	if (!(feat & UFFD_FEATURE_EVENT_FORK))
		return;
	utest_printf("  3. a fork waiting for an unread FORK event can be killed\n");
	int p[2];
	REQUIRE(pipe(p) == 0, "pipe");
	pid_t pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		int fd = uffd_create(O_CLOEXEC | O_NONBLOCK);
		struct uffdio_api api = { .api = UFFD_API, .features = UFFD_FEATURE_EVENT_FORK };
		if (ioctl(fd, UFFDIO_API, &api) != 0)
			_exit(2);
		char *a = map_anon(1);
		if (uffd_register(fd, a, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) != 0)
			_exit(3);
		(void)!write(p[1], "r", 1);
		pid_t g = fork();             /* nobody reads the event: waits */
		_exit(g == 0 ? 5 : 4);
	}
	char c = 0;
	CHECK(read(p[0], &c, 1) == 1 && c == 'r', "child not ready");
	msleep(150);
	int st;
	pid_t w = waitpid(pid, &st, WNOHANG);
	CHECK(w == 0, "fork() with an unread FORK event returned (child %s)",
	      w == pid ? utest_status_str(st) : "?");
	if (w == 0) {
		kill(pid, SIGKILL);
		st = wait_child(pid, 3000, "SIGKILL during fork");
		CHECK_SIGNALED(st, SIGKILL, "process waiting in fork() for the monitor");
	}
	close(p[0]);
	close(p[1]);
}

int main(int argc, char **argv)
{
	utest_begin("uffd_fork", argc, argv);
	__u64 feat = uffd_features();
	part_no_event();
	part_event_fork(feat);
	part_fork_killable(feat);
	return utest_done();
}
