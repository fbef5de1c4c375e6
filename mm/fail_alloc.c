/* mm/fail_alloc.c - fault injection for allocations (see fail_alloc.h). */
#include "mm/fail_alloc.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"

enum fail_mode { FAIL_OFF, FAIL_NTH, FAIL_EVERY, FAIL_RANDOM };

static DEFINE_SPINLOCK(fail_lock);
/* -- fail_lock -- */
static struct {
	enum fail_mode mode;
	unsigned long n;        /* NTH: which one; EVERY: the period */
	unsigned long count;    /* allocations seen since arming */
	unsigned int permille;  /* RANDOM */
	u64 state;              /* RANDOM: xorshift64 state */
	unsigned long injected;
} fa;

static void arm(enum fail_mode mode, unsigned long n, unsigned int permille, u64 seed)
{
	unsigned long flags;

	spin_lock_irqsave(&fail_lock, flags);
	fa.mode = mode;
	fa.n = n;
	fa.count = 0;
	fa.permille = permille;
	fa.state = seed ? seed : 0x9e3779b97f4a7c15ULL;
	fa.injected = 0;
	spin_unlock_irqrestore(&fail_lock, flags);
}

void fail_alloc_nth(unsigned long n) { arm(FAIL_NTH, n, 0, 0); }
void fail_alloc_every(unsigned long n) { arm(FAIL_EVERY, n ? n : 1, 0, 0); }
void fail_alloc_random(unsigned int permille, u64 seed) { arm(FAIL_RANDOM, 0, permille, seed); }
void fail_alloc_off(void) { arm(FAIL_OFF, 0, 0, 0); }
unsigned long fail_alloc_injected(void) { return READ_ONCE(fa.injected); }

bool should_fail_alloc(void)
{
	unsigned long flags;
	bool fail = false;

	if (likely(READ_ONCE(fa.mode) == FAIL_OFF))
		return false;
	spin_lock_irqsave(&fail_lock, flags);
	fa.count++;
	switch (fa.mode) {
	case FAIL_NTH:
		if (fa.count == fa.n) {
			fail = true;
			fa.mode = FAIL_OFF;  /* just that one (the injected count stays) */
		}
		break;
	case FAIL_EVERY:
		fail = fa.count % fa.n == 0;
		break;
	case FAIL_RANDOM:
		fa.state ^= fa.state << 13;
		fa.state ^= fa.state >> 7;
		fa.state ^= fa.state << 17;
		fail = fa.state % 1000 < fa.permille;
		break;
	case FAIL_OFF:
		break;
	}
	if (fail)
		fa.injected++;
	spin_unlock_irqrestore(&fail_lock, flags);
	return fail;
}

void fail_alloc_setup(const char *cmdline)
{
	char v[48], *p;

	if (!cmdline_get(cmdline, "fail_page_alloc", v, sizeof(v)))
		return;
	if (strncmp(v, "nth:", 4) == 0) {
		fail_alloc_nth(simple_strtoul(v + 4, NULL, 0));
	} else if (strncmp(v, "every:", 6) == 0) {
		fail_alloc_every(simple_strtoul(v + 6, NULL, 0));
	} else if (strncmp(v, "random:", 7) == 0) {
		unsigned int permille = simple_strtoul(v + 7, &p, 0);

		fail_alloc_random(permille, *p == ':' ? simple_strtoul(p + 1, NULL, 0) : 1);
	} else {
		printk("fail_page_alloc=%s: use nth:N, every:N or random:PERMILLE:SEED\n", v);
		return;
	}
	printk("fault injection: fail_page_alloc=%s\n", v);
}
