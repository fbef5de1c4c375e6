# tests/gdb/break_step.py - the gdb check of "make test" (gdb_break_and_step).
#
# gdb runs this file itself (it is a gdb Python script, not a normal Python
# program):
#
#     gdb -q -nx -batch -x tests/gdb/break_step.py
#
# tests/run_tests.py starts QEMU stopped (-S) with its gdbstub on a free
# port, then runs gdb with these environment variables:
#
#     MMKERN_GDB_KERNEL    the ELF file with the kernel's symbols
#     MMKERN_GDB_PORT      QEMU's gdbstub port on 127.0.0.1
#     MMKERN_GDB_FUNCTION  the function to break in (alloc_pages)
#
# It checks that a student can debug the kernel: a hardware breakpoint at
# the function's first instruction is hit, gdb knows which function it is
# in, and one "stepi" moves to the next instruction of that function.
# Exit status 0 and a last line "gdb_break_and_step: PASS" mean success.
import os
import time

import gdb

KERNEL = os.environ.get("MMKERN_GDB_KERNEL", "build/kernel.elf")
PORT = os.environ.get("MMKERN_GDB_PORT", "1234")
FUNCTION = os.environ.get("MMKERN_GDB_FUNCTION", "alloc_pages")


def finish(ok, message):
    """Print the verdict, kill QEMU (the inferior) and leave gdb with 0 or 1."""
    print("gdb_break_and_step: %s: %s" % ("PASS" if ok else "FAIL", message), flush=True)
    try:
        gdb.execute("kill")  # QEMU's gdbstub ends QEMU on a kill request
    except gdb.error:
        pass  # already gone
    gdb.execute("quit %d" % (0 if ok else 1))


def pc():
    """The current instruction pointer as a Python int."""
    return int(gdb.parse_and_eval("$pc")) & 0xFFFFFFFFFFFFFFFF


def function_range(address):
    """[start, end) of the function whose code contains @address (from DWARF)."""
    block = gdb.block_for_pc(address)
    while block is not None and block.function is None:
        block = block.superblock  # inner lexical blocks have no function
    if block is None:
        return None
    return block.start, block.end


def connect():
    """target remote, retried for a few seconds while QEMU opens its socket."""
    deadline = time.monotonic() + 10
    while True:
        try:
            gdb.execute("target remote 127.0.0.1:%s" % PORT)
            return
        except gdb.error as e:
            if time.monotonic() > deadline:
                finish(False, "cannot connect to QEMU's gdbstub: %s" % e)
            time.sleep(0.2)


def main():
    gdb.execute("set pagination off")
    gdb.execute("set confirm off")
    gdb.execute("file %s" % KERNEL)
    entry = int(gdb.parse_and_eval("(unsigned long)&%s" % FUNCTION))
    connect()

    # "hbreak *FUNC" (with the star) breaks at the very first instruction.
    # "hbreak FUNC" would skip the prologue and stop a few bytes later.
    gdb.execute("hbreak *%s" % FUNCTION)
    try:
        gdb.execute("continue")
    except gdb.error as e:  # e.g. "Remote connection closed": QEMU exited
        finish(False, "QEMU stopped before %s was reached: %s" % (FUNCTION, e))

    here = pc()
    if here != entry:
        finish(False, "stopped at %#x, expected &%s = %#x" % (here, FUNCTION, entry))
    name = gdb.selected_frame().name()
    if name != FUNCTION:
        finish(False, "frame name is %r at the breakpoint, expected %r" % (name, FUNCTION))
    print("stopped at %s = %#x" % (FUNCTION, here), flush=True)

    # One machine instruction further: still in the same function.
    gdb.execute("delete")  # no breakpoint left to re-trigger while stepping
    gdb.execute("stepi")
    after = pc()
    bounds = function_range(entry)
    if after == here:
        finish(False, "stepi did not move $pc (still %#x)" % after)
    if bounds is None or not bounds[0] <= after < bounds[1]:
        finish(False, "after stepi $pc = %#x is outside %s %s" % (after, FUNCTION, bounds))
    name = gdb.selected_frame().name()
    if name != FUNCTION:
        finish(False, "frame name is %r after stepi, expected %r" % (name, FUNCTION))
    finish(True, "hbreak *%s hit at %#x, stepi moved to %#x (%s+%#x)"
           % (FUNCTION, here, after, FUNCTION, after - entry))


try:
    main()
except gdb.error as e:  # anything unexpected: fail, never hang or pass
    finish(False, "gdb error: %s" % e)
