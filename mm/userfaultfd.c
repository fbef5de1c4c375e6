/*
 * mm/userfaultfd.c - the pages a userfaultfd monitor puts in (Linux
 * mm/userfaultfd.c): UFFDIO_COPY and UFFDIO_ZEROPAGE fill missing pages
 * of the registering mm, UFFDIO_WRITEPROTECT protects and unprotects
 * present ones. The ioctls themselves (checks, wake-ups) are in
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
 *   mwriteprotect_range -> uffd_wp_range       the uffd-wp marker on or off
 *
 * A PTE the monitor installs looks like one a fault would have made: a
 * private anonymous page (PG_anon, mapcount 1, MM_ANONPAGES + 1), dirty,
 * writable if the VMA is - except with COPY_MODE_WP, which maps it
 * read-only with the uffd-wp marker (the first write goes to the monitor).
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
 * mfill_atomic_install_pte - Mirrors Linux mfill_atomic_install_pte():
 * map @page (a new private page, its reference becomes the PTE's) or, for
 * @page NULL, the zero page at @dst of ctx->mm. Entry: no lock held; takes
 * mmap_lock (read) and page_table_lock. 0, -EEXIST (the PTE is not none:
 * a fault or another COPY won), -ENOENT (the VMA changed meanwhile),
 * -ENOMEM (no page table). On error the caller still owns @page.
 */
static int mfill_atomic_install_pte(struct userfaultfd_ctx *ctx, unsigned long dst,
				    struct page *page, bool wp)
{
	struct mm_struct *mm = ctx->mm;
	struct vm_area_struct *vma;
	pud_t *pud;
	pmd_t *pmd;
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
	pud = mm_pud_alloc(mm, pgd_offset_pgd(mm->pgd, dst), dst);
	pmd = pud ? mm_pmd_alloc(mm, pud, dst) : NULL;
	pte = pmd ? mm_pte_alloc(mm, pmd, dst) : NULL;
	err = -ENOMEM;
	if (!pte)
		goto out_ptl;
	err = -EEXIST;
	if (!pte_none(ptep_get(pte)))
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
	set_pte(pte, entry);   /* none before: nothing to flush */
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
 * uffd_wp_range - Mirrors Linux uffd_wp_range() -> change_protection()
 * with MM_CP_UFFD_WP(_RESOLVE). Protect: each present PTE loses write and
 * gets the marker. Resolve: the marker goes; the PTE becomes writable only
 * where a write fault would have reused the page (the VMA writable, an
 * anonymous page nobody else holds: refcount 1) - a page shared with a
 * fork child stays read-only and COWs on the next write as usual.
 * Contract in mm/userfaultfd_k.h; takes page_table_lock.
 */
void uffd_wp_range(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		   bool enable)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr, changed = 0;

	spin_lock(&mm->page_table_lock);
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		pte_t *pte = page_walk(mm->pgd, addr, false);
		pte_t old, new;
		struct page *page;

		if (!pte) {  /* no PTE table: on to the next one */
			addr = pmd_addr_end(addr, end) - PAGE_SIZE;
			continue;
		}
		old = ptep_get(pte);
		if (pte_none(old) || !pte_present(old))
			continue;
		if (enable) {
			if (pte_uffd_wp(old) && !pte_write(old))
				continue;
			new = pte_mkuffd_wp(ptep_get_and_clear(pte));
		} else {
			if (!pte_uffd_wp(old))
				continue;
			new = pte_clear_uffd_wp(ptep_get_and_clear(pte));
			page = vm_normal_page(vma, addr, new);
			if ((vma->vm_flags & VM_WRITE) && page && PageAnon(page) &&
			    page_ref_count(page) == 1)
				new = pte_mkdirty(pte_mkwrite(new));
		}
		set_pte(pte, new);
		changed++;
	}
	if (changed)
		flush_tlb_range(mm, start, end);
	spin_unlock(&mm->page_table_lock);
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
		uffd_wp_range(vma, max(start, vma->vm_start), min(end, vma->vm_end), enable_wp);
		err = 0;
	}
out_unlock:
	up_read(&mm->mmap_lock);
	return err;
}
