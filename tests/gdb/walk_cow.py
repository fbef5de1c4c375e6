# tests/gdb/walk_cow.py - the executable form of docs/walkthrough-cow-fault.md.
#
# Boot: init=/bin/cowdemo (tests/gdb_checks.py). cowdemo maps 16 anonymous
# pages, writes them, forks; the child reads them, then writes pages 0..7.
# The child's first write to page 0 is the copy-on-write fault we watch:
#
#   1. stop in do_wp_page (inlined into handle_mm_fault) for that write;
#      the PTE is present and read-only, the page anonymous with refcount 2
#      and mapcount 2, parent and child map the same frame;
#   2. stop in wp_page_copy (do_wp_page took a reference: refcount 3) and
#      "finish": the child's PTE is writable and dirty and points at a new
#      frame (refcount 1, mapcount 1); the old frame has refcount 1 and
#      mapcount 1 - the parent's - and the parent's PTE is still read-only;
#   3. the parent's own write later, after the child exited: do_wp_page
#      again, refcount 1, so wp_page_reuse makes the PTE writable in place,
#      same frame.
#
# Every claim the document makes is a check() here.
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gdb  # noqa: E402

from walklib import Walk  # noqa: E402

NPAGES = 16
w = Walk("walk_cow")


def current():
    import mmkern
    return mmkern.current_task()


def in_demo_area(vma_expr):
    """Is vma_expr the 16-page anonymous area of cowdemo?"""
    vma = gdb.parse_and_eval(vma_expr)
    size = int(vma["vm_end"]) - int(vma["vm_start"])
    return int(vma["vm_file"]) == 0 and size == NPAGES * 4096


class DemoFault(gdb.Breakpoint):
    """Stops only for a write fault in cowdemo's area by the chosen task."""

    def __init__(self, spec, child, hw=False):
        super().__init__(spec, type=gdb.BP_HARDWARE_BREAKPOINT if hw else gdb.BP_BREAKPOINT,
                         internal=False)
        self.child = child

    def stop(self):
        try:
            t = current()
            is_child = int(t["real_parent"]["pid"]) != 0  # init's parent is pid 0
            if is_child != self.child:
                return False
            return in_demo_area("vmf->vma")
        except gdb.error:
            return False


def main():
    import mmkern

    w.start()
    w.note("cowdemo runs as init (pid 1) and forks a child (pid 2). We stop in\n"
           "do_wp_page when the child first writes to the shared anonymous area.")
    print("(gdb) break do_wp_page if <the child writes to cowdemo's 16-page area>")
    bp = DemoFault("do_wp_page", child=True)
    w.cont("the child's COW fault")
    w.run("bt")
    w.run("kps")
    t = current()
    child_pid, parent_pid = int(t["pid"]), int(t["real_parent"]["pid"])
    w.check(int(t["real_parent"]["pid"]) == 1 and child_pid != 1,
            "the faulting task is cowdemo's child (pid %d, parent %d)" % (child_pid, parent_pid))
    addr = int(gdb.parse_and_eval("vmf->address")) & mmkern.MASK64
    w.run("p/x vmf->address")
    w.run("kpt vmf->address")
    before = mmkern.kpt(addr)
    w.check(before["present"] and not before["writable"],
            "the child's PTE is present and read-only")
    old_pfn = before["pfn"]
    w.check(before["page"]["kind"] == "anonymous" and before["page"]["refcount"] == 2
            and before["page"]["mapcount"] == 2,
            "the frame is anonymous with refcount 2 and mapcount 2 (parent and child)")
    w.check("write will COW-copy: refcount 2" in before["verdict"],
            "kpt says: write will COW-copy: refcount 2")
    w.run("kpt vmf->address %d" % parent_pid)
    parent = mmkern.kpt(addr, parent_pid)
    w.check(parent["pfn"] == old_pfn and not parent["writable"],
            "the parent maps the same frame %#x, read-only too" % old_pfn)
    w.run("kvma")
    w.run("kbt")
    regs = mmkern.task_regs(t)
    w.check(int(regs["vector"]) == 14 and int(regs["error_code"]) & 7 == 7,
            "the saved pt_regs say: page fault from user mode, a write to a present page (error code 7)")

    w.note("do_wp_page decides: anonymous page, refcount 2, not ours alone -> copy.\n"
           "It takes its own reference (refcount 3) and calls wp_page_copy.")
    bp.delete()
    print("(gdb) break wp_page_copy")
    bp2 = DemoFault("wp_page_copy", child=True, hw=True)
    w.cont("wp_page_copy")
    page = mmkern.page_info(old_pfn)
    w.run("kpage %#x" % old_pfn)
    w.check(page["refcount"] == 3, "in wp_page_copy the old frame has refcount 3 (do_wp_page's get_page)")
    bp2.delete()
    w.run("finish")
    w.run("kpt %#x" % addr)
    after = mmkern.kpt(addr)
    w.check(after["present"] and after["writable"], "after wp_page_copy the child's PTE is writable")
    w.check(after["entry"] & mmkern._PAGE_DIRTY != 0, "and dirty (wp_page_copy maps the copy with pte_mkdirty)")
    w.check(after["pfn"] != old_pfn, "it points at a new frame %#x, not %#x" % (after["pfn"], old_pfn))
    w.check(after["page"]["refcount"] == 1 and after["page"]["mapcount"] == 1,
            "the new frame has refcount 1 and mapcount 1")
    w.run("kpage %#x" % old_pfn)
    oldp = mmkern.page_info(old_pfn)
    w.check(oldp["refcount"] == 1 and oldp["mapcount"] == 1,
            "the old frame dropped to refcount 1, mapcount 1: the parent's PTE only")
    w.run("kpt %#x %d" % (addr, parent_pid))
    parent = mmkern.kpt(addr, parent_pid)
    w.check(parent["pfn"] == old_pfn and not parent["writable"]
            and "reuse the page in place: refcount 1" in parent["verdict"],
            "the parent's PTE is unchanged (read-only); its next write will reuse the page")

    w.note("The child writes pages 1..7 (more copies), exits; the parent waits,\n"
           "then writes all 16 pages. Page 0 again, now in the parent:")
    print("(gdb) break do_wp_page if <the parent writes to cowdemo's 16-page area>")
    bp3 = DemoFault("do_wp_page", child=False)
    w.cont("the parent's write fault")
    w.run("p/x vmf->address")
    addr2 = int(gdb.parse_and_eval("vmf->address")) & mmkern.MASK64
    w.check(addr2 == addr, "the parent faults on the same address %#x" % addr)
    w.run("kpt vmf->address")
    p1 = mmkern.kpt(addr)
    w.check(int(current()["pid"]) == parent_pid and p1["pfn"] == old_pfn and not p1["writable"]
            and p1["page"]["refcount"] == 1,
            "parent: read-only PTE, same frame %#x, refcount 1" % old_pfn)
    w.run("kps")
    bp3.delete()
    gdb.execute("break wp_page_reuse", to_string=True)
    gdb.execute("break wp_page_copy", to_string=True)
    print("(gdb) break wp_page_reuse")
    print("(gdb) break wp_page_copy")
    w.cont("wp_page_reuse")
    w.check(gdb.selected_frame().name() == "wp_page_reuse",
            "do_wp_page calls wp_page_reuse, not wp_page_copy")
    w.run("finish")
    w.run("kpt %#x" % addr)
    p2 = mmkern.kpt(addr)
    w.check(p2["writable"] and p2["pfn"] == old_pfn and p2["page"]["refcount"] == 1,
            "the parent's PTE is writable again, same frame %#x, nothing copied" % old_pfn)
    w.finish(True, "%d claims of docs/walkthrough-cow-fault.md hold" % w.checks)


try:
    main()
except gdb.error as e:
    w.finish(False, "gdb error: %s" % e)
except Exception as e:  # a bug in the script: fail, never hang or pass
    w.finish(False, "%s: %s" % (type(e).__name__, e))
