# tests/gdb/walklib.py - what the walkthrough scripts (tests/gdb/walk_*.py)
# share: connecting to QEMU, running a gdb command while printing it the way
# an interactive session shows it ("(gdb) kpt ..." then its output), and
# checks that end the run with a verdict.
#
# A walkthrough script runs inside gdb:
#
#     MMKERN_GDB_KERNEL=build/kernel.elf MMKERN_GDB_PORT=1234 \
#         gdb -q -nx -batch -x tests/gdb/walk_cow.py
#
# against a QEMU started with -S -gdb tcp:127.0.0.1:1234 (tests/gdb_checks.py
# does both). Its stdout is the transcript that docs/walkthrough-*.md quote;
# the last line is "NAME: PASS: ..." or "NAME: FAIL: ...", exit status 0/1.
import os
import sys
import time

import gdb

HERE = os.path.dirname(os.path.abspath(__file__))
KERNEL = os.environ.get("MMKERN_GDB_KERNEL", "build/kernel.elf")
PORT = os.environ.get("MMKERN_GDB_PORT", "1234")

if HERE not in sys.path:
    sys.path.insert(0, HERE)


class Walk:
    def __init__(self, name):
        self.name = name
        self.checks = 0

    def finish(self, ok, message):
        print("%s: %s: %s" % (self.name, "PASS" if ok else "FAIL", message), flush=True)
        try:
            gdb.execute("kill")  # QEMU's gdbstub ends QEMU on a kill request
        except gdb.error:
            pass
        gdb.execute("quit %d" % (0 if ok else 1))

    def start(self):
        gdb.execute("set pagination off")
        gdb.execute("set confirm off")
        gdb.execute("set print frame-arguments scalars")
        gdb.execute("file %s" % KERNEL)
        deadline = time.monotonic() + 10
        while True:
            try:
                gdb.execute("target remote 127.0.0.1:%s" % PORT, to_string=True)
                break
            except gdb.error as e:
                if time.monotonic() > deadline:
                    self.finish(False, "cannot connect to QEMU's gdbstub: %s" % e)
                time.sleep(0.2)
        gdb.execute("source %s" % os.path.join(HERE, "mmkern.py"))
        import mmkern  # noqa: F401  (the commands are registered by the source above)

    def note(self, text):
        """A comment in the transcript."""
        print("", flush=True)
        for line in text.splitlines():
            print("# " + line if line else "#")

    def run(self, cmd, show=True):
        """Run a gdb command as if typed; print it and its output."""
        if show:
            print("(gdb) " + cmd, flush=True)
        try:
            out = gdb.execute(cmd, to_string=True)
        except gdb.error as e:
            if show:
                print(str(e))
            self.finish(False, "%r failed: %s" % (cmd, e))
        if show and out:
            print(out.rstrip("\n"), flush=True)
        return out

    def cont(self, what):
        """continue, failing cleanly if QEMU stops or exits instead."""
        print("(gdb) continue", flush=True)
        try:
            out = gdb.execute("continue", to_string=True)
        except gdb.error as e:
            self.finish(False, "QEMU stopped before %s: %s" % (what, e))
        print(out.rstrip("\n"), flush=True)
        return out

    def check(self, ok, message):
        self.checks += 1
        if not ok:
            self.finish(False, "claim %d does not hold: %s" % (self.checks, message))
        print("  [check %d ok] %s" % (self.checks, message), flush=True)
