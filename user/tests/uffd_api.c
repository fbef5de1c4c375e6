/*
 * uffd_api - userfaultfd(2) flags and the UFFDIO_API handshake.
 *
 * Checks:
 *  1. userfaultfd() accepts 0, O_CLOEXEC, O_NONBLOCK, UFFD_USER_MODE_ONLY
 *     (1, the bit of O_WRONLY) and all three together; O_CLOEXEC sets
 *     FD_CLOEXEC, O_NONBLOCK shows in F_GETFL; any other bit (O_RDWR,
 *     O_APPEND, O_CREAT, 1<<30, ...) is EINVAL;
 *  2. before UFFDIO_API every other ioctl (REGISTER, UNREGISTER, WAKE, COPY,
 *     ZEROPAGE, WRITEPROTECT) and read() fail with EINVAL (a blocking fd
 *     does not block), poll() says POLLERR;
 *  3. api != 0xAA, or a feature bit the kernel does not report, is EINVAL
 *     and the struct is zeroed; the same fd then accepts a correct call;
 *  4. the answer: api 0xAA, ioctls exactly REGISTER|UNREGISTER|API, the
 *     same feature set whatever was asked for, and each reported feature
 *     can be asked for;
 *  5. a second UFFDIO_API (also through a dup) is EINVAL and leaves the fd
 *     working; an unknown ioctl on an initialised fd is EINVAL.
 */
#define _GNU_SOURCE
#include "uffd_util.h"

#define API_IOCTLS ((1ULL << _UFFDIO_REGISTER) | (1ULL << _UFFDIO_UNREGISTER) | \
		    (1ULL << _UFFDIO_API))
#define UFFDIO_BOGUS _IOWR(UFFDIO, 0x30, struct uffdio_api)

/* The features we know by name: the reference list's (linux-semantics.md), and WP on shmem. */
static const struct { __u64 bit; const char *name; } feature_names[] = {
	{ UFFD_FEATURE_PAGEFAULT_FLAG_WP, "PAGEFAULT_FLAG_WP" },
	{ UFFD_FEATURE_EVENT_FORK, "EVENT_FORK" },
	{ UFFD_FEATURE_EVENT_REMAP, "EVENT_REMAP" },
	{ UFFD_FEATURE_EVENT_REMOVE, "EVENT_REMOVE" },
	{ UFFD_FEATURE_EVENT_UNMAP, "EVENT_UNMAP" },
	{ UFFD_FEATURE_SIGBUS, "SIGBUS" },
	{ UFFD_FEATURE_THREAD_ID, "THREAD_ID" },
	{ UFFD_FEATURE_WP_HUGETLBFS_SHMEM, "WP_HUGETLBFS_SHMEM" },
};

static void check_flags(void)
{
	static const int good[] = { 0, O_CLOEXEC, O_NONBLOCK, UFFD_USER_MODE_ONLY,
				    O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY };
	static const int bad[] = { O_RDWR, O_APPEND, O_CREAT, O_TRUNC, 1 << 30,
				   O_NONBLOCK | 4, -1 };

	for (unsigned i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		int fl = good[i];
		errno = 0;
		long fd = syscall(SYS_userfaultfd, fl);
		if (!CHECK(fd >= 0, "userfaultfd(%#x): errno %d (%s)", fl, errno, strerror(errno)))
			continue;
		int fdfl = fcntl(fd, F_GETFD);
		int stfl = fcntl(fd, F_GETFL);
		CHECK(fdfl >= 0 && !!(fdfl & FD_CLOEXEC) == !!(fl & O_CLOEXEC),
		      "userfaultfd(%#x): F_GETFD %#x, FD_CLOEXEC should be %s", fl, fdfl,
		      (fl & O_CLOEXEC) ? "set" : "clear");
		CHECK(stfl >= 0 && !!(stfl & O_NONBLOCK) == !!(fl & O_NONBLOCK),
		      "userfaultfd(%#x): F_GETFL %#x, O_NONBLOCK should be %s", fl, stfl,
		      (fl & O_NONBLOCK) ? "set" : "clear");
		struct uffdio_api api = { .api = UFFD_API };
		CHECK(ioctl(fd, UFFDIO_API, &api) == 0, "UFFDIO_API on userfaultfd(%#x): errno %d",
		      fl, errno);
		close(fd);
	}
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		long fd = syscall(SYS_userfaultfd, bad[i]);
		CHECK(fd == -1 && errno == EINVAL, "userfaultfd(%#x): got %ld errno %d (%s), "
		      "want -1/EINVAL", bad[i], fd, errno, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
}

/* Every operation on an fd that has not had UFFDIO_API yet. */
static void check_before_api(int nonblock)
{
	int fd = uffd_create(O_CLOEXEC | (nonblock ? O_NONBLOCK : 0));
	char *area = map_anon(2), buf[64];
	struct uffdio_register reg = { .range = { (uintptr_t)area, 2 * PAGE_SIZE },
				       .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct uffdio_range range = { (uintptr_t)area, PAGE_SIZE };
	struct uffdio_copy copy = { .dst = (uintptr_t)area, .src = (uintptr_t)buf & ~(PAGE_SIZE - 1),
				    .len = PAGE_SIZE };
	struct uffdio_zeropage zp = { .range = { (uintptr_t)area, PAGE_SIZE } };
	struct uffdio_writeprotect wp = { .range = { (uintptr_t)area, PAGE_SIZE },
					  .mode = UFFDIO_WRITEPROTECT_MODE_WP };
	struct pollfd p = { .fd = fd, .events = POLLIN };

	utest_printf("  before UFFDIO_API (%s fd)\n", nonblock ? "non-blocking" : "blocking");
	CHECK_ERR(ioctl(fd, UFFDIO_REGISTER, &reg), EINVAL);
	CHECK_ERR(ioctl(fd, UFFDIO_UNREGISTER, &range), EINVAL);
	CHECK_ERR(ioctl(fd, UFFDIO_WAKE, &range), EINVAL);
	CHECK_ERR(ioctl(fd, UFFDIO_COPY, &copy), EINVAL);
	CHECK_ERR(ioctl(fd, UFFDIO_ZEROPAGE, &zp), EINVAL);
	CHECK_ERR(ioctl(fd, UFFDIO_WRITEPROTECT, &wp), EINVAL);
	CHECK_ERR(read(fd, buf, sizeof(struct uffd_msg)), EINVAL);
	CHECK_ERR(read(fd, buf, sizeof(buf)), EINVAL);
	int r = poll(&p, 1, 0);
	CHECK(r == 1 && (p.revents & POLLERR) && !(p.revents & POLLIN),
	      "poll before UFFDIO_API: returned %d revents %#x, want POLLERR", r, p.revents);
	/* the area was not registered: touching it does not block */
	area[0] = 1;
	CHECK(area[0] == 1 && area[PAGE_SIZE] == 0, "area changed");
	/* and the fd still takes its handshake */
	struct uffdio_api api = { .api = UFFD_API };
	CHECK(ioctl(fd, UFFDIO_API, &api) == 0, "UFFDIO_API after refused calls: errno %d", errno);
	munmap(area, 2 * PAGE_SIZE);
	close(fd);
}

int main(int argc, char **argv)
{
	struct uffdio_api api;
	__u64 all;
	int fd, fd2;

	utest_begin("uffd_api", argc, argv);
	fd = uffd_create(O_CLOEXEC);      /* skips if there is no userfaultfd */
	close(fd);

	/* ---- 1. flags ---------------------------------------------------- */
	check_flags();

	/* ---- 2. before the handshake ------------------------------------- */
	check_before_api(1);
	check_before_api(0);

	/* ---- 4. the answer ----------------------------------------------- */
	fd = uffd_create(O_CLOEXEC | O_NONBLOCK);
	memset(&api, 0xff, sizeof(api));
	api.api = UFFD_API;
	api.features = 0;
	REQUIRE(ioctl(fd, UFFDIO_API, &api) == 0, "UFFDIO_API: errno %d (%s)", errno, strerror(errno));
	all = api.features;
	utest_printf("  UFFDIO_API: api %#llx features %#llx ioctls %#llx\n",
		     (unsigned long long)api.api, (unsigned long long)api.features,
		     (unsigned long long)api.ioctls);
	{
		char names[256] = "";
		for (unsigned i = 0; i < sizeof(feature_names) / sizeof(feature_names[0]); i++)
			if (all & feature_names[i].bit) {
				strcat(names, " ");
				strcat(names, feature_names[i].name);
			}
		utest_printf("  features among the reference list:%s\n", names[0] ? names : " none");
	}
	CHECK(api.api == UFFD_API, "api field after UFFDIO_API: %#llx, want 0xaa",
	      (unsigned long long)api.api);
	CHECK(api.ioctls == API_IOCTLS, "ioctls %#llx, want REGISTER|UNREGISTER|API = %#llx",
	      (unsigned long long)api.ioctls, (unsigned long long)API_IOCTLS);

	/* ---- 5. a second handshake --------------------------------------- */
	api = (struct uffdio_api){ .api = UFFD_API };
	CHECK_ERR(ioctl(fd, UFFDIO_API, &api), EINVAL);
	fd2 = dup(fd);
	CHECK(fd2 >= 0, "dup: errno %d", errno);
	api = (struct uffdio_api){ .api = UFFD_API };
	CHECK_ERR(ioctl(fd2, UFFDIO_API, &api), EINVAL);
	CHECK_ERR(ioctl(fd, UFFDIO_BOGUS, &api), EINVAL);
	{
		char *a = map_anon(1);
		__u64 ioctls = 0;
		CHECK(uffd_register(fd2, a, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, &ioctls) == 0,
		      "REGISTER through a dup after a refused second API: errno %d", errno);
		CHECK(uffd_unregister(fd, a, PAGE_SIZE) == 0, "UNREGISTER: errno %d", errno);
		struct uffd_msg m;
		CHECK_ERR(read(fd, &m, sizeof(m)), EAGAIN);   /* initialised, empty, O_NONBLOCK */
		munmap(a, PAGE_SIZE);
	}
	close(fd2);
	close(fd);

	/* ---- 3. refused handshakes --------------------------------------- */
	fd = uffd_create(O_CLOEXEC);
	static const __u64 bad_api[] = { 0, 0xab, 0xa9, 0x1aa, ~0ULL };
	for (unsigned i = 0; i < sizeof(bad_api) / sizeof(bad_api[0]); i++) {
		api = (struct uffdio_api){ .api = bad_api[i], .features = 0, .ioctls = 7 };
		errno = 0;
		int r = ioctl(fd, UFFDIO_API, &api);
		CHECK(r == -1 && errno == EINVAL, "UFFDIO_API with api %#llx: %d errno %d, want EINVAL",
		      (unsigned long long)bad_api[i], r, errno);
		CHECK(api.api == 0 && api.features == 0 && api.ioctls == 0,
		      "refused UFFDIO_API (api %#llx) left api %#llx features %#llx ioctls %#llx, "
		      "want all zero", (unsigned long long)bad_api[i], (unsigned long long)api.api,
		      (unsigned long long)api.features, (unsigned long long)api.ioctls);
	}
	int unknown = 0;
	for (int b = 0; b < 64; b++) {
		if (all & (1ULL << b))
			continue;
		unknown++;
		api = (struct uffdio_api){ .api = UFFD_API, .features = 1ULL << b };
		errno = 0;
		int r = ioctl(fd, UFFDIO_API, &api);
		CHECK(r == -1 && errno == EINVAL, "UFFDIO_API asking for unreported feature bit %d: "
		      "%d errno %d, want -1/EINVAL", b, r, errno);
		if (r == 0) {     /* it took: a new fd for the rest */
			close(fd);
			fd = uffd_create(O_CLOEXEC);
		}
	}
	CHECK(unknown > 0, "every one of the 64 feature bits reported?");
	api = (struct uffdio_api){ .api = UFFD_API, .features = 0 };
	CHECK(ioctl(fd, UFFDIO_API, &api) == 0, "a correct UFFDIO_API after refused ones: errno %d",
	      errno);
	CHECK(api.features == all, "features %#llx, earlier %#llx", (unsigned long long)api.features,
	      (unsigned long long)all);
	close(fd);

	/* each reported feature can be asked for; the answer is the same set */
	for (int b = 0; b < 64; b++) {
		if (!(all & (1ULL << b)))
			continue;
		fd = uffd_create(O_CLOEXEC);
		api = (struct uffdio_api){ .api = UFFD_API, .features = 1ULL << b };
		errno = 0;
		int r = ioctl(fd, UFFDIO_API, &api);
		CHECK(r == 0, "UFFDIO_API asking for reported feature bit %d: errno %d (%s)", b,
		      errno, strerror(errno));
		CHECK(r != 0 || (api.features == all && api.ioctls == API_IOCTLS),
		      "asking for bit %d: features %#llx ioctls %#llx, want %#llx %#llx", b,
		      (unsigned long long)api.features, (unsigned long long)api.ioctls,
		      (unsigned long long)all, (unsigned long long)API_IOCTLS);
		close(fd);
	}
	/* the four features (WP, EVENT_FORK, SIGBUS, THREAD_ID) at once, when all are reported */
	__u64 four = UFFD_FEATURE_PAGEFAULT_FLAG_WP | UFFD_FEATURE_EVENT_FORK |
		     UFFD_FEATURE_SIGBUS | UFFD_FEATURE_THREAD_ID;
	if ((all & four) == four) {
		fd = uffd_create(O_CLOEXEC);
		api = (struct uffdio_api){ .api = UFFD_API, .features = four };
		CHECK(ioctl(fd, UFFDIO_API, &api) == 0 && api.features == all,
		      "UFFDIO_API with WP|FORK|SIGBUS|THREAD_ID: errno %d, features %#llx", errno,
		      (unsigned long long)api.features);
		close(fd);
	}

	return utest_done();
}
