# tests/gdb/walk_fork.py - the executable form of docs/walkthrough-fork.md.
#
# Boot: init=/bin/cowdemo (tests/gdb_checks.py). cowdemo maps 16 anonymous
# pages, writes each (so each has its own frame, writable), then forks. We
# stop in copy_page_range when fork copies that area's page tables:
#
#   before: the parent's PTE for page 0 is present and writable, the frame
#           anonymous with refcount 1 and mapcount 1; the child's new mm has
#           no PTE there yet (and no task owns that mm yet);
#   after "finish": the parent's PTE is read-only now, the child's PTE maps
#           the same frame, read-only too; the frame has refcount 2 and
#           mapcount 2 - for every one of the 16 pages.
#
# Every claim the document makes is a check() here.
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gdb  # noqa: E402

from walklib import Walk  # noqa: E402

NPAGES = 16
w = Walk("walk_fork")


class DemoCopy(gdb.Breakpoint):
    """Stops in copy_page_range only for cowdemo's 16-page anonymous area."""

    def stop(self):
        try:
            vma = gdb.parse_and_eval("src_vma")
            size = int(vma["vm_end"]) - int(vma["vm_start"])
            return int(vma["vm_file"]) == 0 and size == NPAGES * 4096
        except gdb.error:
            return False


def main():
    import mmkern

    w.start()
    w.note("cowdemo (pid 1) has written its 16 pages and calls fork(). We stop\n"
           "where fork copies the page tables of that area.")
    print("(gdb) break copy_page_range if <src_vma is cowdemo's 16-page area>")
    bp = DemoCopy("copy_page_range")
    w.cont("fork's copy_page_range")
    w.run("bt")
    w.check(gdb.selected_frame().name() == "copy_page_range", "stopped in copy_page_range")
    src = gdb.parse_and_eval("src_vma")
    dst = gdb.parse_and_eval("dst_vma")
    start = int(src["vm_start"]) & mmkern.MASK64
    child_mm = int(dst["vm_mm"]) & mmkern.MASK64
    parent = mmkern.current_task()
    w.run("kps")
    w.check(int(parent["pid"]) == 1 and mmkern.comm(parent) == "cowdemo",
            "the task forking is cowdemo, pid 1")
    w.run("p/x *src_vma")
    w.run("p/x dst_vma->vm_mm")
    w.check(child_mm != int(parent["mm"]) & mmkern.MASK64, "the child has its own, new mm")

    w.note("Before the copy: the parent's page 0 is private and writable.")
    w.run("kpt src_vma->vm_start")
    before = [mmkern.kpt(start + i * 4096) for i in range(NPAGES)]
    w.check(all(b["present"] and b["writable"] for b in before),
            "all 16 parent PTEs are present and writable")
    w.check(all(b["page"]["refcount"] == 1 and b["page"]["mapcount"] == 1
                and b["page"]["kind"] == "anonymous" for b in before),
            "each frame is anonymous, refcount 1, mapcount 1")
    w.run("kpt src_vma->vm_start dst_vma->vm_mm")
    c0 = mmkern.kpt(start, mm=child_mm)
    w.check(not c0["present"], "the child's mm has no PTE for it yet")

    bp.delete()
    w.note("Run copy_page_range to its end (copy_pud/pmd/pte_range, inlined).")
    w.run("finish")
    w.run("kpt %#x" % start)
    w.run("kpt %#x %#x" % (start, child_mm))
    after_p = [mmkern.kpt(start + i * 4096) for i in range(NPAGES)]
    after_c = [mmkern.kpt(start + i * 4096, mm=child_mm) for i in range(NPAGES)]
    w.check(all(p["present"] and not p["writable"] for p in after_p),
            "all 16 parent PTEs are write-protected now")
    w.check(all(c["present"] and not c["writable"] for c in after_c),
            "all 16 child PTEs are present and read-only")
    w.check(all(p["pfn"] == c["pfn"] == b["pfn"] for p, c, b in zip(after_p, after_c, before)),
            "parent and child map the same 16 frames as before the fork")
    w.check(all(p["page"]["refcount"] == 2 and p["page"]["mapcount"] == 2 for p in after_p),
            "each frame has refcount 2 and mapcount 2")
    w.check("write will COW-copy: refcount 2" in after_c[0]["verdict"],
            "kpt says the next write on either side will COW-copy")
    w.run("kpage %#x" % after_p[0]["pfn"])
    w.finish(True, "%d claims of docs/walkthrough-fork.md hold" % w.checks)


try:
    main()
except gdb.error as e:
    w.finish(False, "gdb error: %s" % e)
except Exception as e:  # a bug in the script: fail, never hang or pass
    w.finish(False, "%s: %s" % (type(e).__name__, e))
