# tests/gdb/check_marker.py - kpt and kuffd on userfaultfd write protection
# of shared memory: init=/tests/uffd_wp_shared, stopped in handle_userfault
# at its first WP fault (part 2: the write to page 3 of a 6-page shared
# area whose pages 0-2 were written before and 3-5 never touched, all
# write-protected). Page 3 is mapped read-only with the uffd-wp bit by
# then; pages 4 and 5 are still PTE markers.
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gdb  # noqa: E402

from walklib import Walk  # noqa: E402

w = Walk("check_marker")
VM_UFFD_WP = 0x1000
PAGE = 4096


class FirstWpFault(gdb.Breakpoint):
    def stop(self):
        try:
            return int(gdb.parse_and_eval("reason")) == VM_UFFD_WP
        except gdb.error:
            return False


def main():
    import mmkern

    w.start()
    FirstWpFault("handle_userfault", type=gdb.BP_HARDWARE_BREAKPOINT)
    w.cont("the first write-protect fault of uffd_wp_shared")
    addr = int(gdb.parse_and_eval("vmf->address")) & mmkern.MASK64
    start = int(gdb.parse_and_eval("vmf->vma->vm_start")) & mmkern.MASK64
    end = int(gdb.parse_and_eval("vmf->vma->vm_end")) & mmkern.MASK64
    w.check(end - start == 6 * PAGE and addr == start + 3 * PAGE,
            "the fault is at page 3 of the 6-page registered area")

    out = w.run("kpt %#x" % addr)
    w.check(" uffd-wp  page" in out and "P - U" in out,
            "kpt: page 3 is mapped read-only with the uffd-wp bit (a read mapped it)")
    w.check("next access: write-protected with userfaultfd" in out,
            "kpt: the verdict says a write goes to the monitor")
    for page in (4, 5):
        out = w.run("kpt %#x" % (start + page * PAGE))
        w.check("(not present: PTE marker (uffd-wp))" in out,
                "kpt: page %d, never touched, is a uffd-wp PTE marker" % page)
        w.check("next access: uffd-wp marker" in out,
                "kpt: the verdict for page %d explains the marker" % page)
    out = w.run("kpt %#x" % start)
    w.check(" uffd-wp  page" in out and "shared mapping" not in out,
            "kpt: page 0, written before, is protected in place")
    out = w.run("kuffd")
    w.check("wp_hugetlbfs_shmem" in out and "pagefault_flag_wp" in out,
            "kuffd: the context asked for PAGEFAULT_FLAG_WP and WP_HUGETLBFS_SHMEM")
    w.finish(True, "%d checks of kpt and kuffd on PTE markers hold" % w.checks)


main()
