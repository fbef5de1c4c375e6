/*
 * mm/userfaultfd.c - the pages a userfaultfd monitor puts in (Linux
 * mm/userfaultfd.c): UFFDIO_COPY and UFFDIO_ZEROPAGE fill missing pages
 * of the registering mm, UFFDIO_WRITEPROTECT protects and unprotects
 * pages. The ioctls themselves (checks, wake-ups) are in
 * kernel/userfaultfd.c; the fault side is handle_userfault().
 *
 *   mfill_atomic_copy(ctx, dst, src, len)      per page:
 *     mfill_find_dst_vma   [dst, dst+len) inside ONE VMA registered with ctx
 *     alloc_page + copy_from_user(src)         no lock held: the source may
 *                                              fault (even into a uffd range)
 *     mfill_atomic_install_pte                 mmap_lock (read) + page_table_lock:
 *                                              the VMA again, the PTE still none
 *                                              (else -EEXIST), then set it
 *   mfill_atomic_zeropage                      the same, mapping the zero page
 *   mwriteprotect_range -> uffd_wp_range       the uffd-wp bit on or off; in
 *                                              shared memory a PTE marker for
 *                                              each page not mapped here
 *
 * A PTE the monitor installs looks like one a fault would have made: a
 * private anonymous page (PG_anon, mapcount 1, MM_ANONPAGES + 1), dirty,
 * writable if the VMA is - except with COPY_MODE_WP, which maps it
 * read-only with the uffd-wp bit (the first write goes to the monitor).
 * A uffd-wp PTE marker does not stop a COPY (Linux's pte_none_mostly):
 * registered MISSING|WP, a page protected before it existed still
 * faults as missing, and the COPY that resolves that fault replaces the
 * marker (protected again only with COPY_MODE_WP).
 *
 * Unlike Linux, the source is copied before mmap_lock of the destination is
 * taken, so there is no "copy with page faults disabled, else drop the lock
 * and retry" dance: the caller's copy may fault freely.
 *
 * Locking order: mm->mmap_lock (read) -> mm->page_table_lock.
 */
#include "mm/userfaultfd_k.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "mm/internal.h"

/*
 * mfill_find_dst_vma - Mirrors Linux find_dst_vma(): the VMA holding all
 * of [dst, dst+len), registered with @ctx, or NULL. mmap_lock held.
 */
static struct vm_area_struct *mfill_find_dst_vma(struct userfaultfd_ctx *ctx, unsigned long dst,
						 unsigned long len)
{
	struct vm_area_struct *vma = find_vma(ctx->mm, dst);

	if (!vma || dst < vma->vm_start || dst + len > vma->vm_end)
		return NULL;
	if (vma->vm_userfaultfd_ctx != ctx)
		return NULL;
	return vma;
}

/*
 * mfill_check_vma - the checks of Linux mfill_atomic() before any page:
 * -ENOENT (not inside one VMA registered with ctx), -EINVAL (a shared
 * file mapping, or COPY_MODE_WP without WP registration), -EAGAIN (an
 * event is pending). *@shmem: the VMA is shared anonymous memory. Takes
 * mmap_lock itself.
 */
static int mfill_check_vma(struct userfaultfd_ctx *ctx, unsigned long dst, unsigned long len,
			   bool wp, bool *shmem)
{
	struct vm_area_struct *vma;
	int err = 0;

	down_read(&ctx->mm->mmap_lock);
	if (__atomic_load_n(&ctx->mmap_changing, __ATOMIC_ACQUIRE))
		err = -EAGAIN;
	else if (!(vma = mfill_find_dst_vma(ctx, dst, len)))
		err = -ENOENT;
	else if (vma_is_shmem_anon(vma))
		*shmem = true;
	else if (!vma_is_anonymous(vma) || (vma->vm_flags & VM_SHARED))
		err = -EINVAL;
	if (!err && wp && !userfaultfd_wp(vma))
		err = -EINVAL;
	up_read(&ctx->mm->mmap_lock);
	return err;
}

/*
 * mfill_pte_alloc - the PTE slot for @addr in @mm, allocating (and
 * counting) the tables on the way. page_table_lock held. NULL on ENOMEM.
 */
static pte_t *mfill_pte_alloc(struct mm_struct *mm, unsigned long addr)
{
	pud_t *pud = mm_pud_alloc(mm, pgd_offset_pgd(mm->pgd, addr), addr);
	pmd_t *pmd = pud ? mm_pmd_alloc(mm, pud, addr) : NULL;

	return pmd ? mm_pte_alloc(mm, pmd, addr) : NULL;
}

/*
 * mfill_atomic_install_pte - Mirrors Linux mfill_atomic_install_pte():
 * map @page (a new private page, its reference becomes the PTE's) or, for
 * @page NULL, the zero page at @dst of ctx->mm. Entry: no lock held; takes
 * mmap_lock (read) and page_table_lock. 0, -EEXIST (a page is mapped
 * there: a fault or another COPY won; a marker alone does not count),
 * -ENOENT (the VMA changed meanwhile),
 * -ENOMEM (no page table). On error the caller still owns @page.
 */
static int mfill_atomic_install_pte(struct userfaultfd_ctx *ctx, unsigned long dst,
				    struct page *page, bool wp)
{
	struct mm_struct *mm = ctx->mm;
	struct vm_area_struct *vma;
	pte_t *pte, entry;
	bool shmem;
	int err;

	down_read(&mm->mmap_lock);
	err = -ENOENT;
	vma = mfill_find_dst_vma(ctx, dst, PAGE_SIZE);
	if (!vma)
		goto out_unlock;
	shmem = vma_is_shmem_anon(vma);
	if (!shmem && (!vma_is_anonymous(vma) || (vma->vm_flags & VM_SHARED)))
		goto out_unlock;
	if (wp && !userfaultfd_wp(vma))
		goto out_unlock;

	spin_lock(&mm->page_table_lock);
	pte = mfill_pte_alloc(mm, dst);
	err = -ENOMEM;
	if (!pte)
		goto out_ptl;
	err = -EEXIST;
	if (!pte_none_mostly(ptep_get(pte)))
		goto out_ptl;
	if (shmem) {
		/*
		 * Shared anonymous memory (Linux's shmem_mfill_atomic_pte): the
		 * page goes into the shared object first - -EEXIST if another
		 * process sharing it got one there already - then is mapped as
		 * the object's "file" page, writable since the mapping is shared.
		 */
		err = shmem_anon_add_page(vma, vma->vm_pgoff + ((dst - vma->vm_start) >> PAGE_SHIFT),
					  page);
		if (err)
			goto out_ptl;
		entry = pte_mkdirty(pfn_pte(page_to_pfn(page), vma->vm_page_prot));
		if (vma->vm_flags & VM_WRITE)
			entry = pte_mkwrite(entry);
		mm->rss[mm_counter(page)]++;   /* MM_SHMEMPAGES */
		page_add_file_rmap(page);
	} else if (page) {
		entry = pte_mkdirty(pfn_pte(page_to_pfn(page), vma->vm_page_prot));
		if ((vma->vm_flags & VM_WRITE) && !wp)
			entry = pte_mkwrite(entry);
		vma->has_anon_pages = true;   /* anon_vma_prepare() */
		mm->rss[MM_ANONPAGES]++;
		page_add_new_anon_rmap(page, vma, dst);
	} else {
		entry = pte_wrprotect(pfn_pte(page_to_pfn(zero_page), vma->vm_page_prot));
	}
	if (wp)
		entry = pte_mkuffd_wp(entry);
	set_pte(pte, entry);   /* not present before: nothing to flush */
	err = 0;
out_ptl:
	spin_unlock(&mm->page_table_lock);
out_unlock:
	up_read(&mm->mmap_lock);
	return err;
}

/*
 * mfill_atomic - Mirrors Linux mfill_atomic(): page by page until done or
 * an error; the bytes done if any, else the error (contract in
 * mm/userfaultfd_k.h). @src 0 with @zeropage: the zero page.
 */
static long mfill_atomic(struct userfaultfd_ctx *ctx, unsigned long dst, unsigned long src,
			 unsigned long len, bool zeropage, bool wp)
{
	unsigned long done = 0;
	struct page *page = NULL;
	bool shmem = false;
	long err;

	err = mfill_check_vma(ctx, dst, len, wp, &shmem);
	while (!err && done < len) {
		if (zeropage && shmem) {
			/* shared memory has no zero page to map: a zeroed page of its own */
			page = alloc_page(GFP_KERNEL | __GFP_ZERO);
			if (!page) {
				err = -ENOMEM;
				break;
			}
		} else if (!zeropage) {
			page = alloc_page(GFP_KERNEL);
			if (!page) {
				err = -ENOMEM;
				break;
			}
			if (copy_from_user(page_address(page), (const void __user *)(src + done),
					   PAGE_SIZE)) {
				put_page(page);
				err = -EFAULT;
				break;
			}
		}
		err = mfill_atomic_install_pte(ctx, dst + done, page, wp);
		if (err) {
			if (page)
				put_page(page);
			break;
		}
		done += PAGE_SIZE;
		if (fatal_signal_pending(current))
			err = -EINTR;
		cond_resched();
	}
	return done ? (long)done : err;
}

long mfill_atomic_copy(struct userfaultfd_ctx *ctx, unsigned long dst, unsigned long src,
		       unsigned long len, bool wp)
{
	return mfill_atomic(ctx, dst, src, len, false, wp);
}

long mfill_atomic_zeropage(struct userfaultfd_ctx *ctx, unsigned long dst, unsigned long len)
{
	return mfill_atomic(ctx, dst, 0, len, true, false);
}

/*
 * userfaultfd_wp_use_markers - Mirrors Linux's: does protecting @vma need
 * PTE markers for the pages it has not mapped? Shared memory does: the
 * page may exist already (mapped by another process) or come later, and
 * a write to it must still go to the monitor. Private anonymous memory
 * does not: a page missing there is a new zeroed page nobody has seen.
 */
static bool userfaultfd_wp_use_markers(struct vm_area_struct *vma)
{
	return vma_is_shmem_anon(vma);
}

/*
 * can_change_pte_writable - Mirrors Linux can_change_pte_writable(): may
 * the just-unprotected @pte become writable at once, without a write
 * fault? Only in a writable VMA; in a shared one if the PTE is dirty (the
 * page was written through it: nothing to note on the next write, as in
 * wp_page_shared), in a private one if it maps an anonymous page nobody
 * else holds (refcount 1: wp_page_reuse). A page shared with a fork child
 * stays read-only and COWs on the next write as usual.
 */
static bool can_change_pte_writable(struct vm_area_struct *vma, unsigned long addr, pte_t pte)
{
	struct page *page;

	if (!(vma->vm_flags & VM_WRITE) || !pte_present(pte))
		return false;
	if (vma->vm_flags & VM_SHARED)
		return pte_dirty(pte);
	page = vm_normal_page(vma, addr, pte);
	return page && PageAnon(page) && page_ref_count(page) == 1;
}

/*
 * uffd_wp_range - Mirrors Linux uffd_wp_range() -> change_protection()
 * with MM_CP_UFFD_WP(_RESOLVE). Contract in mm/userfaultfd_k.h. Per PTE:
 *
 *   PTE                   protect (@enable)            resolve
 *   --------------------  ---------------------------  ------------------------
 *   present / PROT_NONE   read-only + uffd-wp bit      bit cleared; writable if
 *                                                      can_change_pte_writable
 *   none                  shared memory: a uffd-wp     -
 *                         marker (tables allocated);
 *                         private: -
 *   uffd-wp marker        -                            cleared (none again)
 *
 * Takes page_table_lock; flushes the TLB if a present PTE changed.
 */
int uffd_wp_range(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		  bool enable)
{
	struct mm_struct *mm = vma->vm_mm;
	bool use_markers = enable && userfaultfd_wp_use_markers(vma);
	unsigned long addr, changed = 0;
	int err = 0;

	spin_lock(&mm->page_table_lock);
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		pte_t *pte = use_markers ? mfill_pte_alloc(mm, addr) : page_walk(mm->pgd, addr, false);
		pte_t old, new;

		if (!pte && use_markers) {
			err = -ENOMEM;   /* what is done stays done, as in Linux */
			break;
		}
		if (!pte) {  /* no PTE table: on to the next one */
			addr = pmd_addr_end(addr, end) - PAGE_SIZE;
			continue;
		}
		old = ptep_get(pte);
		if (pte_none(old)) {
			if (!use_markers)
				continue;
			set_pte(pte, make_pte_marker(PTE_MARKER_UFFD_WP));
			continue;   /* not present: nothing to flush */
		}
		if (is_pte_marker(old)) {
			if (!enable)
				pte_clear(pte);
			continue;
		}
		if (enable) {
			if (pte_uffd_wp(old) && !pte_write(old))
				continue;
			new = pte_mkuffd_wp(ptep_get_and_clear(pte));
		} else {
			if (!pte_uffd_wp(old))
				continue;
			new = pte_clear_uffd_wp(ptep_get_and_clear(pte));
			if (can_change_pte_writable(vma, addr, new))
				new = pte_mkdirty(pte_mkwrite(new));
		}
		set_pte(pte, new);
		changed++;
	}
	if (changed)
		flush_tlb_range(mm, start, end);
	spin_unlock(&mm->page_table_lock);
	return err;
}

/*
 * mwriteprotect_range - Mirrors Linux mwriteprotect_range(). Contract in
 * mm/userfaultfd_k.h. Holes between VMAs are skipped; the range must meet
 * at least one VMA, and every VMA it meets must be WP-registered with ctx.
 */
int mwriteprotect_range(struct userfaultfd_ctx *ctx, unsigned long start, unsigned long len,
			bool enable_wp)
{
	struct mm_struct *mm = ctx->mm;
	unsigned long end = start + len;
	struct vm_area_struct *vma;
	int err;

	down_read(&mm->mmap_lock);
	err = -EAGAIN;
	if (__atomic_load_n(&ctx->mmap_changing, __ATOMIC_ACQUIRE))
		goto out_unlock;
	err = -ENOENT;
	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(vma)) {
		if (!userfaultfd_wp(vma) || vma->vm_userfaultfd_ctx != ctx) {
			err = -ENOENT;
			break;
		}
		err = uffd_wp_range(vma, max(start, vma->vm_start), min(end, vma->vm_end), enable_wp);
		if (err)
			break;
	}
out_unlock:
	up_read(&mm->mmap_lock);
	return err;
}
