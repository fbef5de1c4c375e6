/*
 * echo - print the arguments, separated by spaces, and a newline.
 *   echo [-n] [word...]      -n: no newline at the end
 * The whole line goes out in one write() when it fits.
 */
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[8192];
	size_t len = 0;
	int i = 1, newline = 1;

	if (argc > 1 && !strcmp(argv[1], "-n")) {
		newline = 0;
		i = 2;
	}
	for (; i < argc; i++) {
		size_t n = strlen(argv[i]);
		if (len + n + 2 > sizeof(buf)) {      /* flush a full buffer */
			if (write(1, buf, len) != (ssize_t)len)
				return 1;
			len = 0;
		}
		if (n + 2 > sizeof(buf)) {            /* a huge word: by itself */
			if (write(1, argv[i], n) != (ssize_t)n)
				return 1;
		} else {
			memcpy(buf + len, argv[i], n);
			len += n;
		}
		if (i < argc - 1)
			buf[len++] = ' ';
	}
	if (newline)
		buf[len++] = '\n';
	return write(1, buf, len) == (ssize_t)len ? 0 : 1;
}
