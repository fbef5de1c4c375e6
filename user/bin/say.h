/*
 * say.h - printf to fd 1 through one write(), for the programs of user/bin/
 * that print from several threads or around fork(): a line of two threads
 * never mixes, and there is no stdio buffer for fork() to copy.
 *
 *     #include "say.h"
 *     say("%s: %ld faults\n", name, n);
 *
 * A line longer than 511 bytes is cut there. (sh's say() takes an fd and
 * cowdemo's a 1024-byte buffer: they keep their own.)
 */
#ifndef SAY_H
#define SAY_H

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

/*
 * say_fd - printf to @fd through one write(): lines of two threads never
 * mix, and there is no stdio buffer for fork() to duplicate. Lines are cut
 * at 1023 bytes.
 */
__attribute__((format(printf, 2, 3), unused))
static void say_fd(int fd, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (n > 0)
		(void)!write(fd, buf, n);
}

/* say - say_fd() to standard output. */
#define say(...) say_fd(1, __VA_ARGS__)

#endif /* SAY_H */
