/*
 * tests/ktest/test_uffd_wp_shmem.c - userfaultfd write protection on shared
 * anonymous memory, and the PTE markers that carry it for pages this mm
 * has not mapped (mm/userfaultfd.c uffd_wp_range, mm/fault.c
 * handle_pte_marker, and every walker that must tell a marker from a
 * frame: zap, fork's copy, mprotect, the audit).
 *
 * AREA is MAP_SHARED|MAP_ANONYMOUS here. Faults come two ways: ktest_fault
 * (handle_mm_fault without FAULT_FLAG_ALLOW_RETRY, so a fault that would
 * go to the monitor returns VM_FAULT_SIGBUS at once instead of sleeping)
 * and the faulter thread of ktest_uffd.h, which really sleeps in
 * handle_userfault. The audit after every case checks the rss counters,
 * mapcounts and that no marker or uffd-wp bit is left outside a VMA
 * registered for WP.
 */
#include "tests/ktest/ktest.h"
#include "tests/ktest/ktest_uffd.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"

#define P PAGE_SIZE
#define W FAULT_FLAG_WRITE
#define SHARED_ANON (MAP_SHARED | MAP_ANONYMOUS)
#define WP_MODE UFFDIO_WRITEPROTECT_MODE_WP

static bool is_uffd_wp_marker(pte_t pte)
{
	return is_pte_marker(pte) && pte_marker_uffd_wp(pte);
}

/* shmem_wp_setup - shared AREA, page 0 written (mapped), pages 0-3 registered WP and protected. */
static int shmem_wp_setup(struct uffd_env *e, u64 mode)
{
	char c = 's';
	int err = uffd_env_setup_area(e, O_NONBLOCK, UFFD_FEATURE_PAGEFAULT_FLAG_WP, SHARED_ANON);

	if (err)
		return err;
	if (copy_to_user((void __user *)AREA, &c, 1))
		return -EFAULT;
	err = uffd_register(e->f, AREA, 4 * P, mode, NULL);
	return err ? err : uffd_writeprotect(e->f, AREA, 4 * P, WP_MODE);
}

/*
 * WRITEPROTECT: the mapped page read-only with the uffd-wp bit, every
 * other page a marker (no rss). A read fault through a marker maps the
 * shared page read-only, still protected; a write fault maps it the same
 * way and the retried write goes to the monitor (here: SIGBUS, no retry).
 */
KTEST(uffd_wp_shmem_markers_and_faults)
{
	struct uffd_env e;
	unsigned long files;
	struct page *page;
	pte_t pte;

	ASSERT_EQ(shmem_wp_setup(&e, UFFDIO_REGISTER_MODE_WP), 0);
	files = get_mm_counter(e.mm, MM_SHMEMPAGES);
	EXPECT_EQ(files, 1);
	pte = ktest_pte(e.mm, AREA);
	EXPECT_TRUE(pte_present(pte) && pte_uffd_wp(pte) && !pte_write(pte));
	for (int i = 1; i < 4; i++)
		EXPECT_TRUE(is_uffd_wp_marker(ktest_pte(e.mm, AREA + i * P)));
	EXPECT_TRUE(pte_none(ktest_pte(e.mm, AREA + 4 * P)));   /* outside the range */
	EXPECT_NULL(ktest_page(e.mm, AREA + P));

	/* read through a marker: mapped, read-only, still protected */
	EXPECT_EQ(ktest_fault(e.mm, AREA + P, 0), 0);
	pte = ktest_pte(e.mm, AREA + P);
	EXPECT_TRUE(pte_present(pte) && pte_uffd_wp(pte) && !pte_write(pte));
	page = ktest_page(e.mm, AREA + P);
	ASSERT_NOT_NULL(page);
	EXPECT_FALSE(PageAnon(page));                 /* the shared object's page */
	EXPECT_NOT_NULL(page->mapping);
	EXPECT_EQ(get_mm_counter(e.mm, MM_SHMEMPAGES), files + 1);

	/* write through a marker: mapped read-only first; the write again is the monitor's */
	EXPECT_EQ(ktest_fault(e.mm, AREA + 2 * P, W), 0);
	pte = ktest_pte(e.mm, AREA + 2 * P);
	EXPECT_TRUE(pte_present(pte) && pte_uffd_wp(pte) && !pte_write(pte));
	EXPECT_EQ(ktest_fault(e.mm, AREA + 2 * P, W), VM_FAULT_SIGBUS);
	EXPECT_EQ(ktest_fault(e.mm, AREA, W), VM_FAULT_SIGBUS);
	EXPECT_EQ(get_mm_counter(e.mm, MM_SHMEMPAGES), files + 2);

	/* unprotect: bits and markers go; a clean page stays read-only (wp_page_shared later) */
	EXPECT_EQ(uffd_writeprotect(e.f, AREA, 4 * P, 0), 0);
	EXPECT_FALSE(pte_uffd_wp(ktest_pte(e.mm, AREA + P)));
	EXPECT_FALSE(pte_write(ktest_pte(e.mm, AREA + P)));
	EXPECT_TRUE(pte_write(ktest_pte(e.mm, AREA + 2 * P)));   /* dirty: writable at once */
	EXPECT_TRUE(pte_none(ktest_pte(e.mm, AREA + 3 * P)));
	EXPECT_EQ(ktest_fault(e.mm, AREA + P, W), 0);
	EXPECT_TRUE(pte_write(ktest_pte(e.mm, AREA + P)));
	EXPECT_PTR_EQ(ktest_page(e.mm, AREA + P), page);
	uffd_env_teardown(&e);
}

/*
 * The whole protocol through a marker: a write to a page never mapped here
 * sleeps, the message says WP|WRITE, UFFDIO_WRITEPROTECT(0) wakes it and
 * the bytes land in the shared page.
 */
KTEST(uffd_wp_shmem_write_waits_for_monitor)
{
	struct uffd_env e;
	struct faulter fa;
	struct task_struct *t;
	struct uffd_msg msg;
	char got[16];

	ASSERT_EQ(shmem_wp_setup(&e, UFFDIO_REGISTER_MODE_WP), 0);
	t = faulter_start(&fa, e.mm, AREA + 3 * P, true);
	ASSERT_NOT_NULL(t);
	EXPECT_FALSE(fa.done);
	EXPECT_EQ(uffd_read(e.f, &msg, sizeof(msg)), (ssize_t)sizeof(msg));
	EXPECT_EQ(msg.arg.pagefault.address, AREA + 3 * P);
	EXPECT_EQ(msg.arg.pagefault.flags, UFFD_PAGEFAULT_FLAG_WRITE | UFFD_PAGEFAULT_FLAG_WP);
	EXPECT_TRUE(pte_uffd_wp(ktest_pte(e.mm, AREA + 3 * P)));   /* mapped, protected */
	EXPECT_EQ(uffd_writeprotect(e.f, AREA + 3 * P, P, 0), 0);
	msleep(20);
	EXPECT_TRUE(fa.done);
	uffd_close_and_join(&e, t, &fa);
	EXPECT_EQ(fa.left, 0);
	EXPECT_TRUE(pte_write(ktest_pte(e.mm, AREA + 3 * P)));
	ASSERT_EQ(copy_from_user(got, (void __user *)(AREA + 3 * P), sizeof(got)), 0);
	EXPECT_EQ(memcmp(got, "hello, uffd", 12), 0);
	uffd_env_teardown(&e);
}

/*
 * MISSING|WP: a marker on a page nobody has made is still a missing page
 * - the faulter waits (handle_userfault's re-check treats the marker as
 * none) and the message has no WP flag; UFFDIO_COPY replaces the marker.
 */
KTEST(uffd_wp_shmem_missing_through_marker)
{
	struct uffd_env e;
	struct faulter fa;
	struct task_struct *t;
	struct uffd_msg msg;

	ASSERT_EQ(shmem_wp_setup(&e, UFFDIO_REGISTER_MODE_MISSING | UFFDIO_REGISTER_MODE_WP), 0);
	fill_src('m');
	t = faulter_start(&fa, e.mm, AREA + P, false);
	ASSERT_NOT_NULL(t);
	EXPECT_FALSE(fa.done);
	EXPECT_EQ(uffd_read(e.f, &msg, sizeof(msg)), (ssize_t)sizeof(msg));
	EXPECT_EQ(msg.arg.pagefault.address, AREA + P);
	EXPECT_EQ(msg.arg.pagefault.flags, 0);
	EXPECT_TRUE(is_uffd_wp_marker(ktest_pte(e.mm, AREA + P)));
	EXPECT_EQ(uffd_copy(e.f, AREA + P, SRC, P, 0, NULL), 0);
	msleep(20);
	EXPECT_TRUE(fa.done);
	uffd_close_and_join(&e, t, &fa);
	EXPECT_EQ(fa.left, 0);
	EXPECT_EQ(fa.data[0], 'm');
	EXPECT_TRUE(pte_present(ktest_pte(e.mm, AREA + P)));
	EXPECT_FALSE(pte_uffd_wp(ktest_pte(e.mm, AREA + P)));
	uffd_env_teardown(&e);
}

/*
 * Protection is per mm: a fork child without EVENT_FORK gets the mapped
 * page without the uffd-wp bit and no markers, writes freely into the same
 * shared pages, and the parent stays protected.
 */
KTEST(uffd_wp_shmem_fork_drops_markers)
{
	struct uffd_env e;
	struct mm_struct *child;
	struct page *page;

	ASSERT_EQ(shmem_wp_setup(&e, UFFDIO_REGISTER_MODE_WP), 0);
	child = dup_mm(e.mm);
	ASSERT_NOT_NULL(child);
	EXPECT_TRUE(pte_present(ktest_pte(child, AREA)));
	EXPECT_FALSE(pte_uffd_wp(ktest_pte(child, AREA)));
	for (int i = 1; i < 4; i++)
		EXPECT_TRUE(pte_none(ktest_pte(child, AREA + i * P)));
	EXPECT_EQ(get_mm_counter(child, MM_SHMEMPAGES), 1);   /* a marker is not resident */

	EXPECT_EQ(ktest_fault(child, AREA + P, W), 0);
	EXPECT_TRUE(pte_write(ktest_pte(child, AREA + P)));
	EXPECT_EQ(ktest_fault(child, AREA, W), 0);
	EXPECT_TRUE(pte_write(ktest_pte(child, AREA)));
	page = ktest_page(child, AREA + P);

	/* the parent: the same shared page, still protected */
	EXPECT_TRUE(is_uffd_wp_marker(ktest_pte(e.mm, AREA + P)));
	EXPECT_EQ(ktest_fault(e.mm, AREA + P, 0), 0);
	EXPECT_PTR_EQ(ktest_page(e.mm, AREA + P), page);
	EXPECT_TRUE(pte_uffd_wp(ktest_pte(e.mm, AREA + P)));
	EXPECT_TRUE(pte_uffd_wp(ktest_pte(e.mm, AREA)));
	EXPECT_EQ(ktest_fault(e.mm, AREA + P, W), VM_FAULT_SIGBUS);
	mmput(child);
	uffd_env_teardown(&e);
}

/*
 * mprotect keeps markers and keeps a protected PTE read-only even where
 * the new protection is writable; munmap clears markers without taking
 * them for frames; UNREGISTER and release clear them too.
 */
KTEST(uffd_wp_shmem_mprotect_munmap_unregister)
{
	struct uffd_env e;
	unsigned long files;

	ASSERT_EQ(shmem_wp_setup(&e, UFFDIO_REGISTER_MODE_WP), 0);
	files = get_mm_counter(e.mm, MM_SHMEMPAGES);
	EXPECT_EQ(do_mprotect(AREA, 4 * P, PROT_READ), 0);
	EXPECT_EQ(do_mprotect(AREA, 4 * P, KT_RW), 0);
	EXPECT_FALSE(pte_write(ktest_pte(e.mm, AREA)));
	EXPECT_TRUE(pte_uffd_wp(ktest_pte(e.mm, AREA)));
	EXPECT_TRUE(is_uffd_wp_marker(ktest_pte(e.mm, AREA + P)));
	EXPECT_EQ(ktest_fault(e.mm, AREA, W), VM_FAULT_SIGBUS);

	/* munmap of a marker page: gone, nothing put, rss the same */
	EXPECT_EQ(vm_munmap(AREA + 3 * P, P), 0);
	EXPECT_TRUE(pte_none(ktest_pte(e.mm, AREA + 3 * P)));
	EXPECT_EQ(get_mm_counter(e.mm, MM_SHMEMPAGES), files);

	/* UNREGISTER of part: that part loses bits and markers, the rest keeps them */
	EXPECT_EQ(uffd_unregister(e.f, AREA, 2 * P), 0);
	EXPECT_FALSE(pte_uffd_wp(ktest_pte(e.mm, AREA)));
	EXPECT_TRUE(pte_none(ktest_pte(e.mm, AREA + P)));
	EXPECT_TRUE(is_uffd_wp_marker(ktest_pte(e.mm, AREA + 2 * P)));
	EXPECT_EQ(ktest_fault(e.mm, AREA, W), 0);

	/* release: the last marker goes with the registration */
	fput(e.f);
	e.f = NULL;
	EXPECT_TRUE(pte_none(ktest_pte(e.mm, AREA + 2 * P)));
	EXPECT_EQ(ktest_fault(e.mm, AREA + 2 * P, W), 0);
	EXPECT_TRUE(pte_write(ktest_pte(e.mm, AREA + 2 * P)));
	uffd_env_teardown(&e);
}

static struct ktest_case uffd_wp_shmem_cases[] = {
	KTEST_CASE(uffd_wp_shmem_markers_and_faults),
	KTEST_CASE(uffd_wp_shmem_write_waits_for_monitor),
	KTEST_CASE(uffd_wp_shmem_missing_through_marker),
	KTEST_CASE(uffd_wp_shmem_fork_drops_markers),
	KTEST_CASE(uffd_wp_shmem_mprotect_munmap_unregister),
	{}
};

static struct ktest_suite uffd_wp_shmem_suite = {
	.name = "uffd_wp_shmem",
	.cases = uffd_wp_shmem_cases,
	.init = uffd_suite_init,
};
ktest_register_suite(uffd_wp_shmem_suite);
