/*
 * tests/ktest/ktest_uffd.h - helpers for the userfaultfd selftests
 * (test_uffd.c, test_uffd_wp_shmem.c): a test mm with a userfaultfd on it,
 * the ioctls called through the file's real ->ioctl, and a "faulter"
 * kernel thread that touches a registered page as a program would.
 *
 * The ioctl argument structs go through a user page of the test mm
 * (ARGS), as a program's would. The faulter borrows the test mm (use_mm)
 * and touches a page with copy_to_user/copy_from_user: a kernel-mode fault
 * through the real #PF path, which may sleep in handle_userfault
 * (TASK_KILLABLE). A case closes its uffd before joining a faulter, so
 * that a failed expectation never leaves a thread asleep (release wakes
 * all).
 */
#ifndef TESTS_KTEST_KTEST_UFFD_H
#define TESTS_KTEST_KTEST_UFFD_H

#include "kernel/fs.h"
#include "mm/userfaultfd_k.h"
#include "tests/ktest/ktest_mm.h"

#define AREA   KT_ADDR(0)    /* 8 pages, registered (in part) by the cases */
#define ARGS   KT_ADDR(64)   /* ioctl argument structs */
#define SRC    KT_ADDR(65)   /* UFFDIO_COPY source page */

struct uffd_env {
	struct mm_struct *mm;
	struct file *f;
};

/*
 * uffd_env_setup - a test mm (current) with AREA (8 pages, mapped with
 * @area_flags: KT_ANON, or MAP_SHARED|MAP_ANONYMOUS) and ARGS+SRC mapped,
 * and a userfaultfd on it (@flags as userfaultfd(2)'s) that has done
 * UFFDIO_API with @features. 0 or -errno. uffd_env_teardown closes the
 * uffd (if still open) and frees the mm.
 */
int uffd_env_setup_area(struct uffd_env *e, int flags, u64 features, unsigned long area_flags);
static inline int uffd_env_setup(struct uffd_env *e, int flags, u64 features)
{
	return uffd_env_setup_area(e, flags, features, KT_ANON);
}
void uffd_env_teardown(struct uffd_env *e);

/* The ioctls: what ->ioctl returned (-errno); @karg copied in and back out through ARGS. */
long uffd_ioctl(struct file *f, unsigned int cmd, void *karg, size_t size);
long uffd_api(struct file *f, u64 features);
long uffd_register(struct file *f, unsigned long start, unsigned long len, u64 mode, u64 *ioctls);
long uffd_unregister(struct file *f, unsigned long start, unsigned long len);
/* uffd_copy - UFFDIO_COPY; *@copy (may be NULL) gets the result field. */
long uffd_copy(struct file *f, unsigned long dst, unsigned long src, unsigned long len,
	       u64 mode, s64 *copy);
long uffd_writeprotect(struct file *f, unsigned long start, unsigned long len, u64 mode);
/* fill_src - SRC full of the byte @c. */
void fill_src(int c);
/* uffd_read - read(2) of up to @n bytes of messages; uffd_poll - ->poll's mask. */
ssize_t uffd_read(struct file *f, struct uffd_msg *msg, size_t n);
unsigned int uffd_poll(struct file *f);

/* ---- the faulter thread ---- */

struct faulter {
	struct mm_struct *mm;
	unsigned long addr;
	bool write;                 /* copy_to_user (else copy_from_user) */
	char data[16];              /* what it writes, or what it read */
	volatile bool done;
	volatile unsigned long left;    /* bytes the copy did not do */
	unsigned long maj_flt;      /* major faults it took */
};

/*
 * faulter_start - a thread touching @addr of @mm (writing "hello, uffd"
 * for @write); the mm gets a user for it. Returns after 20 ms, when the
 * thread has faulted (and is asleep if the fault went to the monitor).
 * NULL if no thread could be made. faulter_join waits for it to end.
 */
struct task_struct *faulter_start(struct faulter *fa, struct mm_struct *mm, unsigned long addr,
				  bool write);
void faulter_join(struct task_struct *t, struct faulter *fa);
/*
 * uffd_close_and_join - close @e's uffd, then join the faulter: release
 * wakes every waiter, so a failed expectation before never leaves the
 * thread asleep.
 */
void uffd_close_and_join(struct uffd_env *e, struct task_struct *t, struct faulter *fa);

/* uffd_suite_init - the anonymous inode a userfaultfd file needs (vfs_init once). */
int uffd_suite_init(void);

#endif
