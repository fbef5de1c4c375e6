/*
 * init - the first user program (PID 1).
 *
 * The kernel starts it with fds 0, 1 and 2 already open on /dev/console, as
 * Linux does. init:
 *   1. prints a greeting;
 *   2. ignores SIGINT for itself (a ^C meant for a program must never end
 *      PID 1: on mmkern that powers the machine off);
 *   3. starts the shell: fork(), then execve("/bin/sh") in the child with a
 *      small environment;
 *   4. reaps every child that exits - its own, and the orphans the kernel
 *      re-parents to it - with wait4() in a loop. A zombie is a process that
 *      has exited but whose exit status nobody has collected yet; without
 *      this loop orphans would stay zombies forever;
 *   5. when the shell exits, init exits with the shell's status (128 + the
 *      signal number if the shell was killed). The kernel then powers off.
 *
 * init takes no arguments.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHELL "/bin/sh"

static void say(const char *s)
{
	(void)!write(1, s, strlen(s));
}

int main(void)
{
	char *argv[] = { "sh", NULL };
	char *envp[] = { "PATH=/bin", "HOME=/", "TERM=vt100", NULL };
	struct sigaction sa = { .sa_handler = SIG_IGN };
	char msg[128];
	int status, shell_status = 0;
	pid_t shell, pid;

	say("mmkern init: hello from user space (pid 1); starting " SHELL "\n");

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);

	shell = fork();
	if (shell < 0) {
		snprintf(msg, sizeof(msg), "init: fork failed: %s\n", strerror(errno));
		say(msg);
		return 1;
	}
	if (shell == 0) {
		/* The child: back to the default SIGINT (an ignored signal would
		 * stay ignored across execve), then become the shell. */
		sa.sa_handler = SIG_DFL;
		sigaction(SIGINT, &sa, NULL);
		execve(SHELL, argv, envp);
		snprintf(msg, sizeof(msg), "init: cannot run " SHELL ": %s\n", strerror(errno));
		say(msg);
		_exit(127);
	}

	/* Reap every child until the shell itself has exited. */
	for (;;) {
		pid = wait4(-1, &status, 0, NULL);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			/* ECHILD: nobody left (cannot happen while the shell lives). */
			snprintf(msg, sizeof(msg), "init: wait4: %s\n", strerror(errno));
			say(msg);
			return 1;
		}
		if (pid != shell)
			continue;           /* an orphan, now reaped */
		if (WIFEXITED(status))
			shell_status = WEXITSTATUS(status);
		else if (WIFSIGNALED(status))
			shell_status = 128 + WTERMSIG(status);
		break;
	}

	/* Collect any zombies that are already there, then leave. */
	while (wait4(-1, &status, WNOHANG, NULL) > 0)
		;
	snprintf(msg, sizeof(msg), "mmkern init: the shell exited (status %d); goodbye\n",
		 shell_status);
	say(msg);
	return shell_status;
}
