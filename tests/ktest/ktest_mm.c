/* tests/ktest/ktest_mm.c - see ktest_mm.h. */
#include "tests/ktest/ktest_mm.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"

struct mm_struct *ktest_mm_enter(void)
{
	struct mm_struct *mm;

	/* A case that ASSERTed out left its mm in use: let go of it (the leak check has reported it). */
	if (current->mm)
		unuse_mm(current->mm);
	mm = mm_alloc();

	if (mm)
		use_mm(mm);
	return mm;
}

void ktest_mm_leave(struct mm_struct *mm)
{
	if (!mm)
		return;
	unuse_mm(mm);
	mmput(mm);
}

unsigned long ktest_mmap(unsigned long addr, unsigned long len, unsigned long prot,
			 unsigned long flags)
{
	return vm_mmap(NULL, addr, len, prot, flags, 0);
}

vm_fault_t ktest_fault(struct mm_struct *mm, unsigned long addr, unsigned int flags)
{
	struct vm_area_struct *vma;
	vm_fault_t ret;

	down_read(&mm->mmap_lock);
	vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr) {
		up_read(&mm->mmap_lock);
		return VM_FAULT_SIGSEGV;
	}
	ret = handle_mm_fault(vma, addr, flags, NULL);
	if (!(ret & VM_FAULT_RETRY))
		up_read(&mm->mmap_lock);
	return ret;
}

pte_t ktest_pte(struct mm_struct *mm, unsigned long addr)
{
	pte_t *ptep = page_walk(mm->pgd, addr, false);

	return ptep ? ptep_get(ptep) : __pte(0);
}

struct page *ktest_page(struct mm_struct *mm, unsigned long addr)
{
	pte_t pte = ktest_pte(mm, addr);

	return pte_maps_frame(pte) ? pfn_to_page(pte_pfn(pte)) : NULL;
}

struct vm_area_struct *ktest_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	down_read(&mm->mmap_lock);
	vma = find_vma(mm, addr);
	if (vma && vma->vm_start > addr)
		vma = NULL;
	up_read(&mm->mmap_lock);
	return vma;
}

int ktest_nr_vmas(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	int n = 0;

	list_for_each_entry(vma, &mm->mmap, vm_list)
		n++;
	return n == mm->map_count ? n : -1;
}

/* ---- the fake file ---- */

static vm_fault_t ktest_file_fault(struct vm_fault *vmf)
{
	struct ktest_file *kf = container_of(vmf->vma->vm_file, struct ktest_file, file);

	kf->faults++;
	if (vmf->pgoff >= kf->nr_pages)
		return VM_FAULT_SIGBUS;
	get_page(kf->pages[vmf->pgoff]);
	vmf->page = kf->pages[vmf->pgoff];
	return 0;
}

static const struct vm_operations_struct ktest_file_vm_ops = {
	.fault = ktest_file_fault,
};

static int ktest_file_mmap(struct file *f, struct vm_area_struct *vma)
{
	vma->vm_ops = &ktest_file_vm_ops;
	return 0;
}

static const struct file_operations ktest_file_fops = { .mmap = ktest_file_mmap };
static const struct file_operations ktest_file_fops_nommap = { 0 };

int ktest_file_get(struct ktest_file *kf, unsigned int f_mode, bool mmap)
{
	memset(kf, 0, sizeof(*kf));
	kf->file.f_count = 1;
	kf->file.f_mode = f_mode;
	kf->file.f_op = mmap ? &ktest_file_fops : &ktest_file_fops_nommap;
	kf->file.f_mapping = &kf->mapping;
	spin_lock_init(&kf->mapping.lock, "ktest_file");
	xa_init(&kf->mapping.i_pages);
	kf->nr_pages = KT_FILE_PAGES;
	for (int i = 0; i < KT_FILE_PAGES; i++) {
		struct page *p = alloc_page(GFP_KERNEL);

		if (!p) {
			ktest_file_put(kf);
			return -ENOMEM;
		}
		memset(page_address(p), 'A' + i, PAGE_SIZE);
		p->mapping = &kf->mapping;
		p->index = i;
		kf->pages[i] = p;
	}
	return 0;
}

int ktest_file_put(struct ktest_file *kf)
{
	for (int i = 0; i < KT_FILE_PAGES; i++) {
		if (!kf->pages[i])
			continue;
		kf->pages[i]->mapping = NULL;
		put_page(kf->pages[i]);
		kf->pages[i] = NULL;
	}
	return kf->file.f_count;
}

/* ---- the memory hog ---- */

void ktest_hog(struct ktest_hog *h, unsigned long leave)
{
	INIT_LIST_HEAD(&h->blocks);
	h->pages = 0;
	for (int order = MAX_ORDER; order >= 0; order--) {
		while (nr_free_pages() >= leave + (1UL << order)) {
			struct page *p = alloc_pages(GFP_KERNEL, order);

			if (!p)
				break;
			p->index = order;
			list_add(&p->lru, &h->blocks);
			h->pages += 1UL << order;
		}
	}
}

void ktest_hog_release(struct ktest_hog *h)
{
	struct page *p, *tmp;

	list_for_each_entry_safe(p, tmp, &h->blocks, lru) {
		list_del(&p->lru);
		__free_pages(p, p->index);
	}
	h->pages = 0;
}
