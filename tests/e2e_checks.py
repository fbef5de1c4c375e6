"""tests/e2e_checks.py - end-to-end checks of the kernel as a user meets it.

Two host-side cases for tests/run_tests.py:

  shell_runs_cowdemo  boots the normal way (init -> /bin/sh), types
                      "cowdemo", "echo", "exit" on the serial console,
                      and checks that the shell ran them and init's exit
                      powered QEMU off with status 0.
  run_extra_init      builds a static musl program outside the tree and
                      runs it with "make run EXTRA=DIR INIT=/extra/prog";
                      its output must reach the console and make must
                      report its exit status (7) and fail, as make does
                      for any status but 0.
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


def run_extra_init(out_dir, timeout=180):
    """make run EXTRA=DIR INIT=/extra/hello: hello's output and its status 7 come back."""
    why = []
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "hello.c")
        with open(src, "w") as f:
            f.write(HELLO_C)
        extra = os.path.join(d, "extra")
        os.mkdir(extra)
        r = subprocess.run(["musl-gcc", "-static", "-O2", "-o", os.path.join(extra, "hello"), src],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            return False, ["musl-gcc failed: " + r.stderr.strip()]
        initrd = os.path.join(out_dir, "initrd-extra.cpio")
        try:
            r = subprocess.run(["make", "-s", "--no-print-directory", "run", "EXTRA=" + extra,
                                "INIT=/extra/hello", "INITRD=" + initrd],
                               cwd=REPO, stdin=subprocess.DEVNULL, capture_output=True,
                               text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return False, ["make run did not finish in %d s" % timeout]
    text = (r.stdout + r.stderr).replace("\r", "")
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
