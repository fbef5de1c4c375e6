/*
 * tests/ktest/test_user.c - ring-3 programs as selftest cases.
 *
 * The initramfs holds the test programs in /tests and their names, one per
 * line, in /tests/index. Each becomes a case of the "user" suite: the
 * kernel starts it as a child process (ktest_user.c, through kernel/init.c
 * user_spawn) with stdout and stderr on a pipe, shows every line it prints
 * as a KTAP "#" diagnostic, and judges its wait status: exit 0 passes,
 * exit 77 skips, anything else - another code, or death by a signal -
 * fails. A program still running after USER_TEST_TIMEOUT seconds is killed.
 *
 * Programs named slow_* are not cases here: they need more memory than the
 * main test boot has, and the slow_* suites run them (test_slow_fork.c).
 *
 * The runner's leak check after each case then proves that the process,
 * with every page, page table, file and kernel stack it had, is gone.
 */
#include "tests/ktest/ktest_user.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/printk.h"
#include "kernel/string.h"

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
		if (!*line || strncmp(line, "slow_", 5) == 0)
			continue;
		strlcpy(names[n], line, sizeof(names[n]));
		user_cases[n].name = names[n];
		user_cases[n].run = run_user_test;
		n++;
	}
	return 0;
}

static void run_user_test(struct ktest *test)
{
	char path[48];
	const char *argv[] = { path, NULL };
	struct ktest_proc proc;

	snprintf(path, sizeof(path), "/tests/%s", test->name);
	ASSERT_EQ(ktest_proc_start(&proc, path, argv, USER_TEST_TIMEOUT), 0);
	ktest_expect_exit_ok(test, test->name, ktest_proc_finish(&proc, true));
}

static struct ktest_suite user_suite = {
	.name = "user",
	.cases = user_cases,
	.init = user_suite_init,
};
ktest_register_suite(user_suite);
