/*
 * lazymem - "post-copy" memory: pages arrive on first touch from a server.
 *
 *     lazymem [npages] [stride]       (default 32 pages, stride 3)
 *
 * Live migration of a virtual machine can restart it on the new host before
 * its memory has moved: every page the guest touches is fetched from the old
 * host on demand ("post-copy"). This demo plays both sides in two processes:
 *
 *   - the client mmap()s an empty area for the image, registers it with a
 *     userfaultfd (MODE_MISSING), then forks
 *   - the server, a child that builds the memory image (here: a text header
 *     and a pattern per page) and answers page requests over a pipe;
 *   - the client's handler thread reads each fault from the uffd, asks the
 *     server for that page, reads the 4096 bytes back and installs them with
 *     UFFDIO_COPY, which wakes the faulting thread;
 *   - the client's main thread touches only some pages (every page whose
 *     index is not a multiple of `stride`, in a scrambled order, one of them
 *     by a write): only those ever move.
 *
 * Exit status 0 when every touched page holds the server's bytes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/userfaultfd.h>
#include "say.h"

#define PAGE 4096UL

static int uffd, req_w, resp_r;
static long npages;
static char *area;
static volatile int done;
static int faults, fetched;
static long bytes_moved;

static void die(const char *what)
{
	say("lazymem: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* The image: what the server holds (the client only uses it to check). */
static void make_page(char *p, unsigned long i)
{
	for (unsigned long off = 0; off < PAGE; off++)
		p[off] = (char)('a' + (i * 7 + off / 64) % 26);
	snprintf(p, 64, "lazymem image page %lu of %ld", i, npages);
}

static int read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += n;
	}
	return 0;
}

/* The server process: owns the image, sends a page per request. */
static void server(int req_r, int resp_w)
{
	char *image = mmap(NULL, npages * PAGE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint32_t want;
	int sent = 0;

	if (image == MAP_FAILED)
		die("server: mmap");
	for (long i = 0; i < npages; i++)
		make_page(image + i * PAGE, i);
	while (read_full(req_r, &want, sizeof(want)) == 0) {
		if (want >= npages) {
			say("server: bad request %u\n", want);
			_exit(1);
		}
		if (write(resp_w, image + (unsigned long)want * PAGE, PAGE) != (ssize_t)PAGE)
			die("server: write");
		sent++;
	}
	say("server: request pipe closed; sent %d of %ld pages (%ld bytes)\n", sent, npages,
	    sent * (long)PAGE);
	_exit(0);
}

/* The client's handler thread: fault -> request -> page -> UFFDIO_COPY. */
static void *handler(void *arg)
{
	static char page[PAGE] __attribute__((aligned(4096)));
	struct uffd_msg msg;
	(void)arg;

	while (!done) {
		struct pollfd p = { .fd = uffd, .events = POLLIN };
		int r = poll(&p, 1, 100);
		if (r == 0 || (r < 0 && errno == EINTR))
			continue;
		if (r < 0)
			die("poll");
		ssize_t n = read(uffd, &msg, sizeof(msg));
		if (n < 0 && errno == EAGAIN)
			continue;
		if (n != sizeof(msg) || msg.event != UFFD_EVENT_PAGEFAULT)
			die("read(uffd)");
		faults++;
		unsigned long addr = msg.arg.pagefault.address & ~(PAGE - 1);
		uint32_t idx = (addr - (unsigned long)area) / PAGE;
		say("client: %s fault on page %2u -> fetching it from the server\n",
		    (msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WRITE) ? "write" : "read ", idx);
		if (write(req_w, &idx, sizeof(idx)) != sizeof(idx))
			die("write request");
		if (read_full(resp_r, page, PAGE))
			die("read page");
		fetched++;
		bytes_moved += PAGE;
		struct uffdio_copy copy = { .dst = addr, .src = (unsigned long)page, .len = PAGE };
		if (ioctl(uffd, UFFDIO_COPY, &copy) == -1 && errno != EEXIST)
			die("UFFDIO_COPY");
	}
	return NULL;
}

int main(int argc, char **argv)
{
	static char want[PAGE];
	int req[2], resp[2], touched = 0, bad = 0;
	long stride;
	pthread_t th;

	npages = argc > 1 ? strtol(argv[1], NULL, 0) : 32;
	stride = argc > 2 ? strtol(argv[2], NULL, 0) : 3;
	if (npages < 1 || npages > 4096 || stride < 2) {
		say("usage: lazymem [npages (1-4096)] [stride (>= 2)]\n");
		return 2;
	}
	say("lazymem: a %ld-page memory image lives in a server process; the client's\n"
	    "copy starts empty and each page moves on its first touch (post-copy).\n"
	    "The client touches the pages whose index is not a multiple of %ld.\n",
	    npages, stride);

	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0)
		die("userfaultfd");
	struct uffdio_api api = { .api = UFFD_API };
	if (ioctl(uffd, UFFDIO_API, &api) == -1)
		die("UFFDIO_API");
	area = mmap(NULL, npages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		die("mmap");
	struct uffdio_register reg = {
		.range = { (unsigned long)area, npages * PAGE },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	if (ioctl(uffd, UFFDIO_REGISTER, &reg) == -1)
		die("UFFDIO_REGISTER");

	if (pipe(req) || pipe(resp))
		die("pipe");
	pid_t pid = fork();       /* the child's copy of `area` is not registered */
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(req[1]);
		close(resp[0]);
		close(uffd);
		server(req[0], resp[1]);
	}
	close(req[0]);
	close(resp[1]);
	req_w = req[1];
	resp_r = resp[0];
	if ((errno = pthread_create(&th, NULL, handler, NULL)) != 0)
		die("pthread_create");

	/* touch in a scrambled order: i = k * 5 mod npages visits each once
	 * when 5 does not divide npages; otherwise plain order */
	long step = npages % 5 ? 5 : 1;
	for (long k = 0; k < npages; k++) {
		long i = (k * step) % npages;
		if (i % stride == 0)
			continue;
		make_page(want, i);
		if (touched == 1)
			area[i * PAGE + 100] = want[100];      /* a write fault */
		if (memcmp(area + i * PAGE, want, PAGE) != 0) {
			say("client: page %ld differs from the server's\n", i);
			bad++;
		}
		touched++;
	}
	/* touched pages are here now: reading them again costs no fault */
	int before = faults;
	for (long i = 1; i < npages; i += stride)
		bad += area[i * PAGE] != 'l';
	done = 1;
	pthread_join(th, NULL);
	close(req_w);                         /* the server ends */
	int st;
	waitpid(pid, &st, 0);
	say("client: touched %d of %ld pages: %d faults, %d pages fetched, %ld bytes moved, "
	    "%ld pages never moved\n", touched, npages, faults, fetched, bytes_moved,
	    npages - fetched);
	if (faults != before)
		bad++;
	int ok = !bad && faults == touched && fetched == touched && WIFEXITED(st) &&
		 WEXITSTATUS(st) == 0;
	say("lazymem: %s\n", ok ? "every touched page holds the server's bytes" : "FAILED");
	return ok ? 0 : 1;
}
