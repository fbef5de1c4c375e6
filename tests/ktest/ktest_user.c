/* tests/ktest/ktest_user.c - see ktest_user.h. */
#include "tests/ktest/ktest_user.h"
#include "arch/x86_64/time.h"
#include "kernel/errno.h"
#include "kernel/init.h"
#include "kernel/signal.h"
#include "kernel/string.h"

#define WNOHANG 1

/* The watchdog: runs in the timer interrupt. */
static void ktest_proc_timeout(struct timer_list *t)
{
	struct ktest_proc *p = container_of(t, struct ktest_proc, watchdog);

	p->killed = true;
	kill_pid(p->pid, SIGKILL);
}

int ktest_proc_start(struct ktest_proc *p, const char *path, const char *const *argv,
		     unsigned int timeout)
{
	struct file *in[2], *out[2];
	pid_t pid;
	int err;

	memset(p, 0, sizeof(*p));
	err = create_pipe_files(in, 0);
	if (err)
		return err;
	err = create_pipe_files(out, 0);
	if (err)
		goto put_in;
	pid = user_spawn(path, argv, NULL, in[0], out[1], out[1]);
	/* The program holds its ends now: EOF on out[0] when it (and its children) are done. */
	fput(in[0]);
	fput(out[1]);
	if (pid < 0) {
		err = pid;
		fput(out[0]);
		goto put_in_writer;
	}
	p->pid = pid;
	p->in = in[1];
	p->out = out[0];
	p->timeout = timeout;
	timer_setup(&p->watchdog, ktest_proc_timeout);
	mod_timer(&p->watchdog, jiffies + (unsigned long)timeout * HZ);
	return 0;

put_in:
	fput(in[0]);
put_in_writer:
	fput(in[1]);
	return err;
}

char *ktest_proc_readline(struct ktest_proc *p, char *line, size_t size)
{
	size_t used = 0;

	while (used < size - 1) {
		char c;

		if (p->head == p->tail) {
			ssize_t n = p->eof ? 0 : kernel_read(p->out, p->buf, sizeof(p->buf), &p->pos);

			if (n <= 0) {
				p->eof = true;
				break;
			}
			p->head = 0;
			p->tail = n;
		}
		c = p->buf[p->head++];
		if (c == '\n')
			goto out;
		line[used++] = c;
	}
	if (!used && p->eof)
		return NULL;
out:
	line[used] = '\0';
	return line;
}

ssize_t ktest_proc_write(struct ktest_proc *p, const char *s)
{
	loff_t pos = 0;

	if (!p->in)
		return -EBADF;
	return kernel_write(p->in, s, strlen(s), &pos);
}

int ktest_proc_finish(struct ktest_proc *p, bool echo)
{
	char line[256];
	int status = -1, orphan;

	if (p->in) {
		fput(p->in);
		p->in = NULL;
	}
	while (ktest_proc_readline(p, line, sizeof(line)))
		if (echo)
			ktest_info("%s", line);
	fput(p->out);
	if (kernel_wait(p->pid, &status) != p->pid)
		ktest_info("wait for pid %d failed", p->pid);
	del_timer(&p->watchdog);
	/* Reap what the program left behind (its orphans were given to us). */
	while (do_wait_status(-1, &orphan, WNOHANG) > 0)
		;
	if (p->killed)
		ktest_info("pid %d killed after %u seconds", p->pid, p->timeout);
	return status;
}

void ktest_expect_exit_ok(struct ktest *test, const char *name, int status)
{
	if (KTEST_WTERMSIG(status) == 0 && KTEST_WEXITSTATUS(status) == 77)
		KTEST_SKIP("the program said so (exit 77)");
	if (KTEST_WTERMSIG(status))
		ktest_info("%s: killed by signal %d", name, KTEST_WTERMSIG(status));
	else if (status)
		ktest_info("%s: exit status %d", name, KTEST_WEXITSTATUS(status));
	EXPECT_EQ(status, 0);
}
