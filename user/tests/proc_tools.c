/*
 * proc_tools - the /proc readers of /bin: free, vmstat and pmap print
 * procps's layouts with numbers that agree with /proc, here and on Linux.
 *
 * Checks:
 *  1. free: procps's header; "Mem:" with total = MemTotal, used + available
 *     = total, free > 0; a "Swap:" line;
 *  2. pmap PID: "PID:   name" first; a line "ADDR  20K r----   [ anon ]"
 *     for a 5-page read-only mapping of ours, "rw-s-" for a shared one;
 *     the total line is the sum of the sizes;
 *  3. vmstat 1 2: two header lines, then two lines of 12 columns whose
 *     "free" is near MemFree; bad arguments are refused (exit 2).
 */
#define _GNU_SOURCE
#include "utest.h"
#include <fcntl.h>
#include <sys/mman.h>

static char out[65536], meminfo[16384];

/* run - @argv[0] from /bin with its output in out[]; returns the wait status. */
static int run(char *const argv[])
{
	char path[256];
	int fds[2], st;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	snprintf(path, sizeof(path), "%s", utest_path(argv[0]));
	REQUIRE(pipe(fds) == 0, "pipe: %s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execv(path, argv);
		_exit(127);
	}
	REQUIRE(pid > 0, "fork: %s", strerror(errno));
	close(fds[1]);
	while (len < sizeof(out) - 1 && (n = read(fds[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += n;
	out[len] = '\0';
	close(fds[0]);
	st = utest_wait(pid);
	CHECK_EXITED(st, 0, path);
	return st;
}

/* meminfo_kb - a /proc/meminfo value, read afresh. */
static long meminfo_kb(const char *key)
{
	int fd = open("/proc/meminfo", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, meminfo, sizeof(meminfo) - 1);
	const char *l;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	meminfo[n] = '\0';
	l = strstr(meminfo, key);
	return l ? strtol(l + strlen(key) + 1, NULL, 10) : -1;
}

/* line - line @n (from 0) of out[], or "" */
static const char *line(int n)
{
	const char *l = out;

	while (n-- > 0 && (l = strchr(l, '\n')))
		l++;
	return l ? l : "";
}

static void check_free(void)
{
	char *const argv[] = { "/bin/free", NULL };
	long total, used, free, shared, cache, avail;

	run(argv);
	CHECK(!strncmp(line(0), "               total        used        free      shared  "
		       "buff/cache   available\n", 81), "free's header: \"%.81s\"", line(0));
	CHECK(sscanf(line(1), "Mem: %ld %ld %ld %ld %ld %ld", &total, &used, &free, &shared,
		     &cache, &avail) == 6, "free's Mem line: \"%.80s\"", line(1));
	CHECK(total == meminfo_kb("MemTotal"), "total %ld, MemTotal %ld", total,
	      meminfo_kb("MemTotal"));
	CHECK(used + avail == total && free > 0 && cache >= 0 && shared >= 0,
	      "used %ld + available %ld != total %ld, or free %ld", used, avail, total, free);
	CHECK(!strncmp(line(2), "Swap:", 5), "no Swap line: \"%.40s\"", line(2));
	CHECK(strcspn(line(1), "\n") == 80, "the Mem line is %zu wide, not 80",
	      strcspn(line(1), "\n"));
}

static void check_pmap(void)
{
	char pid[16], want[128], *argv[] = { "/bin/pmap", pid, NULL };
	char *ro = sys_mmap(NULL, 5 * PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *sh = sys_mmap(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			    -1, 0);
	unsigned long sum = 0, total = 0, size;

	REQUIRE(ro != MAP_FAILED && sh != MAP_FAILED, "mmap: %s", strerror(errno));
	snprintf(pid, sizeof(pid), "%d", getpid());
	run(argv);
	snprintf(want, sizeof(want), "%s:   ", pid);
	CHECK(!strncmp(line(0), want, strlen(want)), "pmap's first line: \"%.40s\"", line(0));
	snprintf(want, sizeof(want), "\n%016lx     20K r----   [ anon ]\n", (unsigned long)ro);
	CHECK(strstr(out, want), "no line \"%s\" for the read-only mapping", want + 1);
	snprintf(want, sizeof(want), "\n%016lx      8K rw-s- ", (unsigned long)sh);
	CHECK(strstr(out, want), "no line \"%s\" for the shared mapping", want + 1);
	for (int i = 1; *line(i); i++) {
		if (sscanf(line(i), " total %luK", &total) == 1)
			break;
		if (sscanf(line(i), "%*x %luK", &size) == 1)
			sum += size;
	}
	CHECK(total > 0 && total == sum, "total %luK, the lines add up to %luK", total, sum);
	sys_munmap(ro, 5 * PAGE_SIZE);
	sys_munmap(sh, 2 * PAGE_SIZE);
}

static void check_vmstat(void)
{
	char *const argv[] = { "/bin/vmstat", "1", "2", NULL };
	char *const bad[] = { "/bin/vmstat", "x", NULL };
	char cols[12][16];
	long free;
	pid_t pid;

	run(argv);
	CHECK(!strncmp(line(0), "procs -----------memory----------", 33), "header: \"%.40s\"",
	      line(0));
	CHECK(!strncmp(line(1), " r  b   swpd   free   buff  cache", 33), "header 2: \"%.40s\"",
	      line(1));
	for (int i = 2; i < 4; i++) {
		int n = sscanf(line(i), "%15s %15s %15s %15s %15s %15s %15s %15s %15s %15s %15s "
			       "%15s", cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6],
			       cols[7], cols[8], cols[9], cols[10], cols[11]);

		CHECK(n == 12, "vmstat line %d has %d columns: \"%.60s\"", i, n, line(i));
		free = strtol(cols[3], NULL, 10);
		CHECK(free > 0 && free <= meminfo_kb("MemTotal"), "vmstat free %ld", free);
	}
	CHECK(*line(4) == '\0', "more than 2 lines: \"%.40s\"", line(4));
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)        /* no /dev/null here: the usage line just shows */
			dup2(null, 2);
		execv(utest_path("/bin/vmstat"), bad);
		_exit(127);
	}
	CHECK_EXITED(utest_wait(pid), 2, "vmstat x");
}

int main(int argc, char **argv)
{
	utest_begin("proc_tools", argc, argv);
	check_free();
	check_pmap();
	check_vmstat();
	return utest_done();
}
