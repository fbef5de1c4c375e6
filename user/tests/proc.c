/*
 * proc - /proc as a program sees it: the same files, formats and
 * behaviour on this kernel and on Linux.
 *
 * Checks:
 *  1. /proc/meminfo: the usual lines, "Name:   value kB", MemTotal >=
 *     MemFree > 0;
 *  2. /proc/self/maps: a mapping made with each protection has its own
 *     line, start-end exactly and the right "rwxp" / "rw-s"; mprotect of
 *     its middle page splits the line in three; munmap removes it;
 *  3. /proc/self/status: Name, State R, Pid/Tgid/PPid; touching 64 new
 *     pages makes VmRSS and RssAnon grow by at least 256 kB, and the
 *     page faults of /proc/vmstat grow;
 *  4. Threads counts a thread while it lives, and goes back after join;
 *  5. a child that has exited and is not yet reaped is "Z (zombie)"; once
 *     reaped, its /proc/PID is gone (ENOENT);
 *  6. reading: 1-byte reads give the same text as one big read of the same
 *     file, pread at an offset too; lseek SEEK_END is EINVAL;
 *  7. listing /proc (getdents64) shows our pid and "self"; writes fail as
 *     Linux's do (EIO for meminfo, EINVAL for /proc/self/status, EBADF on
 *     a read-only fd); a pid that does not exist is ENOENT.
 */
#define _GNU_SOURCE
#include "utest.h"
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define TEXT 65536

static char text[TEXT], other[TEXT];

/* slurp - all of @path in @buf, read @chunk bytes at a time; its length or -1. */
static long slurp(const char *path, char *buf, size_t chunk)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0, room;
	ssize_t n;

	if (fd < 0)
		return -1;
	while ((room = TEXT - 1 - len) > 0 && (n = read(fd, buf + len, chunk < room ? chunk : room)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return len;
}

/* value - the number after "@key" (and ':' or ' ', then blanks) at a line start; -1 if none. */
static long value(const char *buf, const char *key)
{
	size_t n = strlen(key);

	for (const char *l = buf; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (!strncmp(l, key, n) && (l[n] == ':' || l[n] == ' '))
			return strtol(l + n + 1, NULL, 10);
	return -1;
}

/* maps_line - the maps line that starts at @addr, copied into @out; 0 if none. */
static int maps_line(const char *maps, void *addr, char *out, size_t size)
{
	char start[32];
	int n = snprintf(start, sizeof(start), "%08lx-", (unsigned long)addr);

	for (const char *l = maps; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (strncmp(l, start, n))
			continue;
		snprintf(out, size, "%.*s", (int)strcspn(l, "\n"), l);
		return 1;
	}
	return 0;
}

/* has_mapping - maps has a line for exactly [addr, addr+len) with @perms. */
static int has_mapping(void *addr, size_t len, const char *perms)
{
	char line[512], want[64];

	if (slurp("/proc/self/maps", text, TEXT) < 0 || !maps_line(text, addr, line, sizeof(line)))
		return 0;
	snprintf(want, sizeof(want), "%08lx-%08lx %s ", (unsigned long)addr,
		 (unsigned long)addr + len, perms);
	if (strncmp(line, want, strlen(want))) {
		utest_printf("  maps line \"%s\", wanted \"%s...\"\n", line, want);
		return 0;
	}
	return 1;
}

static void check_meminfo(void)
{
	static const char *const keys[] = {
		"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "Shmem", "AnonPages",
		"Mapped", "Slab", "KernelStack", "PageTables",
	};
	long total, free;

	REQUIRE(slurp("/proc/meminfo", text, TEXT) > 0, "read /proc/meminfo: %s", strerror(errno));
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char want[40];
		const char *l = strstr(text, keys[i]);

		CHECK(value(text, keys[i]) >= 0, "meminfo has no %s line", keys[i]);
		snprintf(want, sizeof(want), "%s:", keys[i]);
		/* "Name:" padded to 16, the value right-aligned to 24, " kB" */
		CHECK(l && !strncmp(l, want, strlen(want)) && l[15] == ' ' && l[23] >= '0' &&
		      l[23] <= '9' && !strncmp(l + 24, " kB\n", 4),
		      "meminfo line for %s not in Linux's layout", keys[i]);
	}
	total = value(text, "MemTotal");
	free = value(text, "MemFree");
	CHECK(total >= free && free > 0, "MemTotal %ld, MemFree %ld", total, free);
}

static void check_maps(void)
{
	char *p = sys_mmap(NULL, 3 * PAGE_SIZE, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
			   -1, 0);
	char *s = sys_mmap(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			   -1, 0);

	REQUIRE(p != MAP_FAILED && s != MAP_FAILED, "mmap: %s", strerror(errno));
	CHECK(has_mapping(p, 3 * PAGE_SIZE, "r-xp"), "no r-xp line for %p", (void *)p);
	CHECK(has_mapping(s, 2 * PAGE_SIZE, "rw-s"), "no rw-s line for %p", (void *)s);
	CHECK_OK(sys_mprotect(p + PAGE_SIZE, PAGE_SIZE, PROT_NONE));
	CHECK(has_mapping(p, PAGE_SIZE, "r-xp"), "first page of %p not r-xp", (void *)p);
	CHECK(has_mapping(p + PAGE_SIZE, PAGE_SIZE, "---p"), "middle page not ---p");
	CHECK(has_mapping(p + 2 * PAGE_SIZE, PAGE_SIZE, "r-xp"), "last page not r-xp");
	CHECK_OK(sys_munmap(p, 3 * PAGE_SIZE));
	CHECK_OK(sys_munmap(s, 2 * PAGE_SIZE));
	slurp("/proc/self/maps", text, TEXT);
	CHECK(!maps_line(text, p, other, sizeof(other)), "unmapped %p still in maps", (void *)p);
}

static void check_status(const char *argv0)
{
	const char *base = strrchr(argv0, '/') ? strrchr(argv0, '/') + 1 : argv0;
	long rss, anon, faults;
	char want[64];
	char *p;

	REQUIRE(slurp("/proc/self/status", text, TEXT) > 0, "read status: %s", strerror(errno));
	snprintf(want, sizeof(want), "Name:\t%.15s\n", base);
	CHECK(!strncmp(text, want, strlen(want)), "status starts \"%.20s\", not \"%s\"", text, want);
	CHECK(strstr(text, "\nState:\tR (running)\n"), "State is not R (running)");
	CHECK(value(text, "Pid") == getpid(), "Pid %ld, getpid %d", value(text, "Pid"), getpid());
	CHECK(value(text, "Tgid") == getpid(), "Tgid %ld", value(text, "Tgid"));
	CHECK(value(text, "PPid") == getppid(), "PPid %ld, getppid %d", value(text, "PPid"),
	      getppid());
	CHECK(strstr(text, "\nVmRSS:\t") && strstr(text, " kB\n"), "no \"VmRSS:\\t... kB\" line");
	rss = value(text, "VmRSS");
	anon = value(text, "RssAnon");
	REQUIRE(slurp("/proc/vmstat", other, TEXT) > 0, "read /proc/vmstat: %s", strerror(errno));
	faults = value(other, "pgfault");
	CHECK(rss > 0 && anon >= 0 && faults > 0, "VmRSS %ld RssAnon %ld pgfault %ld", rss, anon,
	      faults);

	p = sys_mmap(NULL, 64 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED, "mmap: %s", strerror(errno));
	for (int i = 0; i < 64; i++)
		p[i * PAGE_SIZE] = 1;
	slurp("/proc/self/status", text, TEXT);
	CHECK(value(text, "VmRSS") >= rss + 64 * 4, "VmRSS %ld kB, was %ld kB before 64 pages",
	      value(text, "VmRSS"), rss);
	CHECK(value(text, "RssAnon") >= anon + 64 * 4, "RssAnon %ld kB, was %ld kB",
	      value(text, "RssAnon"), anon);
	slurp("/proc/vmstat", other, TEXT);
	CHECK(value(other, "pgfault") > faults, "pgfault %ld, was %ld", value(other, "pgfault"),
	      faults);
	CHECK_OK(sys_munmap(p, 64 * PAGE_SIZE));
}

static pthread_barrier_t started, finish;

static void *waiter(void *arg)
{
	pthread_barrier_wait(&started);
	pthread_barrier_wait(&finish);
	return arg;
}

static void check_threads(void)
{
	pthread_t t;

	pthread_barrier_init(&started, NULL, 2);
	pthread_barrier_init(&finish, NULL, 2);
	slurp("/proc/self/status", text, TEXT);
	CHECK(value(text, "Threads") == 1, "Threads %ld before the thread", value(text, "Threads"));
	REQUIRE(pthread_create(&t, NULL, waiter, NULL) == 0, "pthread_create");
	pthread_barrier_wait(&started);
	slurp("/proc/self/status", text, TEXT);
	CHECK(value(text, "Threads") == 2, "Threads %ld with a thread", value(text, "Threads"));
	pthread_barrier_wait(&finish);
	pthread_join(t, NULL);
	slurp("/proc/self/status", text, TEXT);
	CHECK(value(text, "Threads") == 1, "Threads %ld after join", value(text, "Threads"));
}

static void check_zombie(void)
{
	char path[64];
	pid_t pid = fork();
	int zombie = 0;

	if (pid == 0)
		_exit(0);
	REQUIRE(pid > 0, "fork: %s", strerror(errno));
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	for (int i = 0; i < 2000 && !zombie; i++) {
		zombie = slurp(path, text, TEXT) > 0 && strstr(text, "\nState:\tZ (zombie)\n");
		if (!zombie)
			usleep(1000);
	}
	CHECK(zombie, "child %d never showed \"Z (zombie)\"", pid);
	CHECK(value(text, "PPid") == getpid(), "the zombie's PPid is %ld", value(text, "PPid"));
	CHECK_EXITED(utest_wait(pid), 0, "child");
	snprintf(path, sizeof(path), "/proc/%d", pid);
	CHECK_ERR(open(path, O_RDONLY), ENOENT);
}

static void check_reads(void)
{
	long len = slurp("/proc/self/maps", text, TEXT), n;
	int fd = open("/proc/self/maps", O_RDONLY);
	char c;

	REQUIRE(len > 0 && fd >= 0, "read /proc/self/maps: %s", strerror(errno));
	n = 0;
	while (n < TEXT - 1 && read(fd, other + n, 1) == 1)
		n++;
	other[n] = '\0';
	CHECK(n == len && !strcmp(text, other), "1-byte reads gave %ld bytes, one read %ld", n, len);
	CHECK(pread(fd, other, 10, 5) == 10 && !memcmp(other, text + 5, 10), "pread at 5");
	CHECK(lseek(fd, 0, SEEK_SET) == 0 && read(fd, &c, 1) == 1 && c == text[0], "lseek 0");
	CHECK(lseek(fd, len + 100, SEEK_SET) == len + 100 && read(fd, &c, 1) == 0, "read past end");
	CHECK_ERR(lseek(fd, 0, SEEK_END), EINVAL);
	CHECK_ERR(lseek(fd, -1, SEEK_SET), EINVAL);
	close(fd);
}

static void check_listing_and_errors(void)
{
	char me[16], path[64];
	DIR *d = opendir("/proc");
	struct dirent *de;
	int found_me = 0, found_self = 0, fd;

	REQUIRE(d, "opendir /proc: %s", strerror(errno));
	snprintf(me, sizeof(me), "%d", getpid());
	while ((de = readdir(d))) {
		found_me |= !strcmp(de->d_name, me) && de->d_type == DT_DIR;
		found_self |= !strcmp(de->d_name, "self");
	}
	closedir(d);
	CHECK(found_me && found_self, "/proc lists pid %s: %d, self: %d", me, found_me, found_self);

	fd = open("/proc/meminfo", O_WRONLY);
	CHECK(fd >= 0, "open /proc/meminfo O_WRONLY: %s", strerror(errno));
	CHECK_ERR(write(fd, "x", 1), EIO);
	close(fd);
	fd = open("/proc/self/status", O_WRONLY);
	CHECK(fd >= 0, "open /proc/self/status O_WRONLY: %s", strerror(errno));
	CHECK_ERR(write(fd, "x", 1), EINVAL);
	close(fd);
	fd = open("/proc/meminfo", O_RDONLY);
	CHECK_ERR(write(fd, "x", 1), EBADF);
	close(fd);
	CHECK_ERR(open("/proc/nosuchfile", O_RDONLY), ENOENT);
	CHECK_ERR(mkdir("/proc/newdir", 0755), ENOENT);
	CHECK_ERR(unlink("/proc/meminfo"), EPERM);
	/* A pid no process has (pid_max is at least 32768 on Linux). */
	for (int pid = 4000000; pid > 0; pid -= 99991) {
		snprintf(path, sizeof(path), "/proc/%d/status", pid);
		if (access(path, F_OK) == 0)
			continue;
		CHECK_ERR(open(path, O_RDONLY), ENOENT);
		break;
	}
}

int main(int argc, char **argv)
{
	utest_begin("proc", argc, argv);
	check_meminfo();
	check_maps();
	check_status(argv[0]);
	check_threads();
	check_zombie();
	check_reads();
	check_listing_and_errors();
	return utest_done();
}
