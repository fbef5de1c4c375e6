/*
 * vmstat - processes, memory and page events, from /proc, one procps-like
 * line at a time.
 *   vmstat                      one line; the events counted since boot
 *   vmstat INTERVAL [COUNT]     then a line every INTERVAL seconds with the
 *                               events of that interval; COUNT lines in
 *                               all (without COUNT: until interrupted)
 *
 *   procs -----------memory---------- --faults-- -----pages---- ---cow----
 *    r  b   swpd   free   buff  cache   flt  maj   alloc   free copy reuse
 *    1  0      0 251464      0   2528    65    0     991    298   10     6
 *
 * procs: processes running (r) and in uninterruptible sleep (b), counted
 * from the State lines of /proc/PID/status. memory (kB): /proc/meminfo,
 * as procps (cache = Cached + SReclaimable). faults: page faults and major
 * ones (pgfault, pgmajfault); pages: pages allocated and freed (the
 * pgalloc_* lines together, pgfree); cow: copy-on-write faults that
 * copied the page and that reused it - counters this kernel has and
 * Linux does not, shown as "-" there.
 */
#include <dirent.h>
#include <stdio.h>
#include "procfile.h"

static char buf[16384];

struct events {
	long flt, maj, alloc, freed, copy, reuse;
};

/* sum_prefix - the values of every vmstat line whose name starts with @prefix. */
static long sum_prefix(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);
	long sum = 0;

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (strncmp(l, prefix, n) == 0 && strchr(l, ' '))
			sum += strtol(strchr(l, ' ') + 1, NULL, 10);
	return sum;
}

static int read_events(struct events *e)
{
	if (proc_read("/proc/vmstat", buf, sizeof(buf)) < 0)
		return -1;
	e->flt = proc_value(buf, "pgfault");
	e->maj = proc_value(buf, "pgmajfault");
	e->alloc = sum_prefix(buf, "pgalloc_");
	e->freed = proc_value(buf, "pgfree");
	e->copy = proc_value(buf, "cow_copy");
	e->reuse = proc_value(buf, "cow_reuse");
	return 0;
}

/* count_procs - processes whose status says R (*running) or D (*blocked). */
static void count_procs(int *running, int *blocked)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	char path[300], status[2048], *state;

	*running = *blocked = 0;
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", de->d_name);
		if (proc_read(path, status, sizeof(status)) < 0)
			continue;                /* it ended meanwhile */
		state = strstr(status, "\nState:");
		if (!state)
			continue;
		state += strlen("\nState:");
		while (*state == ' ' || *state == '\t')
			state++;
		*running += *state == 'R';
		*blocked += *state == 'D';
	}
	closedir(d);
}

/* column - @v in @width columns, or "-" when the kernel does not count it. */
static void column(long v, int width)
{
	if (v < 0)
		printf(" %*s", width, "-");
	else
		printf(" %*ld", width, v);
}

static void line(const struct events *now, const struct events *before)
{
	int r, b;

	count_procs(&r, &b);
	if (proc_read("/proc/meminfo", buf, sizeof(buf)) < 0) {
		dprintf(2, "vmstat: /proc/meminfo: %s\n", strerror(errno));
		exit(1);
	}
	printf("%2d %2d", r, b);
	column(proc_value(buf, "SwapTotal") - proc_value(buf, "SwapFree"), 6);
	column(proc_value(buf, "MemFree"), 6);
	column(proc_value(buf, "Buffers"), 6);
	column(proc_value(buf, "Cached") + (proc_value(buf, "SReclaimable") > 0 ?
					    proc_value(buf, "SReclaimable") : 0), 6);
	column(now->flt - before->flt, 5);
	column(now->maj - before->maj, 4);
	column(now->alloc - before->alloc, 7);
	column(now->freed - before->freed, 6);
	column(now->copy < 0 ? -1 : now->copy - before->copy, 4);
	column(now->reuse < 0 ? -1 : now->reuse - before->reuse, 5);
	printf("\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct events before = { 0 }, now;
	long interval = 0, count = 1;

	if (argc > 3 || (argc > 1 && (interval = atol(argv[1])) <= 0) ||
	    (argc > 2 && (count = atol(argv[2])) <= 0)) {
		dprintf(2, "usage: vmstat [interval [count]]\n");
		return 2;
	}
	if (argc == 2)
		count = -1;                      /* an interval alone: forever */
	printf("procs -----------memory---------- --faults-- -----pages---- ---cow----\n");
	printf(" r  b   swpd   free   buff  cache   flt  maj   alloc   free copy reuse\n");
	for (long i = 0; count < 0 || i < count; i++) {
		if (i > 0)
			sleep(interval);
		if (read_events(&now) < 0) {
			dprintf(2, "vmstat: /proc/vmstat: %s\n", strerror(errno));
			return 1;
		}
		line(&now, &before);
		before = now;
	}
	return 0;
}
