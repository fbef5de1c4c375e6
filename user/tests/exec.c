/*
 * exec - execve(): errors that leave the caller running, and what a new
 * program finds when it starts.
 *
 * Checks:
 *  1. errors, after each of which the caller simply goes on: a text file
 *     with mode 0755 -> ENOEXEC; an empty file -> ENOEXEC; an ELF header
 *     for another machine (EM_386) -> ENOEXEC; a text file with mode 0644
 *     -> EACCES (Linux; ENOEXEC is accepted for a kernel without modes);
 *     a missing file and "" -> ENOENT; a path through a regular file ->
 *     ENOTDIR; a directory -> EACCES;
 *  2. /bin/echo run in a child with its output through a pipe prints
 *     exactly "hello exec world\n";
 *  3. the test execs itself with a marker argument; the new image checks:
 *     argc, every argv string (with a space, an empty one), argv[argc] ==
 *     NULL, the exact environment; the auxiliary vector: AT_PAGESZ 4096,
 *     AT_PHDR / AT_PHNUM / AT_PHENT / AT_ENTRY matching its own ELF header,
 *     AT_RANDOM present, AT_UID/AT_EUID/AT_GID/AT_EGID, AT_EXECFN (if given)
 *     the path; the pid unchanged; a handled signal reset to SIG_DFL, an
 *     ignored one still SIG_IGN, the blocked mask kept; an O_CLOEXEC fd
 *     closed and a plain one still open; memory mapped before exec gone.
 */
#define _GNU_SOURCE
#include "utest.h"
#include <elf.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>

extern char **environ;
extern const Elf64_Ehdr __ehdr_start;     /* our ELF header, mapped by exec */

#define MARK "--exec-child"
#define OLD_MAP ((void *)0x7e0000000000ULL)  /* mapped before exec */

static void nothing(int sig)
{
	(void)sig;
}

/* ---- the new image --------------------------------------------------- */
static int exec_child(int argc, char **argv)
{
	utest_name = "exec(child)";
	CHECK(argc == 8, "argc %d, want 8", argc);
	if (argc != 8)
		return utest_done();
	CHECK(!strcmp(argv[1], MARK), "argv[1] '%s'", argv[1]);
	CHECK(atoi(argv[2]) == getpid(), "pid changed across exec: %d -> %d",
	      atoi(argv[2]), (int)getpid());
	CHECK(!strcmp(argv[5], "two words"), "argv[5] '%s', want 'two words'", argv[5]);
	CHECK(!strcmp(argv[6], ""), "argv[6] '%s', want ''", argv[6]);
	CHECK(!strcmp(argv[7], "last"), "argv[7] '%s', want 'last'", argv[7]);
	CHECK(argv[8] == NULL, "argv[argc] is not NULL");

	int n = 0;
	while (environ[n])
		n++;
	CHECK(n == 2, "%d environment strings, want 2", n);
	CHECK(n >= 1 && !strcmp(environ[0], "MARKER=hello world"), "environ[0] '%s'",
	      n >= 1 ? environ[0] : "(none)");
	CHECK(n >= 2 && !strcmp(environ[1], "EMPTY="), "environ[1] '%s'",
	      n >= 2 ? environ[1] : "(none)");
	CHECK(getenv("MARKER") && !strcmp(getenv("MARKER"), "hello world"), "getenv(MARKER)");

	/* the auxiliary vector */
	const Elf64_Ehdr *eh = &__ehdr_start;
	CHECK(getauxval(AT_PAGESZ) == 4096, "AT_PAGESZ %lu", getauxval(AT_PAGESZ));
	CHECK(getauxval(AT_PHDR) == (unsigned long)eh + eh->e_phoff,
	      "AT_PHDR %#lx, want %#lx", getauxval(AT_PHDR), (unsigned long)eh + eh->e_phoff);
	CHECK(getauxval(AT_PHNUM) == eh->e_phnum, "AT_PHNUM %lu, want %u",
	      getauxval(AT_PHNUM), eh->e_phnum);
	CHECK(getauxval(AT_PHENT) == sizeof(Elf64_Phdr), "AT_PHENT %lu", getauxval(AT_PHENT));
	CHECK(getauxval(AT_ENTRY) == eh->e_entry, "AT_ENTRY %#lx, want %#lx",
	      getauxval(AT_ENTRY), (unsigned long)eh->e_entry);
	CHECK(getauxval(AT_RANDOM) != 0, "no AT_RANDOM");
	CHECK(getauxval(AT_UID) == getuid() && getauxval(AT_EUID) == geteuid() &&
	      getauxval(AT_GID) == getgid() && getauxval(AT_EGID) == getegid(),
	      "AT_UID/EUID/GID/EGID disagree with getuid() and friends");
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	if (execfn)
		CHECK(!strcmp(execfn, argv[0]), "AT_EXECFN '%s', want '%s'", execfn, argv[0]);
	else
		utest_printf("  note: no AT_EXECFN in the auxiliary vector\n");

	/* signals */
	struct sigaction sa;
	sigaction(SIGUSR1, NULL, &sa);
	CHECK(sa.sa_handler == SIG_DFL, "a handled signal is not SIG_DFL after exec");
	sigaction(SIGUSR2, NULL, &sa);
	CHECK(sa.sa_handler == SIG_IGN, "an ignored signal is not SIG_IGN after exec");
	sigset_t m;
	sigprocmask(SIG_BLOCK, NULL, &m);
	CHECK(sigismember(&m, SIGTERM), "the blocked mask was not kept across exec");

	/* file descriptors and memory */
	int cloexec_fd = atoi(argv[3]), keep_fd = atoi(argv[4]);
	CHECK_ERR(write(cloexec_fd, "c", 1), EBADF);
	CHECK(write(keep_fd, "k", 1) == 1, "fd without O_CLOEXEC closed by exec: errno %d", errno);
	CHECK_ERR(write(keep_fd, OLD_MAP, 1), EFAULT);   /* the old mapping is gone */
	return utest_done();
}

/* Write `len` bytes to a new file with the given mode. */
static int make_file(const char *path, const void *data, size_t len, mode_t mode)
{
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0)
		return -1;
	if (write(fd, data, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

int main(int argc, char **argv)
{
	char text[64], noexec[64], empty[64], badelf[64], sub[80];
	char *args[] = { "x", NULL };
	char *env[] = { NULL };
	const char *self;
	int st, p[2];
	pid_t pid;

	if (argc > 1 && !strcmp(argv[1], MARK))
		return exec_child(argc, argv);
	utest_begin("exec", argc, argv);
	self = strchr(argv[0], '/') ? argv[0] : utest_path("/tests/exec");

	/* ---- 1. errors ---------------------------------------------------- */
	int me = getpid();
	snprintf(text, sizeof(text), "/tmp/exec_text.%d", me);
	snprintf(noexec, sizeof(noexec), "/tmp/exec_noexec.%d", me);
	snprintf(empty, sizeof(empty), "/tmp/exec_empty.%d", me);
	snprintf(badelf, sizeof(badelf), "/tmp/exec_badelf.%d", me);
	snprintf(sub, sizeof(sub), "%s/x", text);
	static const char msg[] = "this is not a program\n";
	REQUIRE(make_file(text, msg, sizeof(msg) - 1, 0755) == 0, "create %s: errno %d", text, errno);
	REQUIRE(make_file(noexec, msg, sizeof(msg) - 1, 0644) == 0, "create %s", noexec);
	REQUIRE(make_file(empty, "", 0, 0755) == 0, "create %s", empty);
	{
		static unsigned char img[PAGE_SIZE];
		int fd = open(self, O_RDONLY);
		REQUIRE(fd >= 0, "open %s: errno %d", self, errno);
		REQUIRE(read(fd, img, sizeof(img)) == (ssize_t)sizeof(img), "read own ELF");
		close(fd);
		((Elf64_Ehdr *)img)->e_machine = EM_386;
		REQUIRE(make_file(badelf, img, sizeof(img), 0755) == 0, "create %s", badelf);
	}

	CHECK_ERR(execve(text, args, env), ENOEXEC);
	CHECK_ERR(execve(empty, args, env), ENOEXEC);
	CHECK_ERR(execve(badelf, args, env), ENOEXEC);
	errno = 0;
	int r = execve(noexec, args, env);
	CHECK(r == -1 && (errno == EACCES || errno == ENOEXEC),
	      "execve of a mode-0644 text file: %d errno %d, want EACCES", r, errno);
	if (r == -1 && errno == ENOEXEC)
		utest_printf("  note: mode 0644 gave ENOEXEC (Linux: EACCES)\n");
	CHECK_ERR(execve("/tmp/no/such/program", args, env), ENOENT);
	CHECK_ERR(execve("/tmp/no-such-program", args, env), ENOENT);
	CHECK_ERR(execve("", args, env), ENOENT);
	CHECK_ERR(execve(sub, args, env), ENOTDIR);
	CHECK_ERR(execve("/tmp", args, env), EACCES);
	utest_printf("  still running after %d failed execve calls\n", 9);
	unlink(text);
	unlink(noexec);
	unlink(empty);
	unlink(badelf);

	/* ---- 2. /bin/echo through a pipe ---------------------------------- */
	REQUIRE(pipe(p) == 0, "pipe");
	pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		char *eargv[] = { "echo", "hello", "exec", "world", NULL };
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execve(utest_path("/bin/echo"), eargv, env);
		utest_printf("FAIL: execve %s: errno %d\n", utest_path("/bin/echo"), errno);
		_exit(127);
	}
	close(p[1]);
	char out[128];
	size_t len = 0;
	ssize_t n;
	while (len < sizeof(out) - 1 && (n = read(p[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += n;
	out[len] = 0;
	close(p[0]);
	st = utest_wait(pid);
	CHECK_EXITED(st, 0, "/bin/echo");
	CHECK(!strcmp(out, "hello exec world\n"), "echo printed '%s'", out);

	/* ---- 3. exec ourselves -------------------------------------------- */
	int cp[2], kp[2];
	REQUIRE(pipe2(cp, O_CLOEXEC) == 0, "pipe2(O_CLOEXEC): errno %d", errno);
	REQUIRE(pipe(kp) == 0, "pipe");
	pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		char spid[16], scl[16], skeep[16];
		snprintf(spid, sizeof(spid), "%d", (int)getpid());
		snprintf(scl, sizeof(scl), "%d", cp[1]);
		snprintf(skeep, sizeof(skeep), "%d", kp[1]);
		char *cargv[] = { (char *)self, MARK, spid, scl, skeep, "two words", "", "last", NULL };
		char *cenv[] = { "MARKER=hello world", "EMPTY=", NULL };
		struct sigaction sa = { .sa_handler = nothing };
		sigaction(SIGUSR1, &sa, NULL);
		signal(SIGUSR2, SIG_IGN);
		sigset_t m;
		sigemptyset(&m);
		sigaddset(&m, SIGTERM);
		sigprocmask(SIG_BLOCK, &m, NULL);
		void *old = mmap(OLD_MAP, PAGE_SIZE, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (old != OLD_MAP)
			_exit(3);
		memset(old, 'o', PAGE_SIZE);
		close(kp[0]);
		execve(self, cargv, cenv);
		utest_printf("FAIL: execve %s: errno %d\n", self, errno);
		_exit(127);
	}
	close(cp[1]);
	close(kp[1]);
	st = utest_wait(pid);
	CHECK_EXITED(st, 0, "the test exec'ed with a marker (see its lines above)");
	char k[4] = { 0 };
	CHECK(read(kp[0], k, sizeof(k)) == 1 && k[0] == 'k', "the new image did not write "
	      "'k' to the inherited fd (got '%s')", k);
	CHECK(read(cp[0], k, 1) == 0, "the O_CLOEXEC pipe is not at EOF");
	close(cp[0]);
	close(kp[0]);

	return utest_done();
}
