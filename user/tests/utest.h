/*
 * utest.h - a tiny test library for the ring-3 tests in user/tests/.
 *
 * Every test is one static program (musl-gcc -static) that runs the same on
 * Linux and on mmkern. Its exit status is the verdict the kernel's runner
 * reads:
 *
 *     0   pass            77  skip            anything else, or a signal: fail
 *
 * Use:
 *
 *     #include "utest.h"
 *     int main(int argc, char **argv)
 *     {
 *             utest_begin("mytest", argc, argv);
 *             CHECK(getpid() > 0, "getpid returned %d", getpid());
 *             CHECK_ERR(close(-1), EBADF);
 *             return utest_done();
 *     }
 *
 * CHECK does not stop the test: it prints "FAIL file:line: ..." and counts.
 * REQUIRE stops the test (exit 1) when going on makes no sense.
 *
 * Output goes straight to fd 1 with write(), never through stdio buffers, so
 * that nothing is printed twice after a fork and nothing is lost when a
 * child dies by a signal. The kernel shows every line as a KTAP "# " line;
 * a line must never start with "ok" or "not ok" (utest_printf guards that).
 *
 * Children: a forked child that uses CHECK ends with utest_child_exit(),
 * which exits 1 if the child saw a failure; the parent checks that with
 * CHECK_EXITED(status, 0, "what").
 */
#ifndef UTEST_H
#define UTEST_H

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define UTEST_SKIP 77          /* exit status meaning "skipped" */
#define PAGE_SIZE 4096UL

static const char *utest_name = "utest";
static int utest_checks;       /* CHECKs evaluated in this process */
static int utest_failures;     /* ... and how many of them failed */
static pid_t utest_owner;      /* the process the two counts belong to */

/*
 * A forked child starts with the parent's counts in its copy of memory;
 * the first CHECK in a new process starts them again from zero, so that a
 * child's exit status reflects only its own failures.
 */
static void utest_own_counts(void)
{
	pid_t me = getpid();

	if (utest_owner != me) {
		utest_owner = me;
		utest_checks = 0;
		utest_failures = 0;
	}
}

/* printf to fd 1, unbuffered; one write() per call (lines stay whole). */
__attribute__((format(printf, 1, 2), unused))
static void utest_printf(const char *fmt, ...)
{
	char buf[1024];
	int off = 0, n;
	va_list ap;

	va_start(ap, fmt);
	n = vsnprintf(buf + 2, sizeof(buf) - 2, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 3)
		n = sizeof(buf) - 3;
	/* The runner would take such a line for a verdict: indent it. */
	if (!strncmp(buf + 2, "ok", 2) || !strncmp(buf + 2, "not ok", 6)) {
		buf[0] = buf[1] = ' ';
		n += 2;
	} else {
		off = 2;
	}
	while (n > 0) {
		ssize_t w = write(1, buf + off, n);
		if (w <= 0)
			break;
		off += w;
		n -= w;
	}
}

/* Record one check; print the failure with where it happened. */
__attribute__((format(printf, 4, 5), unused))
static int utest_check(int ok, const char *file, int line, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	utest_own_counts();
	utest_checks++;
	if (ok)
		return 1;
	utest_failures++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	utest_printf("FAIL %s:%d: %s [pid %d]\n", file, line, msg, (int)getpid());
	return 0;
}

/* CHECK(cond, "printf format", args...): count, and explain a failure. */
#define CHECK(cond, ...) utest_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* REQUIRE: like CHECK, but a failure ends the (sub)process with status 1. */
#define REQUIRE(cond, ...)                                              \
	do {                                                            \
		if (!CHECK(cond, __VA_ARGS__))                          \
			_exit(1);                                       \
	} while (0)

/* CHECK_ERR(expr, E): expr must fail with -1 and errno == E. */
#define CHECK_ERR(expr, err)                                            \
	do {                                                            \
		errno = 0;                                              \
		long r_ = (long)(expr);                                 \
		int e_ = errno;                                         \
		CHECK(r_ == -1 && e_ == (err),                          \
		      "%s: expected -1/%s, got %ld (errno %d %s)",      \
		      #expr, #err, r_, e_, strerror(e_));               \
	} while (0)

/* CHECK_OK(expr): expr must not return -1; evaluates to its value. */
#define CHECK_OK(expr)                                                  \
	({                                                              \
		errno = 0;                                              \
		long r_ = (long)(expr);                                 \
		int e_ = errno;                                         \
		CHECK(r_ != -1, "%s failed: errno %d (%s)", #expr, e_,  \
		      strerror(e_));                                    \
		r_;                                                     \
	})

/*
 * The memory system calls without libc in between: musl's mprotect()
 * rounds the address down to a page and its mmap() checks the offset
 * itself, which would hide the kernel's own error checks.
 */
#define sys_mmap(a, l, p, f, fd, off)                                   \
	((void *)syscall(SYS_mmap, (a), (l), (p), (f), (fd), (off)))
#define sys_munmap(a, l) syscall(SYS_munmap, (a), (l))
#define sys_mprotect(a, l, p) syscall(SYS_mprotect, (a), (l), (p))

/* Describe a wait status in words, for failure messages. */
__attribute__((unused))
static const char *utest_status_str(int st)
{
	static char buf[64];

	if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exited with status %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "killed by signal %d (%s)",
			 WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		snprintf(buf, sizeof(buf), "raw wait status 0x%x", st);
	return buf;
}

/* The child must have exited normally with status `code`. (st: once.) */
#define CHECK_EXITED(st, code, what)                                    \
	({                                                              \
		int s_ = (st);                                          \
		CHECK(WIFEXITED(s_) && WEXITSTATUS(s_) == (code),       \
		      "%s: expected exit status %d, child %s", what,    \
		      code, utest_status_str(s_));                      \
	})

/* The child must have been killed by signal `sig`. (st: once.) */
#define CHECK_SIGNALED(st, sig, what)                                   \
	({                                                              \
		int s_ = (st);                                          \
		CHECK(WIFSIGNALED(s_) && WTERMSIG(s_) == (sig),         \
		      "%s: expected death by signal %d (%s), child %s", \
		      what, sig, strsignal(sig), utest_status_str(s_)); \
	})

/* wait4() for one child; returns its status (or -1 after a failed CHECK). */
__attribute__((unused))
static int utest_wait(pid_t pid)
{
	int st = -1;
	pid_t r;

	do
		r = wait4(pid, &st, 0, NULL);
	while (r == -1 && errno == EINTR);
	if (!CHECK(r == pid, "wait4(%d) returned %d, errno %d (%s)", (int)pid,
		   (int)r, errno, strerror(errno)))
		return -1;
	return st;
}

/* A forked child that used CHECK ends here: status 1 if it saw failures. */
__attribute__((noreturn, unused))
static void utest_child_exit(void)
{
	utest_own_counts();
	_exit(utest_failures ? 1 : 0);
}

/*
 * Run fn(arg) in a child process and return its wait status. When fn
 * returns, the child exits with 0 (or 1 if one of its CHECKs failed); a fn
 * meant to crash the child therefore "fails" by returning.
 */
__attribute__((unused))
static int utest_in_child(void (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		fn(arg);
		utest_child_exit();
	}
	if (!CHECK(pid > 0, "fork failed: errno %d (%s)", errno, strerror(errno)))
		return -1;
	return utest_wait(pid);
}

/*
 * Where a program of the initramfs lives. On mmkern it is the absolute path
 * itself ("/bin/echo"); the native runner (user/run-tests-linux.sh) sets
 * UTEST_ROOT to the staging directory, so the same test finds
 * $UTEST_ROOT/bin/echo on Linux. Returns a static buffer.
 */
__attribute__((unused))
static const char *utest_path(const char *abs)
{
	static char buf[4096];
	const char *root = getenv("UTEST_ROOT");

	if (!root || !*root)
		return abs;
	snprintf(buf, sizeof(buf), "%s%s", root, abs);
	return buf;
}

/* Minor page faults of this process so far (getrusage ru_minflt). */
__attribute__((unused))
static long utest_minflt(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return -1;
	return ru.ru_minflt;
}

/* Start a test: remember the name, say hello. */
__attribute__((unused))
static void utest_begin(const char *name, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	utest_name = name;
	/* No watchdog here: both runners (the kernel's and
	 * user/run-tests-linux.sh) kill a test that hangs. */
	utest_printf("%s: start (pid %d)\n", name, (int)getpid());
}

/* End a test: print the summary line and give the exit status. */
__attribute__((unused))
static int utest_done(void)
{
	utest_printf("%s: %d checks, %d failed: %s\n", utest_name, utest_checks,
		     utest_failures, utest_failures ? "FAIL" : "PASS");
	return utest_failures ? 1 : 0;
}

/* Skip the whole test (exit 77) with a reason. */
__attribute__((noreturn, unused))
static void utest_skip(const char *why)
{
	utest_printf("%s: SKIP: %s\n", utest_name, why);
	exit(UTEST_SKIP);
}

#endif /* UTEST_H */
