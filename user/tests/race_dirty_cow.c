/*
 * race_dirty_cow - the Dirty-COW shape: the kernel writes (copy_to_user)
 * into a user buffer that is a private file page mapped read-only so far.
 *
 * A file in /tmp holds 2 pages of known bytes F. It is mapped twice:
 * MAP_PRIVATE PROT_READ|PROT_WRITE (only read, so the page-cache page is
 * mapped read-only in it) and MAP_SHARED PROT_READ. Each round, read() from
 * a pipe holding known bytes P lands INTO the private mapping (in the first
 * page, or across into the second, never touched before). Checks:
 *  1. read() returns the count and the private mapping shows P there and F
 *     around it;
 *  2. the file (pread) and the MAP_SHARED mapping still hold F: the kernel
 *     broke COW (a private copy) instead of writing the page-cache page;
 *  3. a PROT_READ-only private mapping as read()'s buffer gives EFAULT and
 *     the file and the mapping stay F.
 */
#include "utest.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>

#define ROUNDS 40
#define FSIZE (2 * PAGE_SIZE)
#define LEN 300

static unsigned char fpat(unsigned i) { return (unsigned char)('F' + i * 13); }
static unsigned char ppat(int r, unsigned i) { return (unsigned char)(0x80 + r + i * 5) | 0x80; }

static int file_bad(int fd)
{
	static unsigned char buf[FSIZE];
	int bad = 0;
	if (pread(fd, buf, FSIZE, 0) != FSIZE)
		return -1;
	for (unsigned i = 0; i < FSIZE; i++)
		if (buf[i] != fpat(i))
			bad++;
	return bad;
}

static int map_bad(volatile unsigned char *m)
{
	int bad = 0;
	for (unsigned i = 0; i < FSIZE; i++)
		if (m[i] != fpat(i))
			bad++;
	return bad;
}

int main(int argc, char **argv)
{
	char path[64];
	unsigned char buf[FSIZE];
	int fd, pp[2], fails = 0;

	utest_begin("race_dirty_cow", argc, argv);
	snprintf(path, sizeof(path), "/tmp/race_dirty_cow.%d", (int)getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		utest_skip("cannot create a file in /tmp");
	for (unsigned i = 0; i < FSIZE; i++)
		buf[i] = fpat(i);
	REQUIRE(write(fd, buf, FSIZE) == FSIZE, "write file: errno %d", errno);
	REQUIRE(pipe(pp) == 0, "pipe");

	volatile unsigned char *sh = mmap(NULL, FSIZE, PROT_READ, MAP_SHARED, fd, 0);
	REQUIRE(sh != MAP_FAILED, "mmap shared: errno %d", errno);

	for (int r = 0; r < ROUNDS && fails < 4; r++) {
		int f = utest_failures;
		unsigned off = (r & 1) ? PAGE_SIZE - LEN / 2 : 100 + (unsigned)r;
		unsigned char pb[LEN];
		volatile unsigned char *pv = mmap(NULL, FSIZE, PROT_READ | PROT_WRITE,
						  MAP_PRIVATE, fd, 0);
		REQUIRE(pv != MAP_FAILED, "mmap private: errno %d", errno);
		/* read (only) the first page: page cache mapped read-only */
		CHECK(pv[0] == fpat(0) && pv[off] == fpat(off) && pv[PAGE_SIZE - 1] == fpat(PAGE_SIZE - 1),
		      "round %d: private mapping does not show the file", r);
		for (unsigned i = 0; i < LEN; i++)
			pb[i] = ppat(r, i);
		REQUIRE(write(pp[1], pb, LEN) == LEN, "write pipe");
		ssize_t n = read(pp[0], (void *)(pv + off), LEN);
		CHECK(n == LEN, "round %d: read() into the private mapping returned %ld (errno %d)",
		      r, (long)n, errno);
		int badp = 0, badf = 0;
		for (unsigned i = 0; i < FSIZE; i++) {
			unsigned char want = (i >= off && i < off + LEN) ? ppat(r, i - off) : fpat(i);
			if (pv[i] != want) {
				if (i >= off && i < off + LEN)
					badp++;
				else
					badf++;
			}
		}
		CHECK(!badp, "round %d: %d of the pipe bytes missing from the private mapping", r, badp);
		CHECK(!badf, "round %d: %d bytes around them differ from the file", r, badf);
		int fb = file_bad(fd);
		CHECK(fb == 0, "round %d: the FILE changed (%d bytes, pread): the kernel wrote the page-cache page through a private mapping",
		      r, fb);
		int sb = map_bad(sh);
		CHECK(sb == 0, "round %d: the MAP_SHARED mapping changed (%d bytes)", r, sb);
		munmap((void *)pv, FSIZE);

		/* read-only private mapping as the buffer: EFAULT */
		volatile unsigned char *ro = mmap(NULL, FSIZE, PROT_READ, MAP_PRIVATE, fd, 0);
		REQUIRE(ro != MAP_FAILED, "mmap private RO: errno %d", errno);
		CHECK(ro[off] == fpat(off), "round %d: RO mapping does not show the file", r);
		REQUIRE(write(pp[1], pb, LEN) == LEN, "write pipe");
		CHECK_ERR(read(pp[0], (void *)(ro + off), LEN), EFAULT);
		CHECK(map_bad(ro) == 0, "round %d: read-only private mapping changed", r);
		CHECK(file_bad(fd) == 0, "round %d: the FILE changed after read() into a PROT_READ mapping", r);
		CHECK(map_bad(sh) == 0, "round %d: MAP_SHARED mapping changed after EFAULT read", r);
		munmap((void *)ro, FSIZE);
		/* drain whatever the failed read left in the pipe */
		int fl = fcntl(pp[0], F_GETFL);
		fcntl(pp[0], F_SETFL, fl | O_NONBLOCK);
		while (read(pp[0], pb, LEN) > 0)
			;
		fcntl(pp[0], F_SETFL, fl);
		if (utest_failures > f)
			fails++;
	}
	munmap((void *)sh, FSIZE);
	close(fd);
	unlink(path);
	return utest_done();
}
