/*
 * kernel/kstack.c - kernel stacks with guard pages (Linux's
 * CONFIG_VMAP_STACK idea).
 *
 * Each task's THREAD_SIZE stack is mapped page by page into a slot of the
 * KMAP area. A slot is twice the stack's size and its lower half stays
 * unmapped, so running off the bottom of a stack faults on the guard
 * instead of overwriting whatever lies below; the #DF handler then reports
 * "kernel stack overflow" (arch/x86_64/traps.c, stack_guard_page_hit()).
 *
 *   KSTACK_AREA + slot * KSTACK_SLOT_SIZE
 *   +-------------------------+-------------------------+
 *   | guard: 16 KiB unmapped  | stack: 4 pages, mapped  |
 *   +-------------------------+-------------------------+
 */
#include "kernel/kstack.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "mm/pgtable.h"

static DEFINE_SPINLOCK(kstack_lock);
static unsigned long slot_bitmap[KSTACK_SLOTS / 64];  /* under kstack_lock */

static int alloc_slot(void)
{
	unsigned long flags;
	int slot = -1;

	spin_lock_irqsave(&kstack_lock, flags);
	for (int w = 0; w < KSTACK_SLOTS / 64 && slot < 0; w++) {
		if (slot_bitmap[w] == ~0UL)
			continue;
		int b = __builtin_ctzl(~slot_bitmap[w]);

		slot_bitmap[w] |= 1UL << b;
		slot = w * 64 + b;
	}
	spin_unlock_irqrestore(&kstack_lock, flags);
	return slot;
}

static void free_slot(int slot)
{
	unsigned long flags;

	spin_lock_irqsave(&kstack_lock, flags);
	slot_bitmap[slot / 64] &= ~(1UL << (slot % 64));
	spin_unlock_irqrestore(&kstack_lock, flags);
}

static unsigned long slot_stack_base(int slot)
{
	return KSTACK_AREA + (unsigned long)slot * KSTACK_SLOT_SIZE + KSTACK_SLOT_SIZE - THREAD_SIZE;
}

void free_kernel_stack(void *stack, int slot)
{
	unsigned long base = (unsigned long)stack;

	for (unsigned long va = base; va < base + THREAD_SIZE; va += PAGE_SIZE) {
		pte_t old;

		if (unmap_page(swapper_pg_dir, va, &old) == 0)
			put_page(pfn_to_page(pte_pfn(old)));
	}
	free_empty_pgtables(swapper_pg_dir, base, base + THREAD_SIZE);
	free_slot(slot);
}

void *alloc_kernel_stack(int *slotp)
{
	int slot = alloc_slot();
	unsigned long base;

	if (slot < 0)
		return NULL;
	base = slot_stack_base(slot);
	for (unsigned long va = base; va < base + THREAD_SIZE; va += PAGE_SIZE) {
		struct page *p = alloc_page(GFP_KERNEL);

		if (!p || map_page(swapper_pg_dir, va, page_to_phys(p), PAGE_KERNEL)) {
			if (p)
				put_page(p);
			goto fail;
		}
	}
	*slotp = slot;
	return (void *)base;
fail:
	free_kernel_stack((void *)base, slot);
	return NULL;
}

/* nr_kernel_stacks - stacks in use now (slots taken), the boot stack not counted. */
unsigned long nr_kernel_stacks(void)
{
	unsigned long flags, n = 0;

	spin_lock_irqsave(&kstack_lock, flags);
	for (int w = 0; w < KSTACK_SLOTS / 64; w++)
		for (unsigned long bits = slot_bitmap[w]; bits; bits &= bits - 1)
			n++;   /* one per set bit (no popcount: the kernel is built for any x86-64) */
	spin_unlock_irqrestore(&kstack_lock, flags);
	return n;
}

bool stack_guard_page_hit(unsigned long addr)
{
	extern char boot_stack_guard[];
	unsigned long guard = (unsigned long)boot_stack_guard;

	/* A little slack: the faulting push may straddle the boundary. */
	if (addr >= guard - 64 && addr < guard + PAGE_SIZE + 64)
		return true;
	if (addr < KSTACK_AREA || addr >= KSTACK_AREA + KSTACK_SLOTS * KSTACK_SLOT_SIZE)
		return false;
	unsigned long off = (addr - KSTACK_AREA) % KSTACK_SLOT_SIZE;

	return off < KSTACK_SLOT_SIZE - THREAD_SIZE + 64;
}
