/*
 * procfile.h - reading /proc text files, for free, vmstat and pmap.
 *
 * They use only open/read/close on /proc, so they work the same on this
 * kernel and on Linux:
 *
 *     char buf[8192];
 *     if (proc_read("/proc/meminfo", buf, sizeof(buf)) < 0) ...
 *     long kb = proc_value(buf, "MemFree");     // "MemFree:   1234 kB" -> 1234
 *     long n = proc_value(buf, "pgfault");      // "pgfault 42"         -> 42
 */
#ifndef PROCFILE_H
#define PROCFILE_H

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * proc_read - the whole of @path into @buf (NUL-terminated, cut to
 * @size - 1 bytes). Returns its length, or -1 with errno set.
 */
__attribute__((unused))
static long proc_read(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0;

	if (fd < 0)
		return -1;
	while (len < size - 1) {
		ssize_t n = read(fd, buf + len, size - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return len;
}

/*
 * proc_value - the number on the line of @text that starts with @key
 * followed by ':' (meminfo, status) or ' ' (vmstat); -1 if there is none.
 */
__attribute__((unused))
static long proc_value(const char *text, const char *key)
{
	size_t klen = strlen(key);

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (strncmp(l, key, klen) != 0 || (l[klen] != ':' && l[klen] != ' '))
			continue;
		return strtol(l + klen + 1, NULL, 10);
	}
	return -1;
}

#endif
