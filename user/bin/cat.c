/*
 * cat - copy files (or standard input) to standard output.
 *   cat [file...]      no file, or "-": standard input
 * Loops on short writes: write() may take fewer bytes than asked (a pipe).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buf[16384];

/* Copy fd to stdout; returns 0, or -1 after a message. */
static int copy(int fd, const char *name)
{
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			dprintf(2, "cat: %s: %s\n", name, strerror(errno));
			return -1;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(1, buf + off, n - off);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				dprintf(2, "cat: write: %s\n", strerror(errno));
				return -1;
			}
			off += w;
		}
	}
}

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 2)
		return copy(0, "stdin") ? 1 : 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-")) {
			if (copy(0, "stdin"))
				status = 1;
			continue;
		}
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			dprintf(2, "cat: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		if (copy(fd, argv[i]))
			status = 1;
		close(fd);
	}
	return status;
}
