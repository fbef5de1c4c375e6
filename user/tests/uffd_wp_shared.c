/*
 * uffd_wp_shared - write-protect mode on shared anonymous memory
 * (MAP_SHARED|MAP_ANONYMOUS: Linux's shmem). A page of shared memory may
 * exist while this process has no PTE for it (never touched here, or
 * made by another process); its protection is kept in a PTE marker. A
 * Linux without UFFD_FEATURE_WP_HUGETLBFS_SHMEM skips the test; on mmkern
 * the feature must be there.
 *
 * Checks:
 *  1. UFFDIO_API reports WP_HUGETLBFS_SHMEM and accepts it asked for;
 *     REGISTER MODE_WP of a shared mapping offers WRITEPROTECT;
 *  2. WRITEPROTECT of 6 pages, 0-2 written before, 3-5 never touched:
 *     reads need no handler (page 3 reads zeros); a write to page 3
 *     (touched by that read only) and to page 5 (never touched at all)
 *     waits and is reported with WP|WRITE; clearing the protection of
 *     the page wakes the writer and its byte lands; a write to present
 *     page 1, cleared with DONTWAKE, waits for UFFDIO_WAKE; once cleared,
 *     writes go through without a message;
 *  3. the protection belongs to this process: a child forked now (its
 *     mapping is not registered) sees the writes of 2., writes to pages 0
 *     and 4 (protected in the parent; 4 never touched there) without
 *     waiting or a message; the parent sees the child's bytes, and its own
 *     write to page 4 still goes to the monitor;
 *  4. after UFFDIO_UNREGISTER of a protected range writes go through, no
 *     message;
 *  5. MISSING|WP: a write to a protected page nobody has made yet is a
 *     missing fault (flags WRITE); after COPY(MODE_WP) the retried write
 *     is a WP fault; clearing lets it land. A read of another such page is
 *     a missing fault; a COPY without MODE_WP replaces the protection;
 *  6. errors: WRITEPROTECT of a shared range registered MISSING only, or
 *     not registered, ENOENT; COPY(MODE_WP) there EINVAL; WP|DONTWAKE EINVAL;
 *  7. with EVENT_FORK (skipped if not reported or not permitted) the
 *     child's copy stays protected: its writes to a page it inherited
 *     mapped and to one only protected (never touched) come on the new
 *     uffd with WP|WRITE, and unprotecting there lets them land in the
 *     shared pages; the parent's own protection stays.
 */
#define _GNU_SOURCE
#include "uffd_util.h"
#include <sys/utsname.h>

#define WPW (UFFD_PAGEFAULT_FLAG_WP | UFFD_PAGEFAULT_FLAG_WRITE)
#define P PAGE_SIZE

static char src[PAGE_SIZE] __attribute__((aligned(4096)));

static char *map_shared(size_t pages)
{
	void *p = mmap(NULL, pages * P, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	REQUIRE(p != MAP_FAILED, "mmap MAP_SHARED|MAP_ANONYMOUS of %zu pages: errno %d", pages,
		errno);
	return p;
}

static int on_mmkern(void)
{
	struct utsname u;

	return uname(&u) == 0 && !strcmp(u.sysname, "mmkern");
}

/*
 * A write of `value` at page + off, a protected page: it waits and is
 * reported with WP|WRITE at `page`, the byte still `old`; clearing the
 * protection (`clear_mode`: 0, or DONTWAKE followed by UFFDIO_WAKE) lets
 * it land.
 */
static void write_waits(int fd, char *page, size_t off, char old, char value,
			__u64 clear_mode, const char *what)
{
	struct toucher t;

	touch_start(&t, page + off, 1, value);
	expect_msg(fd, page, WPW, what);
	msleep(30);
	CHECK(!t.done && page[off] == old, "%s: the write went through the protection", what);
	CHECK(uffd_writeprotect(fd, page, P, clear_mode) == 0, "%s: WRITEPROTECT(%#llx): errno %d",
	      what, (unsigned long long)clear_mode, errno);
	if (clear_mode & UFFDIO_WRITEPROTECT_MODE_DONTWAKE) {
		msleep(100);
		CHECK(!t.done, "%s: clearing with DONTWAKE woke the writer", what);
		CHECK(uffd_wake(fd, page, P) == 0, "%s: WAKE: errno %d", what, errno);
	}
	CHECK(touch_done(&t, 2000), "%s: the writer was not released", what);
	touch_join(&t);
	CHECK(page[off] == value, "%s: the byte reads %#x after the write, want %#x", what,
	      page[off], value);
}

/* A write of `value` at p goes through at once, and nothing is reported. */
static void write_goes_through(int fd, char *p, char value, const char *what)
{
	struct toucher t;
	struct uffd_msg m;

	touch_start(&t, p, 1, value);
	int done = touch_done(&t, 2000);
	CHECK(done, "%s: the write waited (a userfault where none is due)", what);
	if (!done) {   /* let it go, so that the test goes on */
		uffd_writeprotect(fd, (void *)((uintptr_t)p & ~(P - 1)), P, 0);
		touch_done(&t, 2000);
	}
	touch_join(&t);
	CHECK(uffd_wait_msg(fd, &m, 0) == 0, "%s: a message was queued (address %#llx flags %#llx)",
	      what, (unsigned long long)m.arg.pagefault.address,
	      (unsigned long long)m.arg.pagefault.flags);
	CHECK(*p == value, "%s: reads %#x, want %#x", what, *p, value);
}

/* ---- 2.-4. protect, fault, unprotect; another process; unregister ---- */
static void part_protect(void)
{
	utest_printf("  2. write-protecting shared pages, present and never touched\n");
	int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, UFFD_FEATURE_PAGEFAULT_FLAG_WP |
			   UFFD_FEATURE_WP_HUGETLBFS_SHMEM, NULL);
	char *a = map_shared(6);
	struct uffd_msg m;

	wp_fill_and_protect(fd, a, 6, 3);   /* pages 0-2 read back without a handler */
	CHECK(((volatile char *)a)[3 * P + 9] == 0, "a protected page never touched reads %#x",
	      a[3 * P + 9]);
	CHECK(uffd_wait_msg(fd, &m, 0) == 0, "a read of a write-protected page was reported");

	write_waits(fd, a + 3 * P, 40, 0, 'D', 0, "write to a protected page touched by a read");
	write_waits(fd, a + 5 * P, 50, 0, 'F', 0, "write to a protected page never touched");
	write_waits(fd, a + 1 * P, 60, 'b', 'B', UFFDIO_WRITEPROTECT_MODE_DONTWAKE,
		    "write to a protected present page, cleared with DONTWAKE");
	write_goes_through(fd, a + 3 * P + 41, 'd', "write to a page unprotected");
	write_goes_through(fd, a + 5 * P + 51, 'f', "write to a never-touched page unprotected");

	/* ---- 3. another process maps the same memory, unregistered ---- */
	utest_printf("  3. a child's mapping of the same memory is not protected\n");
	pid_t pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		CHECK(a[3 * P + 40] == 'D' && a[5 * P + 50] == 'F' && a[P + 60] == 'B',
		      "child: the parent's writes are not in the shared pages: %c %c %c",
		      a[3 * P + 40], a[5 * P + 50], a[P + 60]);
		a[200] = 'K';               /* protected in the parent */
		a[4 * P + 300] = 'L';       /* protected there, and never touched there */
		utest_child_exit();
	}
	CHECK_EXITED(wait_child(pid, 3000, "child writing to pages the parent protected"), 0,
		     "child writing to pages the parent protected");
	CHECK(uffd_wait_msg(fd, &m, 0) == 0, "the child's writes were reported (address %#llx)",
	      (unsigned long long)m.arg.pagefault.address);
	CHECK(a[200] == 'K' && a[201] == 'a', "the child's write to page 0 is not visible");
	write_waits(fd, a + 4 * P, 301, 0, 'M', 0, "parent's write to a page the child made");
	CHECK(a[4 * P + 300] == 'L', "the child's write to page 4 is not visible");
	write_waits(fd, a + 2 * P, 7, 'c', 'C', 0, "parent's write to page 2, still protected");

	/* ---- 4. unregister ---- */
	utest_printf("  4. UFFDIO_UNREGISTER of a protected range\n");
	CHECK(uffd_writeprotect(fd, a, 6 * P, UFFDIO_WRITEPROTECT_MODE_WP) == 0,
	      "WRITEPROTECT(WP) again: errno %d", errno);
	CHECK(uffd_unregister(fd, a, 6 * P) == 0, "UNREGISTER: errno %d", errno);
	for (int i = 0; i < 6; i++)
		write_goes_through(fd, a + i * P + 100, 'u', "write after UNREGISTER");
	munmap(a, 6 * P);
	close(fd);
}

/* ---- 5. MISSING and WP together ---- */
static void part_missing_wp(void)
{
	utest_printf("  5. MISSING|WP: protected pages nobody has made\n");
	int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, UFFD_FEATURE_PAGEFAULT_FLAG_WP, NULL);
	char *b = map_shared(2);
	struct toucher t;

	REQUIRE(uffd_register(fd, b, 2 * P, UFFDIO_REGISTER_MODE_MISSING | UFFDIO_REGISTER_MODE_WP,
			      NULL) == 0, "REGISTER MISSING|WP: errno %d", errno);
	CHECK(uffd_writeprotect(fd, b, 2 * P, UFFDIO_WRITEPROTECT_MODE_WP) == 0,
	      "WRITEPROTECT(WP): errno %d", errno);
	touch_start(&t, b + 5, 1, 'w');
	expect_msg(fd, b, UFFD_PAGEFAULT_FLAG_WRITE, "write to a protected missing page");
	memset(src, 'c', P);
	CHECK(uffd_copy(fd, b, src, P, UFFDIO_COPY_MODE_WP, NULL) == 0, "COPY(MODE_WP): errno %d",
	      errno);
	expect_msg(fd, b, WPW, "the retried write to the page COPYed write-protected");
	msleep(30);
	CHECK(!t.done && b[5] == 'c', "the write went through a write-protected COPY");
	CHECK(uffd_writeprotect(fd, b, P, 0) == 0, "WRITEPROTECT(0): errno %d", errno);
	CHECK(touch_done(&t, 2000), "writer not released");
	touch_join(&t);
	CHECK(b[5] == 'w' && b[4] == 'c' && b[6] == 'c', "page after COPY(WP) + write: %c%c%c",
	      b[4], b[5], b[6]);

	touch_start(&t, b + P + 3, 0, 0);
	expect_msg(fd, b + P, 0, "read of a protected missing page");
	memset(src, 'd', P);
	CHECK(uffd_copy(fd, b + P, src, P, 0, NULL) == 0, "COPY: errno %d", errno);
	CHECK(touch_done(&t, 2000), "reader not released by COPY");
	touch_join(&t);
	CHECK(t.seen == 'd', "read %#x, want 'd'", t.seen);
	write_goes_through(fd, b + P + 4, 'e', "write to a page COPYed without MODE_WP");
	munmap(b, 2 * P);
	close(fd);
}

/* ---- 6. errors ---- */
static void part_errors(void)
{
	utest_printf("  6. errors on shared memory\n");
	int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, UFFD_FEATURE_PAGEFAULT_FLAG_WP, NULL);
	char *c = map_shared(3);
	__s64 res = 0;

	c[0] = 1;
	REQUIRE(uffd_register(fd, c, 2 * P, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0, "REGISTER");
	CHECK_ERR(uffd_writeprotect(fd, c, P, UFFDIO_WRITEPROTECT_MODE_WP), ENOENT);
	CHECK_ERR(uffd_writeprotect(fd, c + P, P, UFFDIO_WRITEPROTECT_MODE_WP), ENOENT);
	CHECK_ERR(uffd_writeprotect(fd, c + 2 * P, P, UFFDIO_WRITEPROTECT_MODE_WP), ENOENT);
	errno = 0;
	int r = uffd_copy(fd, c + P, src, P, UFFDIO_COPY_MODE_WP, &res);
	CHECK(r == -1 && errno == EINVAL && res == -EINVAL,
	      "COPY(MODE_WP) into a range registered without MODE_WP: %d errno %d copy %lld, "
	      "want -1/EINVAL, -EINVAL", r, errno, (long long)res);
	REQUIRE(uffd_register(fd, c, 2 * P, UFFDIO_REGISTER_MODE_WP, NULL) == 0, "REGISTER WP");
	CHECK_ERR(uffd_writeprotect(fd, c, P, UFFDIO_WRITEPROTECT_MODE_WP |
					      UFFDIO_WRITEPROTECT_MODE_DONTWAKE), EINVAL);
	CHECK_ERR(uffd_writeprotect(fd, c, 3 * P, UFFDIO_WRITEPROTECT_MODE_WP), ENOENT);
	munmap(c, 3 * P);
	close(fd);
}

/* ---- 7. EVENT_FORK ---- */
struct fork_monitor {
	int fd, newfd;
	volatile int stop;
	int event;                  /* the first message's */
	int msgs, wp_errors;
	struct uffd_msg msg[2];
	pthread_t th;
};

/* Read the FORK event, then unprotect each page the child faults on through the new fd. */
static void *fork_monitor_main(void *arg)
{
	struct fork_monitor *mo = arg;
	struct uffd_msg m;

	while (!__atomic_load_n(&mo->stop, __ATOMIC_SEQ_CST))
		if (uffd_wait_msg(mo->fd, &m, 20) == 1)
			break;
	if (__atomic_load_n(&mo->stop, __ATOMIC_SEQ_CST))
		return NULL;
	mo->event = m.event;
	if (m.event != UFFD_EVENT_FORK)
		return NULL;
	mo->newfd = (int)m.arg.fork.ufd;
	while (!__atomic_load_n(&mo->stop, __ATOMIC_SEQ_CST)) {
		if (uffd_wait_msg(mo->newfd, &m, 10) != 1)
			continue;
		if (mo->msgs < 2)
			mo->msg[mo->msgs] = m;
		mo->msgs++;
		if (uffd_writeprotect(mo->newfd, (void *)(uintptr_t)m.arg.pagefault.address, P, 0))
			mo->wp_errors++;
	}
	return NULL;
}

static void part_event_fork(__u64 feat)
{
	int fd = uffd_open_event_fork(feat, UFFD_FEATURE_PAGEFAULT_FLAG_WP, "7");
	if (fd < 0)
		return;
	utest_printf("  7. fork with EVENT_FORK keeps the child's copy protected\n");
	char *d = map_shared(3);
	static struct fork_monitor mo;
	struct uffd_msg m;

	d[0] = 'p';                     /* page 0 mapped; pages 1 and 2 never touched */
	REQUIRE(uffd_register(fd, d, 3 * P, UFFDIO_REGISTER_MODE_WP, NULL) == 0, "REGISTER WP");
	CHECK(uffd_writeprotect(fd, d, 3 * P, UFFDIO_WRITEPROTECT_MODE_WP) == 0,
	      "WRITEPROTECT(WP): errno %d", errno);
	mo.fd = fd;
	mo.newfd = -1;
	REQUIRE(pthread_create(&mo.th, NULL, fork_monitor_main, &mo) == 0, "pthread_create");
	pid_t pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		d[1] = 'x';             /* a page the child inherited mapped and protected */
		d[2 * P + 1] = 'y';     /* only protected: a marker */
		_exit(d[0] == 'p' && d[1] == 'x' && d[2 * P + 1] == 'y' ? 0 : 1);
	}
	CHECK_EXITED(wait_child(pid, 3000, "child writing to its protected copy"), 0,
		     "child writing to its protected copy");
	__atomic_store_n(&mo.stop, 1, __ATOMIC_SEQ_CST);
	pthread_join(mo.th, NULL);
	CHECK(mo.event == UFFD_EVENT_FORK, "first message: event %#x, want FORK", mo.event);
	CHECK(mo.msgs == 2 && mo.wp_errors == 0, "the new uffd: %d messages, %d WRITEPROTECT "
	      "errors, want 2 and 0", mo.msgs, mo.wp_errors);
	for (int i = 0; i < 2 && i < mo.msgs; i++) {
		char *want = d + 2 * i * P;

		CHECK(mo.msg[i].event == UFFD_EVENT_PAGEFAULT &&
		      mo.msg[i].arg.pagefault.address == (uintptr_t)want &&
		      mo.msg[i].arg.pagefault.flags == WPW,
		      "child's fault %d: event %#x address %#llx flags %#llx, want PAGEFAULT %p WP|WRITE",
		      i, mo.msg[i].event, (unsigned long long)mo.msg[i].arg.pagefault.address,
		      (unsigned long long)mo.msg[i].arg.pagefault.flags, want);
	}
	CHECK(uffd_wait_msg(fd, &m, 0) == 0, "the child's faults came on the parent's uffd");
	CHECK(d[1] == 'x' && d[2 * P + 1] == 'y', "the child's writes are not in the shared pages");
	write_waits(fd, d + 2 * P, 2, 0, 'z', 0, "parent's write to its own protected page");
	if (mo.newfd >= 0)
		close(mo.newfd);
	munmap(d, 3 * P);
	close(fd);
}

int main(int argc, char **argv)
{
	utest_begin("uffd_wp_shared", argc, argv);
	__u64 feat = uffd_features();

	utest_printf("  1. the feature bit\n");
	if (!(feat & UFFD_FEATURE_WP_HUGETLBFS_SHMEM)) {
		if (!on_mmkern())
			utest_skip("this Linux does not report UFFD_FEATURE_WP_HUGETLBFS_SHMEM");
		CHECK(0, "UFFDIO_API does not report UFFD_FEATURE_WP_HUGETLBFS_SHMEM (features %#llx)",
		      (unsigned long long)feat);
		return utest_done();
	}
	CHECK(feat & UFFD_FEATURE_PAGEFAULT_FLAG_WP, "WP_HUGETLBFS_SHMEM without PAGEFAULT_FLAG_WP");
	part_protect();
	part_missing_wp();
	part_errors();
	part_event_fork(feat);
	return utest_done();
}
