/*
 * mm/oom_kill.c - the out-of-memory killer (Linux mm/oom_kill.c, as Linux
 * 4.x reached it from a page fault that could not get memory).
 *
 * When a user-mode page fault finds no memory (VM_FAULT_OOM), the fault
 * entry (arch/x86_64/fault.c, pagefault_out_of_memory) calls
 * out_of_memory(). That frees memory the only way the kernel can without
 * swap or reclaim: it kills the process that holds the most of it, which
 * is usually but not always the one that faulted. The faulting task then
 * simply retries its access.
 *
 *   out_of_memory()
 *     select_bad_process()     the task with the most pages (oom_badness);
 *                              none if a victim is still dying: wait for it
 *                              (a second at most: then it is passed over,
 *                              as Linux's MMF_OOM_SKIP does)
 *     oom_kill_process()       SIGKILL to its process (and to any other
 *                              process sharing its mm), the report line:
 *   Out of memory: Killed process 42 (hog) total-vm:1048576kB, anon-rss:241664kB, file-rss:0kB, pgtables:484kB
 *     schedule_timeout(1)      let the victim run, exit and free its memory
 *
 * Left out: cgroups, cpusets and mempolicies (one global constraint),
 * oom_score_adj, the OOM reaper (the victim frees its own memory as it
 * exits) and the allocator's own calls (allocations that fail elsewhere
 * return -ENOMEM to their callers).
 *
 * Locking: tasklist_lock (irqsave) while choosing and signalling, which
 * keeps every task and its mm in place meanwhile.
 */
#include "mm/oom.h"
#include "arch/x86_64/time.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "mm/mm.h"

/* How long a victim may take to die before the next OOM passes it over. */
#define OOM_VICTIM_WAIT HZ

/*
 * oom_badness - Mirrors Linux oom_badness(); leaves out swap and
 * oom_score_adj. How much memory killing @t would give back, in pages:
 * its resident pages and its page-table pages. 0 for tasks never chosen:
 * kernel threads, init (pid 1) and a vfork child, whose memory is its
 * parent's (Linux's in_vfork()), as in Linux.
 */
static unsigned long oom_badness(struct task_struct *t)
{
	if ((t->flags & PF_KTHREAD) || !t->mm || t->tgid == 1 || t->vfork_done)
		return 0;
	return get_mm_rss(t->mm) + t->mm->nr_ptes;
}

/*
 * select_bad_process - Mirrors Linux select_bad_process() and
 * oom_evaluate_task(). tasklist_lock held. Returns the task with the
 * highest oom_badness(), NULL if there is none, or ERR_PTR(-EAGAIN) if
 * an earlier victim is still dying: its memory is on its way back, so
 * nothing else is killed meanwhile - for OOM_VICTIM_WAIT at most, since a
 * victim may be stuck where it cannot die yet. Other dying tasks (killed,
 * or exiting) are not chosen: their memory comes back anyway.
 */
static struct task_struct *select_bad_process(void)
{
	struct task_struct *t, *chosen = NULL;
	unsigned long chosen_points = 0;

	list_for_each_entry(t, &task_list, tasks) {
		unsigned long points = oom_badness(t);

		if (!points)
			continue;
		if (t->flags & PF_OOM_VICTIM) {
			if (jiffies - t->oom_kill_time < OOM_VICTIM_WAIT)
				return ERR_PTR(-EAGAIN);
			continue;    /* had its chance: do not wait on it forever */
		}
		if (fatal_signal_pending(t) || (t->flags & PF_EXITING))
			continue;
		if (points > chosen_points) {
			chosen = t;
			chosen_points = points;
		}
	}
	return chosen;
}

/*
 * oom_kill_process - Mirrors Linux __oom_kill_process(). tasklist_lock
 * held. SIGKILL to @victim's process and to every other process that uses
 * the same mm (their exits are what frees it), then the report line.
 */
static void oom_kill_process(struct task_struct *victim)
{
	struct mm_struct *mm = victim->mm;
	kernel_siginfo_t info = { .si_signo = SIGKILL, .si_code = SI_KERNEL };
	struct task_struct *t;

	send_sig_info(SIGKILL, &info, victim);
	victim->flags |= PF_OOM_VICTIM;
	victim->oom_kill_time = jiffies;
	count_vm_event(oom_kill);
	printk("Out of memory: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, "
	       "file-rss:%lukB, pgtables:%lukB\n", victim->tgid, victim->comm,
	       mm->total_vm * (PAGE_SIZE / 1024),
	       get_mm_counter(mm, MM_ANONPAGES) * (PAGE_SIZE / 1024),
	       get_mm_counter(mm, MM_FILEPAGES) * (PAGE_SIZE / 1024),
	       mm->nr_ptes * (PAGE_SIZE / 1024));
	list_for_each_entry(t, &task_list, tasks) {
		/* init ignores SIGKILL; its sleeps would only be cut short */
		if (t->mm != mm || t->tgid == victim->tgid || t->tgid == 1 ||
		    (t->flags & PF_KTHREAD))
			continue;
		send_sig_info(SIGKILL, &info, t);
		printk("oom killer: Killed process %d (%s) sharing the same memory\n", t->tgid,
		       t->comm);
	}
}

/* out_of_memory - Mirrors Linux out_of_memory(); see mm/oom.h. */
bool out_of_memory(void)
{
	struct task_struct *victim;
	unsigned long flags;
	bool killed_other;

	spin_lock_irqsave(&tasklist_lock, flags);
	victim = select_bad_process();
	if (IS_ERR(victim)) {
		/* An earlier victim is still on its way out: wait for it. */
		spin_unlock_irqrestore(&tasklist_lock, flags);
		goto wait;
	}
	if (!victim) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		printk("Out of memory and no killable processes\n");
		return false;
	}
	printk("%s invoked oom-killer: order=0, free pages %lu\n", current->comm,
	       nr_free_pages());
	oom_kill_process(victim);
	killed_other = victim->mm != current->mm;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (!killed_other)
		return true;  /* we die on the way back to user mode */
wait:
	/* Give the victim a good chance to exit before we try again. */
	current->state = TASK_KILLABLE;
	schedule_timeout(1);
	return true;
}
