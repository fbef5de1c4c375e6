# tests/gdb_checks.py - the gdb-driven checks of "make test": the kernel-aware
# gdb commands (tests/gdb/mmkern.py) on a known state, and the walkthroughs
# of docs/walkthrough-cow-fault.md, docs/walkthrough-fork.md and
# docs/walkthrough-userfault.md.
#
# Each check boots QEMU stopped (-S) with its gdbstub on a free port, on an
# ISO that runs /bin/cowdemo as init (or the check's own program), under
# -icount (the guest clock counts guest instructions, so timer ticks, and
# with them which task runs when, do not depend on how busy the host is), and
# runs one gdb Python script in batch mode (gdb -q -nx -batch -x tests/gdb/SCRIPT) with a timeout. The script
# prints a transcript (saved as OUT_DIR/NAME.log) and ends with
# "NAME: PASS: ..." or "NAME: FAIL: ...". QEMU is always killed.
#
#   gdb_commands    kps, kvma, kpt, kpage, kbt print what they should at the
#                   child's copy-on-write fault (tests/gdb/check_commands.py)
#   gdb_walk_cow    the COW fault walkthrough's claims (tests/gdb/walk_cow.py)
#   gdb_walk_fork   the fork walkthrough's claims (tests/gdb/walk_fork.py)
#   gdb_walk_uffd   the userfault walkthrough's claims and kuffd
#                   (tests/gdb/walk_uffd.py; its ISO runs /bin/uffd-demo)
#   gdb_uffd_marker kpt and kuffd on write-protected shared memory: PTE
#                   markers (tests/gdb/check_marker.py; /tests/uffd_wp_shared)
#
# From tests/run_tests.py:   results = gdb_checks.run_all(kernel, initrd, out_dir)
# by hand:   python3 tests/gdb_checks.py [--kernel K] [--initrd I] [--out DIR] [NAME...]
import argparse
import os
import socket
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GDB_DIR = os.path.join(REPO, "tests", "gdb")
MKISO = os.path.join(REPO, "iso", "mkiso.sh")
CMDLINE = "init=/bin/cowdemo"
GDB_TIMEOUT = 120

CHECKS = [
    ("gdb_commands", "check_commands.py"),
    ("gdb_walk_cow", "walk_cow.py"),
    ("gdb_walk_fork", "walk_fork.py"),
    ("gdb_walk_uffd", "walk_uffd.py", "init=/bin/uffd-demo"),
    ("gdb_uffd_marker", "check_marker.py", "init=/tests/uffd_wp_shared"),
]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def build_iso(kernel, initrd, iso, cmdline=CMDLINE):
    """iso/mkiso.sh KERNEL CMDLINE ISO INITRD; returns an error or None."""
    cmd = ["sh", MKISO, kernel, cmdline, iso] + ([initrd] if initrd else [])
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return "mkiso.sh timed out"
    if r.returncode != 0:
        return "mkiso.sh failed: %s" % (r.stderr + r.stdout).strip()
    return None


def kill_group(proc):
    try:
        os.killpg(proc.pid, 9)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        pass


def run_one(name, script, kernel, iso, out_dir, mem="256M"):
    """Boot QEMU -S, run gdb with @script; returns (name, ok, reasons)."""
    log = os.path.join(out_dir, name + ".log")
    serial = os.path.join(out_dir, name + "-serial.log")
    port = free_port()
    qemu_cmd = ["qemu-system-x86_64", "-cdrom", iso, "-m", mem, "-cpu", "max",
                "-display", "none", "-monitor", "none", "-no-reboot",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-global", "isa-fdc.fdtypeA=none", "-serial", "file:" + serial,
                "-icount", "shift=0,align=off,sleep=off",
                "-rtc", "base=2026-01-01T00:00:00,clock=vm",
                "-S", "-gdb", "tcp:127.0.0.1:%d" % port]
    env = dict(os.environ, MMKERN_GDB_KERNEL=kernel, MMKERN_GDB_PORT=str(port))
    qemu = None
    try:
        try:
            qemu = subprocess.Popen(qemu_cmd, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    start_new_session=True)
        except OSError as e:
            return name, False, ["cannot start QEMU: %s" % e]
        time.sleep(0.2)
        if qemu.poll() is not None:
            err = qemu.stderr.read().decode("utf-8", "replace").strip()
            return name, False, ["QEMU exited at once (%s): %s" % (qemu.returncode, err)]
        try:
            g = subprocess.run(["gdb", "-q", "-nx", "-batch", "-x", os.path.join(GDB_DIR, script)],
                               env=env, cwd=REPO, capture_output=True, text=True,
                               timeout=GDB_TIMEOUT, start_new_session=True)
            output, rc = g.stdout + g.stderr, g.returncode
        except subprocess.TimeoutExpired as e:
            output = (e.stdout or b"").decode("utf-8", "replace") if isinstance(e.stdout, bytes) \
                else (e.stdout or "")
            output += "\n(gdb timed out after %d s)" % GDB_TIMEOUT
            rc = None
        except OSError as e:
            output, rc = "cannot run gdb: %s" % e, None
    finally:
        if qemu is not None:
            kill_group(qemu)
    with open(log, "w") as f:
        f.write(output)
    tag = script.rsplit(".", 1)[0] + ":"
    verdicts = [l for l in output.splitlines() if l.startswith(tag)]
    if rc == 0 and verdicts and ": PASS:" in verdicts[-1]:
        return name, True, [verdicts[-1]]
    reasons = verdicts or ["gdb exited with status %s and no verdict" % rc]
    tail = [l for l in output.splitlines() if l.strip()][-5:]
    return name, False, reasons + ["last lines: " + " | ".join(tail),
                                   "transcript: %s, serial: %s" % (log, serial)]


def run_all(kernel, initrd, out_dir, names=None):
    """Every check (or those in @names): a list of (name, ok, reasons)."""
    os.makedirs(out_dir, exist_ok=True)
    kernel = os.path.abspath(kernel)
    initrd = os.path.abspath(initrd) if initrd else None
    selected = [c for c in CHECKS if not names or c[0] in names]
    isos = {}   # cmdline -> (iso, error): one ISO per command line
    results = []
    for check in selected:
        name, script = check[0], check[1]
        cmdline = check[2] if len(check) > 2 else CMDLINE
        if cmdline not in isos:
            iso = os.path.join(out_dir, "gdb-%s.iso" % cmdline.split("/")[-1])
            isos[cmdline] = (iso, build_iso(kernel, initrd, iso, cmdline))
        iso, err = isos[cmdline]
        if err:
            results.append((name, False, [err]))
        else:
            results.append(run_one(name, script, kernel, iso, out_dir))
    return results


def main():
    p = argparse.ArgumentParser(description="the gdb-driven checks (kpt, walkthroughs)")
    p.add_argument("--kernel", default=os.path.join(REPO, "build", "kernel.elf"))
    p.add_argument("--initrd", default=os.path.join(REPO, "build", "initrd.cpio"))
    p.add_argument("--out", default=os.path.join(REPO, "build", "gdb-checks"))
    p.add_argument("names", nargs="*", help="checks to run (default: all)")
    args = p.parse_args()
    results = run_all(args.kernel, args.initrd, args.out, args.names)
    for name, ok, reasons in results:
        print("%s: %s" % (name, "ok" if ok else "FAILED"))
        for r in reasons:
            print("    " + r)
    bad = sum(1 for _, ok, _ in results if not ok)
    print("%d passed, %d failed" % (len(results) - bad, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
