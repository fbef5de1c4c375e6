/* tests/ktest/ktest_uffd.c - see ktest_uffd.h. */
#include "tests/ktest/ktest_uffd.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"

#define P PAGE_SIZE

/* ---- set-up ---- */

long uffd_ioctl(struct file *f, unsigned int cmd, void *karg, size_t size)
{
	long ret;

	if (copy_to_user((void __user *)ARGS, karg, size))
		return -9999;
	ret = f->f_op->ioctl(f, cmd, ARGS);
	if (copy_from_user(karg, (void __user *)ARGS, size))
		return -9998;
	return ret;
}

long uffd_api(struct file *f, u64 features)
{
	struct uffdio_api api = { .api = UFFD_API, .features = features };

	return uffd_ioctl(f, UFFDIO_API, &api, sizeof(api));
}

int uffd_env_setup_area(struct uffd_env *e, int flags, u64 features, unsigned long area_flags)
{
	e->f = NULL;
	e->mm = ktest_mm_enter();
	if (!e->mm)
		return -ENOMEM;
	if (ktest_mmap(AREA, 8 * P, KT_RW, area_flags) != AREA ||
	    ktest_mmap(ARGS, 2 * P, KT_RW, KT_ANON) != ARGS)
		return -ENOMEM;
	e->f = userfaultfd_file_create(flags);
	if (IS_ERR(e->f)) {
		long err = PTR_ERR(e->f);

		e->f = NULL;
		return err;
	}
	return uffd_api(e->f, features);
}

void uffd_env_teardown(struct uffd_env *e)
{
	if (e->f)
		fput(e->f);
	ktest_mm_leave(e->mm);
}

long uffd_register(struct file *f, unsigned long start, unsigned long len, u64 mode, u64 *ioctls)
{
	struct uffdio_register r = { .range = { start, len }, .mode = mode };
	long ret = uffd_ioctl(f, UFFDIO_REGISTER, &r, sizeof(r));

	if (ioctls)
		*ioctls = r.ioctls;
	return ret;
}

long uffd_unregister(struct file *f, unsigned long start, unsigned long len)
{
	struct uffdio_range r = { start, len };

	return uffd_ioctl(f, UFFDIO_UNREGISTER, &r, sizeof(r));
}

long uffd_copy(struct file *f, unsigned long dst, unsigned long src, unsigned long len,
	       u64 mode, s64 *copy)
{
	struct uffdio_copy c = { .dst = dst, .src = src, .len = len, .mode = mode, .copy = 12345 };
	long ret = uffd_ioctl(f, UFFDIO_COPY, &c, sizeof(c));

	if (copy)
		*copy = c.copy;
	return ret;
}

long uffd_writeprotect(struct file *f, unsigned long start, unsigned long len, u64 mode)
{
	struct uffdio_writeprotect wp = { .range = { start, len }, .mode = mode };

	return uffd_ioctl(f, UFFDIO_WRITEPROTECT, &wp, sizeof(wp));
}

void fill_src(int c)
{
	static char buf[P];

	memset(buf, c, P);
	(void)copy_to_user((void __user *)SRC, buf, P);
}

ssize_t uffd_read(struct file *f, struct uffd_msg *msg, size_t n)
{
	loff_t pos = 0;

	memset(msg, 0xee, n < sizeof(*msg) ? n : sizeof(*msg));
	return kernel_read(f, msg, n, &pos);
}

unsigned int uffd_poll(struct file *f)
{
	return f->f_op->poll(f, NULL);
}

/* ---- the faulter thread ---- */

static int faulter_fn(void *arg)
{
	struct faulter *fa = arg;
	unsigned long maj = current->maj_flt;

	use_mm(fa->mm);
	if (fa->write)
		fa->left = copy_to_user((void __user *)fa->addr, fa->data, sizeof(fa->data));
	else
		fa->left = copy_from_user(fa->data, (const void __user *)fa->addr, sizeof(fa->data));
	fa->maj_flt = current->maj_flt - maj;
	unuse_mm(fa->mm);
	fa->done = true;
	return 0;
}

struct task_struct *faulter_start(struct faulter *fa, struct mm_struct *mm, unsigned long addr,
				  bool write)
{
	struct task_struct *t;

	memset(fa, 0, sizeof(*fa));
	fa->mm = mm;
	fa->addr = addr;
	fa->write = write;
	fa->left = 9999;
	if (write)
		memcpy(fa->data, "hello, uffd", 12);
	mmget(mm);
	t = kthread_run(faulter_fn, fa, "kt-uffd-fault");
	if (!t) {
		mmput(mm);
		return NULL;
	}
	msleep(20);   /* let it fault and go to sleep */
	return t;
}

void faulter_join(struct task_struct *t, struct faulter *fa)
{
	kthread_join(t);
	mmput(fa->mm);
}

void uffd_close_and_join(struct uffd_env *e, struct task_struct *t, struct faulter *fa)
{
	fput(e->f);
	e->f = NULL;
	faulter_join(t, fa);
}

int uffd_suite_init(void)
{
	if (!ramfs_root())
		vfs_init();   /* anon_inode_inode */
	return 0;
}
