/*
 * ls - list directories, one name per line, sorted.
 *   ls [-l] [-a] [path...]     default path: "."
 *   -l   long form: type and permissions, size in bytes, name
 *   -a   also names starting with "." (including . and ..)
 *
 * It reads directories with the getdents64 system call directly, which is
 * what readdir() does inside libc: each call fills a buffer with variable-
 * length records (struct linux_dirent64), d_reclen bytes each.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The record getdents64 writes (Linux's struct linux_dirent64). */
struct linux_dirent64 {
	uint64_t d_ino;       /* inode number */
	int64_t d_off;        /* where the next record starts, for lseek */
	uint16_t d_reclen;    /* size of this record */
	uint8_t d_type;       /* DT_DIR, DT_REG, ... (or DT_UNKNOWN) */
	char d_name[];        /* NUL-terminated name */
};

static int opt_long, opt_all;

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "drwxr-xr-x" from st_mode. */
static void mode_string(mode_t m, char *s)
{
	const char *rwx = "rwxrwxrwx";

	s[0] = S_ISDIR(m) ? 'd' : S_ISCHR(m) ? 'c' : S_ISBLK(m) ? 'b' :
	       S_ISFIFO(m) ? 'p' : S_ISLNK(m) ? 'l' : S_ISSOCK(m) ? 's' : '-';
	for (int i = 0; i < 9; i++)
		s[i + 1] = (m & (0400 >> i)) ? rwx[i] : '-';
	s[10] = 0;
}

static void print_entry(const char *dir, const char *name)
{
	char path[1024], mode[11];
	struct stat st;

	if (!opt_long) {
		printf("%s\n", name);
		return;
	}
	if (dir)
		snprintf(path, sizeof(path), "%s/%s", dir, name);
	else
		snprintf(path, sizeof(path), "%s", name);
	if (lstat(path, &st) < 0) {
		printf("?????????? %10s %s\n", "?", name);
		return;
	}
	mode_string(st.st_mode, mode);
	printf("%s %10lld %s\n", mode, (long long)st.st_size, name);
}

/* List one directory (or print a file's name). Returns 0 or 1. */
static int list(const char *path)
{
	static char buf[8192];
	char **names = NULL;
	size_t n = 0, cap = 0;
	int fd;

	fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		if (errno == ENOTDIR) {      /* a file: just its name */
			print_entry(NULL, path);
			return 0;
		}
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (;;) {
		long len = syscall(SYS_getdents64, fd, buf, sizeof(buf));
		if (len < 0) {
			fprintf(stderr, "ls: %s: getdents64: %s\n", path, strerror(errno));
			close(fd);
			return 1;
		}
		if (len == 0)
			break;                   /* end of directory */
		for (long off = 0; off < len;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			off += d->d_reclen;
			if (d->d_name[0] == '.' && !opt_all)
				continue;
			if (n == cap) {
				cap = cap ? 2 * cap : 64;
				names = realloc(names, cap * sizeof(*names));
				if (!names) {
					fprintf(stderr, "ls: out of memory\n");
					return 1;
				}
			}
			names[n++] = strdup(d->d_name);
		}
	}
	close(fd);
	qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		print_entry(path, names[i]);
		free(names[i]);
	}
	free(names);
	return 0;
}

int main(int argc, char **argv)
{
	int i, status = 0, npaths;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (char *o = argv[i] + 1; *o; o++) {
			if (*o == 'l')
				opt_long = 1;
			else if (*o == 'a')
				opt_all = 1;
			else {
				fprintf(stderr, "usage: ls [-l] [-a] [path...]\n");
				return 2;
			}
		}
	}
	npaths = argc - i;
	if (npaths == 0)
		return list(".");
	for (; i < argc; i++) {
		if (npaths > 1)
			printf("%s:\n", argv[i]);
		status |= list(argv[i]);
		if (npaths > 1 && i < argc - 1)
			printf("\n");
	}
	return status;
}
