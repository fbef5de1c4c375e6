"""tests/check_uapi.py - the kernel's copies of Linux's ABI constants must
equal the real ones in the host's uapi headers (/usr/include/linux, asm).

The kernel cannot include the Linux headers (it is freestanding and keeps
its own names), so it copies the numbers user space sees: errno values,
syscall numbers, signal numbers, open/mmap/clone flags, sigaction flags.
Each check here compiles a tiny C program against the real headers, prints
the real values, and compares them with the kernel's #defines (parsed from
the kernel's headers) and its syscall table. A mismatch names the constant.

Used by tests/run_tests.py as the host-side case "uapi_constants_match_linux";
runnable alone: python3 tests/check_uapi.py
"""
import os
import re
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (kernel header, names to check, the host header that defines them)
GROUPS = [
    ("kernel/errno.h", ["EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "E2BIG", "ENOEXEC", "EBADF",
                        "ECHILD", "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "EBUSY", "EEXIST",
                        "ENOTDIR", "EISDIR", "EINVAL", "EMFILE", "ENOTTY", "ENOSPC", "ESPIPE",
                        "EPIPE", "ERANGE", "ENAMETOOLONG", "ENOSYS", "ENOTEMPTY", "ELOOP",
                        "EOVERFLOW", "EOPNOTSUPP", "ETIMEDOUT"], "errno.h"),
    ("kernel/signal.h", ["SIGHUP", "SIGINT", "SIGKILL", "SIGSEGV", "SIGBUS", "SIGPIPE", "SIGCHLD",
                         "SIGUSR1", "SIGUSR2", "SIGTERM", "SIGSTOP", "SIGCONT", "SIGSYS",
                         "SA_SIGINFO", "SA_RESTORER", "SA_RESTART", "SA_NODEFER", "SA_RESETHAND",
                         "SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK", "SEGV_MAPERR", "SEGV_ACCERR",
                         "BUS_ADRERR", "CLD_EXITED", "CLD_KILLED", "SI_TKILL"], "signal.h"),
    ("kernel/fs.h", ["O_RDONLY", "O_WRONLY", "O_RDWR", "O_CREAT", "O_EXCL", "O_TRUNC", "O_APPEND",
                     "O_NONBLOCK", "O_DIRECTORY", "O_CLOEXEC", "AT_FDCWD", "AT_REMOVEDIR",
                     "S_IFMT", "S_IFDIR", "S_IFREG", "S_IFCHR", "S_IFIFO", "SEEK_SET", "SEEK_END",
                     "POLLIN", "POLLOUT", "POLLERR", "POLLHUP", "POLLNVAL"], "fcntl.h"),
    ("mm/mm.h", ["PROT_READ", "PROT_WRITE", "PROT_EXEC", "MAP_SHARED", "MAP_PRIVATE",
                 "MAP_FIXED", "MAP_ANONYMOUS", "MAP_GROWSDOWN", "MAP_POPULATE",
                 "MAP_FIXED_NOREPLACE"], "sys/mman.h"),
    ("mm/userfaultfd_k.h", ["UFFD_API", "UFFD_USER_MODE_ONLY", "UFFDIO_API", "UFFDIO_REGISTER",
                            "UFFDIO_UNREGISTER", "UFFDIO_WAKE", "UFFDIO_COPY", "UFFDIO_ZEROPAGE",
                            "UFFDIO_WRITEPROTECT", "UFFD_FEATURE_PAGEFAULT_FLAG_WP",
                            "UFFD_FEATURE_EVENT_FORK", "UFFD_FEATURE_SIGBUS", "UFFD_FEATURE_THREAD_ID",
                            "UFFD_FEATURE_WP_HUGETLBFS_SHMEM",
                            "UFFDIO_REGISTER_MODE_MISSING", "UFFDIO_REGISTER_MODE_WP",
                            "UFFDIO_COPY_MODE_DONTWAKE", "UFFDIO_COPY_MODE_WP",
                            "UFFDIO_ZEROPAGE_MODE_DONTWAKE", "UFFDIO_WRITEPROTECT_MODE_WP",
                            "UFFDIO_WRITEPROTECT_MODE_DONTWAKE", "UFFD_EVENT_PAGEFAULT",
                            "UFFD_EVENT_FORK", "UFFD_PAGEFAULT_FLAG_WRITE", "UFFD_PAGEFAULT_FLAG_WP"],
     "linux/userfaultfd.h"),
    ("kernel/sched.h", ["CLONE_VM", "CLONE_FS", "CLONE_FILES", "CLONE_SIGHAND", "CLONE_VFORK",
                        "CLONE_PARENT", "CLONE_THREAD", "CLONE_SETTLS", "CLONE_PARENT_SETTID",
                        "CLONE_CHILD_CLEARTID", "CLONE_CHILD_SETTID"], "linux/sched.h"),
]

HOST_INCLUDES = ["errno.h", "signal.h", "fcntl.h", "poll.h", "sys/stat.h", "sys/mman.h",
                 "linux/sched.h", "asm/unistd.h", "sys/ioctl.h", "linux/userfaultfd.h", "stdio.h"]


def kernel_defines(path):
    """#define NAME VALUE lines of a kernel header, evaluated as C integers by the host compiler."""
    text = open(os.path.join(REPO, path)).read()
    return {m.group(1): m.group(2).split("/*")[0].strip()
            for m in re.finditer(r"^#define[ \t]+(\w+)[ \t]+(.+)$", text, re.M)}


def compile_and_run(src):
    with tempfile.TemporaryDirectory() as d:
        c = os.path.join(d, "u.c")
        exe = os.path.join(d, "u")
        with open(c, "w") as f:
            f.write(src)
        r = subprocess.run(["gcc", "-D_GNU_SOURCE", "-o", exe, c], capture_output=True, text=True)
        if r.returncode:
            raise RuntimeError("gcc failed:\n" + r.stderr[-2000:])
        return subprocess.run([exe], capture_output=True, text=True, check=True).stdout


def syscall_table():
    """{number: name} from kernel/syscall_table.c's SYS()/ALIAS() lines."""
    text = open(os.path.join(REPO, "kernel/syscall_table.c")).read()
    table = {}
    for m in re.finditer(r"\bSYS\((\d+),\s*(\w+)\)", text):
        table[int(m.group(1))] = m.group(2)
    for m in re.finditer(r"\bALIAS\((\d+),\s*(\w+),", text):
        table[int(m.group(1))] = m.group(2)
    return table


def check():
    """Returns a list of mismatches (empty: all good) and the number of constants checked."""
    lines = ["#include <%s>" % h for h in HOST_INCLUDES]
    lines.append("int main(void) {")
    wanted = []
    for path, names, _ in GROUPS:
        defs = kernel_defines(path)
        for n in names:
            if n not in defs:
                wanted.append((n, path, None))
                continue
            wanted.append((n, path, defs[n]))
            # glibc hides a few kernel-only names (SA_RESTORER): say so, do not fail.
            lines.append('#ifdef %s\n  printf("%s %%lld %%lld\\n", (long long)(%s), (long long)(%s));\n'
                         '#else\n  printf("%s host-lacks-it x\\n");\n#endif'
                         % (n, n, n, _kernel_expr(defs, n), n))
    table = syscall_table()
    for nr, name in sorted(table.items()):
        lines.append("#ifdef __NR_%s\n  printf(\"__NR_%s %%lld %d\\n\", (long long)__NR_%s);\n"
                     "#else\n  printf(\"__NR_%s -1 %d\\n\");\n#endif" % (name, name, nr, name, name, nr))
    lines.append("  return 0;\n}")
    out = compile_and_run("\n".join(lines))
    problems = []
    for n, path, v in wanted:
        if v is None:
            problems.append("%s: not defined in %s" % (n, path))
    count = 0
    for line in out.splitlines():
        name, real, ours = line.split()
        if real == "host-lacks-it":
            continue
        count += 1
        if real != ours:
            problems.append("%s: Linux says %s, the kernel says %s" % (name, real, ours))
    return problems, count


def _kernel_expr(defs, name, depth=0):
    """The kernel's value of @name as a C expression, with kernel-only macros expanded."""
    expr = defs[name]
    if depth > 5:
        return expr
    # Expand references to other kernel macros (e.g. TASK_KILLABLE), so the
    # host compiles the kernel's value and not its own macro of the same name.
    def sub(m):
        w = m.group(0)
        if w in defs and w != name:
            return "(%s)" % _kernel_expr(defs, w, depth + 1)
        return w
    return re.sub(r"\b[A-Z_][A-Z0-9_]*\b", sub, expr)


def main():
    problems, count = check()
    for p in problems:
        print("uapi mismatch: " + p)
    print("%d constants and syscall numbers checked against the host's headers: %s"
          % (count, "all match" if not problems else "%d differ" % len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
