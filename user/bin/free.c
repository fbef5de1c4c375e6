/*
 * free - memory in use and free, from /proc/meminfo, in procps's layout.
 *   free          KiB (procps's default)
 *
 *                  total        used        free      shared  buff/cache   available
 *   Mem:          254236        2772      251464           0        2528      251464
 *   Swap:              0           0           0
 *
 * The columns are procps-ng 4's: used = total - available, buff/cache =
 * Buffers + Cached + SReclaimable, shared = Shmem. (On this kernel
 * nothing in the page cache can be dropped, so available = free and
 * "used" includes the cache; Linux's ramfs and shmem pages count alike.)
 */
#include <stdio.h>
#include "procfile.h"

static char buf[8192];

/* kb - a meminfo value in kB, or 0 if the kernel does not show it. */
static long kb(const char *key)
{
	long v = proc_value(buf, key);

	return v < 0 ? 0 : v;
}

int main(int argc, char **argv)
{
	long total, free, avail, cache, used;

	if (argc > 1 && strcmp(argv[1], "-k") != 0) {
		dprintf(2, "usage: free [-k]\n");
		return 2;
	}
	if (proc_read("/proc/meminfo", buf, sizeof(buf)) < 0) {
		dprintf(2, "free: /proc/meminfo: %s\n", strerror(errno));
		return 1;
	}
	total = kb("MemTotal");
	free = kb("MemFree");
	cache = kb("Buffers") + kb("Cached") + kb("SReclaimable");
	avail = proc_value(buf, "MemAvailable");
	if (avail < 0)                  /* a kernel older than Linux 3.14 */
		avail = free + cache;
	used = total - avail;
	if (used < 0)
		used = total - free;
	printf("%20s%12s%12s%12s%12s%12s\n", "total", "used", "free", "shared", "buff/cache",
	       "available");
	printf("%-7s %12ld %11ld %11ld %11ld %11ld %11ld\n", "Mem:", total, used, free,
	       kb("Shmem"), cache, avail);
	printf("%-7s %12ld %11ld %11ld\n", "Swap:", kb("SwapTotal"),
	       kb("SwapTotal") - kb("SwapFree"), kb("SwapFree"));
	return 0;
}
