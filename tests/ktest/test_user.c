/*
 * tests/ktest/test_user.c - ring-3 programs as selftest cases.
 *
 * The initramfs holds the test programs in /tests and their names, one per
 * line, in /tests/index. Each becomes a case of the "user" suite: the
 * kernel starts it as a child process (kernel/init.c user_spawn) with
 * stdout and stderr on a pipe, shows every line it prints as a KTAP "#"
 * diagnostic, and judges its wait status: exit 0 passes, exit 77 skips,
 * anything else - another code, or death by a signal - fails. A program
 * still running after USER_TEST_TIMEOUT seconds is killed.
 *
 * The runner's leak check after each case then proves that the process,
 * with every page, page table, file and kernel stack it had, is gone.
 */
#include "tests/ktest/ktest.h"
#include "arch/x86_64/time.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/init.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/timer.h"

#define MAX_USER_TESTS 64
#define USER_TEST_TIMEOUT 60   /* seconds */

static char names[MAX_USER_TESTS][32];
static struct ktest_case user_cases[MAX_USER_TESTS + 1];

static void run_user_test(struct ktest *test);

/* user_suite_init - read /tests/index and make one case per name. */
static int user_suite_init(void)
{
	static char buf[2048];
	struct file *f = filp_open("/tests/index", O_RDONLY, 0);
	loff_t pos = 0;
	ssize_t len;
	int n = 0;
	char *p, *line;

	memset(user_cases, 0, sizeof(user_cases));
	if (IS_ERR(f)) {
		printk("    # no /tests/index in the initramfs (%ld)\n", PTR_ERR(f));
		return -ENOENT;
	}
	len = kernel_read(f, buf, sizeof(buf) - 1, &pos);
	fput(f);
	if (len < 0)
		return (int)len;
	buf[len] = '\0';
	for (p = buf; (line = p) && *p && n < MAX_USER_TESTS;) {
		char *nl = strchr(p, '\n');

		if (nl)
			*nl = '\0';
		p = nl ? nl + 1 : p + strlen(p);
		if (!*line)
			continue;
		strlcpy(names[n], line, sizeof(names[n]));
		user_cases[n].name = names[n];
		user_cases[n].run = run_user_test;
		n++;
	}
	return 0;
}

static void kill_timer_fn(struct timer_list *t);

struct watchdog {
	struct timer_list timer;
	pid_t pid;
	bool fired;
};

static void kill_timer_fn(struct timer_list *t)
{
	struct watchdog *w = container_of(t, struct watchdog, timer);

	w->fired = true;
	kill_pid(w->pid, SIGKILL);
}

/* relay_output - print what the program writes, line by line, as diagnostics. */
static void relay_output(struct file *rd)
{
	static char buf[512], line[256];
	size_t used = 0;
	ssize_t n;
	loff_t pos = 0;

	while ((n = kernel_read(rd, buf, sizeof(buf), &pos)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n' || used == sizeof(line) - 1) {
				line[used] = '\0';
				ktest_info("%s", line);
				used = 0;
				if (buf[i] == '\n')
					continue;
			}
			line[used++] = buf[i];
		}
	}
	if (used) {
		line[used] = '\0';
		ktest_info("%s", line);
	}
}

static void run_user_test(struct ktest *test)
{
	char path[48];
	const char *argv[] = { path, NULL };
	struct file *pipe[2], *in;
	struct watchdog w = { .fired = false };
	int status = 0, child;
	pid_t pid;

	snprintf(path, sizeof(path), "/tests/%s", test->name);
	ASSERT_EQ(create_pipe_files(pipe, 0), 0);
	in = console_open(O_RDONLY);
	if (IS_ERR(in)) {
		fput(pipe[0]);
		fput(pipe[1]);
		ASSERT_EQ(PTR_ERR(in), 0);
	}
	pid = user_spawn(path, argv, NULL, in, pipe[1], pipe[1]);
	fput(in);
	fput(pipe[1]);  /* the child holds the write end now: EOF when it is done */
	if (pid < 0) {
		fput(pipe[0]);
		ASSERT_GT(pid, 0);
	}
	w.pid = pid;
	timer_setup(&w.timer, kill_timer_fn);
	mod_timer(&w.timer, jiffies + USER_TEST_TIMEOUT * HZ);
	relay_output(pipe[0]);
	fput(pipe[0]);
	EXPECT_EQ(kernel_wait(pid, &status), pid);
	del_timer(&w.timer);
	/* Reap what the program left behind (its orphans were given to us). */
	while (do_wait_status(-1, &child, 1 /* WNOHANG */) > 0)
		;
	if (w.fired)
		ktest_info("killed after %d seconds", USER_TEST_TIMEOUT);
	if ((status & 0x7f) == 0 && ((status >> 8) & 0xff) == 77)
		KTEST_SKIP("the program said so (exit 77)");
	if (status & 0x7f)
		ktest_info("%s: killed by signal %d", test->name, status & 0x7f);
	else if (status)
		ktest_info("%s: exit status %d", test->name, (status >> 8) & 0xff);
	EXPECT_EQ(status, 0);
}

static struct ktest_suite user_suite = {
	.name = "user",
	.cases = user_cases,
	.init = user_suite_init,
};
ktest_register_suite(user_suite);
