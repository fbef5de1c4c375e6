/*
 * uffd_wp - write-protect mode (UFFDIO_REGISTER_MODE_WP, UFFDIO_WRITEPROTECT,
 * UFFDIO_COPY_MODE_WP). Skipped when UFFD_FEATURE_PAGEFAULT_FLAG_WP is not
 * reported.
 *
 * Checks:
 *  1. populated pages, registered MODE_WP, UFFDIO_WRITEPROTECT(MODE_WP):
 *     reads need no handler; a write waits and is reported with flags
 *     WP|WRITE and the page address; UFFDIO_WRITEPROTECT(mode 0) of that
 *     page wakes the writer and its byte lands, the page keeps its data;
 *     the other protected pages still fault; clearing with DONTWAKE leaves
 *     the writer asleep until UFFDIO_WAKE; an unprotected page is written
 *     with no message;
 *  2. UFFDIO_WRITEPROTECT errors: WP|DONTWAKE, unknown mode bits, unaligned
 *     or empty range EINVAL; a range registered without MODE_WP, or not
 *     registered or not mapped, ENOENT;
 *  3. COPY with MODE_WP (registered MISSING|WP): a write to a missing page
 *     is reported with flags WRITE; after COPY(MODE_WP) the retried write
 *     is reported again with WP|WRITE; clearing protection lets it finish;
 *     a read after COPY(MODE_WP) needs no handler; COPY(MODE_WP) into a
 *     range registered without MODE_WP is EINVAL (copy field -EINVAL).
 */
#define _GNU_SOURCE
#include "uffd_util.h"

static char src[PAGE_SIZE] __attribute__((aligned(4096)));

#define WPW (UFFD_PAGEFAULT_FLAG_WP | UFFD_PAGEFAULT_FLAG_WRITE)

static void part_protect(void)
{
	utest_printf("  1. write-protecting populated pages\n");
	int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, UFFD_FEATURE_PAGEFAULT_FLAG_WP, NULL);
	char *a = map_anon(4);
	struct toucher t;
	struct uffd_msg m;

	wp_fill_and_protect(fd, a, 4, 4);   /* reads: no fault to handle */
	CHECK(uffd_wait_msg(fd, &m, 0) == 0, "a read of a write-protected page was reported");

	touch_start(&t, a + PAGE_SIZE + 50, 1, 'X');
	expect_msg(fd, a + PAGE_SIZE, WPW, "write to a protected page");
	msleep(50);
	CHECK(!t.done, "the write to a protected page did not wait");
	CHECK(a[PAGE_SIZE + 50] == 'b', "the write landed before the protection was cleared");
	CHECK(uffd_writeprotect(fd, a + PAGE_SIZE, PAGE_SIZE, 0) == 0,
	      "WRITEPROTECT(0): errno %d", errno);
	CHECK(touch_done(&t, 2000), "clearing the protection did not wake the writer");
	touch_join(&t);
	CHECK(a[PAGE_SIZE + 50] == 'X' && a[PAGE_SIZE + 49] == 'b' && a[PAGE_SIZE + 51] == 'b',
	      "after the write: %c%c%c, want bXb", a[PAGE_SIZE + 49], a[PAGE_SIZE + 50],
	      a[PAGE_SIZE + 51]);
	a[PAGE_SIZE + 60] = 'Y';            /* unprotected now: no message */
	CHECK(uffd_wait_msg(fd, &m, 0) == 0, "a write to an unprotected page was reported");

	/* page 2 is still protected; clear it with DONTWAKE */
	touch_start(&t, a + 2 * PAGE_SIZE, 1, 'Z');
	expect_msg(fd, a + 2 * PAGE_SIZE, WPW, "write to another protected page");
	CHECK(uffd_writeprotect(fd, a + 2 * PAGE_SIZE, PAGE_SIZE,
				UFFDIO_WRITEPROTECT_MODE_DONTWAKE) == 0,
	      "WRITEPROTECT(DONTWAKE): errno %d", errno);
	msleep(100);
	CHECK(!t.done, "clearing with DONTWAKE woke the writer");
	CHECK(uffd_wake(fd, a + 2 * PAGE_SIZE, PAGE_SIZE) == 0, "WAKE: errno %d", errno);
	CHECK(touch_done(&t, 2000), "WAKE did not release the writer");
	touch_join(&t);
	CHECK(a[2 * PAGE_SIZE] == 'Z' && a[2 * PAGE_SIZE + 1] == 'c', "page 2 after the write");

	/* page 3 still protected; page 0 too: protect again what was cleared */
	CHECK(uffd_writeprotect(fd, a + PAGE_SIZE, PAGE_SIZE, UFFDIO_WRITEPROTECT_MODE_WP) == 0,
	      "WRITEPROTECT again: errno %d", errno);
	touch_start(&t, a + PAGE_SIZE + 1, 1, 'Q');
	expect_msg(fd, a + PAGE_SIZE, WPW, "write to a page protected again");
	CHECK(uffd_writeprotect(fd, a, 4 * PAGE_SIZE, 0) == 0,
	      "WRITEPROTECT(0) of everything: errno %d", errno);
	CHECK(touch_done(&t, 2000), "writer not released");
	touch_join(&t);
	a[0] = a[3 * PAGE_SIZE] = 'W';
	CHECK(uffd_wait_msg(fd, &m, 0) == 0, "a message after all protection was cleared");
	CHECK(a[PAGE_SIZE + 1] == 'Q' && a[PAGE_SIZE + 50] == 'X' && a[PAGE_SIZE + 60] == 'Y' &&
	      a[3 * PAGE_SIZE + 1] == 'd', "data lost across protect/unprotect");

	/* ---- 2. errors ---- */
	utest_printf("  2. UFFDIO_WRITEPROTECT errors\n");
	CHECK_ERR(uffd_writeprotect(fd, a, PAGE_SIZE, UFFDIO_WRITEPROTECT_MODE_WP |
					      UFFDIO_WRITEPROTECT_MODE_DONTWAKE), EINVAL);
	CHECK_ERR(uffd_writeprotect(fd, a, PAGE_SIZE, 4), EINVAL);
	CHECK_ERR(uffd_writeprotect(fd, a + 1, PAGE_SIZE, UFFDIO_WRITEPROTECT_MODE_WP), EINVAL);
	CHECK_ERR(uffd_writeprotect(fd, a, PAGE_SIZE - 1, UFFDIO_WRITEPROTECT_MODE_WP), EINVAL);
	CHECK_ERR(uffd_writeprotect(fd, a, 0, UFFDIO_WRITEPROTECT_MODE_WP), EINVAL);
	char *b = map_anon(2);
	b[0] = b[PAGE_SIZE] = 1;
	REQUIRE(uffd_register(fd, b, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0, "REGISTER");
	CHECK_ERR(uffd_writeprotect(fd, b, PAGE_SIZE, UFFDIO_WRITEPROTECT_MODE_WP), ENOENT);
	CHECK_ERR(uffd_writeprotect(fd, b + PAGE_SIZE, PAGE_SIZE, UFFDIO_WRITEPROTECT_MODE_WP), ENOENT);
	munmap(b, 2 * PAGE_SIZE);
	CHECK_ERR(uffd_writeprotect(fd, b, PAGE_SIZE, UFFDIO_WRITEPROTECT_MODE_WP), ENOENT);
	munmap(a, 4 * PAGE_SIZE);
	close(fd);
}

static void part_copy_wp(void)
{
	utest_printf("  3. UFFDIO_COPY with MODE_WP\n");
	int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, UFFD_FEATURE_PAGEFAULT_FLAG_WP, NULL);
	char *a = map_anon(2), *b = map_anon(1);
	struct toucher t;
	struct uffd_msg m;

	REQUIRE(uffd_register(fd, a, 2 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING |
			      UFFDIO_REGISTER_MODE_WP, NULL) == 0, "REGISTER MISSING|WP: errno %d",
		errno);
	memset(src, 'c', PAGE_SIZE);
	touch_start(&t, a + 30, 1, 'w');
	expect_msg(fd, a, UFFD_PAGEFAULT_FLAG_WRITE, "write to a missing page");
	CHECK(uffd_copy(fd, a, src, PAGE_SIZE, UFFDIO_COPY_MODE_WP, NULL) == 0,
	      "COPY(MODE_WP): errno %d (%s)", errno, strerror(errno));
	expect_msg(fd, a, WPW, "the retried write to the page COPYed write-protected");
	msleep(30);
	CHECK(!t.done && a[30] == 'c', "the write went through a write-protected COPY");
	CHECK(uffd_writeprotect(fd, a, PAGE_SIZE, 0) == 0, "WRITEPROTECT(0): errno %d", errno);
	CHECK(touch_done(&t, 2000), "writer not released");
	touch_join(&t);
	CHECK(a[30] == 'w' && a[29] == 'c' && a[31] == 'c', "page after COPY(WP) + write: %c%c%c",
	      a[29], a[30], a[31]);

	touch_start(&t, a + PAGE_SIZE + 7, 0, 0);
	expect_msg(fd, a + PAGE_SIZE, 0, "read of a missing page");
	memset(src, 'd', PAGE_SIZE);
	CHECK(uffd_copy(fd, a + PAGE_SIZE, src, PAGE_SIZE, UFFDIO_COPY_MODE_WP, NULL) == 0,
	      "COPY(MODE_WP): errno %d", errno);
	CHECK(touch_done(&t, 2000), "reader not released by COPY(MODE_WP)");
	touch_join(&t);
	CHECK(t.seen == 'd', "read %c, want d", t.seen);
	CHECK(uffd_wait_msg(fd, &m, 0) == 0, "a read of a page COPYed write-protected was reported");
	/* and it is protected: a write waits */
	touch_start(&t, a + PAGE_SIZE + 8, 1, 'e');
	expect_msg(fd, a + PAGE_SIZE, WPW, "write to the page COPYed write-protected");
	CHECK(uffd_writeprotect(fd, a + PAGE_SIZE, PAGE_SIZE, 0) == 0,
	      "WRITEPROTECT(0): errno %d", errno);
	CHECK(touch_done(&t, 2000), "writer not released");
	touch_join(&t);

	REQUIRE(uffd_register(fd, b, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0, "REGISTER");
	__s64 res = 0;
	errno = 0;
	int r = uffd_copy(fd, b, src, PAGE_SIZE, UFFDIO_COPY_MODE_WP, &res);
	CHECK(r == -1 && errno == EINVAL && res == -EINVAL,
	      "COPY(MODE_WP) into a range registered without MODE_WP: %d errno %d copy %lld, "
	      "want -1/EINVAL, -EINVAL", r, errno, (long long)res);
	munmap(a, 2 * PAGE_SIZE);
	munmap(b, PAGE_SIZE);
	close(fd);
}

int main(int argc, char **argv)
{
	utest_begin("uffd_wp", argc, argv);
	if (!(uffd_features() & UFFD_FEATURE_PAGEFAULT_FLAG_WP))
		utest_skip("UFFD_FEATURE_PAGEFAULT_FLAG_WP not reported");
	part_protect();
	part_copy_wp();
	return utest_done();
}
