/*
 * vfork_kill - SIGKILL ends a vfork parent's wait for its child (as in
 * Linux, whose wait_for_vfork_done is killable).
 *
 * A child G vforks V. V, still running on G's memory, kills G with
 * SIGKILL and then blocks reading a pipe that only we can release. G must
 * die at once - not when V execs or exits - so our wait4() for G returns
 * within a couple of seconds while V still sleeps. Then we let V go; it
 * must not touch G's vfork bookkeeping afterwards (the kernel would crash
 * or the memory audit would complain). V alone holds the write end of
 * "gone": its EOF tells us V has exited too.
 */
#include "utest.h"
#include <signal.h>
#include <time.h>

static int release[2], gone[2];

int main(int argc, char **argv)
{
	pid_t g, r = 0;
	int st = -1;

	utest_begin("vfork_kill", argc, argv);
	REQUIRE(pipe(release) == 0 && pipe(gone) == 0, "pipe: errno %d", errno);
	g = fork();
	REQUIRE(g >= 0, "fork: errno %d", errno);
	if (g == 0) {
		pid_t v;

		close(release[1]);
		close(gone[0]);
		v = vfork();
		if (v == 0) {
			char c;

			kill(getppid(), SIGKILL);
			/* blocks until the test closes its end (EOF) */
			while (read(release[0], &c, 1) < 0 && errno == EINTR)
				;
			_exit(0);
		}
		/* Only reached if the kill did not take: the test then fails. */
		_exit(3);
	}
	close(release[0]);
	close(gone[1]);
	/* G must be gone while V still sleeps: wait at most 3 s for it. */
	for (int ms = 0; ms < 3000 && r == 0; ms += 10) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		r = wait4(g, &st, WNOHANG, NULL);
		if (r == 0)
			nanosleep(&ts, NULL);
	}
	CHECK(r == g, "wait4 for the killed vfork parent: %d, errno %d (%s) - still waiting "
	      "for its vfork child?", (int)r, errno, strerror(errno));
	if (r == g)
		CHECK_SIGNALED(st, SIGKILL, "vfork parent killed by its child");
	close(release[1]);              /* V reads EOF and exits */
	{
		char c;

		CHECK(read(gone[0], &c, 1) == 0, "V should exit without writing");
	}
	if (r != g) {
		kill(g, SIGKILL);
		utest_wait(g);
	}
	return utest_done();
}
