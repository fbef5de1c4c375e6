/*
 * kernel/userfaultfd_ioctl.c - the monitor's ioctls on a userfaultfd
 * (Linux fs/userfaultfd.c, the ioctl half): UFFDIO_API, REGISTER,
 * UNREGISTER, WAKE, COPY, ZEROPAGE, WRITEPROTECT. Registration changes
 * VMAs (split at the range edges, merged back on unregister) under the
 * mm's mmap_lock for writing; COPY, ZEROPAGE and WRITEPROTECT install or
 * change PTEs through mm/userfaultfd.c. The context, the fault side, read,
 * poll and release are in kernel/userfaultfd.c.
 *
 * Locking order: mm->mmap_lock -> ctx->fault_pending_wqh.lock (as in
 * kernel/userfaultfd.c).
 */
#include "mm/userfaultfd_k.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/syscalls.h"
#include "mm/internal.h"
#include "mm/slab.h"
#include "kernel/userfaultfd_internal.h"

/* ---- ioctls ---- */

/*
 * validate_range - Mirrors Linux validate_range(): @start and @len
 * page-aligned, @len non-zero, inside [MMAP_MIN_ADDR, TASK_SIZE). 0 or -EINVAL.
 */
static int validate_range(unsigned long start, unsigned long len)
{
	if ((start & ~PAGE_MASK) || (len & ~PAGE_MASK) || !len)
		return -EINVAL;
	if (start < MMAP_MIN_ADDR || start >= TASK_SIZE || len > TASK_SIZE - start)
		return -EINVAL;
	return 0;
}

/*
 * vma_can_userfault - Mirrors Linux vma_can_userfault() (6.1+, with PTE
 * markers: CONFIG_PTE_MARKER_UFFD_WP): MISSING and WP on private
 * anonymous memory and on shared anonymous memory, Linux's shmem. No
 * MINOR mode, no file or hugetlbfs mappings.
 */
static bool vma_can_userfault(struct vm_area_struct *vma, unsigned long vm_flags)
{
	if (vm_flags & ~__VM_UFFD_FLAGS)
		return false;   /* MINOR */
	if (vma_is_shmem_anon(vma))
		return true;
	return vma_is_anonymous(vma) && !(vma->vm_flags & VM_SHARED);
}

/*
 * userfaultfd_api - UFFDIO_API: check the version and the features asked
 * for, answer with what we implement, and only then switch the features
 * on. -EINVAL (second call, api != 0xAA, unknown feature: the struct is
 * zeroed then), -EFAULT.
 */
static long userfaultfd_api(struct userfaultfd_ctx *ctx, unsigned long arg)
{
	struct uffdio_api __user *buf = (struct uffdio_api __user *)arg;
	struct uffdio_api api;
	unsigned int expected = 0;
	u64 features;
	long ret;

	if (userfaultfd_is_initialized(ctx))
		return -EINVAL;   /* a second call: the struct is left alone */
	if (copy_from_user(&api, buf, sizeof(api)))
		return -EFAULT;
	features = api.features;
	ret = -EINVAL;
	if (api.api != UFFD_API || (features & ~(u64)UFFD_API_FEATURES))
		goto err_out;
	api.features = UFFD_API_FEATURES;
	api.ioctls = UFFD_API_IOCTLS;
	if (copy_to_user(buf, &api, sizeof(api)))
		return -EFAULT;
	/* Only the features asked for are switched on; one caller wins a race. */
	if (!__atomic_compare_exchange_n(&ctx->features, &expected,
					 (unsigned int)features | UFFD_FEATURE_INITIALIZED,
					 false, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		return -EINVAL;
	return 0;
err_out:
	memset(&api, 0, sizeof(api));
	if (copy_to_user(buf, &api, sizeof(api)))
		ret = -EFAULT;
	return ret;
}

/*
 * userfaultfd_register - UFFDIO_REGISTER: Mirrors Linux
 * userfaultfd_register(). Check everything first (range, at least one
 * VMA, each VMA private anonymous and writable-capable, none owned by
 * another ctx), then give each VMA in the range the ctx and the mode,
 * splitting at the edges and merging with equal neighbours. Answers
 * the ioctls usable on the range. -EINVAL, -EBUSY, -EPERM (no
 * VM_MAYWRITE), -ENOMEM (mm gone, or a split failed), -EFAULT.
 */
static long userfaultfd_register(struct userfaultfd_ctx *ctx, unsigned long arg)
{
	struct uffdio_register __user *user = (struct uffdio_register __user *)arg;
	struct mm_struct *mm = ctx->mm;
	struct uffdio_register reg;
	struct vm_area_struct *vma, *cur;
	unsigned long vm_flags = 0, start, end;
	u64 ioctls;
	long ret;

	if (copy_from_user(&reg, user, sizeof(reg) - sizeof(reg.ioctls)))
		return -EFAULT;
	if (!reg.mode || (reg.mode & ~(u64)UFFD_API_REGISTER_MODES))
		return -EINVAL;
	if (reg.mode & UFFDIO_REGISTER_MODE_MISSING)
		vm_flags |= VM_UFFD_MISSING;
	if (reg.mode & UFFDIO_REGISTER_MODE_WP)
		vm_flags |= VM_UFFD_WP;
	if (reg.mode & UFFDIO_REGISTER_MODE_MINOR)
		vm_flags |= 0x80000000UL;   /* refused by vma_can_userfault */
	ret = validate_range(reg.range.start, reg.range.len);
	if (ret)
		return ret;
	start = reg.range.start;
	end = start + reg.range.len;
	if (!mmget_not_zero(mm))
		return -ENOMEM;

	down_write(&mm->mmap_lock);
	ret = -EINVAL;
	vma = find_vma(mm, start);
	if (!vma || vma->vm_start >= end)
		goto out_unlock;
	for (cur = vma; cur && cur->vm_start < end; cur = vma_next(cur)) {
		ret = -EINVAL;
		if (!vma_can_userfault(cur, vm_flags))
			goto out_unlock;
		ret = -EPERM;
		if (!(cur->vm_flags & VM_MAYWRITE))
			goto out_unlock;
		ret = -EBUSY;
		if (cur->vm_userfaultfd_ctx && cur->vm_userfaultfd_ctx != ctx)
			goto out_unlock;
	}

	ret = 0;
	for (cur = vma; cur && cur->vm_start < end; cur = vma_next(cur)) {
		if (cur->vm_userfaultfd_ctx == ctx && (cur->vm_flags & __VM_UFFD_FLAGS) == vm_flags)
			continue;
		if (cur->vm_start < start) {
			ret = split_vma(mm, cur, start, 1);   /* cur keeps [start, ...) */
			if (ret)
				break;
		}
		if (cur->vm_end > end) {
			ret = split_vma(mm, cur, end, 0);     /* cur keeps [..., end) */
			if (ret)
				break;
		}
		cur->vm_flags = (cur->vm_flags & ~__VM_UFFD_FLAGS) | vm_flags;
		cur->vm_userfaultfd_ctx = ctx;
		cur = vma_merge(mm, cur);
	}
out_unlock:
	up_write(&mm->mmap_lock);
	mmput(mm);
	if (ret)
		return ret;
	ioctls = UFFD_API_RANGE_IOCTLS;
	if (reg.mode & UFFDIO_REGISTER_MODE_WP)
		ioctls |= 1ULL << _UFFDIO_WRITEPROTECT;
	if (put_user(ioctls, &user->ioctls))
		return -EFAULT;
	return 0;
}

/*
 * userfaultfd_clear_vma - @vma (of ctx's mm, mmap_lock held for writing)
 * forgets its registration; the write protection in [start, end) goes
 * (uffd-wp bits and PTE markers). Returns the VMA now covering it (it may
 * have merged into its predecessor).
 */
struct vm_area_struct *userfaultfd_clear_vma(struct mm_struct *mm,
					     struct vm_area_struct *vma,
					     unsigned long start, unsigned long end)
{
	if (userfaultfd_wp(vma))
		uffd_wp_range(vma, start, end, false);   /* unprotecting cannot fail */
	vma->vm_flags &= ~__VM_UFFD_FLAGS;
	vma->vm_userfaultfd_ctx = NULL;
	return vma_merge(mm, vma);
}

/*
 * userfaultfd_unregister - UFFDIO_UNREGISTER: Mirrors Linux
 * userfaultfd_unregister(). Every VMA in the range must be one we could
 * register (-EINVAL) and not another ctx's (-EINVAL); the registered ones
 * are split at the edges and lose ctx, mode and write protection; waiters in
 * the range are woken (they fault normally now). -ENOMEM, -EFAULT.
 */
static long userfaultfd_unregister(struct userfaultfd_ctx *ctx, unsigned long arg)
{
	struct mm_struct *mm = ctx->mm;
	struct uffdio_range range;
	struct vm_area_struct *vma, *cur;
	unsigned long start, end;
	long ret;

	if (copy_from_user(&range, (void __user *)arg, sizeof(range)))
		return -EFAULT;
	ret = validate_range(range.start, range.len);
	if (ret)
		return ret;
	start = range.start;
	end = start + range.len;
	if (!mmget_not_zero(mm))
		return -ENOMEM;

	down_write(&mm->mmap_lock);
	ret = -EINVAL;
	vma = find_vma(mm, start);
	if (!vma || vma->vm_start >= end)
		goto out_unlock;
	for (cur = vma; cur && cur->vm_start < end; cur = vma_next(cur)) {
		if (!vma_can_userfault(cur, cur->vm_flags & __VM_UFFD_FLAGS))
			goto out_unlock;
		if (cur->vm_userfaultfd_ctx && cur->vm_userfaultfd_ctx != ctx)
			goto out_unlock;
	}

	ret = 0;
	for (cur = vma; cur && cur->vm_start < end; cur = vma_next(cur)) {
		if (!cur->vm_userfaultfd_ctx)
			continue;
		if (cur->vm_start < start) {
			ret = split_vma(mm, cur, start, 1);
			if (ret)
				break;
		}
		if (cur->vm_end > end) {
			ret = split_vma(mm, cur, end, 0);
			if (ret)
				break;
		}
		/* Wake the range's waiters: they would hang, now nobody answers. */
		wake_userfault(ctx, cur->vm_start, cur->vm_end - cur->vm_start);
		cur = userfaultfd_clear_vma(mm, cur, cur->vm_start, cur->vm_end);
	}
out_unlock:
	up_write(&mm->mmap_lock);
	mmput(mm);
	return ret;
}

/* userfaultfd_wake - UFFDIO_WAKE: wake the faults of a range by hand (after DONTWAKE). */
static long userfaultfd_wake(struct userfaultfd_ctx *ctx, unsigned long arg)
{
	struct uffdio_range range;
	long ret;

	if (copy_from_user(&range, (void __user *)arg, sizeof(range)))
		return -EFAULT;
	ret = validate_range(range.start, range.len);
	if (ret)
		return ret;
	wake_userfault(ctx, range.start, range.len);
	return 0;
}

/*
 * userfaultfd_copy - UFFDIO_COPY: Mirrors Linux userfaultfd_copy(). The
 * bytes done (or the error) go to uffdio_copy.copy; the ioctl returns 0
 * only if all of it was done, -EAGAIN for a part, else the error (-EEXIST,
 * -ENOENT, -EFAULT, ...; -EAGAIN while an event is pending). -ESRCH
 * (nothing written back) when the registering mm has exited. Wakes the done range unless DONTWAKE.
 */
static long userfaultfd_copy(struct userfaultfd_ctx *ctx, unsigned long arg)
{
	struct uffdio_copy __user *user = (struct uffdio_copy __user *)arg;
	struct uffdio_copy uc;
	long ret;

	if (__atomic_load_n(&ctx->mmap_changing, __ATOMIC_ACQUIRE))
		return put_user((s64)-EAGAIN, &user->copy) ? -EFAULT : -EAGAIN;
	if (copy_from_user(&uc, user, sizeof(uc) - sizeof(uc.copy)))
		return -EFAULT;
	ret = validate_range(uc.dst, uc.len);
	if (ret)
		return ret;
	if (uc.src + uc.len <= uc.src || uc.src + uc.len > TASK_SIZE)
		return -EINVAL;
	if (uc.mode & ~(u64)(UFFDIO_COPY_MODE_DONTWAKE | UFFDIO_COPY_MODE_WP))
		return -EINVAL;
	if (!mmget_not_zero(ctx->mm))
		return -ESRCH;
	ret = mfill_atomic_copy(ctx, uc.dst, uc.src, uc.len, uc.mode & UFFDIO_COPY_MODE_WP);
	mmput(ctx->mm);
	if (put_user(ret, &user->copy))
		return -EFAULT;
	if (ret < 0)
		return ret;
	if (!(uc.mode & UFFDIO_COPY_MODE_DONTWAKE))
		wake_userfault(ctx, uc.dst, ret);
	return (u64)ret == uc.len ? 0 : -EAGAIN;
}

/* userfaultfd_zeropage - UFFDIO_ZEROPAGE: the same with the zero page. */
static long userfaultfd_zeropage(struct userfaultfd_ctx *ctx, unsigned long arg)
{
	struct uffdio_zeropage __user *user = (struct uffdio_zeropage __user *)arg;
	struct uffdio_zeropage uz;
	long ret;

	if (__atomic_load_n(&ctx->mmap_changing, __ATOMIC_ACQUIRE))
		return put_user((s64)-EAGAIN, &user->zeropage) ? -EFAULT : -EAGAIN;
	if (copy_from_user(&uz, user, sizeof(uz) - sizeof(uz.zeropage)))
		return -EFAULT;
	ret = validate_range(uz.range.start, uz.range.len);
	if (ret)
		return ret;
	if (uz.mode & ~(u64)UFFDIO_ZEROPAGE_MODE_DONTWAKE)
		return -EINVAL;
	if (!mmget_not_zero(ctx->mm))
		return -ESRCH;
	ret = mfill_atomic_zeropage(ctx, uz.range.start, uz.range.len);
	mmput(ctx->mm);
	if (put_user(ret, &user->zeropage))
		return -EFAULT;
	if (ret < 0)
		return ret;
	if (!(uz.mode & UFFDIO_ZEROPAGE_MODE_DONTWAKE))
		wake_userfault(ctx, uz.range.start, ret);
	return (u64)ret == uz.range.len ? 0 : -EAGAIN;
}

/*
 * userfaultfd_writeprotect - UFFDIO_WRITEPROTECT: Mirrors Linux
 * userfaultfd_writeprotect(). MODE_WP protects (never wakes; with
 * DONTWAKE it is -EINVAL), mode 0 unprotects and wakes the range unless
 * DONTWAKE. -EINVAL, -ENOENT, -ESRCH, -EAGAIN, -EFAULT.
 */
static long userfaultfd_writeprotect(struct userfaultfd_ctx *ctx, unsigned long arg)
{
	struct uffdio_writeprotect wp;
	bool mode_wp, mode_dontwake;
	long ret;

	if (__atomic_load_n(&ctx->mmap_changing, __ATOMIC_ACQUIRE))
		return -EAGAIN;
	if (copy_from_user(&wp, (void __user *)arg, sizeof(wp)))
		return -EFAULT;
	ret = validate_range(wp.range.start, wp.range.len);
	if (ret)
		return ret;
	if (wp.mode & ~(u64)(UFFDIO_WRITEPROTECT_MODE_DONTWAKE | UFFDIO_WRITEPROTECT_MODE_WP))
		return -EINVAL;
	mode_wp = wp.mode & UFFDIO_WRITEPROTECT_MODE_WP;
	mode_dontwake = wp.mode & UFFDIO_WRITEPROTECT_MODE_DONTWAKE;
	if (mode_wp && mode_dontwake)
		return -EINVAL;
	if (!mmget_not_zero(ctx->mm))
		return -ESRCH;
	ret = mwriteprotect_range(ctx, wp.range.start, wp.range.len, mode_wp);
	mmput(ctx->mm);
	if (ret)
		return ret;
	if (!mode_wp && !mode_dontwake)
		wake_userfault(ctx, wp.range.start, wp.range.len);
	return 0;
}

/*
 * userfaultfd_ioctl - the dispatch. Before a successful UFFDIO_API every
 * other command is -EINVAL; an unknown command is -EINVAL too (Linux's).
 */
long userfaultfd_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct userfaultfd_ctx *ctx = f->private_data;

	if (cmd != UFFDIO_API && !userfaultfd_is_initialized(ctx))
		return -EINVAL;
	switch (cmd) {
	case UFFDIO_API:          return userfaultfd_api(ctx, arg);
	case UFFDIO_REGISTER:     return userfaultfd_register(ctx, arg);
	case UFFDIO_UNREGISTER:   return userfaultfd_unregister(ctx, arg);
	case UFFDIO_WAKE:         return userfaultfd_wake(ctx, arg);
	case UFFDIO_COPY:         return userfaultfd_copy(ctx, arg);
	case UFFDIO_ZEROPAGE:     return userfaultfd_zeropage(ctx, arg);
	case UFFDIO_WRITEPROTECT: return userfaultfd_writeprotect(ctx, arg);
	}
	return -EINVAL;
}

