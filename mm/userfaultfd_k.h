/*
 * mm/userfaultfd_k.h - userfaultfd: the kernel's side (Linux
 * include/linux/userfaultfd_k.h) and its copy of the user ABI (Linux
 * include/uapi/linux/userfaultfd.h; the numbers are Linux's, x86-64).
 *
 * Who does what:
 *   kernel/userfaultfd.c   the context and its file: userfaultfd(2), read,
 *                          poll, ioctl dispatch, register/unregister, wake,
 *                          release, handle_userfault(), the fork event
 *   mm/userfaultfd.c       putting pages in for the monitor: UFFDIO_COPY,
 *                          UFFDIO_ZEROPAGE (mfill_atomic_*), and
 *                          UFFDIO_WRITEPROTECT (mwriteprotect_range)
 *   mm/fault.c             the places a fault is handed over:
 *                          do_anonymous_page and shared memory's ->fault
 *                          (MISSING), do_wp_page (WP); handle_pte_marker
 *                          maps a page protected before it was mapped
 *   mm/mm_core.c           fork: dup_userfaultfd / dup_userfaultfd_complete
 *
 * Write protection lives in the PTEs of the registering mm: the uffd-wp
 * bit on a mapped page, a PTE marker (arch/x86_64/pgtable.h) on a page of
 * shared memory this mm has not mapped. Another process mapping the same
 * shared memory has PTEs of its own, and is not protected.
 */
#ifndef MM_USERFAULTFD_K_H
#define MM_USERFAULTFD_K_H

#include "kernel/compiler.h"
#include "kernel/types.h"
#include "kernel/wait.h"
#include "kernel/list.h"
#include "mm/mm_types.h"

/* ---- the user ABI (checked against Linux's by value: see the numbers) ---- */

#define UFFD_API 0xAAULL

/* userfaultfd(2) flags: O_CLOEXEC and O_NONBLOCK (kernel/fs.h), and: */
#define UFFD_USER_MODE_ONLY 1

/* ioctl numbers: _IOWR/_IOR(0xAA, nr, struct) - the size is in bits 16..29. */
#define _UFFDIO_REGISTER     0x00
#define _UFFDIO_UNREGISTER   0x01
#define _UFFDIO_WAKE         0x02
#define _UFFDIO_COPY         0x03
#define _UFFDIO_ZEROPAGE     0x04
#define _UFFDIO_WRITEPROTECT 0x06
#define _UFFDIO_API          0x3F
#define UFFDIO_API           0xc018aa3fU   /* _IOWR, struct uffdio_api (24) */
#define UFFDIO_REGISTER      0xc020aa00U   /* _IOWR, struct uffdio_register (32) */
#define UFFDIO_UNREGISTER    0x8010aa01U   /* _IOR,  struct uffdio_range (16) */
#define UFFDIO_WAKE          0x8010aa02U   /* _IOR,  struct uffdio_range (16) */
#define UFFDIO_COPY          0xc028aa03U   /* _IOWR, struct uffdio_copy (40) */
#define UFFDIO_ZEROPAGE      0xc020aa04U   /* _IOWR, struct uffdio_zeropage (32) */
#define UFFDIO_WRITEPROTECT  0xc018aa06U   /* _IOWR, struct uffdio_writeprotect (24) */

/* The ioctls a UFFDIO_API / UFFDIO_REGISTER answer reports (bit = _UFFDIO_*). */
#define UFFD_API_IOCTLS \
	((1ULL << _UFFDIO_REGISTER) | (1ULL << _UFFDIO_UNREGISTER) | (1ULL << _UFFDIO_API))
#define UFFD_API_RANGE_IOCTLS \
	((1ULL << _UFFDIO_WAKE) | (1ULL << _UFFDIO_COPY) | (1ULL << _UFFDIO_ZEROPAGE))

/* Features (struct uffdio_api.features). */
#define UFFD_FEATURE_PAGEFAULT_FLAG_WP (1 << 0)
#define UFFD_FEATURE_EVENT_FORK        (1 << 1)
#define UFFD_FEATURE_EVENT_REMAP       (1 << 2)
#define UFFD_FEATURE_EVENT_REMOVE      (1 << 3)
#define UFFD_FEATURE_EVENT_UNMAP       (1 << 6)
#define UFFD_FEATURE_SIGBUS            (1 << 7)
#define UFFD_FEATURE_THREAD_ID         (1 << 8)
#define UFFD_FEATURE_WP_HUGETLBFS_SHMEM (1 << 12)   /* WP also on shmem: shared anonymous memory */
/* Internal (Linux's too): set in ctx->features once UFFDIO_API succeeded. */
#define UFFD_FEATURE_INITIALIZED       (1U << 31)
/*
 * UFFD_API_FEATURES - what this kernel implements, and so reports. Like
 * Linux, WP_HUGETLBFS_SHMEM only says what works (a program tests the bit
 * before it registers shmem for WP); it need not be asked for.
 */
#define UFFD_API_FEATURES (UFFD_FEATURE_PAGEFAULT_FLAG_WP | UFFD_FEATURE_EVENT_FORK | \
			   UFFD_FEATURE_SIGBUS | UFFD_FEATURE_THREAD_ID | \
			   UFFD_FEATURE_WP_HUGETLBFS_SHMEM)

/* Modes. */
#define UFFDIO_REGISTER_MODE_MISSING   (1 << 0)
#define UFFDIO_REGISTER_MODE_WP        (1 << 1)
#define UFFDIO_REGISTER_MODE_MINOR     (1 << 2)   /* not for anonymous memory: -EINVAL */
#define UFFDIO_COPY_MODE_DONTWAKE      (1 << 0)
#define UFFDIO_COPY_MODE_WP            (1 << 1)
#define UFFDIO_ZEROPAGE_MODE_DONTWAKE  (1 << 0)
#define UFFDIO_WRITEPROTECT_MODE_WP       (1 << 0)
#define UFFDIO_WRITEPROTECT_MODE_DONTWAKE (1 << 1)

/* Messages (struct uffd_msg.event) and page-fault flags. */
#define UFFD_EVENT_PAGEFAULT 0x12
#define UFFD_EVENT_FORK      0x13
#define UFFD_EVENT_REMAP     0x14
#define UFFD_EVENT_REMOVE    0x15
#define UFFD_EVENT_UNMAP     0x16
#define UFFD_PAGEFAULT_FLAG_WRITE (1 << 0)
#define UFFD_PAGEFAULT_FLAG_WP    (1 << 1)

/*
 * struct uffd_msg - what read() returns, 32 bytes, unused bytes zero:
 *
 *   0      1      2       4        8               16              24     28   32
 *   +------+------+-------+--------+---------------+---------------+------+----+
 *   |event | res1 | res2  |  res3  | pagefault.flags| .address     | ptid | -- |
 *   +------+------+-------+--------+---------------+---------------+------+----+
 *                                  | fork.ufd (u32)|
 */
struct uffd_msg {
	u8 event;
	u8 reserved1;
	u16 reserved2;
	u32 reserved3;
	union {
		struct {
			u64 flags;        /* UFFD_PAGEFAULT_FLAG_* */
			u64 address;      /* page-aligned */
			union { u32 ptid; } feat;   /* the faulting thread (THREAD_ID) */
		} pagefault;
		struct { u32 ufd; } fork;
		struct { u64 reserved1, reserved2, reserved3; } reserved;
	} arg;
} __packed;

struct uffdio_range { u64 start, len; };
struct uffdio_api { u64 api, features, ioctls; };
struct uffdio_register { struct uffdio_range range; u64 mode; u64 ioctls; };
struct uffdio_copy { u64 dst, src, len, mode; s64 copy; };
struct uffdio_zeropage { struct uffdio_range range; u64 mode; s64 zeropage; };
struct uffdio_writeprotect { struct uffdio_range range; u64 mode; };

_Static_assert(sizeof(struct uffd_msg) == 32, "uffd_msg is 32 bytes");
_Static_assert(sizeof(struct uffdio_copy) == 40, "uffdio_copy is 40 bytes");

/* ---- the context ---- */

#define __VM_UFFD_FLAGS (VM_UFFD_MISSING | VM_UFFD_WP)

/*
 * struct userfaultfd_ctx - one userfaultfd (Linux fs/userfaultfd.c). Made
 * by userfaultfd(2) (or by fork with EVENT_FORK), owned by its file; VMAs
 * point at it (vma->vm_userfaultfd_ctx, under mmap_lock) without holding
 * a reference: release unregisters them all before the ctx can go.
 *
 * Locking order: mm->mmap_lock -> mm->page_table_lock ->
 *   fault_pending_wqh.lock / event_wqh.lock / fd_wqh.lock (leaves; never
 *   two of them at once, never a sleep under one).
 */
struct userfaultfd_ctx {
	int refcount;                   /* atomic: the file, each fault waiting in
	                                 * handle_userfault, a fork in progress */
	/* -- fixed at creation -- */
	unsigned int flags;             /* userfaultfd(2)'s: UFFD_USER_MODE_ONLY, and
	                                 * O_CLOEXEC|O_NONBLOCK for a fork's new fd */
	struct mm_struct *mm;           /* the registering mm, mmgrab()ed: the struct
	                                 * stays, its pages may be gone (mm_users 0) */
	/* -- set once by UFFDIO_API, atomically (then read without a lock) -- */
	unsigned int features;          /* UFFD_FEATURE_* asked for, and
	                                 * UFFD_FEATURE_INITIALIZED: API done */

	/*
	 * -- fault_pending_wqh.lock (guards BOTH lists): struct
	 *    userfaultfd_wait_queue entries, one per task sleeping in
	 *    handle_userfault --
	 */
	wait_queue_head_t fault_pending_wqh;  /* faults not read yet, oldest first */
	wait_queue_head_t fault_wqh;          /* faults read, waiting for COPY/WAKE
	                                       * (its own .lock is unused) */
	/* -- event_wqh.lock -- */
	wait_queue_head_t event_wqh;          /* forks waiting for their FORK message */
	/* readers and pollers of the file (the wait.h pattern) */
	wait_queue_head_t fd_wqh;

	bool released;                  /* the file is gone (WRITE_ONCE / READ_ONCE) */
	int mmap_changing;              /* atomic: events pending; COPY & co. -EAGAIN */
};

/*
 * struct userfaultfd_wait_queue - one waiting fault (or fork event), on
 * the waiter's kernel stack. @wq.entry is on fault_pending_wqh, then
 * fault_wqh once read (or on event_wqh for a fork), under the lock above.
 */
struct userfaultfd_wait_queue {
	struct uffd_msg msg;
	wait_queue_entry_t wq;
	struct userfaultfd_ctx *ctx;
	bool waken;                     /* a wake-up for its range came */
};

/* ---- what the fault path asks ---- */

/* userfaultfd_missing - does @vma hand missing pages to a monitor? mmap_lock held. */
static inline bool userfaultfd_missing(const struct vm_area_struct *vma)
{
	return vma->vm_flags & VM_UFFD_MISSING;
}

/* userfaultfd_wp - is @vma registered for write protection? mmap_lock held. */
static inline bool userfaultfd_wp(const struct vm_area_struct *vma)
{
	return vma->vm_flags & VM_UFFD_WP;
}

/* userfaultfd_pte_wp - is @pte write-protected by the monitor in a WP VMA? */
static inline bool userfaultfd_pte_wp(const struct vm_area_struct *vma, pte_t pte)
{
	return userfaultfd_wp(vma) && pte_uffd_wp(pte);
}

/*
 * handle_userfault - hand the fault @vmf to the VMA's monitor and sleep
 * until it is resolved (kernel/userfaultfd.c). @reason: VM_UFFD_MISSING
 * or VM_UFFD_WP. Entry: mmap_lock held for reading, page_table_lock NOT
 * held. Returns:
 *   VM_FAULT_RETRY (| VM_FAULT_MAJOR if it slept) - mmap_lock RELEASED;
 *       the caller faults again (the page may be there now, the VMA may be
 *       unregistered, or a signal is to be delivered first)
 *   VM_FAULT_SIGBUS - mmap_lock still held: UFFD_FEATURE_SIGBUS, a
 *       kernel-mode access with UFFD_USER_MODE_ONLY, or a caller that
 *       cannot retry (no FAULT_FLAG_ALLOW_RETRY)
 */
vm_fault_t handle_userfault(struct vm_fault *vmf, unsigned long reason);

void userfaultfd_ctx_get(struct userfaultfd_ctx *ctx);
/* userfaultfd_ctx_put - drop a reference; the last frees ctx (and mmdrops its mm). */
void userfaultfd_ctx_put(struct userfaultfd_ctx *ctx);

/*
 * userfaultfd_file_create - a new context on current->mm and its file
 * (not installed in any fd table): userfaultfd(2) without the fd. @flags
 * as userfaultfd(2)'s. ERR_PTR(-EINVAL / -ENOMEM) on failure.
 */
struct file *userfaultfd_file_create(int flags);

/* ---- mm/userfaultfd.c: filling and protecting pages for the monitor ---- */

/*
 * mfill_atomic_copy / mfill_atomic_zeropage - Linux's: install pages in
 * [dst, dst+len) of @ctx->mm (page-aligned, len > 0): copies of the
 * caller's user memory at @src, or the zero page. Entry: no lock held;
 * the caller holds an mm_users reference on ctx->mm. Returns the bytes
 * done (> 0) if any page went in, else -EEXIST (a page is there already),
 * -ENOENT (not inside one registered VMA), -EINVAL (COPY_MODE_WP in a VMA
 * not registered for WP), -EFAULT (@src unreadable), -ENOMEM, -EAGAIN
 * (an event is pending), -EINTR (SIGKILL).
 */
long mfill_atomic_copy(struct userfaultfd_ctx *ctx, unsigned long dst, unsigned long src,
		       unsigned long len, bool wp);
long mfill_atomic_zeropage(struct userfaultfd_ctx *ctx, unsigned long dst, unsigned long len);
/*
 * mwriteprotect_range - UFFDIO_WRITEPROTECT: every mapped page of
 * [start, start+len) in @ctx->mm read-only with the uffd-wp bit
 * (@enable_wp) - and in shared memory every page not mapped here a
 * uffd-wp PTE marker - or all of that undone, PTEs writable again where
 * that is safe. Every VMA met must be registered for WP. 0, -ENOENT (no
 * VMA, or one not WP-registered), -EAGAIN (an event is pending), -ENOMEM
 * (no page table for a marker; the pages before it stay protected).
 * Entry: no lock; mm_users held.
 */
int mwriteprotect_range(struct userfaultfd_ctx *ctx, unsigned long start, unsigned long len,
			bool enable_wp);
/*
 * uffd_wp_range - protect (@enable) or unprotect [start, end) of @vma, as
 * above (the table per PTE is in mm/userfaultfd.c). mmap_lock held (read
 * or write), page_table_lock not. 0, or -ENOMEM (only when protecting
 * shared memory).
 */
int uffd_wp_range(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		  bool enable);

/* ---- fork (called by mm/mm_core.c dup_mmap) ---- */

/*
 * dup_userfaultfd - the child's copy @vma of a registered parent VMA:
 * without EVENT_FORK it loses the registration; with it, it moves to the
 * child's new context (one per parent context, remembered on @fcs). Both
 * mmap_locks held. 0 or -ENOMEM (then @vma is simply unregistered).
 */
int dup_userfaultfd(struct vm_area_struct *vma, struct list_head *fcs);
/*
 * dup_userfaultfd_complete - after dup_mmap dropped its locks: for each new
 * context, queue a FORK message on the parent's context and wait
 * (killable) until the monitor has read it. Frees @fcs's entries.
 */
void dup_userfaultfd_complete(struct list_head *fcs);

#endif
