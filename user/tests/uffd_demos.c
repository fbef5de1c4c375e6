/*
 * uffd_demos - run the two userfaultfd demos of /bin as a selftest.
 *
 * Checks:
 *  1. uffd-demo 3: exits 0, says "3 faults handled for 3 pages; every byte
 *     as copied", one handler line per page, each before the main thread's
 *     reads of that page;
 *  2. lazymem 24 3: exits 0; 16 of 24 pages touched, 16 faults, 16 pages
 *     fetched, 65536 bytes moved, 8 never moved; the server sent 16 pages.
 * Their output is shown as diagnostics.
 */
#define _GNU_SOURCE
#include "uffd_util.h"

/* Run a program with its stdout+stderr in a pipe; return the wait status. */
static int run(const char *path, char *const argv[], char *out, size_t outsz)
{
	int p[2];
	size_t got = 0;

	REQUIRE(pipe(p) == 0, "pipe");
	pid_t pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		execv(path, argv);
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		struct pollfd pf = { .fd = p[0], .events = POLLIN };
		if (poll(&pf, 1, 10000) != 1) {
			CHECK(0, "%s: no output for 10 s", path);
			kill(pid, SIGKILL);
			break;
		}
		ssize_t n = read(p[0], out + got, outsz - 1 - got);
		if (n <= 0)
			break;
		got += n;
		if (got == outsz - 1)
			break;
	}
	out[got] = 0;
	close(p[0]);
	/* show it */
	for (char *line = out, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl) {
			utest_printf("  | %s\n", line);
			break;
		}
		utest_printf("  | %.*s\n", (int)(nl - line), line);
	}
	return utest_wait(pid);
}

int main(int argc, char **argv)
{
	static char out[16384];
	char path[4096];

	utest_begin("uffd_demos", argc, argv);
	close(uffd_open(O_CLOEXEC, 0, NULL));      /* skips without userfaultfd */

	snprintf(path, sizeof(path), "%s", utest_path("/bin/uffd-demo"));
	char *a1[] = { "uffd-demo", "3", NULL };
	int st = run(path, a1, out, sizeof(out));
	CHECK_EXITED(st, 0, "uffd-demo 3");
	CHECK(strstr(out, "uffd-demo: 3 faults handled for 3 pages; every byte as copied") != NULL,
	      "uffd-demo: summary line missing");
	int order_ok = 1;
	for (int i = 0; i < 3; i++) {
		char h[64], m[64];
		snprintf(h, sizeof(h), "handler: fault #%d at", i + 1);
		snprintf(m, sizeof(m), "main: page %d offset    0 reads '%c'", i, 'A' + i);
		char *ph = strstr(out, h), *pm = strstr(out, m);
		if (!ph || !pm || ph > pm)
			order_ok = 0;
	}
	CHECK(order_ok, "uffd-demo: a handler line per page, before the main thread's reads");

	snprintf(path, sizeof(path), "%s", utest_path("/bin/lazymem"));
	char *a2[] = { "lazymem", "24", "3", NULL };
	st = run(path, a2, out, sizeof(out));
	CHECK_EXITED(st, 0, "lazymem 24 3");
	CHECK(strstr(out, "client: touched 16 of 24 pages: 16 faults, 16 pages fetched, 65536 bytes "
		      "moved, 8 pages never moved") != NULL, "lazymem: client summary missing");
	CHECK(strstr(out, "server: request pipe closed; sent 16 of 24 pages (65536 bytes)") != NULL,
	      "lazymem: server summary missing");
	CHECK(strstr(out, "lazymem: every touched page holds the server's bytes") != NULL,
	      "lazymem: verdict missing");
	return utest_done();
}
