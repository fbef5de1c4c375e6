/*
 * efault - system calls given bad user pointers must fail with EFAULT (and
 * never crash the kernel or touch kernel memory); good but not-yet-present
 * pointers must work (the kernel faults the page in for the user).
 *
 * Raw syscall() is used where libc would dereference the pointer itself.
 *
 * Checks:
 *  - read() into address 1, into a PROT_READ page, into a PROT_NONE page,
 *    into kernel addresses, into a non-canonical address -> EFAULT;
 *  - write() from (void *)-4096 (to fd 1 and to a pipe), from the kernel
 *    image, from an unmapped page -> EFAULT, and the pipe stays empty;
 *  - open(NULL), open of a string that runs into an unmapped page -> EFAULT;
 *  - execve with a bad path, a bad argv array, a bad argv[1] -> EFAULT and
 *    the caller goes on;
 *  - pipe(bad), rt_sigaction(bad act), getrusage(bad), wait4(bad status)
 *    -> EFAULT;
 *  - read() into a fresh anonymous page (not yet faulted) works;
 *  - after fork, the child's read() into a page shared copy-on-write with
 *    the parent lands in the child's copy only (the kernel's own write must
 *    break COW: CR0.WP);
 *  - an unknown syscall number -> ENOSYS.
 */
#include "utest.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define KERNEL_DIRECTMAP ((void *)0xffff888000100000ULL)
#define KERNEL_IMAGE ((void *)0xffffffff80100000ULL)
#define NONCANONICAL ((void *)0x0000800000001000ULL)

/* A pipe with some bytes ready to read, so that read() does not block. */
static void fill_pipe(int fds[2], int n)
{
	static const char data[64] = "0123456789abcdef0123456789abcdef0123456789abcdef";
	REQUIRE(pipe(fds) == 0, "pipe: errno %d", errno);
	REQUIRE(write(fds[1], data, n) == n, "write to pipe");
}

int main(int argc, char **argv)
{
	int fds[2], st;
	char *ro, *none, *gone, *fresh, *two;
	char buf[64];
	pid_t pid;

	utest_begin("efault", argc, argv);

	ro = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	none = mmap(NULL, PAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	gone = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(ro != MAP_FAILED && none != MAP_FAILED && gone != MAP_FAILED, "mmap");
	munmap(gone, PAGE_SIZE);

	/* ---- read() into bad buffers ------------------------------------- */
	fill_pipe(fds, 32);
	CHECK_ERR(syscall(SYS_read, fds[0], (void *)1, 10), EFAULT);
	CHECK_ERR(syscall(SYS_read, fds[0], ro, 10), EFAULT);
	CHECK_ERR(syscall(SYS_read, fds[0], none, 10), EFAULT);
	CHECK_ERR(syscall(SYS_read, fds[0], gone, 10), EFAULT);
	CHECK_ERR(syscall(SYS_read, fds[0], KERNEL_DIRECTMAP, 10), EFAULT);
	CHECK_ERR(syscall(SYS_read, fds[0], KERNEL_IMAGE, 10), EFAULT);
	CHECK_ERR(syscall(SYS_read, fds[0], NONCANONICAL, 10), EFAULT);
	/* Reading into a page straddling the end of user space. */
	CHECK_ERR(syscall(SYS_read, fds[0], (void *)0x00007ffffffffffcULL, 10), EFAULT);
	/* A good read still works afterwards. */
	ssize_t n = read(fds[0], buf, sizeof(buf));
	CHECK(n > 0, "read after the EFAULTs returned %zd", n);
	close(fds[0]);
	close(fds[1]);

	/* ---- write() from bad buffers ------------------------------------ */
	CHECK_ERR(syscall(SYS_write, 1, (void *)-4096L, 10), EFAULT);
	REQUIRE(pipe(fds) == 0, "pipe");
	CHECK_ERR(syscall(SYS_write, fds[1], (void *)-4096L, 10), EFAULT);
	CHECK_ERR(syscall(SYS_write, fds[1], KERNEL_IMAGE, 16), EFAULT);
	CHECK_ERR(syscall(SYS_write, fds[1], KERNEL_DIRECTMAP, 16), EFAULT);
	CHECK_ERR(syscall(SYS_write, fds[1], gone, 16), EFAULT);
	CHECK_ERR(syscall(SYS_write, fds[1], none, 16), EFAULT);
	/* Nothing may have reached the pipe: write a marker, read it back. */
	CHECK(write(fds[1], "M", 1) == 1, "write marker");
	n = read(fds[0], buf, sizeof(buf));
	CHECK(n == 1 && buf[0] == 'M', "pipe held %zd bytes after failed writes (first %#x)",
	      n, n > 0 ? (unsigned char)buf[0] : 0);
	close(fds[0]);
	close(fds[1]);

	/* ---- path arguments ---------------------------------------------- */
	CHECK_ERR(syscall(SYS_open, NULL, O_RDONLY), EFAULT);
	CHECK_ERR(syscall(SYS_open, KERNEL_IMAGE, O_RDONLY), EFAULT);
	/* "aaaa..." running into an unmapped page, with no NUL before it. */
	two = mmap(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(two != MAP_FAILED, "mmap");
	munmap(two + PAGE_SIZE, PAGE_SIZE);
	memset(two + PAGE_SIZE - 100, 'a', 100);
	CHECK_ERR(syscall(SYS_open, two + PAGE_SIZE - 100, O_RDONLY), EFAULT);
	/* The same string with a NUL is just a missing file. */
	two[PAGE_SIZE - 1] = 0;
	two[PAGE_SIZE - 100] = '/';
	CHECK_ERR(syscall(SYS_open, two + PAGE_SIZE - 100, O_RDONLY), ENOENT);

	/* ---- execve ------------------------------------------------------ */
	const char *echo = utest_path("/bin/echo");
	char *good_argv[] = { "echo", NULL };
	char *bad_argv1[] = { "echo", (char *)1, NULL };
	char *envp[] = { NULL };
	CHECK_ERR(syscall(SYS_execve, (void *)1, good_argv, envp), EFAULT);
	CHECK_ERR(syscall(SYS_execve, NULL, good_argv, envp), EFAULT);
	CHECK_ERR(syscall(SYS_execve, echo, (void *)1, envp), EFAULT);
	CHECK_ERR(syscall(SYS_execve, echo, bad_argv1, envp), EFAULT);
	CHECK_ERR(syscall(SYS_execve, echo, good_argv, KERNEL_IMAGE), EFAULT);
	utest_printf("  still running after the failed execve calls\n");

	/* ---- other syscalls that write to user memory --------------------- */
	CHECK_ERR(syscall(SYS_pipe, (void *)1), EFAULT);
	CHECK_ERR(syscall(SYS_pipe, ro), EFAULT);
	CHECK_ERR(syscall(SYS_rt_sigaction, SIGUSR1, (void *)1, NULL, 8), EFAULT);
	CHECK_ERR(syscall(SYS_rt_sigaction, SIGUSR1, NULL, ro, 8), EFAULT);
	CHECK_ERR(syscall(SYS_rt_sigprocmask, SIG_BLOCK, (void *)1, NULL, 8), EFAULT);
	CHECK_ERR(syscall(SYS_getrusage, RUSAGE_SELF, ro), EFAULT);
	pid = fork();
	if (pid == 0)
		_exit(3);
	REQUIRE(pid > 0, "fork");
	/* wait4 with a bad status pointer: EFAULT (the child may be reaped). */
	errno = 0;
	long r;
	do
		r = syscall(SYS_wait4, pid, ro, 0, NULL);
	while (r == -1 && errno == EINTR);
	CHECK(r == -1 && errno == EFAULT, "wait4 with a read-only status pointer: %ld errno %d",
	      r, errno);
	r = wait4(pid, &st, WNOHANG, NULL);
	CHECK(r == pid || (r == -1 && errno == ECHILD) || r == 0,
	      "wait4 after the EFAULT: %ld errno %d", r, errno);
	if (r == 0)
		utest_wait(pid);

	/* ---- good pointers the kernel must fault in itself --------------- */
	fresh = mmap(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(fresh != MAP_FAILED, "mmap");
	fill_pipe(fds, 40);
	/* 40 bytes across the page boundary, neither page touched yet */
	n = read(fds[0], fresh + PAGE_SIZE - 20, 40);
	CHECK(n == 40 && fresh[PAGE_SIZE - 20] == '0' && fresh[PAGE_SIZE + 19] == '7',
	      "read into untouched anonymous pages: %zd", n);
	/* The zero page must not be written either: read it first, then read(). */
	char *zp = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(zp != MAP_FAILED, "mmap");
	CHECK(zp[0] == 0, "fresh page not zero");
	CHECK(write(fds[1], "Z", 1) == 1, "write");
	CHECK(read(fds[0], zp, 1) == 1 && zp[0] == 'Z', "read into a page mapped read-only "
	      "to the zero page");
	char *other = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(other != MAP_FAILED, "mmap");
	CHECK(other[0] == 0, "the zero page was written through another mapping");

	/* After fork: the child's read() lands in its own copy only. */
	strcpy(fresh, "parent data");
	pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		CHECK(write(fds[1], "child data", 11) == 11, "child: write");
		n = read(fds[0], fresh, 11);
		CHECK(n == 11 && !strcmp(fresh, "child data"), "child: read into a COW page: %zd '%.11s'",
		      n, fresh);
		utest_child_exit();
	}
	st = utest_wait(pid);
	CHECK_EXITED(st, 0, "child reading into a COW page");
	CHECK(!strcmp(fresh, "parent data"),
	      "parent sees '%.11s': the kernel wrote into a COW-shared page", fresh);
	close(fds[0]);
	close(fds[1]);

	/* ---- an unknown system call --------------------------------------- */
	CHECK_ERR(syscall(999), ENOSYS);
	CHECK_ERR(syscall(-1L), ENOSYS);

	return utest_done();
}
