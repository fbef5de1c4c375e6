/*
 * tests/ktest/ktest_user.h - ring-3 programs driven by a selftest: start
 * one from the initramfs as a child of the ktest thread, with its stdin
 * and its stdout+stderr on pipes; read what it says line by line and
 * answer it; then wait for it and judge its wait status. A watchdog kills
 * a program that runs too long.
 *
 *     struct ktest_proc proc;
 *     char line[128];
 *
 *     ASSERT_EQ(ktest_proc_start(&proc, "/tests/x", argv, 60), 0);
 *     while (ktest_proc_readline(&proc, line, sizeof(line)))
 *             if (strcmp(line, "ready") == 0)
 *                     ktest_proc_write(&proc, "go\n");
 *     ktest_expect_exit_ok(test, "x", ktest_proc_finish(&proc, true));
 *
 * Between start and finish the watchdog timer is armed with @proc on the
 * caller's stack: use EXPECT, not ASSERT, until ktest_proc_finish().
 */
#ifndef TESTS_KTEST_KTEST_USER_H
#define TESTS_KTEST_KTEST_USER_H

#include "tests/ktest/ktest.h"
#include "kernel/fs.h"
#include "kernel/sched.h"
#include "kernel/timer.h"

struct ktest_proc {
	pid_t pid;
	struct file *in;            /* our end of its stdin (NULL once closed) */
	struct file *out;           /* our end of its stdout and stderr */
	loff_t pos;
	char buf[512];              /* read from @out, not yet returned: [head, tail) */
	size_t head, tail;
	bool eof;
	unsigned int timeout;       /* seconds */
	struct timer_list watchdog; /* SIGKILLs it after @timeout */
	bool killed;                /* ... which happened */
};

/*
 * ktest_proc_start - run @path with @argv (environment: the kernel's
 * default) as a child of the calling kernel thread. Returns 0 once it has
 * exec'd, or -errno (nothing left behind: no process, no pipe).
 */
int ktest_proc_start(struct ktest_proc *p, const char *path, const char *const *argv,
		     unsigned int timeout);
/*
 * ktest_proc_readline - the next line the program (or a child that kept
 * its stdout) writes, without the '\n', in @line; a line longer than
 * @size - 1 comes in pieces. Sleeps until there is one. NULL once every
 * writer has closed the pipe (it exited).
 */
char *ktest_proc_readline(struct ktest_proc *p, char *line, size_t size);
/* ktest_proc_write - write @s to its stdin. Returns bytes written or -errno. */
ssize_t ktest_proc_write(struct ktest_proc *p, const char *s);
/*
 * ktest_proc_finish - close its stdin, read its output to the end (each
 * line a KTAP diagnostic if @echo), wait for it, disarm the watchdog and
 * reap any orphans it left to us. Returns its wait status (Linux encoding).
 */
int ktest_proc_finish(struct ktest_proc *p, bool echo);

/*
 * ktest_expect_exit_ok - judge a ring-3 test's wait status: exit 0 passes,
 * exit 77 skips the case, anything else (another status, a signal) fails
 * it, with a diagnostic naming @name.
 */
void ktest_expect_exit_ok(struct ktest *test, const char *name, int status);

/* Wait status (Linux's encoding). */
#define KTEST_WTERMSIG(st)   ((st) & 0x7f)
#define KTEST_WEXITSTATUS(st) (((st) >> 8) & 0xff)

#endif
