/*
 * uffd_release - what ends a userfault wait besides COPY: release (last
 * close, exit of the handler process), UNREGISTER, exit of the registering
 * process; and UFFD_FEATURE_SIGBUS.
 *
 * Checks:
 *  1. close() of the uffd while threads wait in faults (one reported, one
 *     still pending): both wake and fault normally (zeros; a write lands);
 *     the range faults normally afterwards; with a dup() open, closing one
 *     fd does not release, closing the last does;
 *  2. UNREGISTER of one page wakes the thread waiting there (it sees
 *     zeros), not the one waiting on another registered page;
 *  3. a process whose thread waits in a userfault ends by exit_group() of
 *     another thread with its status;
 *  4. the handler is another process: when it exits without serving, the
 *     faulting (registering) process wakes and sees zeros;
 *  5. the registering process is killed (SIGKILL) while it waits in a
 *     userfault: the handler process's COPY and ZEROPAGE then fail with
 *     ESRCH;
 *  6. UFFD_FEATURE_SIGBUS: a read or a write of a missing page gets SIGBUS
 *     at once (si_code BUS_ADRERR, si_addr the exact address), no message
 *     is queued; after ZEROPAGE the page reads normally; with the default
 *     action the process dies of SIGBUS.
 */
#define _GNU_SOURCE
#include "uffd_util.h"
#include <setjmp.h>

/* ---- 1. close ---------------------------------------------------------- */
static void part_close(void)
{
	utest_printf("  1. close() releases waiting faults\n");
	int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, 0, NULL);
	char *a = map_anon(4);
	struct toucher t1, t2;
	struct uffd_msg m;

	REQUIRE(uffd_register(fd, a, 4 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0,
		"REGISTER");
	touch_start(&t1, a + 5, 0, 0);
	CHECK(uffd_wait_msg(fd, &m, 2000) == 1, "no message for the first fault");
	touch_start(&t2, a + PAGE_SIZE + 6, 1, 77);   /* reported to nobody */
	msleep(50);
	CHECK(!t1.done && !t2.done, "faulting threads did not wait (%d %d)", t1.done, t2.done);
	int dfd = dup(fd);
	CHECK(dfd >= 0, "dup: errno %d", errno);
	close(fd);
	msleep(100);
	CHECK(!t1.done && !t2.done, "closing one of two fds released the faults (%d %d)", t1.done,
	      t2.done);
	close(dfd);
	CHECK(touch_done(&t1, 2000), "a reported fault was not released by the last close()");
	CHECK(touch_done(&t2, 2000), "a pending fault was not released by the last close()");
	touch_join(&t1);
	touch_join(&t2);
	CHECK(t1.seen == 0, "the released reader saw %d, want 0", t1.seen);
	CHECK(a[PAGE_SIZE + 6] == 77 && a[PAGE_SIZE + 5] == 0, "the released write did not land");
	struct toucher t3;
	touch_start(&t3, a + 2 * PAGE_SIZE, 1, 1);
	CHECK(touch_done(&t3, 2000), "after release the range still waits for a handler");
	touch_join(&t3);
	munmap(a, 4 * PAGE_SIZE);
}

/* ---- 2. UNREGISTER ------------------------------------------------------ */
static void part_unregister(void)
{
	utest_printf("  2. UNREGISTER wakes the waiters in its range\n");
	int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, 0, NULL);
	char *a = map_anon(4);
	struct toucher t1, t3;
	struct uffd_msg m;

	REQUIRE(uffd_register(fd, a, 4 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0,
		"REGISTER");
	touch_start(&t1, a + PAGE_SIZE + 1, 0, 0);
	touch_start(&t3, a + 3 * PAGE_SIZE + 1, 0, 0);
	int n = 0;
	while (n < 2 && uffd_wait_msg(fd, &m, 2000) == 1)
		n++;
	CHECK(n == 2, "%d messages for 2 faults", n);
	CHECK(uffd_unregister(fd, a + PAGE_SIZE, PAGE_SIZE) == 0, "UNREGISTER: errno %d", errno);
	CHECK(touch_done(&t1, 2000), "UNREGISTER did not wake the thread waiting in its range");
	msleep(50);
	CHECK(!t3.done, "UNREGISTER of page 1 woke the thread waiting on page 3");
	CHECK(uffd_zeropage(fd, a + 3 * PAGE_SIZE, PAGE_SIZE, 0, NULL) == 0, "ZEROPAGE: errno %d",
	      errno);
	CHECK(touch_done(&t3, 2000), "ZEROPAGE did not wake the thread on page 3");
	touch_join(&t1);
	touch_join(&t3);
	CHECK(t1.seen == 0, "the thread woken by UNREGISTER read %d", t1.seen);
	CHECK(uffd_wait_msg(fd, &m, 0) == 0, "the woken thread faulted into the uffd again");
	munmap(a, 4 * PAGE_SIZE);
	close(fd);
}

/* ---- 3. exit_group with a thread in a userfault ------------------------ */
static void part_exit_group(void)
{
	utest_printf("  3. exit_group() while a thread waits in a userfault\n");
	pid_t pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, 0, NULL);
		char *a = map_anon(1);
		struct toucher t;
		struct uffd_msg m;
		if (uffd_register(fd, a, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) != 0)
			_exit(2);
		touch_start(&t, a, 0, 0);
		if (uffd_wait_msg(fd, &m, 2000) != 1)
			_exit(3);
		_exit(7);          /* the toucher still waits */
	}
	int st = utest_wait(pid);
	CHECK_EXITED(st, 7, "process exiting while its thread waits in a userfault");
}

/* ---- 4. and 5. the handler in another process --------------------------- */
static int wait_byte(int fd, char *c, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	if (poll(&p, 1, ms) != 1)
		return 0;
	return read(fd, c, 1) == 1;
}

static void part_handler_exits(void)
{
	utest_printf("  4. the handler process exits without serving\n");
	pid_t pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		int fd = uffd_open(O_NONBLOCK, 0, NULL);
		char *a = map_anon(1);
		if (uffd_register(fd, a, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) != 0)
			_exit(2);
		pid_t h = fork();
		if (h == 0) {
			/* the handler: read the fault, then exit without serving */
			struct uffd_msg m;
			_exit(uffd_wait_msg(fd, &m, 3000) == 1 &&
			      m.arg.pagefault.address == (uintptr_t)a ? 0 : 1);
		}
		close(fd);            /* the handler holds the last reference */
		volatile char c = a[100];     /* waits until the handler exits */
		int st;
		if (waitpid(h, &st, 0) != h || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			_exit(4);
		_exit(c == 0 ? 0 : 5);
	}
	int st = utest_wait(pid);
	CHECK_EXITED(st, 0, "faulting process released by its handler's exit "
		     "(2 register, 4 handler failed, 5 not zero)");
}

static void part_registrant_killed(void)
{
	utest_printf("  5. the registering process is killed while it waits\n");
	int up[2], down[2];
	REQUIRE(pipe(up) == 0 && pipe(down) == 0, "pipe");
	pid_t pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		int fd = uffd_open(O_NONBLOCK, 0, NULL);
		char *a = map_anon(2);
		if (uffd_register(fd, a, 2 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) != 0)
			_exit(2);
		pid_t h = fork();
		if (h == 0) {
			static char src[PAGE_SIZE] __attribute__((aligned(4096)));
			struct uffd_msg m;
			char c;
			int ok = uffd_wait_msg(fd, &m, 3000) == 1 &&
				 m.arg.pagefault.address == (uintptr_t)a;
			(void)!write(up[1], ok ? "m" : "x", 1);
			if (!wait_byte(down[0], &c, 5000))     /* the registrant is dead */
				_exit(10);
			__s64 res = 0;
			errno = 0;
			int r = uffd_copy(fd, a, src, PAGE_SIZE, 0, &res);
			int e1 = errno;
			errno = 0;
			int r2 = uffd_zeropage(fd, a + PAGE_SIZE, PAGE_SIZE, 0, NULL);
			int e2 = errno;
			char msg[160];
			snprintf(msg, sizeof(msg), "COPY %d errno %d, ZEROPAGE %d errno %d", r, e1, r2, e2);
			(void)!write(up[1], msg, strlen(msg) + 1);
			_exit(r == -1 && e1 == ESRCH && r2 == -1 && e2 == ESRCH ? 0 : 11);
		}
		close(fd);
		(void)!write(up[1], "h", 1);
		volatile char c = a[0];     /* waits until killed */
		(void)c;
		_exit(3);
	}
	char c = 0, hpid_note = 0;
	CHECK(wait_byte(up[0], &hpid_note, 3000) && hpid_note == 'h', "registrant did not start");
	CHECK(wait_byte(up[0], &c, 3000) && c == 'm', "handler did not read the fault ('%c')", c);
	msleep(20);
	kill(pid, SIGKILL);
	int st = utest_wait(pid);
	CHECK_SIGNALED(st, SIGKILL, "registrant waiting in a userfault, SIGKILL");
	(void)!write(down[1], "k", 1);
	char msg[160] = "";
	int n = 0;
	while (n < (int)sizeof(msg) - 1 && wait_byte(up[0], &msg[n], 3000) && msg[n])
		n++;
	msg[n] = 0;
	utest_printf("  handler after the registrant died: %s\n", msg);
	CHECK(strstr(msg, "COPY -1 errno 3,") && strstr(msg, "ZEROPAGE -1 errno 3"),
	      "COPY/ZEROPAGE after the registering process died: %s; want -1/ESRCH (3)", msg);
	/* the handler (grandchild) was reparented; it exits by itself */
	close(up[0]);
	close(up[1]);
	close(down[0]);
	close(down[1]);
}

/* ---- 6. SIGBUS ----------------------------------------------------------- */
static sigjmp_buf bus_jmp;
static volatile int bus_count, bus_code;
static void *volatile bus_addr;

static void on_bus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	bus_count++;
	bus_code = si->si_code;
	bus_addr = si->si_addr;
	siglongjmp(bus_jmp, 1);
}

static void sigbus_child(void *arg)
{
	int *report = arg;
	__u64 feat = 0;
	int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, UFFD_FEATURE_SIGBUS, &feat);
	char *a = map_anon(3);
	struct sigaction sa;
	struct uffd_msg m;
	volatile char v = 0;

	REQUIRE(uffd_register(fd, a, 3 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0,
		"REGISTER");
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_bus;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGBUS, &sa, NULL);
	if (!sigsetjmp(bus_jmp, 1))
		v = a[123];
	CHECK(bus_count == 1, "read of a missing page in SIGBUS mode: %d SIGBUS", bus_count);
	CHECK(bus_code == BUS_ADRERR && bus_addr == a + 123, "SIGBUS si_code %d si_addr %p, want "
	      "BUS_ADRERR (%d) and %p", bus_code, bus_addr, BUS_ADRERR, a + 123);
	if (!sigsetjmp(bus_jmp, 1))
		a[PAGE_SIZE + 5] = 1;
	CHECK(bus_count == 2, "write of a missing page in SIGBUS mode: %d SIGBUS in all", bus_count);
	CHECK(bus_addr == a + PAGE_SIZE + 5, "si_addr %p, want %p", bus_addr, a + PAGE_SIZE + 5);
	CHECK(uffd_wait_msg(fd, &m, 0) == 0, "SIGBUS mode queued a message");
	CHECK(uffd_zeropage(fd, a, PAGE_SIZE, 0, NULL) == 0, "ZEROPAGE: errno %d", errno);
	if (!sigsetjmp(bus_jmp, 1))
		v = a[123];
	CHECK(bus_count == 2 && v == 0, "read after ZEROPAGE: %d SIGBUS, value %d", bus_count, v);
	utest_own_counts();
	(void)!write(*report, utest_failures ? "F" : "P", 1);
	signal(SIGBUS, SIG_DFL);
	v = a[2 * PAGE_SIZE];     /* dies */
	(void)!write(*report, "S", 1);
}

static void part_sigbus(__u64 feat)
{
	if (!(feat & UFFD_FEATURE_SIGBUS)) {
		utest_printf("  6. UFFD_FEATURE_SIGBUS not reported: skipped\n");
		return;
	}
	utest_printf("  6. UFFD_FEATURE_SIGBUS\n");
	int p[2];
	char c[2] = "";
	REQUIRE(pipe(p) == 0, "pipe");
	int st = utest_in_child(sigbus_child, &p[1]);
	close(p[1]);
	int n = read(p[0], c, 2);
	close(p[0]);
	CHECK(n == 1 && c[0] == 'P', "SIGBUS child reported '%.*s' (P: its checks passed, S: it "
	      "survived the last access)", n > 0 ? n : 0, c);
	CHECK_SIGNALED(st, SIGBUS, "access to a missing page in SIGBUS mode, default action");
}

int main(int argc, char **argv)
{
	__u64 feat;

	utest_begin("uffd_release", argc, argv);
	feat = uffd_features();
	part_close();
	part_unregister();
	part_exit_group();
	part_handler_exits();
	part_registrant_killed();
	part_sigbus(feat);
	return utest_done();
}
