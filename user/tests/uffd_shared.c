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
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "utest.h"

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
		struct pollfd p = { .fd = uffd, .events = POLLIN };
		struct uffd_msg msg;

		if (poll(&p, 1, 5000) != 1 || read(uffd, &msg, sizeof(msg)) != sizeof(msg))
			return NULL;
		if (msg.event != UFFD_EVENT_PAGEFAULT)
			continue;
		unsigned long page = (msg.arg.pagefault.address - (unsigned long)area) / PAGE;

		memset(src, 'A' + (int)page, sizeof(src));
		struct uffdio_copy c = { .dst = msg.arg.pagefault.address & ~(PAGE - 1UL),
					 .src = (unsigned long)src, .len = PAGE };
		if (ioctl(uffd, UFFDIO_COPY, &c) == 0)
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
	struct uffdio_register reg = { .range = { (unsigned long)area, NPAGES * PAGE },
				       .mode = UFFDIO_REGISTER_MODE_MISSING };
	REQUIRE(ioctl(uffd, UFFDIO_REGISTER, &reg) == 0, "REGISTER shared anonymous: errno %d", errno);
	CHECK(reg.ioctls & (1ULL << _UFFDIO_COPY), "COPY not offered: ioctls %#llx",
	      (unsigned long long)reg.ioctls);

	REQUIRE(pthread_create(&t, NULL, handler, NULL) == 0, "pthread_create");
	for (int i = 0; i < 4; i++)
		CHECK(area[i * PAGE + 100] == 'A' + i, "page %d reads %#x, want '%c'", i,
		      area[i * PAGE + 100], 'A' + i);
	pthread_join(t, NULL);
	CHECK(served == 4, "handler served %d faults, want 4", served);

	/* Already there: EEXIST. */
	static char src[PAGE];
	struct uffdio_copy c = { .dst = (unsigned long)area, .src = (unsigned long)src, .len = PAGE };
	CHECK(ioctl(uffd, UFFDIO_COPY, &c) == -1 && errno == EEXIST && c.copy == -EEXIST,
	      "COPY onto a present page: errno %d copy %lld", errno, (long long)c.copy);
	/* ZEROPAGE: page 4 reads zeros. */
	struct uffdio_zeropage z = { .range = { (unsigned long)area + 4 * PAGE, PAGE } };
	CHECK(ioctl(uffd, UFFDIO_ZEROPAGE, &z) == 0 && z.zeropage == PAGE,
	      "ZEROPAGE: errno %d result %lld", errno, (long long)z.zeropage);
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
