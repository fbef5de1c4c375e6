"""tests/e2e_checks.py - end-to-end checks of the kernel as a user meets it.

Three host-side cases for tests/run_tests.py:

  shell_runs_cowdemo  boots the normal way (init -> /bin/sh), types
                      "cowdemo", "echo", "exit" on the serial console,
                      and checks that the shell ran them and init's exit
                      powered QEMU off with status 0.
  run_extra_init      builds a static musl program outside the tree and
                      runs it with "make run EXTRA=DIR INIT=/extra/prog";
                      its output must reach the console and make must
                      report its exit status (7) and fail, as make does
                      for any status but 0.
  run_linux_uffd_program
                      a userfaultfd program written for Linux (a handler
                      thread that polls, reads the messages and answers with
                      UFFDIO_COPY), built with musl-gcc against the host's
                      uapi headers outside the tree, run natively on this
                      Linux host and with "make run EXTRA=DIR INIT=...":
                      both must print exactly the expected lines.
"""
import os
import subprocess
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _read_until(proc, needle, deadline, out, start=0):
    """Read QEMU's output into @out until @needle appears at or after @start
    (an offset in @out), or time runs out. Returns whether it appeared."""
    import select
    while time.time() < deadline:
        if needle.encode() in out[start:]:
            return True
        r, _, _ = select.select([proc.stdout], [], [], 0.2)
        if r:
            b = os.read(proc.stdout.fileno(), 4096)
            if not b:
                break
            out.extend(b)
        elif proc.poll() is not None:
            break
    return needle.encode() in out[start:]


def shell_runs_cowdemo(qemu_cmd, log_path, timeout=90):
    """Drive the shell over the serial port. Returns (ok, reasons)."""
    out = bytearray()
    why = []
    proc = subprocess.Popen(qemu_cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + timeout
    try:
        # Each command is typed only once the shell has printed a new prompt
        # after the previous one finished: the wait looks only at output that
        # came after the command was sent.
        mark = 0
        for send in ("cowdemo\n", "echo shell-says-ok\n", "exit\n"):
            if not _read_until(proc, "$ ", deadline, out, mark):
                why.append("no shell prompt before typing %r" % send.strip())
                break
            mark = len(out)
            proc.stdin.write(send.encode())
            proc.stdin.flush()
        # "echo shell-says-ok": once echoed as typed, once printed by echo
        if out.count(b"shell-says-ok") < 2:
            why.append("echo's output 'shell-says-ok' is not on the console")
        try:
            status = proc.wait(timeout=max(1, deadline - time.time()))
            out.extend(proc.stdout.read() or b"")   # it exited: this cannot block
        except subprocess.TimeoutExpired:
            status = None
            why.append("QEMU did not exit after the shell's exit")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 9)
            proc.wait()
    text = out.decode("utf-8", "replace").replace("\r", "")
    with open(log_path, "w") as f:
        f.write(text)
    low = text.lower()
    if "copy-on-write" not in low and "copy on write" not in low:
        why.append("cowdemo's output does not mention copy-on-write")
    for bad in ("Kernel panic", "Killed by signal", "segfault", "BUG:"):
        if bad in text:
            why.append("the console shows %r" % bad)
    if not why and status != 33:
        why.append("QEMU exit status %s, expected 33 (init exited 0)" % status)
    return not why, why + ["log: %s" % os.path.relpath(log_path, REPO)]


HELLO_C = r'''
#include <stdio.h>
#include <unistd.h>
int main(int argc, char **argv)
{
    printf("hello from outside the tree: pid %d, argv[0] %s\n", (int)getpid(), argv[0]);
    return 7;
}
'''


class _Fail(Exception):
    """A check cannot go on; the message says why."""


def _build_and_make_run(src_text, name, out_dir, timeout, cflags=(), d=None):
    """Build @src_text with musl-gcc into DIR/extra/@name, then run
    "make run EXTRA=DIR/extra INIT=/extra/@name". Returns (program path,
    make's CompletedProcess, console text) or raises _Fail(reason)."""
    src = os.path.join(d, name + ".c")
    with open(src, "w") as f:
        f.write(src_text)
    extra = os.path.join(d, "extra")
    os.makedirs(extra, exist_ok=True)
    prog = os.path.join(extra, name)
    r = subprocess.run(["musl-gcc", "-static", "-O2", *cflags, "-o", prog, src],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise _Fail("musl-gcc failed: " + r.stderr.strip())
    initrd = os.path.join(out_dir, "initrd-%s.cpio" % name)
    try:
        r = subprocess.run(["make", "-s", "--no-print-directory", "run", "EXTRA=" + extra,
                            "INIT=/extra/" + name, "INITRD=" + initrd],
                           cwd=REPO, stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise _Fail("make run did not finish in %d s" % timeout)
    return prog, r, (r.stdout + r.stderr).replace("\r", "")


def run_extra_init(out_dir, timeout=180):
    """make run EXTRA=DIR INIT=/extra/hello: hello's output and its status 7 come back."""
    why = []
    with tempfile.TemporaryDirectory() as d:
        try:
            _, r, text = _build_and_make_run(HELLO_C, "hello", out_dir, timeout, d=d)
        except _Fail as e:
            return False, [str(e)]
    log = os.path.join(out_dir, "run_extra_init.log")
    with open(log, "w") as f:
        f.write(text)
    if "hello from outside the tree" not in text:
        why.append("the program's output is not on the console")
    if "init exited with status 7" not in text:
        why.append("make run did not report the program's exit status 7")
    if r.returncode == 0:
        why.append("make run succeeded although the program exited 7")
    return not why, why + ["log: %s" % os.path.relpath(log, REPO)]


# Written as for Linux, from its man pages: nothing of this kernel's.
UFFD_LINUX_C = r"""
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NPAGES 8
static long page_size;
static char *area;
static int uffd;

static void fail(const char *what)
{
    printf("uffd-linux: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void *handler(void *arg)
{
    char *page = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    (void)arg;
    if (page == MAP_FAILED)
        fail("mmap page");
    for (int n = 0; n < NPAGES; n++) {
        struct pollfd p = { .fd = uffd, .events = POLLIN };
        struct uffd_msg msg;
        struct uffdio_copy copy;

        if (poll(&p, 1, -1) != 1)
            fail("poll");
        if (read(uffd, &msg, sizeof(msg)) != sizeof(msg))
            fail("read");
        if (msg.event != UFFD_EVENT_PAGEFAULT)
            fail("event");
        long index = (long)((msg.arg.pagefault.address - (unsigned long)area) / page_size);
        printf("uffd-linux: fault %d: page %ld, %s\n", n + 1, index,
               msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WRITE ? "write" : "read");
        memset(page, 'A' + (int)index, page_size);
        copy.src = (unsigned long)page;
        copy.dst = msg.arg.pagefault.address & ~(page_size - 1);
        copy.len = page_size;
        copy.mode = 0;
        copy.copy = 0;
        if (ioctl(uffd, UFFDIO_COPY, &copy) == -1)
            fail("UFFDIO_COPY");
    }
    return NULL;
}

int main(void)
{
    struct uffdio_api api = { .api = UFFD_API, .features = 0 };
    struct uffdio_register reg;
    pthread_t thread;
    long sum = 0;

    setvbuf(stdout, NULL, _IONBF, 0);
    page_size = sysconf(_SC_PAGESIZE);
    uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
    if (uffd == -1)
        fail("userfaultfd");
    if (ioctl(uffd, UFFDIO_API, &api) == -1)
        fail("UFFDIO_API");
    area = mmap(NULL, NPAGES * page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED)
        fail("mmap");
    reg.range.start = (unsigned long)area;
    reg.range.len = NPAGES * page_size;
    reg.mode = UFFDIO_REGISTER_MODE_MISSING;
    if (ioctl(uffd, UFFDIO_REGISTER, &reg) == -1)
        fail("UFFDIO_REGISTER");
    printf("uffd-linux: registered %d pages; ioctls %s\n", NPAGES,
           (reg.ioctls & (1ULL << _UFFDIO_COPY)) ? "include COPY" : "lack COPY");
    if (pthread_create(&thread, NULL, handler, NULL) != 0)
        fail("pthread_create");
    for (int i = 0; i < NPAGES; i++) {
        char c = area[i * page_size + 100];
        printf("uffd-linux: main read page %d: '%c'\n", i, c);
        sum += c;
    }
    pthread_join(thread, NULL);
    printf("uffd-linux: done, sum %ld\n", sum);
    return 0;
}
"""


def uffd_expected():
    lines = ["uffd-linux: registered 8 pages; ioctls include COPY"]
    for i in range(8):
        lines += ["uffd-linux: fault %d: page %d, read" % (i + 1, i),
                  "uffd-linux: main read page %d: '%c'" % (i, chr(ord("A") + i))]
    lines.append("uffd-linux: done, sum %d" % sum(ord("A") + i for i in range(8)))
    return lines


def run_linux_uffd_program(out_dir, timeout=180):
    """The same userfaultfd binary natively and through make run EXTRA/INIT."""
    why, want = [], uffd_expected()
    log = os.path.join(out_dir, "run_linux_uffd_program.log")
    with tempfile.TemporaryDirectory() as d:
        inc = os.path.join(d, "include")
        os.mkdir(inc)
        arch = subprocess.run(["gcc", "-print-multiarch"], capture_output=True,
                              text=True).stdout.strip() or "x86_64-linux-gnu"
        for name, target in (("linux", "/usr/include/linux"),
                             ("asm-generic", "/usr/include/asm-generic"),
                             ("asm", "/usr/include/%s/asm" % arch)):
            os.symlink(target, os.path.join(inc, name))
        try:
            prog, r, text = _build_and_make_run(UFFD_LINUX_C, "uffd_linux", out_dir, timeout,
                                                cflags=("-pthread", "-isystem", inc), d=d)
        except _Fail as e:
            return False, [str(e)]
        native = subprocess.run([prog], capture_output=True, text=True, timeout=60)
        got_native = [l for l in native.stdout.splitlines() if l.startswith("uffd-linux:")]
        host_ok = native.returncode == 0
    with open(log, "w") as f:
        f.write("== natively (exit %d)\n%s%s\n== make run\n%s" % (
            native.returncode, native.stdout, native.stderr, text))
    got = [l for l in text.splitlines() if l.startswith("uffd-linux:")]
    if got != want:
        why.append("on this kernel it printed %d expected lines of %d%s" % (
            sum(a == b for a, b in zip(got, want)), len(want),
            (": first difference %r" % next((g for g, w in zip(got, want) if g != w),
                                            got[len(want):][:1] or "(missing lines)"))))
    if r.returncode != 0:
        why.append("make run failed (the program's status was not 0)")
    if host_ok and got_native != want:
        why.append("natively on this Linux host it printed something else")
    note = ("natively on this Linux host: the same %d lines" % len(want) if host_ok
            else "natively on this Linux host it could not run (%s): compared with "
                 "the expected lines only" % (native.stdout.strip().splitlines() or ["?"])[-1])
    return not why, why + [note, "log: %s" % os.path.relpath(log, REPO)]
