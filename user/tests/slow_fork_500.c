/*
 * slow_fork_500 - 500 processes alive at once. Run by the kernel's
 * slow_fork suite (with -k); the main user suite leaves slow_* out.
 *
 * Checks:
 *  1. 500 fork()s in a row all succeed;
 *  2. all 500 children are alive at the same time: each says so through a
 *     pipe (after writing its number into its copy of a page: a COW copy
 *     each), then blocks reading another pipe; with all 500 bytes in, no
 *     child has exited (waitpid WNOHANG) and kill(pid, 0) finds each one;
 *  3. closing the second pipe lets them all go at once; each checks its
 *     page and exits with its number (mod 256); wait() reaps exactly the
 *     500, each with its own status; then ECHILD.
 * With -k, when all are alive the parent prints "500 processes alive" and
 * waits for a line on stdin: the kernel counts the tasks and audits all
 * 501 address spaces then.
 */
#include "utest.h"

#define N 500

static volatile int mine[PAGE_SIZE / sizeof(int)] __attribute__((aligned(4096)));

static void child(int i, int ready, int go)
{
	char c = 'x';

	mine[0] = i;  /* a copy of this page, the child's own */
	if (write(ready, &c, 1) != 1)
		_exit(255);
	while (read(go, &c, 1) < 0 && errno == EINTR)  /* EOF: the parent let go */
		;
	_exit(mine[0] == i ? i % 256 : 255);
}

int main(int argc, char **argv)
{
	int kernel = argc > 1 && strcmp(argv[1], "-k") == 0;
	int ready[2], go[2], n = 0, st, reaped = 0, wrong = 0, gone = 0;
	static pid_t pids[N];
	char buf[64];

	utest_begin("slow_fork_500", argc, argv);
	REQUIRE(pipe(ready) == 0 && pipe(go) == 0, "pipe: errno %d", errno);
	mine[0] = -1;
	for (n = 0; n < N; n++) {
		pid_t pid = fork();

		if (pid == 0) {
			close(ready[0]);
			close(go[1]);
			child(n, ready[1], go[0]);
		}
		if (!CHECK(pid > 0, "fork %d of %d: errno %d (%s)", n + 1, N, errno, strerror(errno)))
			break;
		pids[n] = pid;
	}
	close(ready[1]);
	close(go[0]);

	/* Every child we made says it runs; none may have exited yet. */
	for (int got = 0; got < n;) {
		size_t want = (size_t)(n - got) < sizeof(buf) ? (size_t)(n - got) : sizeof(buf);
		ssize_t r = read(ready[0], buf, want);

		if (!CHECK(r > 0, "only %d of %d children said they run", got, n))
			break;
		got += r;
	}
	CHECK(waitpid(-1, &st, WNOHANG) == 0, "a child exited early (%s)", utest_status_str(st));
	for (int i = 0; i < n; i++)
		gone += kill(pids[i], 0) != 0;
	CHECK(gone == 0, "%d of %d children not there", gone, n);
	if (kernel) {
		utest_printf("%d processes alive\n", n);
		while (read(0, buf, 1) == 1 && buf[0] != '\n')
			;
	}
	CHECK(mine[0] == -1, "the parent's page changed: %d", mine[0]);

	close(go[1]);  /* EOF for all of them: off they go */
	for (;;) {
		pid_t pid = wait(&st);
		int i;

		if (pid < 0)
			break;
		reaped++;
		for (i = 0; i < n && pids[i] != pid; i++)
			;
		if (i == n || !WIFEXITED(st) || WEXITSTATUS(st) != i % 256) {
			if (wrong++ < 3)
				utest_printf("  pid %d (child %d): %s\n", (int)pid, i, utest_status_str(st));
		} else {
			pids[i] = 0;  /* reaped once */
		}
	}
	CHECK(errno == ECHILD, "wait ended with errno %d, not ECHILD", errno);
	CHECK(reaped == n && n == N, "reaped %d of %d children (%d forked)", reaped, N, n);
	CHECK(wrong == 0, "%d children ended wrongly", wrong);
	utest_printf("%d children forked, alive together, reaped\n", reaped);
	return utest_done();
}
