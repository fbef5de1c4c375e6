/*
 * uffd_shared: userfaultfd MISSING mode on shared anonymous memory
 * (MAP_SHARED|MAP_ANONYMOUS), which the kernel backs with one shared object
 * of pages rather than per-process anonymous pages.
 *
 *   - a handler thread serves each missing page with UFFDIO_COPY; the main
 *     thread reads 4 pages and sees exactly what was copied, one fault each;
 *   - the pages are really shared: a forked child (whose mapping is not
 *     registered) reads the same bytes without any message, writes one,
 *     and the parent sees the write;
 *   - UFFDIO_ZEROPAGE on a fifth page gives zeros; COPY on a page that is
 *     already there is EEXIST.
 */
#include "uffd_util.h"

#define NPAGES 5
#define PAGE 4096

static int uffd;
static char *area;
static int served;

static void *handler(void *arg)
{
	static char src[PAGE];
	(void)arg;
	while (served < 4) {
		struct uffd_msg msg;

		if (uffd_wait_msg(uffd, &msg, 5000) != 1)
			return NULL;
		if (msg.event != UFFD_EVENT_PAGEFAULT)
			continue;
		unsigned long page = (msg.arg.pagefault.address - (unsigned long)area) / PAGE;

		memset(src, 'A' + (int)page, sizeof(src));
		if (uffd_copy(uffd, (void *)(uintptr_t)(msg.arg.pagefault.address & ~(PAGE - 1UL)),
			      src, PAGE, 0, NULL) == 0)
			served++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;

	utest_begin("uffd_shared", argc, argv);
	uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0) {
		utest_printf("SKIP: userfaultfd not available: errno %d\n", errno);
		return 77;
	}
	struct uffdio_api api = { .api = UFFD_API };
	REQUIRE(ioctl(uffd, UFFDIO_API, &api) == 0, "UFFDIO_API: errno %d", errno);

	area = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	REQUIRE(area != MAP_FAILED, "mmap: errno %d", errno);
	__u64 ioctls = 0;
	REQUIRE(uffd_register(uffd, area, NPAGES * PAGE, UFFDIO_REGISTER_MODE_MISSING, &ioctls) == 0,
		"REGISTER shared anonymous: errno %d", errno);
	CHECK(ioctls & (1ULL << _UFFDIO_COPY), "COPY not offered: ioctls %#llx",
	      (unsigned long long)ioctls);

	REQUIRE(pthread_create(&t, NULL, handler, NULL) == 0, "pthread_create");
	for (int i = 0; i < 4; i++)
		CHECK(area[i * PAGE + 100] == 'A' + i, "page %d reads %#x, want '%c'", i,
		      area[i * PAGE + 100], 'A' + i);
	pthread_join(t, NULL);
	CHECK(served == 4, "handler served %d faults, want 4", served);

	/* Already there: EEXIST. */
	static char src[PAGE];
	__s64 copied = 0;
	CHECK(uffd_copy(uffd, area, src, PAGE, 0, &copied) == -1 && errno == EEXIST &&
	      copied == -EEXIST, "COPY onto a present page: errno %d copy %lld", errno,
	      (long long)copied);
	/* ZEROPAGE: page 4 reads zeros. */
	__s64 zeroed = 0;
	CHECK(uffd_zeropage(uffd, area + 4 * PAGE, PAGE, 0, &zeroed) == 0 && zeroed == PAGE,
	      "ZEROPAGE: errno %d result %lld", errno, (long long)zeroed);
	CHECK(area[4 * PAGE + 7] == 0, "zeropage'd page reads %#x", area[4 * PAGE + 7]);

	/* Shared for real: a child sees the copies and its write comes back. */
	pid_t pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		int bad = 0;

		for (int i = 0; i < 4; i++)
			bad += area[i * PAGE] != 'A' + i;
		area[2 * PAGE + 1] = 'z';
		_exit(bad);
	}
	int st = utest_wait(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child saw different pages: status %#x", st);
	CHECK(area[2 * PAGE + 1] == 'z', "the child's write to shared memory is not visible");
	close(uffd);
	munmap(area, NPAGES * PAGE);
	return utest_done();
}
