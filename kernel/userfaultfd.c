/*
 * kernel/userfaultfd.c - userfaultfd: page faults handed to user space
 * (Linux fs/userfaultfd.c). A process registers a range of its memory
 * with a userfaultfd; a fault there is not resolved by the kernel but
 * queued as a message for a monitor (another thread or process), while
 * the faulting task sleeps. The monitor reads the message and resolves
 * the fault with an ioctl. The page-installing half is mm/userfaultfd.c.
 *
 * The life of one fault (MISSING mode):
 *
 *   faulting task                              monitor
 *   -------------                              -------
 *   #PF -> do_user_addr_fault
 *     mmap_lock (read)
 *     handle_mm_fault -> do_anonymous_page
 *       PTE none, VMA registered MISSING
 *       handle_userfault(vmf, VM_UFFD_MISSING)
 *         uwq.msg = PAGEFAULT at the page
 *         queue uwq on fault_pending_wqh,
 *           state = (TASK_INTERRUPTIBLE)   <- BEFORE the PTE re-check: a COPY
 *         PTE still none? yes                 after the check finds us queued
 *         drop mmap_lock
 *         wake_up(fd_wqh) ------------------> poll()/read() wake up
 *         schedule()  . . . . . . . . . . .   read(): takes the OLDEST pending
 *                     .                         message, moves uwq to fault_wqh
 *                     .                         ("reported": never read twice)
 *                     .                       ioctl(UFFDIO_COPY, page):
 *                     .                         mfill_atomic_copy: new page,
 *                     .                         copied from the monitor,
 *                     .                         PTE set under page_table_lock
 *                     .                         __wake_userfault(range):
 *         <-------------------------------------- off the list, waken, task woken
 *         TASK_RUNNING, off any list
 *         return VM_FAULT_RETRY | MAJOR
 *     RETRY: mmap_lock again, FAULT_FLAG_TRIED
 *     handle_mm_fault: PTE present -> done (counted as a major fault)
 *   the access is restarted and succeeds
 *
 * A pending signal ends the sleep of a user-mode fault (TASK_INTERRUPTIBLE):
 * the fault returns RETRY, do_user_addr_fault sees the signal and goes back
 * to user mode, the handler runs, and the access faults again. A
 * kernel-mode fault (copy_to_user) sleeps TASK_KILLABLE: only SIGKILL ends
 * it, and then the copy fails (-EFAULT through the exception table).
 *
 * Release (the last fput of the file, e.g. the monitor exiting): the
 * context is marked released, every VMA registered with it is unregistered
 * (under mmap_lock for writing), and every waiter is woken; each retries
 * and faults normally. UFFDIO_UNREGISTER wakes the waiters of its range.
 *
 * Locking order: mm->mmap_lock -> mm->page_table_lock ->
 *   ctx->fault_pending_wqh.lock | ctx->event_wqh.lock | ctx->fd_wqh.lock
 * (the three ctx locks are leaves: never two at once, nothing sleeps under
 * them; fault_pending_wqh.lock guards both fault lists).
 *
 * The ioctls are in kernel/userfaultfd_ioctl.c.
 *
 * Leaves out: MINOR mode, hugetlbfs, the non-cooperative events but
 * FORK (REMAP, REMOVE, UNMAP), UFFDIO_CONTINUE/MOVE/POISON, exact
 * addresses, async WP, and the unprivileged_userfaultfd sysctl.
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


static const struct file_operations userfaultfd_fops;

/* ---- the context ---- */

void userfaultfd_ctx_get(struct userfaultfd_ctx *ctx)
{
	__atomic_add_fetch(&ctx->refcount, 1, __ATOMIC_RELAXED);
}

void userfaultfd_ctx_put(struct userfaultfd_ctx *ctx)
{
	if (__atomic_sub_fetch(&ctx->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	WARN_ON(!list_empty(&ctx->fault_pending_wqh.head));
	WARN_ON(!list_empty(&ctx->fault_wqh.head));
	WARN_ON(!list_empty(&ctx->event_wqh.head));
	WARN_ON(!list_empty(&ctx->fd_wqh.head));
	mmdrop(ctx->mm);
	kfree(ctx);
}

/* userfaultfd_ctx_alloc - a new context on @mm (mmgrab()ed), refcount 1. NULL on ENOMEM. */
static struct userfaultfd_ctx *userfaultfd_ctx_alloc(struct mm_struct *mm, unsigned int flags)
{
	struct userfaultfd_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return NULL;
	ctx->refcount = 1;
	ctx->flags = flags;
	ctx->mm = mm;
	init_waitqueue_head(&ctx->fault_pending_wqh);
	init_waitqueue_head(&ctx->fault_wqh);
	init_waitqueue_head(&ctx->event_wqh);
	init_waitqueue_head(&ctx->fd_wqh);
	mmgrab(mm);
	return ctx;
}

bool userfaultfd_is_initialized(struct userfaultfd_ctx *ctx)
{
	return __atomic_load_n(&ctx->features, __ATOMIC_ACQUIRE) & UFFD_FEATURE_INITIALIZED;
}

/*
 * __wake_userfault - wake every fault waiting in [start, start+len) (all
 * of them for @len 0), read or not: each is taken off its list and marked
 * waken, so that it cannot be read afterwards. fault_pending_wqh.lock held.
 */
void __wake_userfault(struct userfaultfd_ctx *ctx, unsigned long start, unsigned long len)
{
	wait_queue_head_t *heads[2] = { &ctx->fault_pending_wqh, &ctx->fault_wqh };
	struct userfaultfd_wait_queue *uwq, *tmp;

	for (int i = 0; i < 2; i++) {
		list_for_each_entry_safe(uwq, tmp, &heads[i]->head, wq.entry) {
			unsigned long address = uwq->msg.arg.pagefault.address;

			if (len && (address < start || address - start >= len))
				continue;
			WRITE_ONCE(uwq->waken, true);
			list_del_init(&uwq->wq.entry);
			wake_up_state(uwq->wq.task, TASK_NORMAL);
		}
	}
}

/* wake_userfault - __wake_userfault taking the lock (skips it if nobody waits). */
void wake_userfault(struct userfaultfd_ctx *ctx, unsigned long start, unsigned long len)
{
	unsigned long flags;

	spin_lock_irqsave(&ctx->fault_pending_wqh.lock, flags);
	__wake_userfault(ctx, start, len);
	spin_unlock_irqrestore(&ctx->fault_pending_wqh.lock, flags);
}

/* ---- the faulting side ---- */

/*
 * userfault_msg - Mirrors Linux userfault_msg(): the PAGEFAULT message for
 * a fault at @address (made page-aligned), WRITE for a write, WP for a
 * write-protect fault, the thread id with UFFD_FEATURE_THREAD_ID.
 */
static struct uffd_msg userfault_msg(unsigned long address, unsigned int flags,
				     unsigned long reason, unsigned int features)
{
	struct uffd_msg msg;

	memset(&msg, 0, sizeof(msg));
	msg.event = UFFD_EVENT_PAGEFAULT;
	msg.arg.pagefault.address = address & PAGE_MASK;
	if (flags & FAULT_FLAG_WRITE)
		msg.arg.pagefault.flags |= UFFD_PAGEFAULT_FLAG_WRITE;
	if (reason & VM_UFFD_WP)
		msg.arg.pagefault.flags |= UFFD_PAGEFAULT_FLAG_WP;
	if (features & UFFD_FEATURE_THREAD_ID)
		msg.arg.pagefault.feat.ptid = current->pid;
	return msg;
}

/*
 * userfaultfd_must_wait - Mirrors Linux userfaultfd_must_wait(): is the
 * fault still unresolved - no page mapped (none, or only a uffd-wp
 * marker: pte_none_mostly), or still write-protected for a WP fault? The
 * PTE is read without page_table_lock, which is enough: mmap_lock (held)
 * keeps the page table itself in place, and a resolver that changes the
 * PTE after this look wakes us (we are queued).
 */
static bool userfaultfd_must_wait(struct vm_fault *vmf, unsigned long reason)
{
	pte_t pte = ptep_get(vmf->pte);

	if (pte_none_mostly(pte))
		return true;
	if ((reason & VM_UFFD_WP) && pte_uffd_wp(pte))
		return true;
	return false;
}

/*
 * handle_userfault - Mirrors Linux handle_userfault() (5.7+: after a wake
 * the fault just retries); leaves out hugetlb, MINOR and the RETRY_NOWAIT
 * flag. Contract in mm/userfaultfd_k.h. Drawn at the top of this file.
 */
vm_fault_t handle_userfault(struct vm_fault *vmf, unsigned long reason)
{
	struct mm_struct *mm = vmf->vma->vm_mm;
	struct userfaultfd_ctx *ctx = vmf->vma->vm_userfaultfd_ctx;
	struct userfaultfd_wait_queue uwq;
	vm_fault_t ret = VM_FAULT_SIGBUS;
	unsigned long flags;
	bool must_wait;
	long state;

	if (!ctx)
		return ret;
	BUG_ON(ctx->mm != mm);
	if (READ_ONCE(ctx->features) & UFFD_FEATURE_SIGBUS)
		return ret;
	/* UFFD_USER_MODE_ONLY: a kernel access (copy_from_user) fails instead. */
	if (!(vmf->flags & FAULT_FLAG_USER) && (ctx->flags & UFFD_USER_MODE_ONLY))
		return ret;
	/* A caller that cannot take RETRY (mm_populate, say) cannot wait either. */
	if (!(vmf->flags & FAULT_FLAG_ALLOW_RETRY))
		return ret;

	if (READ_ONCE(ctx->released)) {
		/*
		 * userfaultfd_release() is unregistering this VMA and needs
		 * mmap_lock for writing: let go of it, let that task run
		 * (readers do not queue behind a writer here), and retry -
		 * the fault then finds the VMA unregistered.
		 */
		up_read(&mm->mmap_lock);
		schedule();   /* TASK_RUNNING: a yield */
		return VM_FAULT_RETRY;
	}

	userfaultfd_ctx_get(ctx);   /* the ctx outlives mmap_lock while we wait */
	uwq.msg = userfault_msg(vmf->real_address, vmf->flags, reason, ctx->features);
	uwq.wq.task = current;
	INIT_LIST_HEAD(&uwq.wq.entry);
	uwq.ctx = ctx;
	uwq.waken = false;
	/*
	 * A user-mode fault wakes for any signal (it returns to user mode
	 * to run the handler, then faults again); a kernel-mode one only for
	 * SIGKILL - looping on a pending signal in the kernel would spin.
	 */
	if ((vmf->flags & FAULT_FLAG_USER) && (vmf->flags & FAULT_FLAG_INTERRUPTIBLE))
		state = TASK_INTERRUPTIBLE;
	else
		state = TASK_KILLABLE;

	spin_lock_irqsave(&ctx->fault_pending_wqh.lock, flags);
	list_add_tail(&uwq.wq.entry, &ctx->fault_pending_wqh.head);
	current->state = state;   /* under the lock: a waker sees us asleep */
	spin_unlock_irqrestore(&ctx->fault_pending_wqh.lock, flags);

	/* Queued first, checked second: no lost wake-up against a COPY. */
	must_wait = userfaultfd_must_wait(vmf, reason);
	up_read(&mm->mmap_lock);

	ret = VM_FAULT_RETRY;
	if (must_wait && !READ_ONCE(ctx->released)) {
		wake_up(&ctx->fd_wqh);   /* readers and pollers: a message */
		for (;;) {
			schedule();
			if (state == TASK_INTERRUPTIBLE ? signal_pending(current)
							: fatal_signal_pending(current))
				break;
			/*
			 * Not a signal we may stop for (a blocked one also wakes
			 * interruptible sleepers): sleep on, unless a waker took
			 * us off the list meanwhile (woken, or released).
			 */
			spin_lock_irqsave(&ctx->fault_pending_wqh.lock, flags);
			if (list_empty(&uwq.wq.entry)) {
				spin_unlock_irqrestore(&ctx->fault_pending_wqh.lock, flags);
				break;
			}
			current->state = state;
			spin_unlock_irqrestore(&ctx->fault_pending_wqh.lock, flags);
		}
		ret |= VM_FAULT_MAJOR;
	}
	current->state = TASK_RUNNING;

	/* Woken by a signal, or never slept: still queued - leave. */
	if (!list_empty(&uwq.wq.entry)) {
		spin_lock_irqsave(&ctx->fault_pending_wqh.lock, flags);
		list_del_init(&uwq.wq.entry);
		spin_unlock_irqrestore(&ctx->fault_pending_wqh.lock, flags);
	}
	userfaultfd_ctx_put(ctx);
	return ret;
}

/* ---- the monitor's side: read and poll ---- */

/*
 * userfaultfd_ctx_read_one - one message into *@msg: the oldest pending
 * fault (which becomes "reported": moved to fault_wqh), else a fork
 * event. Returns 0, or -EAGAIN if there is nothing; *@fork_ev is set for a
 * FORK event (it stays queued until userfaultfd_resolve_fork). Takes the
 * ctx locks itself.
 */
static int userfaultfd_ctx_read_one(struct userfaultfd_ctx *ctx, struct uffd_msg *msg,
				    struct userfaultfd_wait_queue **fork_ev)
{
	struct userfaultfd_wait_queue *uwq;
	unsigned long flags;

	*fork_ev = NULL;
	spin_lock_irqsave(&ctx->fault_pending_wqh.lock, flags);
	if (!list_empty(&ctx->fault_pending_wqh.head)) {
		uwq = list_first_entry(&ctx->fault_pending_wqh.head,
				       struct userfaultfd_wait_queue, wq.entry);
		list_del(&uwq->wq.entry);
		list_add_tail(&uwq->wq.entry, &ctx->fault_wqh.head);
		*msg = uwq->msg;
		spin_unlock_irqrestore(&ctx->fault_pending_wqh.lock, flags);
		return 0;
	}
	spin_unlock_irqrestore(&ctx->fault_pending_wqh.lock, flags);

	spin_lock_irqsave(&ctx->event_wqh.lock, flags);
	list_for_each_entry(uwq, &ctx->event_wqh.head, wq.entry) {
		if (uwq->msg.event == UFFD_EVENT_FORK && !uwq->waken) {
			uwq->waken = true;   /* being read: no second reader takes it */
			*msg = uwq->msg;
			*fork_ev = uwq;
			spin_unlock_irqrestore(&ctx->event_wqh.lock, flags);
			return 0;
		}
	}
	spin_unlock_irqrestore(&ctx->event_wqh.lock, flags);
	return -EAGAIN;
}

static bool userfaultfd_has_message(struct userfaultfd_ctx *ctx)
{
	struct userfaultfd_wait_queue *uwq;
	unsigned long flags;
	bool ret;

	if (!list_empty(&ctx->fault_pending_wqh.head))
		return true;
	ret = false;
	spin_lock_irqsave(&ctx->event_wqh.lock, flags);
	list_for_each_entry(uwq, &ctx->event_wqh.head, wq.entry)
		if (!uwq->waken)
			ret = true;
	spin_unlock_irqrestore(&ctx->event_wqh.lock, flags);
	return ret;
}

static int userfaultfd_resolve_fork(struct userfaultfd_ctx *ctx, struct uffd_msg *msg,
				    struct userfaultfd_wait_queue *ev);

/*
 * userfaultfd_read - read_iter: whole 32-byte messages, as many as fit and
 * are there; blocks (interruptibly) only for the first. Returns the bytes
 * read, -EINVAL (before UFFDIO_API, or a buffer < 32 bytes), -EAGAIN
 * (O_NONBLOCK, nothing queued), -ERESTARTSYS (a signal), -EFAULT, or an
 * error making a FORK event's new fd (-EMFILE, -ENOMEM).
 */
static ssize_t userfaultfd_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	struct userfaultfd_ctx *ctx = f->private_data;
	struct userfaultfd_wait_queue *fork_ev;
	ssize_t done = 0;
	struct uffd_msg msg;
	int err;

	(void)pos;
	if (!userfaultfd_is_initialized(ctx))
		return -EINVAL;
	if (to->count < sizeof(msg))
		return -EINVAL;
	while (to->count >= sizeof(msg)) {
		err = userfaultfd_ctx_read_one(ctx, &msg, &fork_ev);
		if (err == -EAGAIN) {
			if (done)
				break;
			if (READ_ONCE(f->f_flags) & O_NONBLOCK)
				return -EAGAIN;
			err = wait_event_interruptible(ctx->fd_wqh, userfaultfd_has_message(ctx));
			if (err)
				return err;
			continue;
		}
		if (fork_ev) {
			err = userfaultfd_resolve_fork(ctx, &msg, fork_ev);
			if (err)
				return done ? done : err;
		}
		/*
		 * A fault message is reported even if the copy fails: as in
		 * Linux, it is not put back (the fault retries and comes again
		 * only once woken).
		 */
		if (copy_to_iter(&msg, sizeof(msg), to) != sizeof(msg))
			return done ? done : -EFAULT;
		done += sizeof(msg);
	}
	return done;
}

/*
 * userfaultfd_poll - Mirrors Linux userfaultfd_poll(): POLLERR before
 * UFFDIO_API and - a documented quirk - on a blocking fd (poll cannot
 * promise read won't block: a fault may be woken before it is read);
 * POLLHUP once released or when the registering mm has exited (nothing
 * will ever come); else POLLIN when a message waits. Lockless but for
 * event_wqh.lock; never sleeps.
 */
static unsigned int userfaultfd_poll(struct file *f, struct poll_table_struct *pt)
{
	struct userfaultfd_ctx *ctx = f->private_data;

	poll_wait(f, &ctx->fd_wqh, pt);
	if (!userfaultfd_is_initialized(ctx))
		return POLLERR;
	if (!(READ_ONCE(f->f_flags) & O_NONBLOCK))
		return POLLERR;
	if (READ_ONCE(ctx->released) || READ_ONCE(ctx->mm->mm_users) == 0)
		return POLLHUP;
	if (userfaultfd_has_message(ctx))
		return POLLIN | POLLRDNORM;
	return 0;
}

/*
 * userfaultfd_release - Mirrors Linux userfaultfd_release(): the last
 * reference to the file is gone (close, or the monitor's exit). Mark the
 * ctx released (new faults no longer wait), unregister every VMA of its
 * mm that uses it - if the mm still has users - then wake every waiting
 * fault and fork, and the pollers. Sleeps (mmap_lock).
 */
static void userfaultfd_release(struct inode *inode, struct file *f)
{
	struct userfaultfd_ctx *ctx = f->private_data;
	struct mm_struct *mm = ctx->mm;
	struct vm_area_struct *vma;
	unsigned long flags;

	(void)inode;
	WRITE_ONCE(ctx->released, true);
	if (mmget_not_zero(mm)) {
		down_write(&mm->mmap_lock);
		for (vma = list_empty(&mm->mmap) ? NULL :
			   list_first_entry(&mm->mmap, struct vm_area_struct, vm_list);
		     vma; vma = vma_next(vma)) {
			if (vma->vm_userfaultfd_ctx != ctx)
				continue;
			vma = userfaultfd_clear_vma(mm, vma, vma->vm_start, vma->vm_end);
		}
		up_write(&mm->mmap_lock);
		mmput(mm);
	}
	spin_lock_irqsave(&ctx->fault_pending_wqh.lock, flags);
	__wake_userfault(ctx, 0, 0);
	spin_unlock_irqrestore(&ctx->fault_pending_wqh.lock, flags);
	wake_up(&ctx->event_wqh);
	wake_up(&ctx->fd_wqh);
	userfaultfd_ctx_put(ctx);
}

static const struct file_operations userfaultfd_fops = {
	.read_iter = userfaultfd_read,
	.poll = userfaultfd_poll,
	.ioctl = userfaultfd_ioctl,
	.release = userfaultfd_release,
};

/* ---- creating one ---- */

/* new_userfaultfd_file - the file for @ctx (takes over one ctx reference). */
static struct file *new_userfaultfd_file(struct userfaultfd_ctx *ctx, int flags)
{
	return anon_inode_getfile("[userfaultfd]", &userfaultfd_fops, ctx,
				  O_RDONLY | (flags & UFFD_SHARED_FCNTL_FLAGS));
}

struct file *userfaultfd_file_create(int flags)
{
	struct userfaultfd_ctx *ctx;
	struct file *f;

	if (flags & ~(UFFD_SHARED_FCNTL_FLAGS | UFFD_USER_MODE_ONLY))
		return ERR_PTR(-EINVAL);
	if (!current->mm)
		return ERR_PTR(-EINVAL);
	ctx = userfaultfd_ctx_alloc(current->mm, flags);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	f = new_userfaultfd_file(ctx, flags);
	if (IS_ERR(f))
		userfaultfd_ctx_put(ctx);
	return f;
}

/*
 * userfaultfd(flags) - 323: a new userfaultfd on the caller's address
 * space. @flags: O_CLOEXEC, O_NONBLOCK, UFFD_USER_MODE_ONLY; anything
 * else -EINVAL. Returns the fd, -EMFILE, -ENOMEM.
 */
long sys_userfaultfd(SYSCALL_ARGS)
{
	int flags = (int)a0;
	struct file *f;
	int fd;

	f = userfaultfd_file_create(flags);
	if (IS_ERR(f))
		return PTR_ERR(f);
	fd = fd_install_new(f, flags & O_CLOEXEC);
	if (fd < 0)
		fput(f);
	return fd;
}

/* ---- fork (UFFD_FEATURE_EVENT_FORK) ---- */

/* One parent ctx -> the child's new ctx, for the duration of one dup_mmap. */
struct userfaultfd_fork_ctx {
	struct userfaultfd_ctx *orig;
	struct userfaultfd_ctx *new;
	struct list_head list;
};

/*
 * dup_userfaultfd - Mirrors Linux dup_userfaultfd(). Contract in
 * mm/userfaultfd_k.h. The new ctx starts with one reference (it goes to
 * the monitor's new file when the FORK message is read); the parent ctx
 * gets a reference and mmap_changing + 1 until the event is done.
 */
int dup_userfaultfd(struct vm_area_struct *vma, struct list_head *fcs)
{
	struct userfaultfd_ctx *octx = vma->vm_userfaultfd_ctx, *ctx = NULL;
	struct userfaultfd_fork_ctx *fctx;

	if (!octx || !(READ_ONCE(octx->features) & UFFD_FEATURE_EVENT_FORK) ||
	    READ_ONCE(octx->released))
		goto drop;
	list_for_each_entry(fctx, fcs, list) {
		if (fctx->orig == octx) {
			ctx = fctx->new;
			break;
		}
	}
	if (!ctx) {
		fctx = kmalloc(sizeof(*fctx), GFP_KERNEL);
		if (!fctx)
			goto drop_nomem;
		ctx = userfaultfd_ctx_alloc(vma->vm_mm, octx->flags);
		if (!ctx) {
			kfree(fctx);
			goto drop_nomem;
		}
		ctx->features = octx->features;   /* with UFFD_FEATURE_INITIALIZED */
		userfaultfd_ctx_get(octx);
		__atomic_add_fetch(&octx->mmap_changing, 1, __ATOMIC_RELEASE);
		fctx->orig = octx;
		fctx->new = ctx;
		list_add_tail(&fctx->list, fcs);
	}
	vma->vm_userfaultfd_ctx = ctx;
	return 0;
drop_nomem:
	vma->vm_userfaultfd_ctx = NULL;
	vma->vm_flags &= ~__VM_UFFD_FLAGS;
	return -ENOMEM;
drop:
	vma->vm_userfaultfd_ctx = NULL;
	vma->vm_flags &= ~__VM_UFFD_FLAGS;
	return 0;
}

/*
 * userfaultfd_resolve_fork - read() met the FORK event @ev on @ctx: make
 * the child's ctx a file, install it in the reader's fd table, put the fd
 * in @msg and complete the event (the forking task goes on). On failure
 * the event goes back to the queue for another read.
 */
static int userfaultfd_resolve_fork(struct userfaultfd_ctx *ctx, struct uffd_msg *msg,
				    struct userfaultfd_wait_queue *ev)
{
	struct userfaultfd_ctx *new = (struct userfaultfd_ctx *)(unsigned long)
				      ev->msg.arg.reserved.reserved1;
	unsigned long flags;
	struct file *f;
	int fd;

	/* The forking task waits (killably) for us; it cannot drop the event
	 * while ->waken is set without the lock, see userfaultfd_event_wait. */
	userfaultfd_ctx_get(new);   /* the file's reference */
	f = new_userfaultfd_file(new, new->flags);
	if (IS_ERR(f)) {
		userfaultfd_ctx_put(new);
		fd = PTR_ERR(f);
		goto fail;
	}
	fd = fd_install_new(f, new->flags & O_CLOEXEC);
	if (fd < 0) {
		fput(f);   /* releases new: its VMAs in the child are unregistered */
		goto fail;
	}
	memset(&msg->arg, 0, sizeof(msg->arg));
	msg->arg.fork.ufd = fd;
	spin_lock_irqsave(&ctx->event_wqh.lock, flags);
	ev->msg.event = 0;   /* done: the forking task may leave */
	list_del_init(&ev->wq.entry);
	wake_up_state(ev->wq.task, TASK_NORMAL);
	spin_unlock_irqrestore(&ctx->event_wqh.lock, flags);
	return 0;
fail:
	spin_lock_irqsave(&ctx->event_wqh.lock, flags);
	ev->waken = false;   /* let it be read again */
	spin_unlock_irqrestore(&ctx->event_wqh.lock, flags);
	return fd;
}

/*
 * userfaultfd_event_wait_completion - Mirrors Linux's: queue the event
 * @ewq on @ctx->event_wqh, wake readers, and sleep (killable) until a
 * read has completed it, the ctx is released, or SIGKILL. A FORK event
 * that is abandoned unregisters the child's VMAs from the new ctx and
 * drops it. Drops the reference and mmap_changing that dup_userfaultfd
 * took on @ctx.
 */
static void userfaultfd_event_wait_completion(struct userfaultfd_ctx *ctx,
					      struct userfaultfd_wait_queue *ewq)
{
	struct userfaultfd_ctx *new = (struct userfaultfd_ctx *)(unsigned long)
				      ewq->msg.arg.reserved.reserved1;
	bool abandoned = false;
	unsigned long flags;

	ewq->ctx = ctx;
	ewq->wq.task = current;
	ewq->waken = false;
	INIT_LIST_HEAD(&ewq->wq.entry);
	spin_lock_irqsave(&ctx->event_wqh.lock, flags);
	list_add_tail(&ewq->wq.entry, &ctx->event_wqh.head);
	for (;;) {
		current->state = TASK_KILLABLE;
		if (ewq->msg.event == 0)
			break;
		/* Not while a reader is half-way through it (->waken). */
		if (!ewq->waken && (READ_ONCE(ctx->released) || fatal_signal_pending(current))) {
			list_del_init(&ewq->wq.entry);
			abandoned = true;
			break;
		}
		spin_unlock_irqrestore(&ctx->event_wqh.lock, flags);
		wake_up(&ctx->fd_wqh);
		schedule();
		spin_lock_irqsave(&ctx->event_wqh.lock, flags);
	}
	current->state = TASK_RUNNING;
	spin_unlock_irqrestore(&ctx->event_wqh.lock, flags);

	if (abandoned) {
		struct mm_struct *mm = new->mm;
		struct vm_area_struct *vma;

		down_write(&mm->mmap_lock);
		list_for_each_entry(vma, &mm->mmap, vm_list) {
			if (vma->vm_userfaultfd_ctx == new) {
				/* the protection copied for the child goes too */
				if (userfaultfd_wp(vma))
					uffd_wp_range(vma, vma->vm_start, vma->vm_end, false);
				vma->vm_userfaultfd_ctx = NULL;
				vma->vm_flags &= ~__VM_UFFD_FLAGS;
			}
		}
		up_write(&mm->mmap_lock);
	}
	userfaultfd_ctx_put(new);   /* dup_userfaultfd's: the file (if any) has its own */
	__atomic_sub_fetch(&ctx->mmap_changing, 1, __ATOMIC_RELEASE);
	userfaultfd_ctx_put(ctx);
}

void dup_userfaultfd_complete(struct list_head *fcs)
{
	struct userfaultfd_fork_ctx *fctx, *n;

	list_for_each_entry_safe(fctx, n, fcs, list) {
		struct userfaultfd_wait_queue ewq;

		memset(&ewq.msg, 0, sizeof(ewq.msg));
		ewq.msg.event = UFFD_EVENT_FORK;
		ewq.msg.arg.reserved.reserved1 = (unsigned long)fctx->new;
		userfaultfd_event_wait_completion(fctx->orig, &ewq);
		list_del(&fctx->list);
		kfree(fctx);
	}
}
