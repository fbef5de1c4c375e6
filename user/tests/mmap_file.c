/*
 * mmap_file - file mappings, private and shared, and the mmap family's
 * error codes.
 *
 * Checks (file in /tmp, 3 pages of known bytes):
 *  1. MAP_PRIVATE shows the file; writing to it changes the mapping only:
 *     read() of the file still gives the old bytes (do_cow_fault);
 *  2. MAP_SHARED: a write through the mapping is in the file at once
 *     (pread), and still there after munmap; a second MAP_SHARED mapping
 *     sees it; a pwrite() to the file is seen through the mapping;
 *  3. a mapping at a file offset shows that part of the file;
 *  4. the last partial page: bytes past EOF read as zero, writing them
 *     through MAP_SHARED does not grow the file;
 *  5. fork: the child's write to a MAP_SHARED file page reaches the file
 *     and the parent; to a MAP_PRIVATE one it does not;
 *  6. errors: bad fd EBADF, len 0 EINVAL, unaligned offset EINVAL, neither
 *     SHARED nor PRIVATE EINVAL, MAP_SHARED+PROT_WRITE on an O_RDONLY fd
 *     EACCES (MAP_PRIVATE+PROT_WRITE on it is fine); munmap unaligned or of
 *     length 0 EINVAL, munmap of a hole succeeds; mprotect unaligned EINVAL,
 *     on a hole or partly on a hole ENOMEM.
 */
#include "utest.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define FPAGES 3
#define FSIZE (FPAGES * PAGE_SIZE)

static unsigned char byte_at(size_t off)
{
	return (unsigned char)(off * 7 + (off >> 12) * 13 + 1);
}

/* pread the whole file and compare with the expected bytes. */
static int file_diffs(int fd, const unsigned char *want, size_t len)
{
	static unsigned char buf[FSIZE + PAGE_SIZE];
	ssize_t n = pread(fd, buf, len, 0);
	int diffs = 0;

	if (n != (ssize_t)len) {
		utest_printf("  pread returned %zd, want %zu\n", n, len);
		return -1;
	}
	for (size_t i = 0; i < len; i++)
		if (buf[i] != want[i])
			diffs++;
	return diffs;
}

int main(int argc, char **argv)
{
	static unsigned char want[FSIZE];
	char path[64], path2[64];
	unsigned char *priv, *sh, *sh2, *p;
	int fd, rofd, st, d;
	pid_t pid;

	utest_begin("mmap_file", argc, argv);
	snprintf(path, sizeof(path), "/tmp/mmap_file.%d", (int)getpid());
	snprintf(path2, sizeof(path2), "/tmp/mmap_file2.%d", (int)getpid());

	for (size_t i = 0; i < FSIZE; i++)
		want[i] = byte_at(i);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	REQUIRE(fd >= 0, "open(%s, O_CREAT): errno %d (%s)", path, errno, strerror(errno));
	REQUIRE(write(fd, want, FSIZE) == (ssize_t)FSIZE, "write of %lu bytes", FSIZE);
	CHECK(file_diffs(fd, want, FSIZE) == 0, "file does not read back as written");

	/* ---- 1. MAP_PRIVATE ---------------------------------------------- */
	priv = mmap(NULL, FSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	REQUIRE(priv != MAP_FAILED, "mmap MAP_PRIVATE: errno %d", errno);
	CHECK(memcmp(priv, want, FSIZE) == 0, "MAP_PRIVATE mapping differs from the file");
	priv[0] = 'P';
	priv[PAGE_SIZE + 5] = 'Q';
	CHECK(priv[0] == 'P' && priv[PAGE_SIZE + 5] == 'Q', "private write not visible in mapping");
	CHECK(priv[1] == want[1] && priv[PAGE_SIZE + 6] == want[PAGE_SIZE + 6],
	      "private write changed neighbouring bytes");
	d = file_diffs(fd, want, FSIZE);
	CHECK(d == 0, "a MAP_PRIVATE write reached the file (%d bytes differ)", d);
	CHECK(munmap(priv, FSIZE) == 0, "munmap private");
	d = file_diffs(fd, want, FSIZE);
	CHECK(d == 0, "file changed after munmap of the private mapping (%d)", d);

	/* ---- 2. MAP_SHARED ----------------------------------------------- */
	sh = mmap(NULL, FSIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	REQUIRE(sh != MAP_FAILED, "mmap MAP_SHARED: errno %d", errno);
	sh2 = mmap(NULL, FSIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	REQUIRE(sh2 != MAP_FAILED, "second mmap MAP_SHARED: errno %d", errno);
	CHECK(sh != sh2, "two mappings at the same address");
	CHECK(memcmp(sh, want, FSIZE) == 0, "MAP_SHARED mapping differs from the file");
	CHECK(sh2[2 * PAGE_SIZE + 9] == want[2 * PAGE_SIZE + 9], "second mapping wrong");
	sh[10] = 'S';
	want[10] = 'S';
	sh[2 * PAGE_SIZE + 9] = 'T';
	want[2 * PAGE_SIZE + 9] = 'T';
	d = file_diffs(fd, want, FSIZE);
	CHECK(d == 0, "MAP_SHARED write not in the file (%d bytes differ)", d);
	CHECK(sh2[10] == 'S' && sh2[2 * PAGE_SIZE + 9] == 'T',
	      "second MAP_SHARED mapping does not see the first one's write");
	/* write() to the file is seen through the mapping: one page cache. */
	CHECK(pwrite(fd, "W", 1, PAGE_SIZE + 100) == 1, "pwrite");
	want[PAGE_SIZE + 100] = 'W';
	CHECK(sh[PAGE_SIZE + 100] == 'W', "pwrite not seen through MAP_SHARED mapping");
	CHECK(munmap(sh, FSIZE) == 0, "munmap shared");
	d = file_diffs(fd, want, FSIZE);
	CHECK(d == 0, "MAP_SHARED write lost after munmap (%d bytes differ)", d);
	CHECK(sh2[10] == 'S', "second mapping lost the data after the first's munmap");

	/* ---- 5. fork with shared and private file mappings -------------- */
	priv = mmap(NULL, FSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	REQUIRE(priv != MAP_FAILED, "mmap MAP_PRIVATE: errno %d", errno);
	priv[3] = 'p';               /* an anonymous copy exists before fork */
	pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		CHECK(priv[3] == 'p', "child: private copy lost");
		CHECK(sh2[10] == 'S', "child: shared mapping wrong");
		sh2[11] = 'C';       /* shared: reaches file and parent */
		priv[3] = 'c';       /* private: child only */
		priv[4] = 'c';
		utest_child_exit();
	}
	st = utest_wait(pid);
	CHECK_EXITED(st, 0, "child writing file mappings");
	want[11] = 'C';
	CHECK(sh2[11] == 'C', "parent does not see the child's MAP_SHARED write");
	CHECK(priv[3] == 'p' && priv[4] == want[4],
	      "child's MAP_PRIVATE write leaked into the parent");
	d = file_diffs(fd, want, FSIZE);
	CHECK(d == 0, "file wrong after the child's writes (%d bytes differ)", d);
	CHECK(munmap(priv, FSIZE) == 0, "munmap");
	CHECK(munmap(sh2, FSIZE) == 0, "munmap");

	/* ---- 3. a mapping at an offset ------------------------------------ */
	p = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 2 * PAGE_SIZE);
	REQUIRE(p != MAP_FAILED, "mmap at offset 2 pages: errno %d", errno);
	CHECK(memcmp(p, want + 2 * PAGE_SIZE, PAGE_SIZE) == 0, "mapping at offset shows wrong data");
	CHECK(munmap(p, PAGE_SIZE) == 0, "munmap");

	/* ---- 4. the partial last page ------------------------------------ */
	int fd2 = open(path2, O_RDWR | O_CREAT | O_TRUNC, 0644);
	REQUIRE(fd2 >= 0, "open %s: errno %d", path2, errno);
	REQUIRE(write(fd2, want, PAGE_SIZE + 100) == (ssize_t)(PAGE_SIZE + 100), "write");
	p = mmap(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 0);
	REQUIRE(p != MAP_FAILED, "mmap of a 4196-byte file: errno %d", errno);
	CHECK(p[PAGE_SIZE + 99] == want[PAGE_SIZE + 99], "last byte of the file wrong");
	int nonzero = 0;
	for (size_t i = PAGE_SIZE + 100; i < 2 * PAGE_SIZE; i++)
		nonzero += p[i] != 0;
	CHECK(nonzero == 0, "%d bytes past EOF in the last page are not zero", nonzero);
	p[PAGE_SIZE + 200] = 'X';            /* past EOF: not part of the file */
	struct stat sb;
	CHECK(fstat(fd2, &sb) == 0 && sb.st_size == (off_t)(PAGE_SIZE + 100),
	      "file size %lld after writing past EOF through the mapping, want %lu",
	      (long long)sb.st_size, PAGE_SIZE + 100);
	CHECK(munmap(p, 2 * PAGE_SIZE) == 0, "munmap");
	close(fd2);
	unlink(path2);

	/* ---- 6. error codes ---------------------------------------------- */
	CHECK_ERR(sys_mmap(NULL, PAGE_SIZE, PROT_READ, MAP_SHARED, 999, 0), EBADF);
	CHECK_ERR(sys_mmap(NULL, 0, PROT_READ, MAP_SHARED, fd, 0), EINVAL);
	CHECK_ERR(sys_mmap(NULL, PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 100), EINVAL);
	CHECK_ERR(sys_mmap(NULL, PAGE_SIZE, PROT_READ, 0, fd, 0), EINVAL);
	CHECK_ERR(sys_mmap(NULL, PAGE_SIZE, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
	rofd = open(path, O_RDONLY);
	REQUIRE(rofd >= 0, "open O_RDONLY: errno %d", errno);
	CHECK_ERR(sys_mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, rofd, 0), EACCES);
	p = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, rofd, 0);
	CHECK(p != MAP_FAILED, "MAP_PRIVATE|PROT_WRITE of an O_RDONLY fd must work: errno %d", errno);
	if (p != MAP_FAILED) {
		p[0] = 'r';                      /* private copy: fine */
		CHECK(p[0] == 'r', "private write to a read-only file mapping");
		munmap(p, PAGE_SIZE);
	}
	close(rofd);
	d = file_diffs(fd, want, FSIZE);
	CHECK(d == 0, "file changed by a private mapping of an O_RDONLY fd (%d)", d);

	/* A hole: map 3 pages, unmap the middle one. */
	p = mmap(NULL, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED, "mmap anon");
	CHECK(munmap(p + PAGE_SIZE, PAGE_SIZE) == 0, "munmap middle page");
	CHECK_ERR(sys_munmap(p + 1, PAGE_SIZE), EINVAL);
	CHECK_ERR(sys_munmap(p, 0), EINVAL);
	CHECK(sys_munmap(p + PAGE_SIZE, PAGE_SIZE) == 0, "munmap of a hole must succeed");
	CHECK_ERR(sys_mprotect(p + 1, PAGE_SIZE, PROT_READ), EINVAL);
	CHECK_ERR(sys_mprotect(p + PAGE_SIZE, PAGE_SIZE, PROT_READ), ENOMEM);
	CHECK_ERR(sys_mprotect(p, 3 * PAGE_SIZE, PROT_READ), ENOMEM);
	CHECK(mprotect(p, PAGE_SIZE, PROT_READ) == 0, "mprotect of a mapped page");
	CHECK(munmap(p, 3 * PAGE_SIZE) == 0, "munmap over a hole");

	close(fd);
	CHECK(unlink(path) == 0, "unlink %s", path);
	return utest_done();
}
