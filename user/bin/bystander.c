/*
 * bystander - keep working while a hog runs the machine out of memory,
 * and check that the out-of-memory killer took the hog, not us.
 *
 *   1. map 16 MiB and write the first 4 MiB (a word per page, its number)
 *   2. fork; the child execs /bin/hog, which takes memory until killed
 *   3. until the hog is gone, round after round: check every page written
 *      so far; and while free memory is low (sysinfo: under 8 MiB), write
 *      a few more fresh pages - page faults that need a new page just when
 *      there is none, so the OOM killer may well run in *our* fault. It
 *      must choose the hog (the biggest), and our write then succeed.
 *   4. the hog must have died of SIGKILL, and all our pages be right.
 *
 * Says what it saw and exits 0 if all of that holds (the kernel's oom
 * selftest runs it). It refuses to run on a machine with more than 4 GiB:
 * running that out of memory on purpose is no test.
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include "say.h"

#define SIZE (16UL << 20)
#define PAGES (SIZE / 4096)
#define FIRST (1024UL)              /* pages written before the hog starts */
#define LOW   (8UL << 20)           /* "free memory is low" below this */
#define BURST 16                    /* fresh pages per round while it is */

static unsigned long free_bytes(void)
{
	struct sysinfo si;

	return sysinfo(&si) == 0 ? si.freeram * si.mem_unit : ~0UL;
}

/* check - the pages [0, n) hold their numbers; returns how many do not. */
static unsigned long check(unsigned long *mem, unsigned long n)
{
	unsigned long bad = 0;

	for (unsigned long i = 0; i < n; i++)
		bad += mem[i * 512] != i;
	return bad;
}

int main(void)
{
	unsigned long *mem, written = FIRST, rounds = 0, low_faults = 0, bad = 0;
	struct sysinfo si;
	int status;
	pid_t hog;

	if (sysinfo(&si) == 0 && (unsigned long long)si.totalram * si.mem_unit >> 20 > 4096) {
		say("bystander: %llu MiB of RAM is too much to run out of on purpose\n",
		    (unsigned long long)si.totalram * si.mem_unit >> 20);
		return 77;
	}
	mem = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		say("bystander: mmap failed\n");
		return 1;
	}
	for (unsigned long i = 0; i < written; i++)
		mem[i * 512] = i;
	hog = fork();
	if (hog == 0) {
		execl("/bin/hog", "hog", (char *)NULL);
		_exit(127);
	}
	if (hog < 0) {
		say("bystander: fork failed\n");
		return 1;
	}
	say("bystander: pid %d, hog pid %d\n", (int)getpid(), (int)hog);
	while (waitpid(hog, &status, WNOHANG) == 0) {
		rounds++;
		bad += check(mem, written);
		if (free_bytes() < LOW) {
			for (int i = 0; i < BURST && written < PAGES; i++, written++, low_faults++)
				mem[written * 512] = written;
		}
	}
	bad += check(mem, written);
	say("bystander: hog %s by signal %d; %lu rounds meanwhile, %lu pages faulted in "
	    "while free memory was low, %lu pages wrong\n",
	    WIFSIGNALED(status) ? "killed" : "NOT killed",
	    WIFSIGNALED(status) ? WTERMSIG(status) : 0, rounds, low_faults, bad);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL || bad || !rounds)
		return 1;
	say("bystander: PASS\n");
	return 0;
}
