/*
 * cowdemo - watch fork() and copy-on-write happen, counting page faults.
 *
 * getrusage(RUSAGE_SELF).ru_minflt counts the minor page faults of this
 * process: faults the kernel handled without waiting for I/O. Reading it
 * before and after a loop of memory accesses shows how many of them
 * faulted. (A fault or two more can come from the program's own stack.)
 *
 * Steps:
 *   1. mmap 16 anonymous pages and write each: 16 faults, one per page,
 *      each giving the page a fresh zeroed frame (do_anonymous_page);
 *   2. fork: the child shares all 16 frames, write-protected in both
 *      processes; reading costs nothing, the child's first write to a page
 *      faults and copies it (do_wp_page -> wp_page_copy);
 *   3. the parent waits for the child: its own data is unchanged;
 *   4. the parent writes its pages: one fault each again (its PTEs are still
 *      write-protected since fork), but no copy: each page has only one
 *      user now, so the kernel makes it writable in place
 *      (do_wp_page -> wp_page_reuse); a second pass costs nothing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "say.h"

#define NPAGES 16
#define HALF (NPAGES / 2)
#define PAGE 4096

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* One line: the first byte of every page. */
static void show(const char *who, volatile char *mem)
{
	char line[NPAGES * 2 + 1];

	for (int i = 0; i < NPAGES; i++) {
		line[2 * i] = mem[i * PAGE];
		line[2 * i + 1] = ' ';
	}
	line[NPAGES * 2] = 0;
	say("%s first byte of pages 0..%d: %s\n", who, NPAGES - 1, line);
}

int main(void)
{
	volatile char *mem;
	long before, after;
	int status;
	pid_t pid;

	say("cowdemo: fork() and copy-on-write, step by step, with %d pages of %d bytes.\n"
	    "Fault counts come from getrusage(): ru_minflt, the minor page faults.\n\n",
	    NPAGES, PAGE);

	/* ---- step 1 ------------------------------------------------------ */
	mem = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	say("Step 1. mmap() reserved %d pages at %p..%p. Nothing is in memory yet:\n"
	    "        the kernel only noted the range (a VMA). Writing 'A', 'B', ... to them:\n",
	    NPAGES, (void *)mem, (void *)(mem + NPAGES * PAGE));
	minflt();                                  /* warm up the measuring code */
	before = minflt();
	for (int i = 0; i < NPAGES; i++)
		mem[i * PAGE] = 'A' + i;
	after = minflt();
	say("        %ld page faults: each first write found no page and got a zeroed one.\n",
	    after - before);
	for (int i = 0; i < NPAGES; i += 5)
		say("        page %2d at %p holds '%c'\n", i, (void *)(mem + i * PAGE), mem[i * PAGE]);
	show("       ", mem);

	/* ---- step 2 ------------------------------------------------------ */
	say("\nStep 2. fork(). The child gets a copy of the page TABLES, not of the pages:\n"
	    "        both processes now map the same %d physical pages, and the kernel made\n"
	    "        them read-only in both, so that the first write on either side faults.\n",
	    NPAGES);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		long r0, r1;
		int sum = 0;

		minflt();                          /* our stack page: copied here */
		before = minflt();
		for (int i = 0; i < NPAGES; i++)
			sum += mem[i * PAGE];
		after = minflt();
		say("  [child]  reading all %d pages: %ld faults (readable PTEs were copied).\n",
		    NPAGES, after - before);
		r0 = minflt();
		for (int i = 0; i < HALF; i++)
			mem[i * PAGE] = 'a' + i;
		r1 = minflt();
		say("  [child]  writing pages 0..%d: %ld faults. Each fault allocated a new page,\n"
		    "           copied the shared one into it and mapped it writable, for the\n"
		    "           child alone: that is copy-on-write.\n", HALF - 1, r1 - r0);
		show("  [child] ", mem);
		say("  [child]  pages 0..%d are now the child's own copies; %d..%d are still\n"
		    "           shared with the parent. Same virtual addresses (page 0 at %p),\n"
		    "           different physical pages. The child exits.\n",
		    HALF - 1, HALF, NPAGES - 1, (void *)mem);
		(void)sum;
		_exit(0);
	}

	/* ---- step 3 ------------------------------------------------------ */
	while (waitpid(pid, &status, 0) < 0)
		;
	say("\nStep 3. The parent waited for the child. Its own pages:\n");
	show(" [parent]", mem);
	say("        Unchanged: the child's writes went to the child's copies.\n");

	/* ---- step 4 ------------------------------------------------------ */
	minflt();
	before = minflt();
	for (int i = 0; i < NPAGES; i++)
		mem[i * PAGE] = 'Z' - i;
	after = minflt();
	say("\nStep 4. The parent writes all %d pages: %ld faults.\n"
	    "        Its page table entries are still read-only since fork, so each first\n"
	    "        write faults again. But the child is gone: every page has one user\n"
	    "        left, so the kernel copies nothing - it just makes the entry writable\n"
	    "        again (reuse in place).\n", NPAGES, after - before);
	before = minflt();
	for (int i = 0; i < NPAGES; i++)
		mem[i * PAGE] = 'z' - i;
	after = minflt();
	say("        Writing them once more: %ld faults - they are plain writable pages now.\n",
	    after - before);
	show(" [parent]", mem);
	munmap((void *)mem, NPAGES * PAGE);
	return 0;
}
