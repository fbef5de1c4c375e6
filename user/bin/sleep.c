/*
 * sleep - wait for a number of seconds (nanosleep).
 *   sleep SECONDS      e.g. "sleep 2" or "sleep 0.5"
 * Handy to try ^C: the shell ignores SIGINT while sleep runs, sleep dies.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	char *end;
	double secs;
	struct timespec ts;

	if (argc != 2 || (secs = strtod(argv[1], &end)) < 0 || *end) {
		dprintf(2, "usage: sleep SECONDS\n");
		return 1;
	}
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	/* A handled signal would cut the sleep short: sleep the rest. */
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	return 0;
}
