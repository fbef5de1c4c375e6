/*
 * pipes - pipe(): data, blocking, EOF, EPIPE/SIGPIPE, atomic small writes.
 *
 * Checks:
 *  1. child -> parent: 1 MiB written in odd-sized chunks arrives complete
 *     and in order (a checksum and a byte-by-byte compare); then EOF, which
 *     the parent sees although the child never closed its end (exit closes
 *     it);
 *  2. parent -> child: the same the other way, the child reports by status;
 *  3. EOF: bytes written then the write end closed: read gives the bytes,
 *     then 0, again 0; a dup()ed write end keeps the pipe open until the
 *     last copy is closed;
 *  4. no reader: with SIGPIPE ignored, write() fails with EPIPE; with the
 *     default action the writer dies by SIGPIPE;
 *  5. writes of at most PIPE_BUF bytes are atomic: two writers' 128-byte
 *     records never interleave;
 *  6. pipe2(O_NONBLOCK): read of an empty pipe -> EAGAIN;
 *  7. errors: read(0 bytes) -> 0, write to the read end / read from the
 *     write end -> EBADF, closed fd -> EBADF.
 */
#include "utest.h"
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>

#define TOTAL (1 << 20)

/* The byte stream: a simple LCG so both ends can regenerate it. */
static unsigned char stream_byte(uint32_t i)
{
	uint32_t x = i * 2654435761u;
	return (unsigned char)((x >> 24) ^ (x >> 13) ^ i);
}

/* Write TOTAL bytes of the stream to fd in chunk sizes 1..8191. */
static int send_stream(int fd)
{
	static unsigned char buf[8192];
	uint32_t sent = 0, chunk = 1;

	while (sent < TOTAL) {
		uint32_t n = chunk;
		if (n > TOTAL - sent)
			n = TOTAL - sent;
		for (uint32_t i = 0; i < n; i++)
			buf[i] = stream_byte(sent + i);
		uint32_t off = 0;
		while (off < n) {
			ssize_t w = write(fd, buf + off, n - off);
			if (w <= 0)
				return -1;
			off += w;
		}
		sent += n;
		chunk = (chunk * 37 + 11) % 8191 + 1;
	}
	return 0;
}

/* Read until EOF; return the number of bytes, count the mismatches. */
static long recv_stream(int fd, long *mismatches, uint32_t *sum)
{
	static unsigned char buf[5000];
	long got = 0;

	*mismatches = 0;
	*sum = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			return got;
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != stream_byte(got + i))
				(*mismatches)++;
			*sum = *sum * 31 + buf[i];
		}
		got += n;
	}
}

static uint32_t expected_sum(void)
{
	uint32_t sum = 0;
	for (uint32_t i = 0; i < TOTAL; i++)
		sum = sum * 31 + stream_byte(i);
	return sum;
}

int main(int argc, char **argv)
{
	int p[2], st;
	long got, bad;
	uint32_t sum, want_sum = expected_sum();
	pid_t pid;
	char buf[256];

	utest_begin("pipes", argc, argv);

	/* ---- 1. child -> parent, 1 MiB ------------------------------------ */
	REQUIRE(pipe(p) == 0, "pipe: errno %d", errno);
	pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		close(p[0]);
		_exit(send_stream(p[1]) ? 1 : 0);   /* exit closes p[1] */
	}
	close(p[1]);
	got = recv_stream(p[0], &bad, &sum);
	CHECK(got == TOTAL, "parent received %ld bytes, want %d", got, TOTAL);
	CHECK(bad == 0, "%ld bytes differ", bad);
	CHECK(sum == want_sum, "checksum %#x, want %#x", sum, want_sum);
	CHECK(read(p[0], buf, 1) == 0, "read after EOF must return 0 again");
	st = utest_wait(pid);
	CHECK_EXITED(st, 0, "writer child");
	close(p[0]);

	/* ---- 2. parent -> child, 1 MiB ------------------------------------ */
	REQUIRE(pipe(p) == 0, "pipe");
	pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		close(p[1]);
		got = recv_stream(p[0], &bad, &sum);
		CHECK(got == TOTAL && bad == 0 && sum == want_sum,
		      "child received %ld bytes, %ld wrong, sum %#x", got, bad, sum);
		utest_child_exit();
	}
	close(p[0]);
	CHECK(send_stream(p[1]) == 0, "parent: write failed, errno %d", errno);
	close(p[1]);
	st = utest_wait(pid);
	CHECK_EXITED(st, 0, "reader child");

	/* ---- 3. EOF -------------------------------------------------------- */
	REQUIRE(pipe(p) == 0, "pipe");
	CHECK(write(p[1], "hello", 5) == 5, "write");
	int w2 = dup(p[1]);
	CHECK(w2 >= 0, "dup: errno %d", errno);
	close(p[1]);
	CHECK(read(p[0], buf, sizeof(buf)) == 5 && !memcmp(buf, "hello", 5), "read 'hello'");
	CHECK(write(w2, "x", 1) == 1, "write through the dup'ed end");
	CHECK(read(p[0], buf, sizeof(buf)) == 1 && buf[0] == 'x', "read 'x'");
	close(w2);                 /* the last write end: now EOF */
	CHECK(read(p[0], buf, sizeof(buf)) == 0, "read after the last writer closed must be 0");
	CHECK(read(p[0], buf, sizeof(buf)) == 0, "and 0 again");
	close(p[0]);

	/* ---- 4. no reader -------------------------------------------------- */
	REQUIRE(pipe(p) == 0, "pipe");
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	CHECK_ERR(write(p[1], "x", 1), EPIPE);
	signal(SIGPIPE, SIG_DFL);
	pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		(void)write(p[1], "x", 1);
		_exit(0);                  /* not reached: SIGPIPE kills */
	}
	close(p[1]);
	st = utest_wait(pid);
	CHECK_SIGNALED(st, SIGPIPE, "write to a pipe without a reader");
	/* The reader closes while the writer is blocked on a full pipe. */
	REQUIRE(pipe(p) == 0, "pipe");
	pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		close(p[0]);
		signal(SIGPIPE, SIG_IGN);
		static char big[PAGE_SIZE];
		for (;;)
			if (write(p[1], big, sizeof(big)) < 0)
				_exit(errno == EPIPE ? 0 : 1);
	}
	close(p[1]);
	CHECK(read(p[0], buf, 10) == 10, "read a little");
	close(p[0]);               /* the blocked writer must wake with EPIPE */
	st = utest_wait(pid);
	CHECK_EXITED(st, 0, "writer blocked on a full pipe when the reader closed");

	/* ---- 5. atomic writes of PIPE_BUF or less --------------------------- */
	REQUIRE(pipe(p) == 0, "pipe");
	pid_t w[2];
	for (int k = 0; k < 2; k++) {
		w[k] = fork();
		REQUIRE(w[k] >= 0, "fork");
		if (w[k] == 0) {
			char rec[128];
			close(p[0]);
			for (int r = 0; r < 300; r++) {
				memset(rec, 'A' + k, sizeof(rec));
				rec[0] = (char)r;
				if (write(p[1], rec, sizeof(rec)) != (ssize_t)sizeof(rec))
					_exit(1);
			}
			_exit(0);
		}
	}
	close(p[1]);
	{
		static char all[2 * 300 * 128 + 1];
		long len = 0, torn = 0;
		ssize_t n;
		while ((n = read(p[0], all + len, sizeof(all) - len)) > 0)
			len += n;
		CHECK(len == 2 * 300 * 128, "received %ld bytes of records, want %d", len, 2 * 300 * 128);
		for (long r = 0; r + 128 <= len; r += 128)
			for (int i = 2; i < 128; i++)
				if (all[r + i] != all[r + 1]) {
					torn++;
					break;
				}
		CHECK(torn == 0, "%ld records of 128 bytes were torn (PIPE_BUF = %d)", torn, PIPE_BUF);
	}
	close(p[0]);
	CHECK_EXITED(utest_wait(w[0]), 0, "record writer A");
	CHECK_EXITED(utest_wait(w[1]), 0, "record writer B");

	/* ---- 6. non-blocking ------------------------------------------------ */
	if (CHECK(pipe2(p, O_NONBLOCK) == 0, "pipe2(O_NONBLOCK): errno %d", errno)) {
		CHECK_ERR(read(p[0], buf, 1), EAGAIN);
		CHECK(write(p[1], "n", 1) == 1, "write");
		CHECK(read(p[0], buf, 10) == 1, "read one byte");
		CHECK_ERR(read(p[0], buf, 1), EAGAIN);
		close(p[1]);
		CHECK(read(p[0], buf, 1) == 0, "EOF on a non-blocking pipe is 0, not EAGAIN");
		close(p[0]);
	}

	/* ---- 7. errors ------------------------------------------------------ */
	REQUIRE(pipe(p) == 0, "pipe");
	CHECK(read(p[0], buf, 0) == 0, "read of 0 bytes must return 0 at once");
	CHECK_ERR(write(p[0], "x", 1), EBADF);
	CHECK_ERR(read(p[1], buf, 1), EBADF);
	close(p[0]);
	close(p[1]);
	CHECK_ERR(read(p[0], buf, 1), EBADF);
	CHECK_ERR(write(p[1], "x", 1), EBADF);
	CHECK_ERR(close(p[0]), EBADF);

	return utest_done();
}
