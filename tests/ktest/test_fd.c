/*
 * tests/ktest/test_fd.c - file descriptor tables and the file system calls.
 *
 * The sys_* functions take user pointers, which SMAP and access_ok() keep
 * away from kernel memory. So each case that calls them maps one page of
 * "user memory" at a low address in the kernel's page tables (ktest_map,
 * with _PAGE_USER), writes its arguments there through the page's kernel
 * address, and passes the user address - exactly what a process would.
 * The case runs with an fd table of its own (current->files) and puts the
 * thread's cwd back afterwards.
 */
#include "tests/ktest/ktest.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "tests/ktest/ktest_util.h"

#define SYS(name) long sys_##name(unsigned long, unsigned long, unsigned long, \
				  unsigned long, unsigned long, unsigned long)
SYS(read); SYS(write); SYS(open); SYS(close); SYS(stat); SYS(fstat); SYS(lseek);
SYS(ioctl); SYS(readv); SYS(writev); SYS(access); SYS(pipe); SYS(pipe2); SYS(dup);
SYS(dup2); SYS(dup3); SYS(fcntl); SYS(ftruncate); SYS(getdents64); SYS(getcwd);
SYS(chdir); SYS(mkdir); SYS(rmdir); SYS(unlink); SYS(openat); SYS(newfstatat);
SYS(unlinkat); SYS(pread64); SYS(poll); SYS(mkdirat);

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4

/* The per-case environment: a user page, an fd table, the cwd to restore. */
struct env {
	struct ktest_mapping m;
	struct files_struct *saved_files;
	struct inode *saved_cwd;
};

static void env_setup(struct ktest *test, struct env *e)
{
	if (!ramfs_root())
		vfs_init();
	ASSERT_EQ(ktest_map(&e->m, KTEST_UVA(0), PAGE_SHARED, 0), 0);
	e->saved_files = current->files;
	e->saved_cwd = current->cwd;
	current->files = files_alloc();
	current->cwd = NULL;
	ASSERT_NOT_NULL(current->files);
}

static void env_teardown(struct env *e)
{
	put_files_struct(current->files);
	current->files = e->saved_files;
	if (current->cwd)
		iput(current->cwd);
	current->cwd = e->saved_cwd;
	ktest_unmap(&e->m);
}

/* U - the user address of byte @off of the user page; K - its kernel address. */
#define U(off) (e.m.va + (off))
#define K(off) ((char *)page_address(e.m.page) + (off))

/* ustr - put @s at @off in the user page; returns its user address. */
static unsigned long ustr(struct env *e, unsigned long off, const char *s)
{
	strlcpy((char *)page_address(e->m.page) + off, s, PAGE_SIZE - off);
	return e->m.va + off;
}

KTEST(fd_table_lowest_free_first)
{
	struct files_struct *saved = current->files;
	struct file *p[2];

	if (!ramfs_root())
		vfs_init();
	current->files = files_alloc();
	ASSERT_NOT_NULL(current->files);
	ASSERT_EQ(create_pipe_files(p, 0), 0);
	EXPECT_EQ(fd_install_new(p[0], 0), 0);
	EXPECT_EQ(fd_install_new(p[1], 0), 1);
	EXPECT_EQ(fd_install_new(get_file(p[1]), 0), 2);
	EXPECT_EQ(p[1]->f_count, 2);
	EXPECT_EQ(close_fd(1), 0);
	EXPECT_EQ(p[1]->f_count, 1);
	EXPECT_EQ(close_fd(1), -EBADF);
	EXPECT_EQ(fd_install_new(get_file(p[0]), 0), 1);           /* the hole is reused */
	EXPECT_PTR_EQ(fget(1), p[0]);
	fput(p[0]);
	EXPECT_NULL(fget(3));
	EXPECT_NULL(fget(-1));
	EXPECT_NULL(fget(NR_OPEN_MAX));
	EXPECT_EQ(close_fd(NR_OPEN_MAX), -EBADF);
	put_files_struct(current->files);                         /* closes 0, 1, 2 */
	current->files = saved;
}

KTEST(fd_fork_copy_and_close_on_exec)
{
	struct files_struct *saved = current->files, *child;
	struct file *p[2];

	if (!ramfs_root())
		vfs_init();
	current->files = files_alloc();
	ASSERT_NOT_NULL(current->files);
	ASSERT_EQ(create_pipe_files(p, 0), 0);
	EXPECT_EQ(fd_install_new(p[0], 0), 0);
	EXPECT_EQ(fd_install_new(p[1], O_CLOEXEC), 1);
	child = dup_fd(current->files);
	ASSERT_NOT_NULL(child);
	EXPECT_PTR_EQ(child->fd[0], p[0]);
	EXPECT_EQ(p[0]->f_count, 2);                              /* parent's slot and child's */
	EXPECT_EQ(p[1]->f_count, 2);
	do_close_on_exec(child);                                  /* the child execs */
	EXPECT_PTR_EQ(child->fd[0], p[0]);
	EXPECT_NULL(child->fd[1]);
	EXPECT_EQ(p[1]->f_count, 1);
	put_files_struct(child);
	EXPECT_EQ(p[0]->f_count, 1);
	put_files_struct(current->files);
	current->files = saved;
}

KTEST(fd_syscalls_reject_bad_fds)
{
	struct env e;

	env_setup(test, &e);
	EXPECT_EQ(sys_read(99, U(0), 1, 0, 0, 0), -EBADF);
	EXPECT_EQ(sys_write(-1, U(0), 1, 0, 0, 0), -EBADF);
	EXPECT_EQ(sys_close(5, 0, 0, 0, 0, 0), -EBADF);
	EXPECT_EQ(sys_close(-1, 0, 0, 0, 0, 0), -EBADF);
	EXPECT_EQ(sys_dup(7, 0, 0, 0, 0, 0), -EBADF);
	EXPECT_EQ(sys_dup2(7, 3, 0, 0, 0, 0), -EBADF);
	EXPECT_EQ(sys_fcntl(7, F_GETFL, 0, 0, 0, 0), -EBADF);
	EXPECT_EQ(sys_lseek(7, 0, 0, 0, 0, 0), -EBADF);
	EXPECT_EQ(sys_fstat(7, U(0), 0, 0, 0, 0), -EBADF);
	EXPECT_EQ(sys_ioctl(7, 0x5401, U(0), 0, 0, 0), -EBADF);
	EXPECT_EQ(sys_getdents64(7, U(0), 100, 0, 0, 0), -EBADF);
	EXPECT_EQ(sys_ftruncate(7, 0, 0, 0, 0, 0), -EBADF);
	EXPECT_EQ(sys_openat(7, ustr(&e, 0, "rel"), O_RDONLY, 0, 0, 0), -EBADF);
	env_teardown(&e);
}

KTEST(fd_syscalls_reject_bad_pointers)
{
	unsigned long kernel_ptr = (unsigned long)&test->status;
	struct env e;
	long fd;

	env_setup(test, &e);
	fd = sys_open(ustr(&e, 0, "/tmp/bp"), O_CREAT | O_RDWR, 0644, 0, 0, 0);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(sys_write(fd, ustr(&e, 64, "abc"), 3, 0, 0, 0), 3);
	EXPECT_EQ(sys_lseek(fd, 0, SEEK_SET, 0, 0, 0), 0);
	EXPECT_EQ(sys_read(fd, 0, 3, 0, 0, 0), -EFAULT);            /* NULL: unmapped */
	EXPECT_EQ(sys_read(fd, kernel_ptr, 3, 0, 0, 0), -EFAULT);   /* kernel memory */
	EXPECT_EQ(sys_write(fd, kernel_ptr, 3, 0, 0, 0), -EFAULT);
	EXPECT_EQ(sys_read(fd, U(PAGE_SIZE - 1), 3, 0, 0, 0), 1);   /* up to the unmapped page */
	EXPECT_EQ(sys_open(0, O_RDONLY, 0, 0, 0, 0), -EFAULT);
	EXPECT_EQ(sys_open(kernel_ptr, O_RDONLY, 0, 0, 0, 0), -EFAULT);
	EXPECT_EQ(sys_stat(0, U(0), 0, 0, 0, 0), -EFAULT);
	EXPECT_EQ(sys_stat(ustr(&e, 0, "/tmp"), 0, 0, 0, 0, 0), -EFAULT);
	EXPECT_EQ(sys_fstat(fd, kernel_ptr, 0, 0, 0, 0), -EFAULT);
	EXPECT_EQ(sys_pipe(0, 0, 0, 0, 0, 0), -EFAULT);
	EXPECT_EQ(sys_pipe(kernel_ptr, 0, 0, 0, 0, 0), -EFAULT);
	EXPECT_EQ(sys_getcwd(0, 100, 0, 0, 0, 0), -EFAULT);
	EXPECT_EQ(sys_mkdir(0, 0755, 0, 0, 0, 0), -EFAULT);
	EXPECT_EQ(sys_chdir(0, 0, 0, 0, 0, 0), -EFAULT);
	EXPECT_EQ(sys_unlink(0, 0, 0, 0, 0, 0), -EFAULT);
	EXPECT_EQ(sys_poll(0, 1, 0, 0, 0, 0), -EFAULT);
	EXPECT_EQ(sys_readv(fd, 0, 1, 0, 0, 0), -EFAULT);
	EXPECT_EQ(sys_readv(fd, U(0), -1, 0, 0, 0), -EINVAL);
	EXPECT_EQ(sys_close(fd, 0, 0, 0, 0, 0), 0);
	EXPECT_EQ(sys_unlink(ustr(&e, 0, "/tmp/bp"), 0, 0, 0, 0, 0), 0);
	env_teardown(&e);
}

KTEST(fd_syscalls_file_io)
{
	struct env e;
	struct stat *st;
	long fd;

	env_setup(test, &e);
	st = (struct stat *)K(512);
	fd = sys_open(ustr(&e, 0, "/tmp/io"), O_CREAT | O_EXCL | O_RDWR, 0600, 0, 0, 0);
	ASSERT_EQ(fd, 0);                                           /* the lowest free */
	EXPECT_EQ(sys_write(fd, ustr(&e, 64, "hello world"), 11, 0, 0, 0), 11);
	EXPECT_EQ(sys_lseek(fd, 0, SEEK_CUR, 0, 0, 0), 11);
	EXPECT_EQ(sys_lseek(fd, -5, SEEK_END, 0, 0, 0), 6);
	EXPECT_EQ(sys_read(fd, U(128), 64, 0, 0, 0), 5);
	EXPECT_EQ(memcmp(K(128), "world", 5), 0);
	EXPECT_EQ(sys_lseek(fd, -1, SEEK_SET, 0, 0, 0), -EINVAL);
	EXPECT_EQ(sys_lseek(fd, 0, 9, 0, 0, 0), -EINVAL);
	EXPECT_EQ(sys_pread64(fd, U(128), 5, 0, 0, 0), 5);          /* f_pos untouched */
	EXPECT_EQ(memcmp(K(128), "hello", 5), 0);
	EXPECT_EQ(sys_lseek(fd, 0, SEEK_CUR, 0, 0, 0), 11);
	EXPECT_EQ(sys_fstat(fd, U(512), 0, 0, 0, 0), 0);
	EXPECT_EQ(st->st_size, 11);
	EXPECT_EQ(st->st_mode, S_IFREG | 0600);
	EXPECT_EQ(sys_ftruncate(fd, 5, 0, 0, 0, 0), 0);
	EXPECT_EQ(sys_stat(ustr(&e, 0, "/tmp/io"), U(512), 0, 0, 0, 0), 0);
	EXPECT_EQ(st->st_size, 5);
	EXPECT_EQ(sys_ftruncate(fd, -1, 0, 0, 0, 0), -EINVAL);
	EXPECT_EQ(sys_ioctl(fd, 0x5401, U(0), 0, 0, 0), -ENOTTY);    /* not a terminal */
	EXPECT_EQ(sys_open(ustr(&e, 0, "/tmp/io"), O_CREAT | O_EXCL | O_RDWR, 0600, 0, 0, 0),
		  -EEXIST);
	EXPECT_EQ(sys_access(ustr(&e, 0, "/tmp/io"), 0, 0, 0, 0, 0), 0);
	EXPECT_EQ(sys_access(ustr(&e, 0, "/tmp/io"), 1, 0, 0, 0, 0), -EACCES);  /* no x bit */
	EXPECT_EQ(sys_close(fd, 0, 0, 0, 0, 0), 0);

	/* Read-only: writing and truncating are refused. */
	fd = sys_open(ustr(&e, 0, "/tmp/io"), O_RDONLY, 0, 0, 0, 0);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(sys_write(fd, U(64), 1, 0, 0, 0), -EBADF);
	EXPECT_EQ(sys_ftruncate(fd, 0, 0, 0, 0, 0), -EINVAL);
	EXPECT_EQ(sys_close(fd, 0, 0, 0, 0, 0), 0);

	EXPECT_EQ(sys_unlink(ustr(&e, 0, "/tmp/io"), 0, 0, 0, 0, 0), 0);
	EXPECT_EQ(sys_stat(ustr(&e, 0, "/tmp/io"), U(512), 0, 0, 0, 0), -ENOENT);
	EXPECT_EQ(sys_access(ustr(&e, 0, "/tmp/io"), 0, 0, 0, 0, 0), -ENOENT);
	env_teardown(&e);
}

KTEST(fd_syscalls_readv_writev)
{
	struct env e;
	unsigned long *iov;   /* struct iovec[2] */
	long fd;

	env_setup(test, &e);
	iov = (unsigned long *)K(256);
	fd = sys_open(ustr(&e, 0, "/tmp/vec"), O_CREAT | O_RDWR, 0600, 0, 0, 0);
	ASSERT_GE(fd, 0);
	iov[0] = ustr(&e, 64, "abc");
	iov[1] = 3;
	iov[2] = ustr(&e, 96, "defgh");
	iov[3] = 5;
	EXPECT_EQ(sys_writev(fd, U(256), 2, 0, 0, 0), 8);
	EXPECT_EQ(sys_lseek(fd, 0, SEEK_SET, 0, 0, 0), 0);
	memset(K(1024), 0, 64);
	iov[0] = U(1024);
	iov[1] = 2;
	iov[2] = U(1030);
	iov[3] = 50;
	EXPECT_EQ(sys_readv(fd, U(256), 2, 0, 0, 0), 8);
	EXPECT_EQ(memcmp(K(1024), "ab", 2), 0);
	EXPECT_EQ(memcmp(K(1030), "cdefgh", 6), 0);
	iov[1] = 0x7fffffffffffffffUL;                   /* a total beyond any read */
	EXPECT_EQ(sys_readv(fd, U(256), 2, 0, 0, 0), -EINVAL);
	EXPECT_EQ(sys_close(fd, 0, 0, 0, 0, 0), 0);
	EXPECT_EQ(sys_unlink(ustr(&e, 0, "/tmp/vec"), 0, 0, 0, 0, 0), 0);
	env_teardown(&e);
}

KTEST(fd_syscalls_dup_and_fcntl)
{
	struct env e;
	int *fds;
	long r, w;

	env_setup(test, &e);
	fds = (int *)K(0);
	ASSERT_EQ(sys_pipe2(U(0), O_CLOEXEC, 0, 0, 0, 0), 0);
	r = fds[0];
	w = fds[1];
	EXPECT_EQ(r, 0);
	EXPECT_EQ(w, 1);
	EXPECT_EQ(sys_fcntl(r, F_GETFD, 0, 0, 0, 0), 1);            /* FD_CLOEXEC */
	EXPECT_EQ(sys_fcntl(r, F_SETFD, 0, 0, 0, 0), 0);
	EXPECT_EQ(sys_fcntl(r, F_GETFD, 0, 0, 0, 0), 0);
	EXPECT_EQ(sys_fcntl(r, F_GETFL, 0, 0, 0, 0), O_RDONLY);
	EXPECT_EQ(sys_fcntl(w, F_GETFL, 0, 0, 0, 0), O_WRONLY);
	EXPECT_EQ(sys_fcntl(r, F_SETFL, O_NONBLOCK | O_RDWR, 0, 0, 0), 0);
	EXPECT_EQ(sys_fcntl(r, F_GETFL, 0, 0, 0, 0), O_RDONLY | O_NONBLOCK);  /* mode kept */
	EXPECT_EQ(sys_read(r, U(100), 1, 0, 0, 0), -EAGAIN);
	EXPECT_EQ(sys_fcntl(r, 12345, 0, 0, 0, 0), -EINVAL);

	EXPECT_EQ(sys_dup(w, 0, 0, 0, 0, 0), 2);
	EXPECT_EQ(sys_fcntl(2, F_GETFD, 0, 0, 0, 0), 0);            /* dup clears cloexec */
	EXPECT_EQ(sys_fcntl(w, F_DUPFD, 10, 0, 0, 0), 10);
	EXPECT_EQ(sys_fcntl(w, 1030, 10, 0, 0, 0), 11);             /* F_DUPFD_CLOEXEC */
	EXPECT_EQ(sys_fcntl(11, F_GETFD, 0, 0, 0, 0), 1);
	EXPECT_EQ(sys_fcntl(w, F_DUPFD, NR_OPEN_MAX, 0, 0, 0), -EINVAL);
	EXPECT_EQ(sys_dup2(w, w, 0, 0, 0, 0), w);
	EXPECT_EQ(sys_dup2(w, 2, 0, 0, 0, 0), 2);                   /* replaces the old 2 */
	EXPECT_EQ(sys_dup2(w, NR_OPEN_MAX, 0, 0, 0, 0), -EBADF);
	EXPECT_EQ(sys_dup3(w, w, 0, 0, 0, 0), -EINVAL);
	EXPECT_EQ(sys_dup3(w, 5, 1, 0, 0, 0), -EINVAL);             /* bad flags */
	EXPECT_EQ(sys_dup3(w, 5, O_CLOEXEC, 0, 0, 0), 5);
	EXPECT_EQ(sys_fcntl(5, F_GETFD, 0, 0, 0, 0), 1);

	/* Through a duplicate, into the pipe. */
	EXPECT_EQ(sys_write(5, ustr(&e, 64, "xyz"), 3, 0, 0, 0), 3);
	EXPECT_EQ(sys_read(r, U(100), 10, 0, 0, 0), 3);
	EXPECT_EQ(memcmp(K(100), "xyz", 3), 0);
	EXPECT_EQ(sys_lseek(r, 0, SEEK_SET, 0, 0, 0), -ESPIPE);
	EXPECT_EQ(sys_write(r, U(64), 1, 0, 0, 0), -EBADF);          /* the read end */
	EXPECT_EQ(sys_pipe2(U(0), 1, 0, 0, 0, 0), -EINVAL);
	EXPECT_EQ(sys_getdents64(r, U(0), 100, 0, 0, 0), -ENOTDIR);
	env_teardown(&e);                                           /* closes the rest */
}

/* dirents - the names in a getdents64 buffer at @k, @n bytes, space-separated. */
static void dirents(const char *k, long n, char *out, size_t size)
{
	out[0] = '\0';
	for (long off = 0; off < n;) {
		unsigned short reclen = *(const unsigned short *)(k + off + 16);

		strlcpy(out + strlen(out), k + off + 19, size - strlen(out));
		strlcpy(out + strlen(out), " ", size - strlen(out));
		off += reclen;
	}
}

KTEST(fd_syscalls_directories_and_cwd)
{
	struct env e;
	char names[64];
	long fd, dfd, n;

	env_setup(test, &e);
	EXPECT_EQ(sys_mkdir(ustr(&e, 0, "/tmp/sd"), 0755, 0, 0, 0, 0), 0);
	EXPECT_EQ(sys_mkdir(ustr(&e, 0, "/tmp/sd"), 0755, 0, 0, 0, 0), -EEXIST);
	EXPECT_EQ(sys_chdir(ustr(&e, 0, "/tmp/sd"), 0, 0, 0, 0, 0), 0);
	EXPECT_EQ(sys_getcwd(U(100), 100, 0, 0, 0, 0), 8);          /* with the NUL */
	EXPECT_STREQ(K(100), "/tmp/sd");
	EXPECT_EQ(sys_getcwd(U(100), 7, 0, 0, 0, 0), -ERANGE);

	fd = sys_open(ustr(&e, 0, "f"), O_CREAT | O_WRONLY, 0644, 0, 0, 0);   /* relative */
	ASSERT_GE(fd, 0);
	EXPECT_EQ(sys_close(fd, 0, 0, 0, 0, 0), 0);
	EXPECT_EQ(sys_mkdirat(AT_FDCWD, ustr(&e, 0, "sub"), 0755, 0, 0, 0), 0);
	dfd = sys_open(ustr(&e, 0, "."), O_RDONLY | O_DIRECTORY, 0, 0, 0, 0);
	ASSERT_GE(dfd, 0);
	EXPECT_EQ(sys_read(dfd, U(100), 10, 0, 0, 0), -EISDIR);
	EXPECT_EQ(sys_getdents64(dfd, U(1024), 20, 0, 0, 0), -EINVAL);   /* too small */
	n = sys_getdents64(dfd, U(1024), 2048, 0, 0, 0);
	ASSERT_GT(n, 0);
	dirents(K(1024), n, names, sizeof(names));
	EXPECT_STREQ(names, ". .. f sub ");
	EXPECT_EQ(sys_getdents64(dfd, U(1024), 2048, 0, 0, 0), 0);  /* the end */
	EXPECT_EQ(sys_lseek(dfd, 0, SEEK_SET, 0, 0, 0), 0);         /* rewinddir */
	EXPECT_EQ(sys_getdents64(dfd, U(1024), 2048, 0, 0, 0), n);

	/* *at() relative to a directory fd; AT_EMPTY_PATH stats the fd itself. */
	fd = sys_openat(dfd, ustr(&e, 0, "sub/../f"), O_RDONLY, 0, 0, 0);
	EXPECT_GE(fd, 0);
	EXPECT_EQ(sys_openat(fd, ustr(&e, 0, "x"), O_RDONLY, 0, 0, 0), -ENOTDIR);
	EXPECT_EQ(sys_newfstatat(dfd, ustr(&e, 0, ""), U(512), AT_EMPTY_PATH, 0, 0), 0);
	EXPECT_TRUE(S_ISDIR(((struct stat *)K(512))->st_mode));
	EXPECT_EQ(sys_newfstatat(dfd, ustr(&e, 0, ""), U(512), 0, 0, 0), -ENOENT);
	EXPECT_EQ(sys_newfstatat(dfd, ustr(&e, 0, "f"), U(512), 0, 0, 0), 0);
	EXPECT_TRUE(S_ISREG(((struct stat *)K(512))->st_mode));
	EXPECT_EQ(sys_unlinkat(dfd, ustr(&e, 0, "sub"), 0, 0, 0, 0), -EISDIR);
	EXPECT_EQ(sys_unlinkat(dfd, ustr(&e, 0, "sub"), AT_REMOVEDIR, 0, 0, 0), 0);
	EXPECT_EQ(sys_unlinkat(dfd, ustr(&e, 0, "f"), 0x1, 0, 0, 0), -EINVAL);
	EXPECT_EQ(sys_unlinkat(dfd, ustr(&e, 0, "f"), 0, 0, 0, 0), 0);

	EXPECT_EQ(sys_rmdir(ustr(&e, 0, "/tmp/sd"), 0, 0, 0, 0, 0), 0);   /* our cwd! */
	EXPECT_EQ(sys_getcwd(U(100), 100, 0, 0, 0, 0), -ENOENT);
	EXPECT_EQ(sys_open(ustr(&e, 0, "g"), O_CREAT | O_RDWR, 0644, 0, 0, 0), -ENOENT);
	EXPECT_EQ(sys_chdir(ustr(&e, 0, "/tmp/io"), 0, 0, 0, 0, 0), -ENOENT);
	EXPECT_EQ(sys_chdir(ustr(&e, 0, "/dev/console"), 0, 0, 0, 0, 0), -ENOTDIR);
	EXPECT_EQ(sys_chdir(ustr(&e, 0, "/"), 0, 0, 0, 0, 0), 0);
	EXPECT_EQ(sys_getcwd(U(100), 100, 0, 0, 0, 0), 2);
	EXPECT_STREQ(K(100), "/");
	env_teardown(&e);
}

static struct ktest_case fd_cases[] = {
	KTEST_CASE(fd_table_lowest_free_first),
	KTEST_CASE(fd_fork_copy_and_close_on_exec),
	KTEST_CASE(fd_syscalls_reject_bad_fds),
	KTEST_CASE(fd_syscalls_reject_bad_pointers),
	KTEST_CASE(fd_syscalls_file_io),
	KTEST_CASE(fd_syscalls_readv_writev),
	KTEST_CASE(fd_syscalls_dup_and_fcntl),
	KTEST_CASE(fd_syscalls_directories_and_cwd),
	{}
};

static struct ktest_suite fd_suite = {
	.name = "fd",
	.cases = fd_cases,
};
ktest_register_suite(fd_suite);
