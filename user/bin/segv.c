/*
 * segv - die by a signal on purpose, to see what the kernel and the shell do.
 *   segv          write to address 0: SIGSEGV (the shell says "Killed by signal 11")
 *   segv ro       write to a read-only page (mmap PROT_READ): SIGSEGV
 *   segv bus      touch a file mapping past the end of the file: SIGBUS
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static volatile char *volatile null_page;   /* 0, hidden from the compiler */

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "null";

	if (!strcmp(how, "ro")) {
		char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		printf("segv: writing to the read-only page at %p\n", (void *)p);
		fflush(stdout);
		*(volatile char *)p = 1;
	} else if (!strcmp(how, "bus")) {
		int fd = open("/tmp/segv.bus", O_RDWR | O_CREAT | O_TRUNC, 0644);
		char *p;
		if (fd < 0 || write(fd, "x", 1) != 1) {
			perror("segv: /tmp/segv.bus");
			return 1;
		}
		p = mmap(NULL, 2 * 4096, PROT_READ, MAP_SHARED, fd, 0);
		unlink("/tmp/segv.bus");
		printf("segv: the file has 1 byte; reading its mapping 1 page further, at %p\n",
		       (void *)(p + 4096));
		fflush(stdout);
		(void)*(volatile char *)(p + 4096);
	} else {
		printf("segv: writing to address 0\n");
		fflush(stdout);
		*null_page = 1;
	}
	printf("segv: still alive?!\n");
	return 1;
}
