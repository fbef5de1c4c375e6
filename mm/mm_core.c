/*
 * mm/mm_core.c - the life of an address space (Linux kernel/fork.c's mm
 * half and mm/mmu_context.c):
 *
 *   mm_alloc()           a new, empty mm: PGD whose kernel half is swapper's
 *   mmget() / mmput()    mm_users; the last mmput() -> exit_mmap() -> mmdrop()
 *   mmgrab() / mmdrop()  mm_count: the struct (and PGD) only; the last frees it
 *   dup_mm()             fork: a copy -> dup_mmap() -> copy_page_range()
 *   use_mm() / unuse_mm()  a kernel thread borrows an mm (tests, later aio/uffd)
 *   activate_mm()        load an mm's page tables (exec)
 *
 * What the process layer does with these (kernel/fork.c, exec.c, exit.c):
 *   fork:  child->mm = dup_mm(current->mm)         (CLONE_VM: mmget + share)
 *   exec:  mm = mm_alloc(); ...set it up...; old = current->mm;
 *          current->mm = current->active_mm = mm; activate_mm(old, mm);
 *          if (old) mmput(old);
 *   exit:  mm = current->mm; current->mm = current->active_mm = NULL;
 *          activate_mm(mm, NULL) (the kernel's tables); mmput(mm)
 *
 * Locking order (dup_mmap): oldmm->mmap_lock -> mm->mmap_lock.
 */
#include "mm/internal.h"
#include "kernel/fs.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/slab.h"
#include "mm/userfaultfd_k.h"

/*
 * mm_alloc - Mirrors Linux mm_alloc() -> mm_init() + pgd_alloc(); leaves
 * out the owner, memcg and AIO. mm_users and mm_count both start at 1.
 * The new PGD's user half is empty; its kernel half (entries 256..511)
 * is a copy of swapper_pg_dir's, which never change after boot.
 */
struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm), GFP_KERNEL);
	phys_addr_t pgd;

	if (!mm)
		return NULL;
	pgd = pgtable_alloc_page();
	if (!pgd) {
		kfree(mm);
		return NULL;
	}
	mm->pgd = __va(pgd);
	memcpy(mm->pgd + USER_PGD_ENTRIES, swapper_pg_dir + USER_PGD_ENTRIES,
	       (PTRS_PER_TABLE - USER_PGD_ENTRIES) * sizeof(pgd_t));
	mm->mm_users = 1;
	mm->mm_count = 1;
	init_rwsem(&mm->mmap_lock);
	INIT_LIST_HEAD(&mm->mmap);
	spin_lock_init(&mm->page_table_lock, "page_table_lock");
	mm->mmap_base = TASK_UNMAPPED_BASE;
	return mm;
}

void mmget(struct mm_struct *mm)
{
	__atomic_add_fetch(&mm->mm_users, 1, __ATOMIC_RELAXED);
}

/*
 * mmget_not_zero - Mirrors Linux mmget_not_zero(): a new user of @mm only
 * if it still has one (its pages are still there). The caller holds
 * mm_count (mmgrab) so the struct itself cannot go meanwhile.
 */
bool mmget_not_zero(struct mm_struct *mm)
{
	int users = __atomic_load_n(&mm->mm_users, __ATOMIC_RELAXED);

	do {
		if (users == 0)
			return false;
	} while (!__atomic_compare_exchange_n(&mm->mm_users, &users, users + 1, false,
					      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
	return true;
}

void mmgrab(struct mm_struct *mm)
{
	__atomic_add_fetch(&mm->mm_count, 1, __ATOMIC_RELAXED);
}

/*
 * mmdrop - Mirrors Linux mmdrop() -> __mmdrop(): the last reference to the
 * struct frees the PGD and the struct. Everything under the PGD's user
 * half is gone already (exit_mmap ran when mm_users reached 0).
 */
void mmdrop(struct mm_struct *mm)
{
	if (__atomic_sub_fetch(&mm->mm_count, 1, __ATOMIC_ACQ_REL))
		return;
	pgtable_free_page(virt_to_phys(mm->pgd));
	kfree(mm);
}

/* check_mm - Mirrors Linux check_mm(): after exit_mmap nothing may be left. */
static void check_mm(struct mm_struct *mm)
{
	for (int i = 0; i < NR_MM_COUNTERS; i++)
		if (mm->rss[i])
			printk("BUG: Bad rss-counter state mm:%p type:%d val:%lu\n", mm, i,
			       mm->rss[i]);
	if (mm->nr_ptes)
		printk("BUG: non-zero pgtables_bytes on freeing mm: %lu tables\n", mm->nr_ptes);
	WARN_ON(mm->map_count || !list_empty(&mm->mmap));
}

/*
 * mmput - Mirrors Linux mmput() -> __mmput() -> exit_mmap() + mmdrop();
 * leaves out ksm/aio teardown. Drops one user; the last one frees every
 * page, page table and VMA, then drops the users' mm_count (mmdrop frees
 * the PGD and the struct unless a userfaultfd context still holds it). May sleep (mmap_lock). If the mm is still loaded in CR3 (its last
 * user forgot to switch away) the kernel's own tables are loaded first.
 */
void mmput(struct mm_struct *mm)
{
	if (__atomic_sub_fetch(&mm->mm_users, 1, __ATOMIC_ACQ_REL))
		return;
	if (mm_is_loaded(mm))
		activate_mm(mm, NULL);
	exit_mmap(mm);
	check_mm(mm);
	mmdrop(mm);
}

/*
 * dup_mmap - Mirrors Linux dup_mmap(); leaves out accounting, khugepaged,
 * ksm and the anon_vma chains. With UFFD_FEATURE_EVENT_FORK the forking
 * task waits (killable, no lock held) until the monitor has read the FORK
 * event of each new userfaultfd context (dup_userfaultfd_complete). Copies every VMA of
 * @oldmm but VM_DONTCOPY ones into @mm and, through copy_page_range(), the
 * PTEs. A child VMA is linked before its PTEs are copied, so that when a
 * copy fails half-way mmput(@mm) finds and frees everything. The parent's
 * TLB is flushed at the end in every case (some PTEs lost write).
 * Returns 0 or -ENOMEM.
 */
static int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm)
{
	struct vm_area_struct *mpnt, *tmp;
	LIST_HEAD(uf);   /* userfaultfd contexts made for the child */
	int retval = 0;

	down_write(&oldmm->mmap_lock);
	down_write(&mm->mmap_lock);
	mm->total_vm = 0;
	list_for_each_entry(mpnt, &oldmm->mmap, vm_list) {
		if (mpnt->vm_flags & VM_DONTCOPY)
			continue;
		tmp = vm_area_dup(mpnt);
		if (!tmp) {
			retval = -ENOMEM;
			break;
		}
		tmp->vm_mm = mm;
		/*
		 * userfaultfd: without UFFD_FEATURE_EVENT_FORK the child's
		 * VMA forgets the registration and faults normally; with it,
		 * it moves to the child's own new context (failing that, it
		 * is unregistered: fork itself goes on, as in Linux).
		 */
		dup_userfaultfd(tmp, &uf);
		if (tmp->vm_file)
			get_file(tmp->vm_file);
		if (tmp->vm_ops && tmp->vm_ops->open)
			tmp->vm_ops->open(tmp);
		list_add_tail(&tmp->vm_list, &mm->mmap);
		mm->map_count++;
		mm->total_vm += vma_pages(tmp);
		retval = copy_page_range(tmp, mpnt);
		if (retval)
			break;
	}
	flush_tlb_mm(oldmm);
	up_write(&mm->mmap_lock);
	up_write(&oldmm->mmap_lock);
	/* EVENT_FORK: the monitor reads each new context before we go on. */
	dup_userfaultfd_complete(&uf);
	return retval;
}

/*
 * dup_mm - Mirrors Linux dup_mm(); leaves out the binfmt, owner and
 * hiwater marks. See mm/mm.h. On failure the half-built copy goes through
 * the normal mmput(), which is why dup_mmap keeps it consistent.
 */
struct mm_struct *dup_mm(struct mm_struct *oldmm)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	mm->start_code = oldmm->start_code;
	mm->end_code = oldmm->end_code;
	mm->start_data = oldmm->start_data;
	mm->end_data = oldmm->end_data;
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->start_stack = oldmm->start_stack;
	mm->mmap_base = oldmm->mmap_base;
	if (dup_mmap(mm, oldmm)) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

/*
 * activate_mm - Mirrors Linux activate_mm() / switch_mm(); one CPU, no
 * PCID. @next NULL means the kernel's own tables (swapper_pg_dir), which
 * share the kernel half with every mm.
 */
void activate_mm(struct mm_struct *prev, struct mm_struct *next)
{
	unsigned long cr3 = virt_to_phys(next ? next->pgd : swapper_pg_dir);

	(void)prev;
	if ((read_cr3() & PTE_PFN_MASK) != cr3)
		write_cr3(cr3);
}

/*
 * use_mm - Mirrors Linux kthread_use_mm(); leaves out lazy-TLB mm_count
 * handling. Entry: current is a kernel thread with no mm, the caller holds
 * a reference on @mm. The scheduler's switch_mm follows current->mm, so
 * the tables stay loaded across sleeps.
 */
void use_mm(struct mm_struct *mm)
{
	struct task_struct *tsk = current;
	unsigned long flags = local_irq_save();

	WARN_ON(!(tsk->flags & PF_KTHREAD) || tsk->mm);
	task_lock(tsk);
	tsk->mm = mm;
	tsk->active_mm = mm;
	task_unlock(tsk);
	activate_mm(NULL, mm);
	local_irq_restore(flags);
}

/* unuse_mm - Mirrors Linux kthread_unuse_mm(): back to the kernel's tables. */
void unuse_mm(struct mm_struct *mm)
{
	struct task_struct *tsk = current;
	unsigned long flags = local_irq_save();

	WARN_ON(tsk->mm != mm);
	task_lock(tsk);
	tsk->mm = NULL;
	tsk->active_mm = NULL;
	task_unlock(tsk);
	activate_mm(mm, NULL);
	local_irq_restore(flags);
}
