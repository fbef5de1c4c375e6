/*
 * pmap - a process's memory map, from /proc/PID/maps, in procps's layout.
 *   pmap PID...        PID may also be "self"
 *
 *   7:   cat
 *   0000000000400000      4K r---- cat
 *   0000000000401000     16K r-x-- cat
 *   0000000000408000     16K rw---   [ anon ]
 *   00007fffff7ff000   8192K rw---   [ stack ]
 *    total             8240K
 *
 * One line per mapping: its address, its size, its mode (read, write,
 * execute, s for shared, and procps's fifth column, always -) and what
 * it maps - a file's last name component, "[ stack ]", or "[ anon ]" for
 * anonymous memory (the heap too, as procps shows it). The first line
 * names the process by its command line (/proc/PID/cmdline, where the
 * kernel has one), else by the Name of /proc/PID/status.
 */
#include <stdio.h>
#include "procfile.h"

static char maps[65536], text[4096];

/* command - what the header line calls process @pid, into text[]. */
static const char *command(const char *pid)
{
	char path[64], *name;
	long n;

	snprintf(path, sizeof(path), "/proc/%s/cmdline", pid);
	n = proc_read(path, text, sizeof(text));
	if (n > 0) {
		for (long i = 0; i < n - 1; i++)   /* arguments are NUL-separated */
			if (!text[i])
				text[i] = ' ';
		return text;
	}
	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	if (proc_read(path, text, sizeof(text)) < 0 || strncmp(text, "Name:\t", 6) != 0)
		return "?";
	name = text + 6;
	name[strcspn(name, "\n")] = '\0';
	return name;
}

/* mapping - procps's name for a maps line's last field (empty: anonymous). */
static const char *mapping(const char *name)
{
	const char *slash = strrchr(name, '/');

	if (name[0] == '/' && slash)
		return slash[1] ? slash + 1 : slash;
	if (!strcmp(name, "[stack]"))
		return "  [ stack ]";
	return "  [ anon ]";
}

/* pmap - print one process's map; 0, or 1 after a message. */
static int pmap(const char *pid)
{
	char path[64], perms[8], mode[6];
	unsigned long start, end, total = 0;
	int name_at;

	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	if (proc_read(path, maps, sizeof(maps)) < 0) {
		dprintf(2, "pmap: %s: %s\n", path, strerror(errno));
		return 1;
	}
	printf("%s:   %s\n", !strcmp(pid, "self") ? "self" : pid, command(pid));
	for (char *l = maps, *nl; *l; l = nl + 1) {
		nl = strchr(l, '\n');
		if (!nl)
			break;
		*nl = '\0';
		name_at = 0;
		if (sscanf(l, "%lx-%lx %7s %*x %*s %*u %n", &start, &end, perms, &name_at) < 3)
			continue;
		snprintf(mode, sizeof(mode), "%.3s%c-", perms, perms[3] == 's' ? 's' : '-');
		printf("%016lx %6luK %s %s\n", start, (end - start) >> 10, mode,
		       mapping(name_at ? l + name_at : ""));
		total += (end - start) >> 10;
	}
	printf(" total %16luK\n", total);
	return 0;
}

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 2) {
		dprintf(2, "usage: pmap PID...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++)
		status |= pmap(argv[i]);
	return status;
}
