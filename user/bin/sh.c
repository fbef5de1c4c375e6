/*
 * sh - a small shell for mmkern.
 *
 * What it understands:
 *     prog arg1 "an arg with spaces" arg3      run a program
 *     prog args > file    prog args >> file   prog args < file
 *     a | b | c                               a pipeline (up to 8 commands)
 *     # a comment
 *     $?                                      the last exit status
 * Builtins: cd [dir], pwd, exit [n], help.
 *
 * A command word containing "/" is a path; any other is looked up in the
 * directories of $PATH (default /bin). Each command runs in a child:
 * fork(), then execve() in the child, and wait4() in the shell.
 *
 * ^C: at the prompt it only discards the line. While a program runs, the
 * shell ignores SIGINT and the child has the default action, so ^C (which
 * the console sends to the processes on it) ends the program, not the shell.
 *
 * When a program dies by a signal the shell says "Killed by signal N";
 * when it exits with a status other than 0 the shell prints that status.
 * End of input (read() returning 0, ^D on a terminal) ends the shell with
 * the last status.
 *
 * Input is read one byte at a time: slow, but a program started by the
 * shell then reads exactly the input that follows its command line.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "say.h"

#define MAXLINE 1024
#define MAXWORDS 64
#define MAXCMDS 8

extern char **environ;

struct cmd {
	char *argv[MAXWORDS + 1];
	int argc;
	char *in, *out;     /* redirections, or NULL */
	int append;         /* ">>" rather than ">" */
};

static int last_status;
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;     /* read() returns EINTR: the prompt starts over */
}

static void set_sigint(void (*handler)(int))
{
	struct sigaction sa = { .sa_handler = handler };   /* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
}

/*
 * Read one line (without the newline) into buf. Returns its length, -1 at
 * end of input, -2 if ^C interrupted it. DEL and backspace remove the last
 * character, for consoles that pass them through.
 */
static int read_line(char *buf, int size)
{
	int len = 0, too_long = 0;
	char c;

	for (;;) {
		ssize_t n = read(0, &c, 1);
		if (n < 0 && errno == EINTR)
			return -2;
		if (n <= 0)
			return len > 0 ? len : -1;   /* the last line may lack '\n' */
		if (c == '\n')
			break;
		if (c == '\r')
			continue;
		if (c == 0x7f || c == '\b') {
			if (len > 0)
				len--;
			continue;
		}
		if (len < size - 1)
			buf[len++] = c;
		else
			too_long = 1;
	}
	if (too_long)
		say_fd(2, "sh: line too long, cut at %d characters\n", size - 1);
	buf[len] = 0;
	return len;
}

/* Token kinds: words, and the operators | < > >> */
enum { T_WORD, T_PIPE, T_IN, T_OUT, T_APPEND };

/*
 * Split line into tokens. Words are copied, without their quotes, into
 * store. Returns the number of tokens, or -1 for an unclosed quote.
 */
static int tokenize(const char *line, int *kind, char **word, char *store)
{
	static char status_text[16];
	int n = 0;
	const char *s = line;

	while (*s && n < MAXWORDS * 2) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			break;
		if (*s == '|') {
			kind[n++] = T_PIPE, s++;
		} else if (*s == '<') {
			kind[n++] = T_IN, s++;
		} else if (*s == '>') {
			if (s[1] == '>')
				kind[n++] = T_APPEND, s += 2;
			else
				kind[n++] = T_OUT, s++;
		} else {
			char *w = store;
			int quoted = 0;
			while (*s && (quoted || !strchr(" \t|<>", *s))) {
				if (*s == '"')
					quoted = !quoted;
				else
					*store++ = *s;
				s++;
			}
			if (quoted)
				return -1;
			*store++ = 0;
			if (!strcmp(w, "$?")) {      /* the only variable we know */
				snprintf(status_text, sizeof(status_text), "%d", last_status);
				w = status_text;
			}
			kind[n] = T_WORD;
			word[n++] = w;
		}
	}
	return n;
}

/* Tokens -> commands. Returns the number of commands, 0 for an empty line, -1 on error. */
static int parse(int ntok, const int *kind, char **word, struct cmd *cmds)
{
	int nc = 0;
	struct cmd *c;

	if (ntok == 0)
		return 0;
	memset(cmds, 0, sizeof(*cmds));
	c = &cmds[nc++];
	for (int i = 0; i < ntok; i++) {
		switch (kind[i]) {
		case T_WORD:
			if (c->argc == MAXWORDS)
				return -1;
			c->argv[c->argc++] = word[i];
			break;
		case T_PIPE:
			if (c->argc == 0 || nc == MAXCMDS)
				return -1;
			c = &cmds[nc++];
			memset(c, 0, sizeof(*c));
			break;
		default:        /* < > >> take the next word */
			if (i + 1 >= ntok || kind[i + 1] != T_WORD)
				return -1;
			if (kind[i] == T_IN) {
				c->in = word[++i];
			} else {
				c->out = word[++i];
				c->append = kind[i - 1] == T_APPEND;
			}
			break;
		}
	}
	if (c->argc == 0)
		return -1;
	return nc;
}

/* ---- builtins ---------------------------------------------------------- */

static int is_builtin(const char *name)
{
	return !strcmp(name, "cd") || !strcmp(name, "exit") || !strcmp(name, "help") ||
	       !strcmp(name, "pwd");
}

/* Run a builtin; returns its status. */
static int run_builtin(struct cmd *c)
{
	const char *name = c->argv[0];

	if (!strcmp(name, "cd")) {
		const char *dir = c->argc > 1 ? c->argv[1] : getenv("HOME");
		if (!dir)
			dir = "/";
		if (chdir(dir) < 0) {
			say_fd(2, "sh: cd: %s: %s\n", dir, strerror(errno));
			return 1;
		}
		return 0;
	}
	if (!strcmp(name, "pwd")) {
		char buf[512];
		if (!getcwd(buf, sizeof(buf))) {
			say_fd(2, "sh: pwd: %s\n", strerror(errno));
			return 1;
		}
		say_fd(1, "%s\n", buf);
		return 0;
	}
	if (!strcmp(name, "exit"))
		exit(c->argc > 1 ? atoi(c->argv[1]) & 255 : last_status);
	/* help */
	say_fd(1,
	    "mmkern sh - builtins: cd [dir], pwd, exit [n], help\n"
	    "  prog args          run prog (a name is looked up in $PATH, default /bin)\n"
	    "  prog > f, >> f, < f   redirect output / append / input\n"
	    "  a | b              a pipeline (up to %d commands)\n"
	    "  \"two words\"        one argument with spaces;  $?  the last status\n"
	    "Try: ls /bin, cowdemo, echo hi | cat, sleep 10 then ^C,\n"
	    "     free, vmstat 1 5, pmap self, cat /proc/self/status.\n", MAXCMDS);
	return 0;
}

/* ---- running programs -------------------------------------------------- */

/* In the child: execve name, searching $PATH. Never returns. */
static void exec_program(char **argv)
{
	const char *name = argv[0];
	const char *path = getenv("PATH");
	char full[512];
	int err = ENOENT;

	if (strchr(name, '/')) {
		execve(name, argv, environ);
		err = errno;
	} else {
		if (!path || !*path)
			path = "/bin";
		while (*path) {
			const char *end = strchr(path, ':');
			int len = end ? end - path : (int)strlen(path);
			snprintf(full, sizeof(full), "%.*s/%s", len, path, name);
			execve(full, argv, environ);
			if (errno != ENOENT)
				err = errno;   /* found, but it would not run */
			path += len;
			if (*path == ':')
				path++;
		}
	}
	if (err == ENOENT) {
		say_fd(2, "sh: %s: command not found\n", name);
		_exit(127);
	}
	say_fd(2, "sh: %s: %s\n", name, strerror(err));
	_exit(126);
}

/* In the child: apply < and > redirections. Returns 0, or -1 after a message. */
static int redirect(struct cmd *c)
{
	int fd;

	if (c->in) {
		fd = open(c->in, O_RDONLY);
		if (fd < 0) {
			say_fd(2, "sh: %s: %s\n", c->in, strerror(errno));
			return -1;
		}
		dup2(fd, 0);
		close(fd);
	}
	if (c->out) {
		fd = open(c->out, O_WRONLY | O_CREAT | (c->append ? O_APPEND : O_TRUNC), 0644);
		if (fd < 0) {
			say_fd(2, "sh: %s: %s\n", c->out, strerror(errno));
			return -1;
		}
		dup2(fd, 1);
		close(fd);
	}
	return 0;
}

/* Say how a child ended, if it is worth saying. */
static void report(int status, int last)
{
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		if (sig == SIGPIPE && !last)
			return;   /* normal for the left side of a pipe */
		say_fd(2, "Killed by signal %d (%s)\n", sig, strsignal(sig));
	} else if (last && WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		say_fd(2, "exit status %d\n", WEXITSTATUS(status));
	}
}

/* Run a pipeline of n commands and wait for all of them. */
static void run(struct cmd *cmds, int n)
{
	pid_t pids[MAXCMDS];
	int prev = -1, p[2], status = 0;

	/* A lone builtin runs in the shell itself (cd must change *our* dir). */
	if (n == 1 && is_builtin(cmds[0].argv[0]) && !cmds[0].in && !cmds[0].out) {
		last_status = run_builtin(&cmds[0]);
		return;
	}

	set_sigint(SIG_IGN);       /* ^C is for the children now */
	for (int i = 0; i < n; i++) {
		p[0] = p[1] = -1;
		if (i < n - 1 && pipe(p) < 0) {
			say_fd(2, "sh: pipe: %s\n", strerror(errno));
			n = i;
			break;
		}
		pids[i] = fork();
		if (pids[i] < 0) {
			say_fd(2, "sh: fork: %s\n", strerror(errno));
			if (p[0] >= 0) {
				close(p[0]);
				close(p[1]);
			}
			n = i;
			break;
		}
		if (pids[i] == 0) {
			/* The child: default ^C, plumbing, then the program. */
			set_sigint(SIG_DFL);
			if (prev >= 0) {
				dup2(prev, 0);
				close(prev);
			}
			if (p[1] >= 0) {
				dup2(p[1], 1);
				close(p[1]);
				close(p[0]);
			}
			if (redirect(&cmds[i]) < 0)
				_exit(1);
			if (is_builtin(cmds[i].argv[0]))
				_exit(run_builtin(&cmds[i]));
			exec_program(cmds[i].argv);
		}
		/* The shell keeps only the read end, for the next command. */
		if (prev >= 0)
			close(prev);
		if (p[1] >= 0)
			close(p[1]);
		prev = p[0];
	}
	if (prev >= 0)
		close(prev);

	for (int i = 0; i < n; i++) {
		while (wait4(pids[i], &status, 0, NULL) < 0 && errno == EINTR)
			;
		report(status, i == n - 1);
	}
	if (n > 0)
		last_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	else
		last_status = 1;
	set_sigint(on_sigint);
}

int main(void)
{
	static char line[MAXLINE], store[MAXLINE * 2];
	static char *word[MAXWORDS * 2];
	static int kind[MAXWORDS * 2];
	static struct cmd cmds[MAXCMDS];

	set_sigint(on_sigint);
	for (;;) {
		(void)!write(1, "$ ", 2);
		interrupted = 0;
		int len = read_line(line, sizeof(line));
		if (len == -2)                /* ^C at the prompt: the console */
			continue;             /* echoed "^C\n"; prompt again */
		if (len == -1)                /* end of input */
			break;
		int ntok = tokenize(line, kind, word, store);
		if (ntok < 0) {
			say_fd(2, "sh: unclosed \"\n");
			last_status = 2;
			continue;
		}
		int n = parse(ntok, kind, word, cmds);
		if (n < 0) {
			say_fd(2, "sh: syntax error\n");
			last_status = 2;
			continue;
		}
		if (n > 0)
			run(cmds, n);
	}
	(void)!write(1, "\n", 1);
	return last_status;
}
