/*
 * uffd-demo - userfaultfd(2) in action: page faults handled by a thread.
 *
 *     uffd-demo [npages]          (default 4, at most 64)
 *
 * The shape of the example in the userfaultfd(2) man page, written our own
 * way:
 *   1. userfaultfd() gives a file descriptor; UFFDIO_API agrees on the ABI;
 *   2. mmap() reserves npages of anonymous memory - no page exists yet - and
 *      UFFDIO_REGISTER (MODE_MISSING) hands its missing-page faults to the fd;
 *   3. a handler thread poll()s the fd; each read() gives one struct
 *      uffd_msg (event UFFD_EVENT_PAGEFAULT, the page address, WRITE or not);
 *      the handler fills a page of its own and UFFDIO_COPY installs a copy
 *      of it at the faulting address, which wakes the faulting thread;
 *   4. the main thread reads through the range: the first touch of each page
 *      waits for the handler, later touches of the same page do not.
 *
 * Exit status 0 when every byte read is what the handler copied.
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
#include <unistd.h>
#include <linux/userfaultfd.h>
#include "say.h"

#define PAGE 4096UL

static int uffd;
static long npages;
static volatile int done;
static int faults;

static void die(const char *what)
{
	say("uffd-demo: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* The handler thread: one fault at a time, each served with UFFDIO_COPY. */
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
			continue;          /* woken by someone else meanwhile */
		if (n != sizeof(msg))
			die("read");
		if (msg.event != UFFD_EVENT_PAGEFAULT) {
			say("handler: unexpected event %#x\n", msg.event);
			exit(1);
		}
		faults++;
		unsigned long addr = msg.arg.pagefault.address;
		say("handler: fault #%d at %#lx (%s), serving it with '%c'\n", faults, addr,
		    (msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WRITE) ? "write" : "read",
		    'A' + (faults - 1) % 26);
		memset(page, 'A' + (faults - 1) % 26, PAGE);
		struct uffdio_copy copy = {
			.dst = addr & ~(PAGE - 1),
			.src = (unsigned long)page,
			.len = PAGE,
			.mode = 0,
		};
		if (ioctl(uffd, UFFDIO_COPY, &copy) == -1 && errno != EEXIST)
			die("UFFDIO_COPY");
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th;
	int bad = 0;

	npages = argc > 1 ? strtol(argv[1], NULL, 0) : 4;
	if (npages < 1 || npages > 64) {
		say("usage: uffd-demo [npages (1-64)]\n");
		return 2;
	}
	say("uffd-demo: %ld pages whose first touch is handled by a thread of ours.\n"
	    "Each page waits, missing, until the handler copies one in (UFFDIO_COPY);\n"
	    "the main thread reads 4 bytes of every page, 1024 bytes apart.\n", npages);

	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0)
		die("userfaultfd");
	struct uffdio_api api = { .api = UFFD_API, .features = 0 };
	if (ioctl(uffd, UFFDIO_API, &api) == -1)
		die("UFFDIO_API");

	char *area = mmap(NULL, npages * PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		die("mmap");
	struct uffdio_register reg = {
		.range = { .start = (unsigned long)area, .len = npages * PAGE },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	if (ioctl(uffd, UFFDIO_REGISTER, &reg) == -1)
		die("UFFDIO_REGISTER");
	say("registered %#lx-%#lx; ioctls offered: %#llx\n", (unsigned long)area,
	    (unsigned long)area + npages * PAGE, (unsigned long long)reg.ioctls);

	if ((errno = pthread_create(&th, NULL, handler, NULL)) != 0)
		die("pthread_create");

	for (long i = 0; i < npages; i++) {
		char want = 'A' + i % 26;
		for (unsigned off = 0; off < PAGE; off += 1024) {
			char c = area[i * PAGE + off];      /* the first one waits */
			say("main: page %ld offset %4u reads '%c'\n", i, off, c);
			if (c != want)
				bad++;
		}
	}
	done = 1;
	pthread_join(th, NULL);
	say("uffd-demo: %d faults handled for %ld pages; %s\n", faults, npages,
	    bad || faults != npages ? "WRONG data or fault count" : "every byte as copied");
	return bad || faults != npages;
}
