# tests/gdb/walk_uffd.py - the executable form of docs/walkthrough-userfault.md.
#
# Boot: init=/bin/uffd-demo (tests/gdb_checks.py). uffd-demo registers 4
# anonymous pages with a userfaultfd (MISSING mode) and starts a handler
# thread that serves each fault with UFFDIO_COPY; the main thread then
# reads the pages. Its first read, of page 0, is the userfault we watch:
#
#   1. stop in handle_userfault: the main thread faults, the PTE is not
#      present (none), kpt says the fault goes to the monitor;
#   2. stop after it queued itself on fault_pending_wqh: kuffd shows one
#      pending fault at the page-aligned address, the task's state is S;
#   3. stop in mfill_atomic_copy (the handler's UFFDIO_COPY): the handler
#      thread runs, the main thread sleeps in handle_userfault ("userfault"
#      in kps) and kuffd shows the fault reported (read), no longer pending;
#   4. "finish": the PTE is present, a new anonymous frame with refcount 1
#      and mapcount 1, holding the handler's 'A's;
#   5. wake_userfault (after the copy): no fault left in kuffd, the main
#      thread runnable; it returns from handle_userfault with
#      VM_FAULT_RETRY | VM_FAULT_MAJOR, and the PTE is there for the retry.
#
# Every claim the document makes is a check() here.
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gdb  # noqa: E402

from walklib import Walk  # noqa: E402

w = Walk("walk_uffd")
UFC = "kernel/userfaultfd.c"


def current():
    import mmkern
    return mmkern.current_task()


def source_line(text):
    """The line number of the first line of kernel/userfaultfd.c containing text
    (inside handle_userfault), so that the script follows the source."""
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    inside = False
    with open(os.path.join(repo, UFC)) as f:
        for n, line in enumerate(f, 1):
            if line.startswith("vm_fault_t handle_userfault("):
                inside = True
            if inside and text in line:
                return n
    raise gdb.GdbError("%s: no line with %r in handle_userfault" % (UFC, text))


def hbreak(spec):
    print("(gdb) hbreak %s" % spec, flush=True)
    return gdb.Breakpoint(spec, type=gdb.BP_HARDWARE_BREAKPOINT)


def main():
    import mmkern

    w.start()
    h = gdb.execute("help kuffd", to_string=True)
    w.check(len(h.splitlines()) >= 3 and "pending" in h and "reported" in h,
            "help kuffd explains the command")
    w.note("uffd-demo runs as init (pid 1). It registers 4 anonymous pages with a\n"
           "userfaultfd, starts a handler thread, and reads the pages. We stop in\n"
           "handle_userfault when the main thread first touches page 0.")
    bp = hbreak("handle_userfault")
    w.cont("the main thread's userfault")
    w.run("bt")
    ret_pc = gdb.selected_frame().older().pc()
    t = current()
    main_pid = int(t["pid"])
    w.check(main_pid == int(t["tgid"]) == 1,
            "the faulting task is uffd-demo's main thread (pid 1, tgid 1)")
    w.run("p/x vmf->address")
    w.run("p vmf->vma->vm_userfaultfd_ctx")
    addr = int(gdb.parse_and_eval("vmf->address")) & mmkern.MASK64
    w.check(addr & 0xfff == 0, "vmf->address %#x is page-aligned" % addr)
    area = int(gdb.parse_and_eval("vmf->vma->vm_start")) & mmkern.MASK64
    w.check(addr == area, "it is page 0 of the registered area %#x" % area)
    w.run("kps")
    w.run("kpt vmf->address")
    before = mmkern.kpt(addr)
    last = before["levels"][-1]
    w.check(not before["present"] and last["entry"] == 0,
            "the PTE is not present: %s entry none (0)" % last["level"])
    w.check("registered with userfaultfd" in before["verdict"],
            "kpt says: not present, registered with userfaultfd")
    vma = gdb.parse_and_eval("vmf->vma")
    w.check(int(vma["vm_flags"]) & mmkern.VM_UFFD_MISSING
            and int(vma["vm_userfaultfd_ctx"]) != 0,
            "the VMA is registered MISSING (um) with a context (uffd=)")
    w.run("kuffd")
    ctxs = mmkern.kuffd()
    w.check(len(ctxs) == 1 and not ctxs[0]["pending"] and not ctxs[0]["reported"]
            and not ctxs[0]["released"] and ctxs[0]["features"] & (1 << 31)
            and ctxs[0]["ranges"][0][1] == area,
            "one open context, API done (initialized), registered at %#x, no fault queued yet" % area)
    bp.delete()

    w.note("handle_userfault builds the message, queues itself on\n"
           "ctx->fault_pending_wqh and sets its state before re-checking the PTE.\n"
           "We stop right after that, before it drops mmap_lock and sleeps.")
    bp = hbreak("%s:%d" % (UFC, source_line("must_wait = userfaultfd_must_wait")))
    w.cont("the queued fault")
    w.check(int(current()["pid"]) == main_pid, "still the main thread")
    w.run("kuffd")
    c = mmkern.kuffd()[0]
    w.check(len(c["pending"]) == 1 and c["pending"][0]["address"] == addr
            and c["pending"][0]["pid"] == main_pid and not c["reported"],
            "one pending fault at %#x by pid %d, none reported" % (addr, main_pid))
    w.check(c["pending"][0]["flags"] == 0, "a read fault (no WRITE flag)")
    w.check(c["refcount"] == 2, "the context's refcount is 2: the file and the waiting fault")
    w.run("kps")
    w.check(int(current()["state"]) == 1,
            "the main thread is about to sleep: state S (TASK_INTERRUPTIBLE) while still running")
    bp.delete()

    w.note("It sleeps; the handler thread's poll() wakes, read() takes the message\n"
           "(moving the fault to fault_wqh) and it calls ioctl(UFFDIO_COPY).")
    bp = hbreak("mfill_atomic_copy")
    w.cont("the handler's UFFDIO_COPY")
    w.run("bt")
    h = current()
    w.check(int(h["tgid"]) == main_pid and int(h["pid"]) != main_pid,
            "the handler thread (pid %d, tgid %d) runs mfill_atomic_copy" % (int(h["pid"]), main_pid))
    w.run("p/x dst")
    w.check(int(gdb.parse_and_eval("dst")) & mmkern.MASK64 == addr,
            "it fills the faulting page %#x" % addr)
    w.run("kps")
    m = mmkern.find_task(main_pid)
    w.check(mmkern.state_name(m).startswith("S") and mmkern.wchan(m).startswith("userfault handle_userfault"),
            "the main thread sleeps (S) in handle_userfault: kps says userfault")
    w.run("kuffd")
    c = mmkern.kuffd()[0]
    w.check(not c["pending"] and len(c["reported"]) == 1
            and c["reported"][0]["address"] == addr and c["reported"][0]["pid"] == main_pid,
            "the fault is reported (on fault_wqh), no longer pending")
    w.run("kpt %#x %d" % (addr, main_pid))
    w.check(not mmkern.kpt(addr, main_pid)["present"], "the PTE is still not present")
    bp.delete()
    w.run("finish")
    w.run("kpt %#x %d" % (addr, main_pid))
    after = mmkern.kpt(addr, main_pid)
    w.check(after["present"], "after mfill_atomic_copy the PTE is present")
    pg = after["page"]
    w.check(pg["kind"] == "anonymous" and pg["refcount"] == 1 and pg["mapcount"] == 1,
            "a new anonymous frame %#x, refcount 1, mapcount 1" % after["pfn"])
    w.run("x/4cb 0x%x + %#x" % (mmkern.PAGE_OFFSET, after["pfn"] << 12))
    first = int(gdb.parse_and_eval("*(unsigned char *)%#x" % (mmkern.PAGE_OFFSET + (after["pfn"] << 12))))
    w.check(first == ord("A"), "the frame holds the handler's 'A's")
    w.run("kuffd")
    c = mmkern.kuffd()[0]
    w.check(len(c["reported"]) == 1, "the fault is still reported: the wake comes after the copy")

    w.note("userfaultfd_copy then calls wake_userfault for the copied range:\n"
           "__wake_userfault takes the fault off fault_wqh, marks it waken and\n"
           "wakes the main thread (runnable again, not running yet).")
    bp = hbreak("wake_userfault")
    w.cont("wake_userfault")
    w.check(int(current()["pid"]) != main_pid, "the handler thread calls wake_userfault")
    bp.delete()
    w.run("finish")
    w.run("kuffd")
    c = mmkern.kuffd()[0]
    w.check(not c["pending"] and not c["reported"], "no fault left, pending or reported")
    w.run("kps")
    m = mmkern.find_task(main_pid)
    w.check(mmkern.state_name(m).startswith("R") and mmkern.wchan(m) == "-",
            "the main thread is runnable (R) again")

    w.note("When the scheduler runs it, the main thread returns from schedule()\n"
           "and handle_userfault returns to do_anonymous_page. We stop at that\n"
           "return address (frame #1 of the first backtrace).")
    print("(gdb) hbreak *%#x" % ret_pc, flush=True)
    bp = gdb.Breakpoint("*%#x" % ret_pc, type=gdb.BP_HARDWARE_BREAKPOINT)
    w.cont("the main thread's return from handle_userfault")
    w.check(int(current()["pid"]) == main_pid, "the main thread runs again")
    bp.delete()
    w.run("p/x $rax")
    ret = int(gdb.parse_and_eval("$rax")) & 0xffffffff
    VM_FAULT_MAJOR, VM_FAULT_RETRY = 0x4, 0x400  # mm/mm_types.h
    w.check(ret & VM_FAULT_RETRY and ret & VM_FAULT_MAJOR,
            "handle_userfault returned VM_FAULT_RETRY | VM_FAULT_MAJOR (%#x): the fault is retried" % ret)
    w.run("kpt %#x" % addr)
    w.check(mmkern.kpt(addr)["present"], "the PTE is present: the retry maps nothing, the read succeeds")
    w.finish(True, "%d claims of docs/walkthrough-userfault.md hold" % w.checks)


try:
    main()
except gdb.error as e:
    w.finish(False, "gdb error: %s" % e)
except Exception as e:  # a bug in the script: fail, never hang or pass
    w.finish(False, "%s: %s" % (type(e).__name__, e))
