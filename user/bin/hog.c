/*
 * hog - take memory until there is none: write one word into every page
 * of a huge private anonymous mapping, page after page. Each first write
 * makes the kernel find a page; when none is left, the OOM killer ends the
 * biggest process - this one - with SIGKILL and says so on the console
 * ("Out of memory: Killed process 42 (hog) total-vm:..."). The shell then
 * says "Killed by signal 9".
 *
 *   hog        until killed
 *   hog MIB    stop after MIB MiB (no OOM if the machine has them), hold
 *              them until a line (or end of file) comes on stdin, exit 0
 *
 * It says how far it got every 64 MiB.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include "say.h"

#define SPAN (1UL << 40)   /* 1 TiB of address space, reserved lazily */
#define STEP (64UL << 20)

int main(int argc, char **argv)
{
	unsigned long limit = argc > 1 ? strtoul(argv[1], NULL, 0) << 20 : SPAN;
	char c;
	char *p = mmap(NULL, SPAN, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		say("hog: mmap of 1 TiB failed\n");
		return 1;
	}
	say("hog: pid %d, taking memory\n", (int)getpid());
	for (unsigned long off = 0; off < limit && off < SPAN; off += 4096) {
		*(volatile unsigned long *)(p + off) = off;
		if ((off + 4096) % STEP == 0)
			say("hog: %lu MiB\n", (off + 4096) >> 20);
	}
	say("hog: holding %lu MiB\n", limit >> 20);
	while (read(0, &c, 1) == 1 && c != '\n')
		;
	return 0;
}
