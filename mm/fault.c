/*
 * mm/fault.c - resolving a page fault in an address space (Linux
 * mm/memory.c, the fault half). arch/x86_64/fault.c finds the VMA, checks
 * the access and calls handle_mm_fault(); from there:
 *
 *   handle_mm_fault(vma, address, flags)      counts, accounts min/maj_flt
 *     __handle_mm_fault                       walks/allocates pud, pmd, pte table
 *       handle_pte_fault(vmf)                 routes on the PTE:
 *         none                 -> do_pte_missing:
 *           anonymous VMA      -> do_anonymous_page   read: zero page; write: new page
 *           file VMA           -> do_fault
 *                                   read               -> do_read_fault   (cache page)
 *                                   write, private     -> do_cow_fault    (copy of it)
 *                                   write, shared      -> do_shared_fault (cache page, dirty)
 *         PTE marker (uffd-wp) -> handle_pte_marker   do_pte_missing as for none; the
 *                                                     new PTE keeps the protection
 *         PROT_NONE entry      -> VM_FAULT_SIGSEGV
 *         present, write to a read-only PTE -> do_wp_page
 *                                   shared VMA         -> wp_page_shared  (make writable)
 *                                   anon, refcount 1   -> wp_page_reuse   (make writable)
 *                                   otherwise          -> wp_page_copy    (new page)
 *         present otherwise    -> set young (and dirty): a spurious or A/D fault
 *
 * Every handler re-checks the PTE under mm->page_table_lock before it
 * changes anything (vmf_pte_changed / pte_same against vmf->orig_pte):
 * the PTE was read without the lock, and allocation and copying happen
 * without it.
 *
 * Return values are VM_FAULT_* bits; nothing here sends a signal.
 *
 * A VMA registered with a userfaultfd hands two kinds of fault to its
 * monitor instead (kernel/userfaultfd.c handle_userfault): a missing page
 * in do_anonymous_page or the shared memory's ->fault (VM_UFFD_MISSING),
 * a write to a page the monitor write-protected in do_wp_page
 * (VM_UFFD_WP). A page the monitor protected before this mm mapped it
 * (shared memory: a PTE marker) is mapped read-only with the uffd-wp bit
 * first; the write, retried, then reaches do_wp_page like any other.
 *
 * Locking: entry with mmap_lock held for reading. It stays held on return,
 * except with VM_FAULT_RETRY: handle_userfault released it to sleep.
 * page_table_lock is taken and released inside; do_wp_page and its
 * helpers are entered with it held.
 */
#include "arch/x86_64/page_64.h"
#include "mm/internal.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/userfaultfd_k.h"

/* maybe_mkwrite - write permission only if the VMA has it. */
static pte_t maybe_mkwrite(pte_t pte, struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_WRITE)
		pte = pte_mkwrite(pte);
	return pte;
}

static pte_t mk_pte(struct page *page, pgprot_t prot)
{
	return pfn_pte(page_to_pfn(page), prot);
}

/*
 * vmf_pte_changed - Mirrors Linux vmf_pte_changed(): is the PTE no longer
 * what handle_pte_fault read (none, or a marker)? page_table_lock held.
 */
static bool vmf_pte_changed(struct vm_fault *vmf)
{
	return !pte_same(ptep_get(vmf->pte), vmf->orig_pte);
}

/*
 * vmf_orig_pte_uffd_wp - Mirrors Linux's: the fault came through a
 * uffd-wp marker, so the PTE it makes must be write-protected and marked
 * (pte_mkuffd_wp) to keep the monitor's protection.
 */
static bool vmf_orig_pte_uffd_wp(struct vm_fault *vmf)
{
	return pte_marker_uffd_wp(vmf->orig_pte);
}

/*
 * anon_vma_prepare - the VMA is about to hold a private page. Linux
 * allocates the anon_vma (for the reverse map) here; we only note the
 * fact, which fork's vma_needs_copy() looks at.
 */
static void anon_vma_prepare(struct vm_area_struct *vma)
{
	if (!vma->has_anon_pages) {
		spin_lock(&vma->vm_mm->page_table_lock);
		vma->has_anon_pages = true;
		spin_unlock(&vma->vm_mm->page_table_lock);
	}
}

/*
 * do_anonymous_page - Mirrors Linux do_anonymous_page(); leaves out memcg
 * charging, THP and mlock. Entry: PTE none (or a uffd-wp marker) when read
 * (vmf->orig_pte), lock not held. A VMA registered for missing pages goes
 * to handle_userfault() instead, once the PTE is seen unchanged under the
 * lock.
 *   read:  map the zero page read-only - no reference, no mapcount, no rss.
 *   write: a new zeroed page, PG_anon, mapcount 1, MM_ANONPAGES + 1,
 *          mapped writable (if the VMA is) and dirty.
 * Through a uffd-wp marker either PTE is read-only with the uffd-wp bit.
 * Returns 0, or VM_FAULT_OOM with nothing changed, or handle_userfault()'s
 * result (VM_FAULT_RETRY: mmap_lock released).
 */
static vm_fault_t do_anonymous_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct page *page;
	pte_t entry;

	/* Shared anonymous memory is shmem_zero_setup()'s (it has vm_ops). */
	if (vma->vm_flags & VM_SHARED)
		return VM_FAULT_SIGBUS;

	if (!(vmf->flags & FAULT_FLAG_WRITE)) {
		entry = pte_wrprotect(pfn_pte(page_to_pfn(zero_page), vma->vm_page_prot));
		if (vmf_orig_pte_uffd_wp(vmf))
			entry = pte_mkuffd_wp(entry);
		spin_lock(&mm->page_table_lock);
		if (vmf_pte_changed(vmf))
			goto unlock;  /* someone else mapped it meanwhile */
		/*
		 * userfaultfd MISSING (read): a VMA registered for missing
		 * pages hands the fault to its monitor here, before mapping
		 * the zero page.
		 */
		if (userfaultfd_missing(vma)) {
			spin_unlock(&mm->page_table_lock);
			return handle_userfault(vmf, VM_UFFD_MISSING);
		}
		set_pte(vmf->pte, entry);
		count_vm_event(zero_page_map);
		goto unlock;
	}

	/* Allocate our own private page, outside the lock. */
	anon_vma_prepare(vma);
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return VM_FAULT_OOM;
	entry = maybe_mkwrite(pte_mkdirty(mk_pte(page, vma->vm_page_prot)), vma);
	if (vmf_orig_pte_uffd_wp(vmf))
		entry = pte_mkuffd_wp(entry);

	spin_lock(&mm->page_table_lock);
	if (vmf_pte_changed(vmf))
		goto release;
	/*
	 * userfaultfd MISSING (write): as above - the monitor supplies the
	 * page instead; ours is released first.
	 */
	if (userfaultfd_missing(vma)) {
		spin_unlock(&mm->page_table_lock);
		put_page(page);
		return handle_userfault(vmf, VM_UFFD_MISSING);
	}
	mm->rss[MM_ANONPAGES]++;
	page_add_new_anon_rmap(page, vma, vmf->address);
	set_pte(vmf->pte, entry);
unlock:
	spin_unlock(&mm->page_table_lock);
	return 0;
release:
	spin_unlock(&mm->page_table_lock);
	put_page(page);
	return 0;
}

/*
 * __do_fault - Mirrors Linux __do_fault(); leaves out page locking and
 * the preallocated PTE table. Asks the VMA's ->fault for the page at
 * vmf->pgoff; on success vmf->page holds a reference for us.
 */
static vm_fault_t __do_fault(struct vm_fault *vmf)
{
	vm_fault_t ret;

	vmf->page = NULL;
	ret = vmf->vma->vm_ops->fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		return ret;
	BUG_ON(!vmf->page);
	return ret;
}

/*
 * finish_fault - Mirrors Linux finish_fault() -> set_pte_range(); leaves
 * out fault-around and THP. Maps vmf->cow_page (a write to a private VMA)
 * or vmf->page into the PTE, which is none or a marker; the reference the
 * caller holds becomes the PTE's. Through a uffd-wp marker the PTE is
 * read-only with the uffd-wp bit, also for a write: that write faults
 * again and goes to the monitor (do_wp_page). Returns 0, or
 * VM_FAULT_NOPAGE if the PTE changed meanwhile (the caller then still
 * owns its reference).
 */
static vm_fault_t finish_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	bool cow = write && !(vma->vm_flags & VM_SHARED);
	struct page *page = cow ? vmf->cow_page : vmf->page;
	pte_t entry = mk_pte(page, vma->vm_page_prot);

	if (write)
		entry = maybe_mkwrite(pte_mkdirty(entry), vma);
	if (vmf_orig_pte_uffd_wp(vmf))
		entry = pte_mkuffd_wp(entry);

	spin_lock(&mm->page_table_lock);
	if (vmf_pte_changed(vmf)) {
		spin_unlock(&mm->page_table_lock);
		return VM_FAULT_NOPAGE;
	}
	if (cow) {
		mm->rss[MM_ANONPAGES]++;
		page_add_new_anon_rmap(page, vma, vmf->address);
	} else {
		mm->rss[mm_counter(page)]++;
		page_add_file_rmap(page);
		if (write)
			SetPageDirty(page);  /* fault_dirty_shared_page() */
	}
	set_pte(vmf->pte, entry);
	spin_unlock(&mm->page_table_lock);
	return 0;
}

/*
 * do_read_fault - Mirrors Linux do_read_fault(); leaves out fault-around.
 * Maps the page-cache page with vma->vm_page_prot: read-only in a private
 * VMA (a later write copies it), writable in a shared writable one.
 */
static vm_fault_t do_read_fault(struct vm_fault *vmf)
{
	vm_fault_t ret = __do_fault(vmf);

	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		return ret;
	ret |= finish_fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		put_page(vmf->page);
	return ret;
}

/*
 * do_cow_fault - Mirrors Linux do_cow_fault(); leaves out memcg charging.
 * The first access to a page of a private file mapping is a write (an ELF
 * data segment, say): allocate cow_page, get the cache page, copy it, map
 * the copy writable as anonymous memory and drop the cache page. The page
 * cache never sees the write.
 */
static vm_fault_t do_cow_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	vm_fault_t ret;

	anon_vma_prepare(vma);
	vmf->cow_page = alloc_page(GFP_KERNEL);
	if (!vmf->cow_page)
		return VM_FAULT_OOM;

	ret = __do_fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		goto uncharge_out;
	copy_page(page_address(vmf->cow_page), page_address(vmf->page));

	ret |= finish_fault(vmf);
	put_page(vmf->page);  /* the cache page: ->fault's reference */
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		goto uncharge_out;
	count_vm_event(cow_copy);
	return ret;
uncharge_out:
	put_page(vmf->cow_page);
	vmf->cow_page = NULL;
	return ret;
}

/*
 * do_shared_fault - Mirrors Linux do_shared_fault(); leaves out
 * ->page_mkwrite and dirty-page balancing. A write to a shared mapping:
 * map the cache page itself writable and mark it dirty. Without
 * ->page_mkwrite those are do_read_fault's steps: finish_fault sees
 * FAULT_FLAG_WRITE in a shared VMA and maps the page writable and dirty.
 */
static vm_fault_t do_shared_fault(struct vm_fault *vmf)
{
	return do_read_fault(vmf);
}

/*
 * do_fault - Mirrors Linux do_fault(); leaves out the pmd/pte
 * preallocation. A file-backed (or shared anonymous) VMA, PTE none: route
 * on read / private write / shared write. No ->fault: SIGBUS.
 */
static vm_fault_t do_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;

	if (!vma->vm_ops->fault)
		return VM_FAULT_SIGBUS;
	if (!(vmf->flags & FAULT_FLAG_WRITE))
		return do_read_fault(vmf);
	if (!(vma->vm_flags & VM_SHARED))
		return do_cow_fault(vmf);
	return do_shared_fault(vmf);
}

/*
 * wp_page_reuse - Mirrors Linux wp_page_reuse(). The faulting PTE keeps
 * its page and becomes writable, dirty and young - no copy. Entry:
 * page_table_lock held, PTE == orig_pte. Exit: lock released.
 */
static void wp_page_reuse(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	pte_t entry = pte_mkyoung(vmf->orig_pte);

	entry = maybe_mkwrite(pte_mkdirty(entry), vma);
	set_pte(vmf->pte, entry);  /* more permission: no flush needed */
	spin_unlock(&vma->vm_mm->page_table_lock);
}

/*
 * wp_page_copy - Mirrors Linux wp_page_copy(); leaves out memcg, mmu
 * notifiers and mlock. Entry: lock NOT held; vmf->page is the old page
 * with an extra reference taken by do_wp_page, or NULL for the zero page.
 *
 *   1. allocate the new page and copy (or zero) it - outside the lock
 *   2. re-take page_table_lock; if the PTE changed meanwhile, someone else
 *      resolved the fault: drop our copy and return
 *   3. clear the old PTE and flush it, then set the new one (writable,
 *      dirty): no CPU may write the old page once the new one is visible
 *   4. only then drop the old page's mapcount and the PTE's reference
 *      (the zero page has neither), and move the rss count to anon
 */
static vm_fault_t wp_page_copy(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct page *old_page = vmf->page, *new_page;
	pte_t entry;
	bool copied = false;

	anon_vma_prepare(vma);
	if (!old_page) {
		new_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	} else {
		new_page = alloc_page(GFP_KERNEL);
		if (new_page)
			copy_page(page_address(new_page), page_address(old_page));
	}
	if (!new_page)
		goto oom;

	spin_lock(&mm->page_table_lock);
	if (pte_same(ptep_get(vmf->pte), vmf->orig_pte)) {
		if (old_page)
			mm->rss[mm_counter(old_page)]--;
		mm->rss[MM_ANONPAGES]++;
		entry = maybe_mkwrite(pte_mkdirty(mk_pte(new_page, vma->vm_page_prot)), vma);
		ptep_get_and_clear(vmf->pte);       /* ptep_clear_flush() */
		flush_tlb_page(vma, vmf->address);
		page_add_new_anon_rmap(new_page, vma, vmf->address);
		set_pte(vmf->pte, entry);
		if (old_page)
			page_remove_rmap(old_page);
		new_page = old_page;  /* the put below drops the old PTE's reference */
		copied = true;
	}
	spin_unlock(&mm->page_table_lock);

	if (new_page)
		put_page(new_page);  /* our unused copy, or the old PTE's reference */
	if (old_page)
		put_page(old_page);  /* do_wp_page's reference */
	if (copied)
		count_vm_event(cow_copy);
	return 0;
oom:
	if (old_page)
		put_page(old_page);
	return VM_FAULT_OOM;
}

/*
 * wp_page_shared - Mirrors Linux wp_page_shared(); leaves out
 * ->page_mkwrite and dirty balancing. A write to a read-only PTE of a
 * shared writable mapping: the page itself becomes writable and dirty.
 * Entry: page_table_lock held. Exit: released.
 */
static vm_fault_t wp_page_shared(struct vm_fault *vmf)
{
	SetPageDirty(vmf->page);
	wp_page_reuse(vmf);
	return 0;
}

/*
 * do_wp_page - Mirrors Linux do_wp_page() (5.9+: reuse decided by the
 * reference count, which closes CVE-2020-29374); leaves out KSM, swap
 * cache, THP and page locking. A write to a present, read-only PTE.
 * Entry: page_table_lock held, PTE == vmf->orig_pte. Exit: released.
 *
 *   uffd-wp marked, WP VMA   -> handle_userfault(VM_UFFD_WP): the monitor
 *   VMA not writable         -> VM_FAULT_SIGSEGV (only a caller skipping the
 *                               access check gets here; never write anyway)
 *   zero page                -> wp_page_copy (a new zeroed page)
 *   shared writable VMA      -> wp_page_shared
 *   anonymous, refcount 1    -> wp_page_reuse: no one else can see the page
 *   anything else            -> wp_page_copy: a page-cache page in a private
 *                               VMA (never written through: Dirty COW), an
 *                               anonymous page shared with a fork child or
 *                               pinned by someone
 */
static vm_fault_t do_wp_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct page *page;

	/*
	 * userfaultfd WP: a PTE the monitor write-protected, in a VMA
	 * registered for it, goes to the monitor here, before any COW.
	 */
	if (userfaultfd_pte_wp(vma, vmf->orig_pte)) {
		spin_unlock(&vma->vm_mm->page_table_lock);
		return handle_userfault(vmf, VM_UFFD_WP);
	}
	if (!(vma->vm_flags & VM_WRITE)) {
		spin_unlock(&vma->vm_mm->page_table_lock);
		return VM_FAULT_SIGSEGV;
	}
	page = vmf->page = vm_normal_page(vma, vmf->address, vmf->orig_pte);
	if (!page) {
		spin_unlock(&vma->vm_mm->page_table_lock);
		return wp_page_copy(vmf);
	}
	if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED))
		return wp_page_shared(vmf);
	if (PageAnon(page) && page_ref_count(page) == 1) {
		wp_page_reuse(vmf);
		count_vm_event(cow_reuse);
		return 0;
	}
	get_page(page);  /* keep it while we copy without the lock */
	spin_unlock(&vma->vm_mm->page_table_lock);
	return wp_page_copy(vmf);
}

/*
 * do_pte_missing - Mirrors Linux do_pte_missing(): no page mapped here
 * (the PTE is none, or a marker): anonymous memory or the VMA's ->fault.
 */
static vm_fault_t do_pte_missing(struct vm_fault *vmf)
{
	if (vma_is_anonymous(vmf->vma))
		return do_anonymous_page(vmf);
	return do_fault(vmf);
}

/*
 * pte_marker_clear - Mirrors Linux pte_marker_clear(): drop a marker that
 * means nothing any more, if it is still there (pte_same: it may have
 * changed meanwhile), and let the access fault again. Takes
 * page_table_lock. Returns 0.
 */
static vm_fault_t pte_marker_clear(struct vm_fault *vmf)
{
	struct mm_struct *mm = vmf->vma->vm_mm;

	spin_lock(&mm->page_table_lock);
	if (pte_same(ptep_get(vmf->pte), vmf->orig_pte))
		pte_clear(vmf->pte);    /* not present before: nothing to flush */
	spin_unlock(&mm->page_table_lock);
	return 0;
}

/*
 * handle_pte_marker - Mirrors Linux handle_pte_marker() with
 * pte_marker_handle_uffd_wp(); leaves out the poison and guard markers.
 * Entry: vmf->orig_pte is a marker, lock not held. A uffd-wp marker in a
 * VMA registered for WP: the page is missing here, so fault it in as for
 * a none PTE (do_pte_missing); the PTE made keeps the protection
 * (vmf_orig_pte_uffd_wp). A marker left in a VMA no longer registered is
 * cleared (unregistering clears them already: a safety net, as in Linux).
 * Any other marker: VM_FAULT_SIGBUS.
 */
static vm_fault_t handle_pte_marker(struct vm_fault *vmf)
{
	if (WARN_ON(!pte_marker_uffd_wp(vmf->orig_pte)))
		return VM_FAULT_SIGBUS;
	if (!userfaultfd_wp(vmf->vma))
		return pte_marker_clear(vmf);
	return do_pte_missing(vmf);
}

/*
 * handle_pte_fault - Mirrors Linux handle_pte_fault(); leaves out swap,
 * NUMA and THP. Entry: vmf->pte points at the (existing) PTE slot,
 * page_table_lock not held. See the routing at the top of the file.
 */
static vm_fault_t handle_pte_fault(struct vm_fault *vmf)
{
	struct mm_struct *mm = vmf->vma->vm_mm;
	pte_t entry;

	vmf->orig_pte = ptep_get(vmf->pte);  /* without the lock: re-checked later */
	if (pte_none(vmf->orig_pte))
		return do_pte_missing(vmf);
	/* Not none, not present: a marker (Linux meets it in do_swap_page), */
	if (is_pte_marker(vmf->orig_pte))
		return handle_pte_marker(vmf);
	/* or a PROT_NONE entry (no swap here). */
	if (!pte_present(vmf->orig_pte))
		return VM_FAULT_SIGSEGV;

	spin_lock(&mm->page_table_lock);
	entry = ptep_get(vmf->pte);
	if (!pte_same(entry, vmf->orig_pte))
		goto unlock;  /* changed meanwhile: try the access again */
	if (vmf->flags & FAULT_FLAG_WRITE) {
		if (!pte_write(entry))
			return do_wp_page(vmf);
		entry = pte_mkdirty(entry);
	}
	entry = pte_mkyoung(entry);
	set_pte(vmf->pte, entry);
	/* The PTE already allowed the access: a stale TLB entry, drop it. */
	flush_tlb_page(vmf->vma, vmf->address);
unlock:
	spin_unlock(&mm->page_table_lock);
	return 0;
}

/*
 * __handle_mm_fault - Mirrors Linux __handle_mm_fault(); leaves out p4d,
 * THP and huge PUDs. Fills the struct vm_fault and makes sure the PTE
 * table exists (allocated under page_table_lock, counted in nr_ptes).
 */
static vm_fault_t __handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
				    unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_fault vmf = {
		.vma = vma,
		.address = address & PAGE_MASK,
		.real_address = address,
		.flags = flags,
		.pgoff = linear_page_index(vma, address),
	};
	pud_t *pud;

	spin_lock(&mm->page_table_lock);
	pud = mm_pud_alloc(mm, pgd_offset_pgd(mm->pgd, address), address);
	vmf.pmd = pud ? mm_pmd_alloc(mm, pud, address) : NULL;
	vmf.pte = vmf.pmd ? mm_pte_alloc(mm, vmf.pmd, address) : NULL;
	spin_unlock(&mm->page_table_lock);
	if (!vmf.pte)
		return VM_FAULT_OOM;
	return handle_pte_fault(&vmf);
}

/*
 * vma_access_permitted - may this fault's access happen in @vma at all?
 * x86 cannot map a page write-only or exec-only, so a read needs any of
 * READ, WRITE, EXEC (as in Linux's vma_is_accessible()).
 */
static bool vma_access_permitted(struct vm_area_struct *vma, unsigned int flags)
{
	if (flags & FAULT_FLAG_WRITE)
		return vma->vm_flags & VM_WRITE;
	if (flags & FAULT_FLAG_INSTRUCTION)
		return vma->vm_flags & VM_EXEC;
	return vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC);
}

/*
 * mm_account_fault - Mirrors Linux mm_account_fault(); leaves out perf
 * events. A completed fault counts once, in current's min_flt or maj_flt
 * (major: it waited - VM_FAULT_MAJOR, or a retry after waiting).
 */
static void mm_account_fault(unsigned int flags, vm_fault_t ret)
{
	if (ret & (VM_FAULT_ERROR | VM_FAULT_RETRY))
		return;
	if ((ret & VM_FAULT_MAJOR) || (flags & FAULT_FLAG_TRIED)) {
		current->maj_flt++;
		count_vm_event(pgmajfault);
	} else {
		current->min_flt++;
	}
}

/*
 * handle_mm_fault - Mirrors Linux handle_mm_fault(); leaves out memcg OOM
 * handling, hugetlb and the lru-gen hooks. Contract in mm/mm.h: mmap_lock
 * held for reading; VM_FAULT_* bits back. Unlike Linux it refuses an
 * access the VMA does not allow (VM_FAULT_SIGSEGV) itself instead of
 * trusting every caller to have checked: no path can write through a
 * read-only VMA.
 */
unsigned int handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			     unsigned int flags, struct pt_regs *regs)
{
	vm_fault_t ret;

	(void)regs;
	count_vm_event(pgfault);
	if (!vma_access_permitted(vma, flags))
		return VM_FAULT_SIGSEGV;
	ret = __handle_mm_fault(vma, address, flags);
	mm_account_fault(flags, ret);
	return ret;
}
