/*
 * tests/ktest/test_uffd.c - userfaultfd's wait/wake protocol, driven from
 * inside the kernel with a test context (kernel/userfaultfd.c,
 * mm/userfaultfd.c).
 *
 * The ktest thread runs with a test mm (ktest_mm_enter) and makes a
 * userfaultfd on it (userfaultfd_file_create: the syscall without the fd).
 * A "faulter" kernel thread (tests/ktest/ktest_uffd.h) borrows the same mm
 * and touches a registered page with copy_to_user/copy_from_user: a
 * kernel-mode fault, which goes through the real #PF path into
 * handle_userfault and sleeps there (TASK_KILLABLE). The test then plays
 * the monitor: read the message, resolve with UFFDIO_COPY (or unregister,
 * or close), and the faulter wakes, retries and finishes its copy.
 *
 * Every case closes its uffd before joining a faulter, so that a failed
 * expectation can never leave a thread asleep forever (release wakes all).
 */
#include "tests/ktest/ktest.h"
#include "tests/ktest/ktest_uffd.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"

#define P PAGE_SIZE

/* ---- cases ---- */

KTEST(uffd_api_handshake)
{
	struct uffd_env e;
	struct uffdio_api api;
	struct uffd_msg msg;
	u64 ioctls;

	/* Before UFFDIO_API: every other ioctl and read are -EINVAL, poll POLLERR. */
	e.mm = ktest_mm_enter();
	ASSERT_NOT_NULL(e.mm);
	ASSERT_EQ(ktest_mmap(ARGS, 2 * P, KT_RW, KT_ANON), ARGS);
	ASSERT_EQ(ktest_mmap(AREA, 8 * P, KT_RW, KT_ANON), AREA);
	e.f = userfaultfd_file_create(O_NONBLOCK);
	ASSERT_FALSE(IS_ERR(e.f));
	EXPECT_EQ(uffd_register(e.f, AREA, P, UFFDIO_REGISTER_MODE_MISSING, NULL), -EINVAL);
	EXPECT_EQ(uffd_copy(e.f, AREA, SRC, P, 0, NULL), -EINVAL);
	EXPECT_EQ(uffd_read(e.f, &msg, sizeof(msg)), -EINVAL);
	EXPECT_EQ(uffd_poll(e.f), POLLERR);

	/* A wrong api, or a feature we lack: -EINVAL and the struct zeroed. */
	api = (struct uffdio_api){ .api = 0xAB, .features = 0 };
	EXPECT_EQ(uffd_ioctl(e.f, UFFDIO_API, &api, sizeof(api)), -EINVAL);
	EXPECT_EQ(api.api, 0);
	api = (struct uffdio_api){ .api = UFFD_API, .features = UFFD_FEATURE_EVENT_REMAP };
	EXPECT_EQ(uffd_ioctl(e.f, UFFDIO_API, &api, sizeof(api)), -EINVAL);
	EXPECT_EQ(api.features, 0);

	/* The real one: our features and the three ioctls; a second is -EINVAL. */
	api = (struct uffdio_api){ .api = UFFD_API, .features = UFFD_FEATURE_THREAD_ID };
	EXPECT_EQ(uffd_ioctl(e.f, UFFDIO_API, &api, sizeof(api)), 0);
	EXPECT_EQ(api.api, UFFD_API);
	EXPECT_EQ(api.features, UFFD_API_FEATURES);
	EXPECT_EQ(api.ioctls, (1ULL << 0x00) | (1ULL << 0x01) | (1ULL << 0x3f));
	EXPECT_EQ(uffd_api(e.f, 0), -EINVAL);
	/* and now the fd works: register, nothing to read yet */
	EXPECT_EQ(uffd_register(e.f, AREA, P, UFFDIO_REGISTER_MODE_MISSING, &ioctls), 0);
	EXPECT_EQ(ioctls, 0x1cULL);   /* WAKE | COPY | ZEROPAGE */
	EXPECT_EQ(uffd_read(e.f, &msg, sizeof(msg)), -EAGAIN);
	EXPECT_EQ(uffd_read(e.f, &msg, sizeof(msg) - 1), -EINVAL);
	EXPECT_EQ(uffd_poll(e.f), 0);
	uffd_env_teardown(&e);

	/* Unknown flags of userfaultfd(2). */
	e.mm = ktest_mm_enter();
	ASSERT_NOT_NULL(e.mm);
	EXPECT_EQ(PTR_ERR(userfaultfd_file_create(O_APPEND)), -EINVAL);
	ktest_mm_leave(e.mm);
}

KTEST(uffd_register_splits_checks_and_merges_back)
{
	struct uffd_env e, e2 = { 0 };
	struct vm_area_struct *vma;
	u64 ioctls = 0;

	ASSERT_EQ(uffd_env_setup(&e, O_NONBLOCK, 0), 0);
	EXPECT_EQ(ktest_nr_vmas(e.mm), 2);
	EXPECT_EQ(uffd_register(e.f, AREA + 2 * P, 3 * P,
				UFFDIO_REGISTER_MODE_MISSING | UFFDIO_REGISTER_MODE_WP, &ioctls), 0);
	EXPECT_EQ(ioctls, 0x5cULL);   /* WAKE | COPY | ZEROPAGE | WRITEPROTECT */
	EXPECT_EQ(ktest_nr_vmas(e.mm), 4);   /* AREA split in three */
	vma = ktest_vma(e.mm, AREA + 2 * P);
	ASSERT_NOT_NULL(vma);
	EXPECT_EQ(vma->vm_start, AREA + 2 * P);
	EXPECT_EQ(vma->vm_end, AREA + 5 * P);
	EXPECT_PTR_EQ(vma->vm_userfaultfd_ctx, e.f->private_data);
	EXPECT_EQ(vma->vm_flags & __VM_UFFD_FLAGS, VM_UFFD_MISSING | VM_UFFD_WP);
	vma = ktest_vma(e.mm, AREA);
	EXPECT_NULL(vma->vm_userfaultfd_ctx);
	EXPECT_EQ(vma->vm_flags & __VM_UFFD_FLAGS, 0);

	/* The errors. */
	EXPECT_EQ(uffd_register(e.f, AREA + 1, P, UFFDIO_REGISTER_MODE_MISSING, NULL), -EINVAL);
	EXPECT_EQ(uffd_register(e.f, AREA, P + 1, UFFDIO_REGISTER_MODE_MISSING, NULL), -EINVAL);
	EXPECT_EQ(uffd_register(e.f, AREA, 0, UFFDIO_REGISTER_MODE_MISSING, NULL), -EINVAL);
	EXPECT_EQ(uffd_register(e.f, AREA, P, 0, NULL), -EINVAL);
	EXPECT_EQ(uffd_register(e.f, AREA, P, 8, NULL), -EINVAL);
	EXPECT_EQ(uffd_register(e.f, AREA, P, UFFDIO_REGISTER_MODE_MINOR, NULL), -EINVAL);
	EXPECT_EQ(uffd_register(e.f, KT_ADDR(32), P, UFFDIO_REGISTER_MODE_MISSING, NULL), -EINVAL);
	EXPECT_EQ(uffd_register(e.f, TASK_SIZE, P, UFFDIO_REGISTER_MODE_MISSING, NULL), -EINVAL);
	/* a second context may not take what the first owns */
	e2.f = userfaultfd_file_create(0);
	ASSERT_FALSE(IS_ERR(e2.f));
	EXPECT_EQ(uffd_api(e2.f, 0), 0);
	EXPECT_EQ(uffd_register(e2.f, AREA, 3 * P, UFFDIO_REGISTER_MODE_MISSING, NULL), -EBUSY);
	EXPECT_EQ(ktest_nr_vmas(e.mm), 4);   /* nothing changed by the failure */
	EXPECT_EQ(uffd_unregister(e2.f, AREA + 2 * P, P), -EINVAL);
	fput(e2.f);

	/* Unregistering all of it merges AREA back into one VMA. */
	EXPECT_EQ(uffd_unregister(e.f, AREA, 8 * P), 0);
	EXPECT_EQ(ktest_nr_vmas(e.mm), 2);
	vma = ktest_vma(e.mm, AREA + 3 * P);
	ASSERT_NOT_NULL(vma);
	EXPECT_EQ(vma->vm_start, AREA);
	EXPECT_NULL(vma->vm_userfaultfd_ctx);

	/* And the release of a ctx unregisters (and merges) too. */
	EXPECT_EQ(uffd_register(e.f, AREA + P, P, UFFDIO_REGISTER_MODE_MISSING, NULL), 0);
	EXPECT_EQ(ktest_nr_vmas(e.mm), 4);
	fput(e.f);
	e.f = NULL;
	EXPECT_EQ(ktest_nr_vmas(e.mm), 2);
	uffd_env_teardown(&e);
}

/*
 * The whole protocol: a kernel-mode write into a missing page sleeps in
 * handle_userfault; the monitor reads one message (once), resolves it
 * with UFFDIO_COPY, and the writer wakes, retries and writes over the
 * copied data. The wait counts as a major fault.
 */
KTEST(uffd_missing_fault_read_copy_wake)
{
	struct uffd_env e;
	struct faulter fa;
	struct task_struct *t;
	struct uffd_msg msg[2];
	char got[64];
	s64 copied = 0;
	unsigned long anon;

	ASSERT_EQ(uffd_env_setup(&e, O_NONBLOCK, UFFD_FEATURE_THREAD_ID), 0);
	ASSERT_EQ(uffd_register(e.f, AREA, 4 * P, UFFDIO_REGISTER_MODE_MISSING, NULL), 0);
	fill_src('x');   /* ARGS and SRC are anonymous pages too: count them first */
	anon = get_mm_counter(e.mm, MM_ANONPAGES);

	t = faulter_start(&fa, e.mm, AREA + P + 100, true);
	ASSERT_NOT_NULL(t);
	EXPECT_FALSE(fa.done);                       /* asleep in handle_userfault */
	EXPECT_EQ(t->state, TASK_KILLABLE);          /* a kernel-mode fault */
	EXPECT_EQ(uffd_poll(e.f), POLLIN | POLLRDNORM);

	/* One message, page-aligned, WRITE, the thread's id; then nothing. */
	EXPECT_EQ(uffd_read(e.f, msg, sizeof(msg)), (ssize_t)sizeof(msg[0]));
	EXPECT_EQ(msg[0].event, UFFD_EVENT_PAGEFAULT);
	EXPECT_EQ(msg[0].reserved1 | msg[0].reserved2 | msg[0].reserved3, 0);
	EXPECT_EQ(msg[0].arg.pagefault.address, AREA + P);
	EXPECT_EQ(msg[0].arg.pagefault.flags, UFFD_PAGEFAULT_FLAG_WRITE);
	EXPECT_EQ(msg[0].arg.pagefault.feat.ptid, t->pid);
	EXPECT_EQ(uffd_read(e.f, msg, sizeof(msg)), -EAGAIN);   /* reported once */
	EXPECT_EQ(uffd_poll(e.f), 0);
	EXPECT_FALSE(fa.done);
	EXPECT_TRUE(pte_none(ktest_pte(e.mm, AREA + P)));

	/* Resolve: the page arrives, the writer wakes and finishes. */
	EXPECT_EQ(uffd_copy(e.f, AREA + P, SRC, P, 0, &copied), 0);
	EXPECT_EQ(copied, (s64)P);
	msleep(20);
	EXPECT_TRUE(fa.done);
	uffd_close_and_join(&e, t, &fa);   /* a failure above must not leave it asleep */
	EXPECT_EQ(fa.left, 0);
	EXPECT_GE(fa.maj_flt, 1);
	EXPECT_EQ(get_mm_counter(e.mm, MM_ANONPAGES), anon + 1);
	EXPECT_TRUE(pte_write(ktest_pte(e.mm, AREA + P)));
	ASSERT_EQ(copy_from_user(got, (void __user *)(AREA + P + 96), sizeof(got)), 0);
	EXPECT_EQ(got[0], 'x');
	EXPECT_EQ(memcmp(got + 4, "hello, uffd", 12), 0);
	EXPECT_EQ(got[20], 'x');
	uffd_env_teardown(&e);
}

KTEST(uffd_copy_and_zeropage_errors)
{
	struct uffd_env e;
	struct uffdio_zeropage z;
	s64 copied = 0;

	ASSERT_EQ(uffd_env_setup(&e, O_NONBLOCK, 0), 0);
	ASSERT_EQ(uffd_register(e.f, AREA, 4 * P, UFFDIO_REGISTER_MODE_MISSING, NULL), 0);
	fill_src('a');

	/* -EEXIST: already there, and the partial count for a half-done COPY. */
	EXPECT_EQ(uffd_copy(e.f, AREA + P, SRC, P, 0, &copied), 0);
	EXPECT_EQ(uffd_copy(e.f, AREA + P, SRC, P, 0, &copied), -EEXIST);
	EXPECT_EQ(copied, -EEXIST);
	EXPECT_EQ(uffd_copy(e.f, AREA, SRC, 2 * P, 0, &copied), -EAGAIN);
	EXPECT_EQ(copied, (s64)P);                   /* AREA done, AREA + P was there */
	/* -ENOENT: not registered, or across the registered VMA's end. */
	EXPECT_EQ(uffd_copy(e.f, AREA + 5 * P, SRC, P, 0, &copied), -ENOENT);
	EXPECT_EQ(copied, -ENOENT);
	EXPECT_EQ(uffd_copy(e.f, AREA + 3 * P, SRC, 2 * P, 0, &copied), -ENOENT);
	/* -EFAULT: an unreadable source; -EINVAL: unaligned, unknown mode, WP unregistered. */
	EXPECT_EQ(uffd_copy(e.f, AREA + 2 * P, KT_ADDR(200), P, 0, &copied), -EFAULT);
	EXPECT_EQ(copied, -EFAULT);
	EXPECT_TRUE(pte_none(ktest_pte(e.mm, AREA + 2 * P)));
	EXPECT_EQ(uffd_copy(e.f, AREA + 2 * P + 8, SRC, P, 0, NULL), -EINVAL);
	EXPECT_EQ(uffd_copy(e.f, AREA + 2 * P, SRC, P, 4, NULL), -EINVAL);
	EXPECT_EQ(uffd_copy(e.f, AREA + 2 * P, SRC, P, UFFDIO_COPY_MODE_WP, NULL), -EINVAL);

	/* ZEROPAGE maps the shared zero page, read-only, without rss. */
	z = (struct uffdio_zeropage){ .range = { AREA + 2 * P, P }, .mode = 0 };
	EXPECT_EQ(uffd_ioctl(e.f, UFFDIO_ZEROPAGE, &z, sizeof(z)), 0);
	EXPECT_EQ(z.zeropage, (s64)P);
	EXPECT_PTR_EQ(ktest_page(e.mm, AREA + 2 * P), zero_page);
	EXPECT_FALSE(pte_write(ktest_pte(e.mm, AREA + 2 * P)));
	EXPECT_EQ(uffd_ioctl(e.f, UFFDIO_ZEROPAGE, &z, sizeof(z)), -EEXIST);
	z.mode = 2;
	EXPECT_EQ(uffd_ioctl(e.f, UFFDIO_ZEROPAGE, &z, sizeof(z)), -EINVAL);
	EXPECT_EQ(get_mm_counter(e.mm, MM_ANONPAGES), 2 + 2);   /* + ARGS and SRC */
	uffd_env_teardown(&e);
}

/* Closing the uffd (release) wakes a sleeping reader-faulter: it faults normally. */
KTEST(uffd_release_wakes_waiters)
{
	struct uffd_env e;
	struct faulter fa;
	struct task_struct *t;
	struct vm_area_struct *vma;

	ASSERT_EQ(uffd_env_setup(&e, 0, 0), 0);
	ASSERT_EQ(uffd_register(e.f, AREA, 4 * P, UFFDIO_REGISTER_MODE_MISSING, NULL), 0);
	t = faulter_start(&fa, e.mm, AREA + 2 * P, false);
	ASSERT_NOT_NULL(t);
	EXPECT_FALSE(fa.done);
	EXPECT_EQ(uffd_poll(e.f), POLLERR);          /* a blocking fd: Linux's quirk */
	uffd_close_and_join(&e, t, &fa);
	EXPECT_TRUE(fa.done);
	EXPECT_EQ(fa.left, 0);                       /* read the zero page */
	EXPECT_EQ(fa.data[0], 0);
	EXPECT_PTR_EQ(ktest_page(e.mm, AREA + 2 * P), zero_page);
	vma = ktest_vma(e.mm, AREA);
	ASSERT_NOT_NULL(vma);
	EXPECT_NULL(vma->vm_userfaultfd_ctx);
	EXPECT_EQ(vma->vm_flags & __VM_UFFD_FLAGS, 0);
	uffd_env_teardown(&e);
}

/* UFFDIO_UNREGISTER wakes the waiters of its range (only those). */
KTEST(uffd_unregister_and_wake_wake_waiters)
{
	struct uffd_env e;
	struct faulter fa, fb;
	struct task_struct *t, *u;
	struct uffdio_range r;
	struct uffd_msg msg;

	ASSERT_EQ(uffd_env_setup(&e, O_NONBLOCK, 0), 0);
	ASSERT_EQ(uffd_register(e.f, AREA, 4 * P, UFFDIO_REGISTER_MODE_MISSING, NULL), 0);
	t = faulter_start(&fa, e.mm, AREA, true);
	ASSERT_NOT_NULL(t);
	u = faulter_start(&fb, e.mm, AREA + 3 * P, true);
	if (!u) {
		fput(e.f);
		faulter_join(t, &fa);
		ASSERT_NOT_NULL(u);
	}
	EXPECT_FALSE(fa.done);
	EXPECT_FALSE(fb.done);
	EXPECT_EQ(uffd_unregister(e.f, AREA + 3 * P, P), 0);
	msleep(20);
	EXPECT_FALSE(fa.done);                       /* not in the range */
	EXPECT_TRUE(fb.done);
	EXPECT_EQ(fb.left, 0);                       /* wrote to a normal new page */

	/* The woken fault's message is gone with it; the other one is left. */
	EXPECT_EQ(uffd_read(e.f, &msg, sizeof(msg)), (ssize_t)sizeof(msg));
	EXPECT_EQ(msg.arg.pagefault.address, AREA);
	EXPECT_EQ(uffd_read(e.f, &msg, sizeof(msg)), -EAGAIN);
	/* UFFDIO_WAKE on a page with nothing in it: the waiter retries and sleeps again. */
	r = (struct uffdio_range){ AREA, P };
	EXPECT_EQ(uffd_ioctl(e.f, UFFDIO_WAKE, &r, sizeof(r)), 0);
	msleep(20);
	EXPECT_FALSE(fa.done);
	EXPECT_EQ(uffd_read(e.f, &msg, sizeof(msg)), (ssize_t)sizeof(msg));   /* a new fault */
	EXPECT_EQ(msg.arg.pagefault.address, AREA);
	r.len = 0;
	EXPECT_EQ(uffd_ioctl(e.f, UFFDIO_WAKE, &r, sizeof(r)), -EINVAL);
	uffd_close_and_join(&e, t, &fa);
	faulter_join(u, &fb);
	EXPECT_EQ(fa.left, 0);
	uffd_env_teardown(&e);
}

/*
 * Kernel accesses with UFFD_USER_MODE_ONLY, and any access with
 * UFFD_FEATURE_SIGBUS, fail at once (-EFAULT for copy_to_user) without a
 * message.
 */
KTEST(uffd_user_mode_only_and_sigbus_fail_fast)
{
	struct uffd_env e;
	struct uffd_msg msg;
	char c = 1;

	ASSERT_EQ(uffd_env_setup(&e, O_NONBLOCK | UFFD_USER_MODE_ONLY, 0), 0);
	ASSERT_EQ(uffd_register(e.f, AREA, P, UFFDIO_REGISTER_MODE_MISSING, NULL), 0);
	EXPECT_EQ(copy_to_user((void __user *)AREA, &c, 1), 1);
	EXPECT_EQ(uffd_read(e.f, &msg, sizeof(msg)), -EAGAIN);
	EXPECT_TRUE(pte_none(ktest_pte(e.mm, AREA)));
	uffd_env_teardown(&e);

	ASSERT_EQ(uffd_env_setup(&e, O_NONBLOCK, UFFD_FEATURE_SIGBUS), 0);
	ASSERT_EQ(uffd_register(e.f, AREA, P, UFFDIO_REGISTER_MODE_MISSING, NULL), 0);
	EXPECT_EQ(copy_from_user(&c, (void __user *)AREA, 1), 1);
	EXPECT_EQ(uffd_read(e.f, &msg, sizeof(msg)), -EAGAIN);
	/* a fault path that cannot retry gets SIGBUS too, with mmap_lock kept */
	EXPECT_EQ(ktest_fault(e.mm, AREA, FAULT_FLAG_WRITE), VM_FAULT_SIGBUS);
	uffd_env_teardown(&e);
}

/*
 * Write protection: COPY with MODE_WP maps a marked read-only page; a
 * write reports WRITE|WP and sleeps; UFFDIO_WRITEPROTECT mode 0 removes
 * the marker and wakes it; the write lands in the same page (no COW).
 */
KTEST(uffd_wp_fault_and_unprotect)
{
	struct uffd_env e;
	struct faulter fa;
	struct task_struct *t;
	struct uffdio_writeprotect wp;
	struct uffd_msg msg;
	struct page *page;
	pte_t pte;
	char got[16];

	ASSERT_EQ(uffd_env_setup(&e, O_NONBLOCK, UFFD_FEATURE_PAGEFAULT_FLAG_WP), 0);
	ASSERT_EQ(uffd_register(e.f, AREA, 2 * P,
				UFFDIO_REGISTER_MODE_MISSING | UFFDIO_REGISTER_MODE_WP, NULL), 0);
	fill_src('w');
	EXPECT_EQ(uffd_copy(e.f, AREA, SRC, P, UFFDIO_COPY_MODE_WP, NULL), 0);
	pte = ktest_pte(e.mm, AREA);
	EXPECT_TRUE(pte_present(pte));
	EXPECT_FALSE(pte_write(pte));
	EXPECT_TRUE(pte_uffd_wp(pte));
	page = ktest_page(e.mm, AREA);

	t = faulter_start(&fa, e.mm, AREA, true);
	ASSERT_NOT_NULL(t);
	EXPECT_FALSE(fa.done);
	EXPECT_EQ(uffd_read(e.f, &msg, sizeof(msg)), (ssize_t)sizeof(msg));
	EXPECT_EQ(msg.arg.pagefault.address, AREA);
	EXPECT_EQ(msg.arg.pagefault.flags, UFFD_PAGEFAULT_FLAG_WRITE | UFFD_PAGEFAULT_FLAG_WP);

	wp = (struct uffdio_writeprotect){ .range = { AREA, P },
					   .mode = UFFDIO_WRITEPROTECT_MODE_WP |
						   UFFDIO_WRITEPROTECT_MODE_DONTWAKE };
	EXPECT_EQ(uffd_ioctl(e.f, UFFDIO_WRITEPROTECT, &wp, sizeof(wp)), -EINVAL);
	wp.mode = 0;
	EXPECT_EQ(uffd_ioctl(e.f, UFFDIO_WRITEPROTECT, &wp, sizeof(wp)), 0);
	msleep(20);
	EXPECT_TRUE(fa.done);
	uffd_close_and_join(&e, t, &fa);
	EXPECT_EQ(fa.left, 0);
	pte = ktest_pte(e.mm, AREA);
	EXPECT_TRUE(pte_write(pte));
	EXPECT_FALSE(pte_uffd_wp(pte));
	EXPECT_PTR_EQ(ktest_page(e.mm, AREA), page);   /* written in place */
	ASSERT_EQ(copy_from_user(got, (void __user *)AREA, sizeof(got)), 0);
	EXPECT_EQ(memcmp(got, "hello, uffd", 12), 0);
	uffd_env_teardown(&e);
}

/* WRITEPROTECT set on present pages; errors for unregistered ranges. */
KTEST(uffd_writeprotect_set_and_errors)
{
	struct uffd_env e;
	struct uffdio_writeprotect wp;
	char c = 'q';

	ASSERT_EQ(uffd_env_setup(&e, O_NONBLOCK, 0), 0);
	ASSERT_EQ(copy_to_user((void __user *)AREA, &c, 1), 0);   /* present, writable */
	EXPECT_TRUE(pte_write(ktest_pte(e.mm, AREA)));
	wp = (struct uffdio_writeprotect){ .range = { AREA, P }, .mode = UFFDIO_WRITEPROTECT_MODE_WP };
	EXPECT_EQ(uffd_ioctl(e.f, UFFDIO_WRITEPROTECT, &wp, sizeof(wp)), -ENOENT);
	ASSERT_EQ(uffd_register(e.f, AREA, 2 * P, UFFDIO_REGISTER_MODE_MISSING, NULL), 0);
	EXPECT_EQ(uffd_ioctl(e.f, UFFDIO_WRITEPROTECT, &wp, sizeof(wp)), -ENOENT);  /* not WP mode */
	ASSERT_EQ(uffd_register(e.f, AREA, 2 * P, UFFDIO_REGISTER_MODE_WP, NULL), 0);
	EXPECT_EQ(uffd_ioctl(e.f, UFFDIO_WRITEPROTECT, &wp, sizeof(wp)), 0);
	EXPECT_FALSE(pte_write(ktest_pte(e.mm, AREA)));
	EXPECT_TRUE(pte_uffd_wp(ktest_pte(e.mm, AREA)));
	wp.range.start = KT_ADDR(32);
	EXPECT_EQ(uffd_ioctl(e.f, UFFDIO_WRITEPROTECT, &wp, sizeof(wp)), -ENOENT);
	wp.mode = 4;
	EXPECT_EQ(uffd_ioctl(e.f, UFFDIO_WRITEPROTECT, &wp, sizeof(wp)), -EINVAL);
	/* Unregistering removes the marker (and the protection: the page is ours alone). */
	EXPECT_EQ(uffd_unregister(e.f, AREA, 2 * P), 0);
	EXPECT_FALSE(pte_uffd_wp(ktest_pte(e.mm, AREA)));
	EXPECT_TRUE(pte_write(ktest_pte(e.mm, AREA)));
	uffd_env_teardown(&e);
}

/* fork without EVENT_FORK: the child's VMAs and PTEs forget the registration. */
KTEST(uffd_fork_without_event_drops_registration)
{
	struct uffd_env e;
	struct uffdio_writeprotect wp;
	struct mm_struct *child;
	struct vm_area_struct *vma;
	char c = 'f';

	ASSERT_EQ(uffd_env_setup(&e, O_NONBLOCK, 0), 0);
	ASSERT_EQ(copy_to_user((void __user *)AREA, &c, 1), 0);
	ASSERT_EQ(uffd_register(e.f, AREA, 2 * P,
				UFFDIO_REGISTER_MODE_MISSING | UFFDIO_REGISTER_MODE_WP, NULL), 0);
	wp = (struct uffdio_writeprotect){ .range = { AREA, P }, .mode = UFFDIO_WRITEPROTECT_MODE_WP };
	EXPECT_EQ(uffd_ioctl(e.f, UFFDIO_WRITEPROTECT, &wp, sizeof(wp)), 0);

	child = dup_mm(e.mm);
	ASSERT_NOT_NULL(child);
	vma = ktest_vma(child, AREA);
	EXPECT_NOT_NULL(vma);
	if (vma) {
		EXPECT_NULL(vma->vm_userfaultfd_ctx);
		EXPECT_EQ(vma->vm_flags & __VM_UFFD_FLAGS, 0);
	}
	EXPECT_TRUE(pte_present(ktest_pte(child, AREA)));
	EXPECT_FALSE(pte_uffd_wp(ktest_pte(child, AREA)));
	EXPECT_TRUE(pte_uffd_wp(ktest_pte(e.mm, AREA)));   /* the parent keeps it */
	/* a missing page in the child faults normally */
	EXPECT_EQ(ktest_fault(child, AREA + P, FAULT_FLAG_WRITE), 0);
	mmput(child);
	uffd_env_teardown(&e);
}

/*
 * The registering mm goes away while the uffd stays open: COPY is -ESRCH,
 * poll says POLLHUP, and closing it frees the ctx and the mm struct.
 */
KTEST(uffd_mm_gone_esrch)
{
	struct uffd_env e;
	struct mm_struct *gone;
	struct file *f;
	s64 copied = 0;

	ASSERT_EQ(uffd_env_setup(&e, O_NONBLOCK, 0), 0);
	gone = mm_alloc();
	ASSERT_NOT_NULL(gone);
	unuse_mm(e.mm);
	use_mm(gone);
	f = userfaultfd_file_create(O_NONBLOCK);
	unuse_mm(gone);
	use_mm(e.mm);
	ASSERT_FALSE(IS_ERR(f));
	EXPECT_EQ(uffd_api(f, 0), 0);
	EXPECT_EQ(gone->mm_count, 2);   /* the users' one, and the ctx's */
	mmput(gone);                    /* its last user: pages and VMAs go, the struct stays */
	EXPECT_EQ(uffd_copy(f, AREA, SRC, P, 0, &copied), -ESRCH);
	EXPECT_EQ(copied, 12345);       /* not written back */
	EXPECT_EQ(uffd_register(f, AREA, P, UFFDIO_REGISTER_MODE_MISSING, NULL), -ENOMEM);
	EXPECT_EQ(uffd_poll(f), POLLHUP);
	fput(f);                        /* ctx freed, and with it the mm struct */
	uffd_env_teardown(&e);
}

static struct ktest_case uffd_cases[] = {
	KTEST_CASE(uffd_api_handshake),
	KTEST_CASE(uffd_register_splits_checks_and_merges_back),
	KTEST_CASE(uffd_missing_fault_read_copy_wake),
	KTEST_CASE(uffd_copy_and_zeropage_errors),
	KTEST_CASE(uffd_release_wakes_waiters),
	KTEST_CASE(uffd_unregister_and_wake_wake_waiters),
	KTEST_CASE(uffd_user_mode_only_and_sigbus_fail_fast),
	KTEST_CASE(uffd_wp_fault_and_unprotect),
	KTEST_CASE(uffd_writeprotect_set_and_errors),
	KTEST_CASE(uffd_fork_without_event_drops_registration),
	KTEST_CASE(uffd_mm_gone_esrch),
	{}
};

static struct ktest_suite uffd_suite = {
	.name = "uffd",
	.cases = uffd_cases,
	.init = uffd_suite_init,
};
ktest_register_suite(uffd_suite);
