/*
 * uffd_register - UFFDIO_REGISTER and UFFDIO_UNREGISTER.
 *
 * Checks:
 *  1. refused ranges, EINVAL: unaligned start or length, length 0, start 0
 *     (below mmap_min_addr), a range ending past user space or starting in
 *     the kernel half, a wrapping length, a range with no VMA at all; mode 0,
 *     unknown mode bits, MODE_MINOR on anonymous memory;
 *  2. a file-backed VMA (this test's own binary, mapped read-only) is
 *     EINVAL, also when the range starts on an anonymous VMA next to it -
 *     and then nothing was registered;
 *  3. a range registered with another uffd is EBUSY (also partly overlapping);
 *     the same uffd may register it again;
 *  4. the ioctls mask: WAKE, COPY, ZEROPAGE always; WRITEPROTECT only with
 *     MODE_WP; never CONTINUE; MAP_SHARED anonymous memory registers too,
 *     also with MODE_WP where WP_HUGETLBFS_SHMEM is reported;
 *  5. VMAs are split at the range edges: registering the middle page of
 *     three, a touch of page 0 or 2 is an ordinary fault, page 1 sends a
 *     message with its address;
 *  6. UNREGISTER: unaligned / empty / no-VMA ranges EINVAL; after it a touch
 *     faults normally (no message, zeros) and COPY there is ENOENT; an
 *     unregistered range can be unregistered again; after close() of a uffd
 *     its range can be registered by another uffd.
 */
#define _GNU_SOURCE
#include "uffd_util.h"

#define WANT_IOCTLS ((1ULL << _UFFDIO_WAKE) | (1ULL << _UFFDIO_COPY) | (1ULL << _UFFDIO_ZEROPAGE))

/* register must fail with EINVAL; say what the range was */
static void reg_einval(int fd, uintptr_t start, size_t len, __u64 mode, const char *what)
{
	__u64 ioctls = 0;
	errno = 0;
	int r = uffd_register(fd, (void *)start, len, mode, &ioctls);
	CHECK(r == -1 && errno == EINVAL, "REGISTER %s (start %#lx len %#zx mode %#llx): "
	      "got %d errno %d (%s), want -1/EINVAL", what, (unsigned long)start, len,
	      (unsigned long long)mode, r, errno, strerror(errno));
}

/* Touching addr in a thread must end within 2 s (no userfault). */
static void touch_ok(int fd, void *addr, int write, const char *what)
{
	struct toucher t;
	struct uffd_msg m;

	touch_start(&t, addr, write, 0x33);
	int done = touch_done(&t, 2000);
	CHECK(done, "%s: the touch of %p did not finish (a userfault where none is due?)",
	      what, addr);
	if (!done) {
		/* release it: serve the page, then give up on this fd's range */
		uffd_zeropage(fd, (void *)((uintptr_t)addr & ~(PAGE_SIZE - 1)), PAGE_SIZE, 0, NULL);
		touch_done(&t, 2000);
	}
	touch_join(&t);
	CHECK(uffd_wait_msg(fd, &m, 0) == 0, "%s: a message was queued (event %#x address %#llx)",
	      what, m.event, (unsigned long long)m.arg.pagefault.address);
	if (!write)
		CHECK(t.seen == 0, "%s: read %d, want 0", what, t.seen);
}

int main(int argc, char **argv)
{
	__u64 feat, ioctls;
	int fd, fd2;
	char *a, *b;

	utest_begin("uffd_register", argc, argv);
	fd = uffd_open(O_CLOEXEC | O_NONBLOCK, 0, &feat);
	fd2 = uffd_open(O_CLOEXEC | O_NONBLOCK, 0, NULL);

	/* ---- 1. refused ranges and modes --------------------------------- */
	a = map_anon(4);
	uintptr_t A = (uintptr_t)a;
	reg_einval(fd, A + 1, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, "unaligned start");
	reg_einval(fd, A + 100, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, "unaligned start");
	reg_einval(fd, A, PAGE_SIZE + 1, UFFDIO_REGISTER_MODE_MISSING, "unaligned length");
	reg_einval(fd, A, 100, UFFDIO_REGISTER_MODE_MISSING, "length below a page");
	reg_einval(fd, A, 0, UFFDIO_REGISTER_MODE_MISSING, "length 0");
	reg_einval(fd, 0, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, "at address 0");
	reg_einval(fd, 0x7ffffffff000UL, 2 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING,
		   "ending past user space");
	reg_einval(fd, 0x800000000000UL, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING,
		   "at the end of user space");
	reg_einval(fd, 0xffff800000000000UL, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING,
		   "in the kernel half");
	reg_einval(fd, 0xffffffffff600000UL, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING,
		   "on the vsyscall page");
	reg_einval(fd, A, (size_t)0 - A, UFFDIO_REGISTER_MODE_MISSING, "wrapping around");
	reg_einval(fd, A, 0x800000000000UL, UFFDIO_REGISTER_MODE_MISSING, "too long");
	reg_einval(fd, A, PAGE_SIZE, 0, "mode 0");
	reg_einval(fd, A, PAGE_SIZE, 8, "unknown mode bit 8");
	reg_einval(fd, A, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING | (1ULL << 40),
		   "unknown mode bit 40");
	reg_einval(fd, A, PAGE_SIZE, UFFDIO_REGISTER_MODE_MINOR, "MODE_MINOR on anonymous memory");
	b = map_anon(3);
	REQUIRE(munmap(b, 3 * PAGE_SIZE) == 0, "munmap");
	reg_einval(fd, (uintptr_t)b, 3 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, "without VMAs");
	/* nothing above registered anything: a touch is an ordinary fault */
	touch_ok(fd, a, 0, "after refused registrations");

	/* ---- 2. a file-backed VMA ---------------------------------------- */
	{
		const char *path = utest_path("/tests/uffd_register");
		int ffd = open(path, O_RDONLY);
		if (CHECK(ffd >= 0, "open(%s): errno %d (%s)", path, errno, strerror(errno))) {
			char *f = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE, ffd, 0);
			CHECK(f != MAP_FAILED, "mmap of %s: errno %d", path, errno);
			if (f != MAP_FAILED) {
				reg_einval(fd, (uintptr_t)f, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING,
					   "a file mapping");
				CHECK(f[0] == 0x7f && f[1] == 'E', "the file mapping does not show the ELF header");
				munmap(f, PAGE_SIZE);
			}
			/* anonymous page, then the file right after it */
			char *g = map_anon(2);
			f = mmap(g + PAGE_SIZE, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_FIXED, ffd, 0);
			CHECK(f == g + PAGE_SIZE, "mmap MAP_FIXED of the file: %p errno %d", f, errno);
			if (f == g + PAGE_SIZE) {
				reg_einval(fd, (uintptr_t)g, 2 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING,
					   "anonymous page + file page");
				touch_ok(fd, g, 1, "anonymous page next to a file page, after a refused REGISTER");
			}
			munmap(g, 2 * PAGE_SIZE);
			close(ffd);
		}
	}

	/* ---- 4. the ioctls mask ------------------------------------------ */
	ioctls = 0;
	CHECK(uffd_register(fd, a, 2 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, &ioctls) == 0,
	      "REGISTER MISSING: errno %d (%s)", errno, strerror(errno));
	utest_printf("  REGISTER MISSING: ioctls %#llx\n", (unsigned long long)ioctls);
	CHECK((ioctls & WANT_IOCTLS) == WANT_IOCTLS, "ioctls %#llx lack WAKE|COPY|ZEROPAGE (%#llx)",
	      (unsigned long long)ioctls, (unsigned long long)WANT_IOCTLS);
	CHECK(!(ioctls & (1ULL << _UFFDIO_WRITEPROTECT)), "ioctls %#llx offer WRITEPROTECT "
	      "without MODE_WP", (unsigned long long)ioctls);
	CHECK(!(ioctls & (1ULL << _UFFDIO_CONTINUE)), "ioctls %#llx offer CONTINUE",
	      (unsigned long long)ioctls);
	CHECK(!(ioctls & ((1ULL << _UFFDIO_REGISTER) | (1ULL << _UFFDIO_UNREGISTER) | (1ULL << _UFFDIO_API))),
	      "ioctls %#llx include REGISTER/UNREGISTER/API bits",
	      (unsigned long long)ioctls);

	/* ---- 3. EBUSY ------------------------------------------------------ */
	errno = 0;
	CHECK_ERR(uffd_register(fd2, a, 2 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL), EBUSY);
	CHECK_ERR(uffd_register(fd2, a + PAGE_SIZE, 3 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING,
				NULL), EBUSY);
	/* pages 2 and 3 were not taken by fd2: a touch there is ordinary */
	touch_ok(fd2, a + 3 * PAGE_SIZE, 0, "page outside any registration after EBUSY");
	CHECK(uffd_register(fd, a, 2 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, &ioctls) == 0,
	      "REGISTER again with the same uffd: errno %d", errno);
	CHECK(uffd_register(fd, a, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, &ioctls) == 0,
	      "REGISTER a part again with the same uffd: errno %d", errno);

	if (feat & UFFD_FEATURE_PAGEFAULT_FLAG_WP) {
		b = map_anon(1);
		CHECK(uffd_register(fd, b, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING |
				    UFFDIO_REGISTER_MODE_WP, &ioctls) == 0,
		      "REGISTER MISSING|WP: errno %d", errno);
		CHECK((ioctls & WANT_IOCTLS) == WANT_IOCTLS &&
		      (ioctls & (1ULL << _UFFDIO_WRITEPROTECT)),
		      "MISSING|WP ioctls %#llx, want WAKE|COPY|ZEROPAGE|WRITEPROTECT",
		      (unsigned long long)ioctls);
		CHECK(uffd_unregister(fd, b, PAGE_SIZE) == 0, "UNREGISTER: errno %d", errno);
		CHECK(uffd_register(fd, b, PAGE_SIZE, UFFDIO_REGISTER_MODE_WP, &ioctls) == 0,
		      "REGISTER WP: errno %d", errno);
		CHECK(ioctls & (1ULL << _UFFDIO_WRITEPROTECT), "WP ioctls %#llx lack WRITEPROTECT",
		      (unsigned long long)ioctls);
		CHECK(uffd_unregister(fd, b, PAGE_SIZE) == 0, "UNREGISTER: errno %d", errno);
		munmap(b, PAGE_SIZE);
	} else {
		utest_printf("  no PAGEFAULT_FLAG_WP: MODE_WP masks not checked\n");
	}
	{
		char *s = mmap(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		REQUIRE(s != MAP_FAILED, "mmap MAP_SHARED|MAP_ANONYMOUS: errno %d", errno);
		ioctls = 0;
		CHECK(uffd_register(fd, s, 2 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, &ioctls) == 0,
		      "REGISTER of a shared anonymous mapping: errno %d (%s)", errno, strerror(errno));
		CHECK((ioctls & WANT_IOCTLS) == WANT_IOCTLS, "shared anonymous: ioctls %#llx",
		      (unsigned long long)ioctls);
		if (feat & UFFD_FEATURE_WP_HUGETLBFS_SHMEM) {
			CHECK(uffd_register(fd, s, 2 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING |
					    UFFDIO_REGISTER_MODE_WP, &ioctls) == 0,
			      "REGISTER MISSING|WP of a shared anonymous mapping: errno %d (%s)",
			      errno, strerror(errno));
			CHECK((ioctls & WANT_IOCTLS) == WANT_IOCTLS &&
			      (ioctls & (1ULL << _UFFDIO_WRITEPROTECT)),
			      "shared anonymous MISSING|WP: ioctls %#llx", (unsigned long long)ioctls);
		}
		CHECK(uffd_unregister(fd, s, 2 * PAGE_SIZE) == 0, "UNREGISTER: errno %d", errno);
		munmap(s, 2 * PAGE_SIZE);
	}

	/* ---- 6. UNREGISTER ------------------------------------------------- */
	CHECK_ERR(uffd_unregister(fd, a + 1, PAGE_SIZE), EINVAL);
	CHECK_ERR(uffd_unregister(fd, a, PAGE_SIZE + 1), EINVAL);
	CHECK_ERR(uffd_unregister(fd, a, 0), EINVAL);
	b = map_anon(1);
	munmap(b, PAGE_SIZE);
	CHECK_ERR(uffd_unregister(fd, b, PAGE_SIZE), EINVAL);
	CHECK(uffd_unregister(fd, a, 2 * PAGE_SIZE) == 0, "UNREGISTER: errno %d (%s)", errno,
	      strerror(errno));
	touch_ok(fd, a + PAGE_SIZE, 0, "read after UNREGISTER");
	touch_ok(fd, a, 1, "write after UNREGISTER");
	{
		static char src[2 * PAGE_SIZE];
		char *s = (char *)(((uintptr_t)src + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
		__s64 res = 0;
		CHECK_ERR(uffd_copy(fd, a + 2 * PAGE_SIZE, s, PAGE_SIZE, 0, &res), ENOENT);
		CHECK(res == -ENOENT, "COPY to an unregistered page: copy field %lld, want -ENOENT",
		      (long long)res);
	}
	CHECK(uffd_unregister(fd, a, 4 * PAGE_SIZE) == 0,
	      "UNREGISTER of a range not registered: errno %d (%s)", errno, strerror(errno));
	munmap(a, 4 * PAGE_SIZE);

	/* ---- 5. splitting ---------------------------------------------------- */
	a = map_anon(3);
	CHECK(uffd_register(fd, a + PAGE_SIZE, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0,
	      "REGISTER the middle page: errno %d", errno);
	touch_ok(fd, a, 0, "read of the page before the registered one");
	touch_ok(fd, a + 2 * PAGE_SIZE + 17, 1, "write to the page after the registered one");
	{
		struct toucher t;
		struct uffd_msg m;
		touch_start(&t, a + PAGE_SIZE + 5, 0, 0);
		int got = uffd_wait_msg(fd, &m, 2000);
		CHECK(got == 1, "no message for a read of the registered middle page");
		if (got == 1)
			CHECK(m.event == UFFD_EVENT_PAGEFAULT &&
			      m.arg.pagefault.address == (uintptr_t)(a + PAGE_SIZE),
			      "message event %#x address %#llx, want PAGEFAULT %p", m.event,
			      (unsigned long long)m.arg.pagefault.address, a + PAGE_SIZE);
		CHECK(!t.done, "the reader of a registered missing page did not wait");
		CHECK(uffd_zeropage(fd, a + PAGE_SIZE, PAGE_SIZE, 0, NULL) == 0, "ZEROPAGE: errno %d",
		      errno);
		CHECK(touch_done(&t, 2000), "the reader did not resume after ZEROPAGE");
		touch_join(&t);
	}
	CHECK(uffd_unregister(fd, a, 3 * PAGE_SIZE) == 0, "UNREGISTER over split VMAs: errno %d",
	      errno);

	/* ---- release frees the registration for another uffd -------------- */
	CHECK(uffd_register(fd, a, 3 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0,
	      "REGISTER: errno %d", errno);
	CHECK_ERR(uffd_register(fd2, a, 3 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL), EBUSY);
	close(fd);
	CHECK(uffd_register(fd2, a, 3 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0,
	      "REGISTER after the owning uffd was closed: errno %d (%s)", errno, strerror(errno));
	CHECK(uffd_unregister(fd2, a, 3 * PAGE_SIZE) == 0, "UNREGISTER: errno %d", errno);
	munmap(a, 3 * PAGE_SIZE);
	close(fd2);
	return utest_done();
}
