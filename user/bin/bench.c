/*
 * bench - the memory-management micro-benchmarks behind `make bench`.
 *
 * The same static binary runs as /init on this kernel and on Linux
 * (`make bench-linux`), under QEMU's -icount shift=0: the guest clock then
 * advances one nanosecond per guest instruction, so a TSC delta is a count
 * of guest instructions and repeats exactly. Each figure is
 *
 *     (rdtsc after the loop - rdtsc before) / iterations
 *
 * that is, instructions per operation, user and kernel together, the loop
 * included. One line per figure:
 *
 *     bench NAME VALUE insns/op N        (N = iterations measured)
 *
 * plus a first line "bench-kernel SYSNAME RELEASE", a line
 *
 *     mem process_frames VALUE frames N
 *
 * (what a process costs: MemFree of /proc/meminfo before and after N
 * children, forked from a small parent, wait blocked in read() - each has
 * written one page of its own, its stack - divided by N, in 4 KiB frames),
 * and a last line "bench-done".
 *
 *   syscall_getpid           getpid()
 *   anon_write_fault         first write to a private anonymous page
 *   anon_read_fault          first read of one (the shared zero page)
 *   cow_fault                child writes a page it shares with its parent
 *   cow_reuse_fault          parent writes a page after the child exited
 *   file_private_cow_fault   first write to a MAP_PRIVATE file page
 *   fork_exit_wait_rssN      fork + child _exit + wait4 at N MiB resident
 *   fork_per_page_rssN       (fork_exit_wait_rssN - ..._rss0) / pages
 *   uffd_missing_roundtrip   fault -> handler read() -> UFFDIO_COPY -> resume
 *   uffd_zeropage_roundtrip  the same with UFFDIO_ZEROPAGE
 *
 * Run by hand it prints the same lines (`bench` from the shell, or on a Linux
 * host, where the figures are TSC ticks, not instructions).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "say.h"

#define PAGE 4096UL
#define MiB  (1024UL * 1024UL)

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static void die(const char *what)
{
	say("bench: %s failed: %s\n", what, strerror(errno));
	exit(1);
}

static void report(const char *name, uint64_t insns, unsigned long n)
{
	say("bench %s %llu insns/op %lu\n", name,
	    (unsigned long long)(insns / n), n);
}

static char *map_anon(unsigned long len, int flags)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_ANONYMOUS | flags, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

static void touch_pages(char *p, unsigned long pages)
{
	for (unsigned long i = 0; i < pages; i++)
		p[i * PAGE] = (char)i;
}

/* Wait for @pid and fail loudly unless it exited with status 0. */
static void reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		say("bench: child %d ended with status 0x%x\n", pid, status);
		exit(1);
	}
}

static void bench_getpid(unsigned long n)
{
	uint64_t t0 = rdtsc();

	for (unsigned long i = 0; i < n; i++)
		syscall(SYS_getpid);
	report("syscall_getpid", rdtsc() - t0, n);
}

static void bench_anon_fault(unsigned long pages, int write)
{
	volatile char *p = map_anon(pages * PAGE, MAP_PRIVATE);
	uint64_t t0 = rdtsc();
	unsigned long sum = 0;

	for (unsigned long i = 0; i < pages; i++) {
		if (write)
			p[i * PAGE] = 1;
		else
			sum += p[i * PAGE];
	}
	report(write ? "anon_write_fault" : "anon_read_fault", rdtsc() - t0,
	       pages);
	if (sum)
		die("zero page not zero");
	munmap((void *)p, pages * PAGE);
}

/* The child writes every page it shares with its parent: one COW copy each. */
static void bench_cow_fault(unsigned long pages)
{
	char *p = map_anon(pages * PAGE, MAP_PRIVATE);
	int fds[2];
	uint64_t d;
	pid_t pid;

	touch_pages(p, pages);
	if (pipe(fds))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		uint64_t t0 = rdtsc();

		for (unsigned long i = 0; i < pages; i++)
			p[i * PAGE] = 2;
		d = rdtsc() - t0;
		_exit(write(fds[1], &d, sizeof(d)) == sizeof(d) ? 0 : 1);
	}
	if (read(fds[0], &d, sizeof(d)) != sizeof(d))
		die("read");
	reap(pid);
	for (unsigned long i = 0; i < pages; i++)
		if (p[i * PAGE] != (char)i)
			die("parent's copy changed");
	report("cow_fault", d, pages);
	close(fds[0]);
	close(fds[1]);
	munmap(p, pages * PAGE);
}

/* The child has gone: each write finds the page its own and reuses it. */
static void bench_cow_reuse(unsigned long pages)
{
	char *p = map_anon(pages * PAGE, MAP_PRIVATE);
	uint64_t t0;
	pid_t pid;

	touch_pages(p, pages);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		_exit(0);
	reap(pid);
	t0 = rdtsc();
	for (unsigned long i = 0; i < pages; i++)
		p[i * PAGE] = 3;
	report("cow_reuse_fault", rdtsc() - t0, pages);
	munmap(p, pages * PAGE);
}

static void bench_file_cow(unsigned long pages)
{
	static char buf[PAGE];
	const char *path = "/tmp/bench.dat";
	uint64_t t0;
	char *p;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		die("open /tmp/bench.dat");
	for (unsigned long i = 0; i < pages; i++) {
		memset(buf, (int)(i & 0x7f) + 1, sizeof(buf));
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			die("write");
	}
	p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		die("mmap file");
	t0 = rdtsc();
	for (unsigned long i = 0; i < pages; i++)
		p[i * PAGE + 1] = 0;
	report("file_private_cow_fault", rdtsc() - t0, pages);
	for (unsigned long i = 0; i < pages; i++)
		if (p[i * PAGE] != (char)((i & 0x7f) + 1))
			die("private copy lost the file's data");
	if (pread(fd, buf, 2, 0) != 2 || buf[1] != 1)
		die("the write reached the file");
	munmap(p, pages * PAGE);
	close(fd);
	unlink(path);
}

/* fork + _exit + wait4 @iters times at @mib MiB resident; returns insns/op. */
static uint64_t bench_fork(unsigned long mib, unsigned long iters)
{
	char *p = NULL;
	char name[64];
	uint64_t t0, d;

	if (mib) {
		p = map_anon(mib * MiB, MAP_PRIVATE);
		touch_pages(p, mib * MiB / PAGE);
	}
	t0 = rdtsc();
	for (unsigned long i = 0; i < iters; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0)
			_exit(0);
		reap(pid);
	}
	d = rdtsc() - t0;
	snprintf(name, sizeof(name), "fork_exit_wait_rss%lu%s", mib,
		 mib ? "m" : "");
	report(name, d, iters);
	if (p)
		munmap(p, mib * MiB);
	return d / iters;
}

struct uffd_server {
	int uffd;
	unsigned long pages;
	int zeropage;
	char *src;
};

/* The handler thread: one blocking read() and one ioctl per fault. */
static void *uffd_serve(void *arg)
{
	struct uffd_server *s = arg;
	struct uffd_msg msg;

	for (unsigned long i = 0; i < s->pages; i++) {
		unsigned long addr;

		if (read(s->uffd, &msg, sizeof(msg)) != sizeof(msg))
			die("read uffd");
		if (msg.event != UFFD_EVENT_PAGEFAULT)
			die("unexpected uffd event");
		addr = msg.arg.pagefault.address & ~(PAGE - 1);
		if (s->zeropage) {
			struct uffdio_zeropage z = {
				.range = { .start = addr, .len = PAGE },
			};
			if (ioctl(s->uffd, UFFDIO_ZEROPAGE, &z))
				die("UFFDIO_ZEROPAGE");
		} else {
			struct uffdio_copy c = {
				.dst = addr, .src = (unsigned long)s->src,
				.len = PAGE,
			};
			if (ioctl(s->uffd, UFFDIO_COPY, &c))
				die("UFFDIO_COPY");
		}
	}
	return NULL;
}

static void bench_uffd(unsigned long pages, int zeropage)
{
	struct uffd_server s = { .pages = pages, .zeropage = zeropage };
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg;
	volatile char *p;
	unsigned long sum = 0;
	pthread_t th;
	uint64_t t0, d;

	s.uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (s.uffd < 0)
		die("userfaultfd");
	if (ioctl(s.uffd, UFFDIO_API, &api))
		die("UFFDIO_API");
	s.src = map_anon(PAGE, MAP_PRIVATE);
	memset(s.src, 0x5a, PAGE);
	p = map_anon(pages * PAGE, MAP_PRIVATE);
	reg.range.start = (unsigned long)p;
	reg.range.len = pages * PAGE;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(s.uffd, UFFDIO_REGISTER, &reg))
		die("UFFDIO_REGISTER");
	if (pthread_create(&th, NULL, uffd_serve, &s))
		die("pthread_create");
	t0 = rdtsc();
	for (unsigned long i = 0; i < pages; i++)
		sum += p[i * PAGE];
	d = rdtsc() - t0;
	pthread_join(th, NULL);
	if (sum != (zeropage ? 0 : pages * 0x5a))
		die("pages arrived with the wrong contents");
	report(zeropage ? "uffd_zeropage_roundtrip" : "uffd_missing_roundtrip",
	       d, pages);
	munmap((void *)p, pages * PAGE);
	munmap(s.src, PAGE);
	close(s.uffd);
}

/* meminfo_free_kb - MemFree of /proc/meminfo, or -1 without it. */
static long meminfo_free_kb(void)
{
	char buf[4096], *p;
	int fd = open("/proc/meminfo", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	p = strstr(buf, "MemFree:");
	return p ? strtol(p + 8, NULL, 10) : -1;
}

/* What a process costs in frames: see the top of the file. */
static void bench_process_frames(unsigned long n)
{
	pid_t pids[64];
	int fds[2];
	long before, after;
	char c = 0;

	if (n > 64 || pipe(fds))
		die("pipe");
	before = meminfo_free_kb();
	for (unsigned long i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (pids[i] == 0) {
			close(fds[1]);
			_exit(read(fds[0], &c, 1) == 0 ? 0 : 1);
		}
	}
	close(fds[0]);
	usleep(100000);    /* every child reached its read() */
	after = meminfo_free_kb();
	close(fds[1]);     /* EOF: they exit */
	for (unsigned long i = 0; i < n; i++)
		reap(pids[i]);
	if (before >= 0 && after >= 0)
		say("mem process_frames %ld frames %lu\n", (before - after) / 4 / (long)n, n);
}

/* As Linux's /init, fd 1 may not be open yet: open the console. */
static void open_console(void)
{
	int fd;

	if (fcntl(1, F_GETFD) >= 0)
		return;
	mkdir("/dev", 0755);
	mknod("/dev/console", S_IFCHR | 0600, makedev(5, 1));
	fd = open("/dev/console", O_RDWR);
	if (fd < 0)
		return;
	dup2(fd, 1);
	dup2(fd, 2);
}

int main(void)
{
	static const unsigned long rss_mib[] = { 4, 64, 256 };
	static const unsigned long rss_iters[] = { 20, 8, 4 };
	struct utsname u;
	uint64_t fork0;

	open_console();
	mkdir("/tmp", 01777);
	/* Linux's /init finds no /proc mounted; this kernel's /proc always is. */
	if (access("/proc/meminfo", R_OK)) {
		mkdir("/proc", 0555);
		mount("proc", "/proc", "proc", 0, NULL);
	}
	if (uname(&u) == 0)
		say("bench-kernel %s %s\n", u.sysname, u.release);

	bench_process_frames(32);
	bench_getpid(100000);
	bench_anon_fault(4096, 1);
	bench_anon_fault(4096, 0);
	bench_cow_fault(4096);
	bench_cow_reuse(4096);
	bench_file_cow(1024);
	fork0 = bench_fork(0, 50);
	for (unsigned i = 0; i < 3; i++) {
		unsigned long pages = rss_mib[i] * MiB / PAGE;
		uint64_t f = bench_fork(rss_mib[i], rss_iters[i]);
		char name[64];

		snprintf(name, sizeof(name), "fork_per_page_rss%lum",
			 rss_mib[i]);
		report(name, f > fork0 ? f - fork0 : 0, pages);
	}
	bench_uffd(1024, 0);
	bench_uffd(1024, 1);
	say("bench-done\n");
	if (getpid() == 1)
		reboot(RB_POWER_OFF);
	return 0;
}
