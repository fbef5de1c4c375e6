# tests/gdb/check_commands.py - each gdb command of tests/gdb/mmkern.py on
# a known state: init=/bin/cowdemo, stopped in wp_page_copy for the child's
# first write to its 16-page anonymous area (pid 1 = cowdemo waiting for its
# child, pid 2 = the child in the page fault). Checks what the commands
# print, so a command that breaks or lies fails "make test".
import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gdb  # noqa: E402

from walklib import Walk  # noqa: E402

w = Walk("check_commands")


class ChildCopy(gdb.Breakpoint):
    def stop(self):
        try:
            vma = gdb.parse_and_eval("vmf->vma")
            t = gdb.parse_and_eval("boot_pcpu.current_task")
            return (int(t["real_parent"]["pid"]) == 1 and int(vma["vm_file"]) == 0
                    and int(vma["vm_end"]) - int(vma["vm_start"]) == 16 * 4096)
        except gdb.error:
            return False


def main():
    import mmkern

    w.start()
    for cmd in ("kps", "kpt", "kvma", "kpage", "kbt"):
        h = gdb.execute("help " + cmd, to_string=True)
        w.check(len(h.splitlines()) >= 3, "help %s explains the command" % cmd)

    ChildCopy("wp_page_copy", type=gdb.BP_HARDWARE_BREAKPOINT)
    w.cont("the child's wp_page_copy")
    addr = int(gdb.parse_and_eval("vmf->address")) & mmkern.MASK64

    out = w.run("kps")
    rows = {int(l.lstrip("> ").split()[0]): l for l in out.splitlines()[1:] if l.strip()}
    w.check(set(rows) == {0, 1, 2}, "kps lists pids 0, 1, 2")
    w.check(rows[2].startswith(">") and "R (running)" in rows[2] and "cowdemo" in rows[2],
            "kps: pid 2 (cowdemo) is running and marked current")
    w.check("S (sleeping)" in rows[1] and "do_wait" in rows[1],
            "kps: pid 1 sleeps, wait channel do_wait (waitpid)")
    w.check("swapper" in rows[0] and rows[0].rstrip().endswith("-"), "kps: pid 0 swapper has no mm")

    out = w.run("kvma")
    lines = out.splitlines()
    w.check("6 VMAs" in lines[0] and len(lines) == 7, "kvma: 6 VMAs, one line each")
    w.check(sum("/bin/cowdemo" in l for l in lines) == 4,
            "kvma: 4 file mappings of /bin/cowdemo (ELF segments)")
    w.check(any(re.match(r"^000000401000-\S+ r-xp 00001000 ", l) for l in lines),
            "kvma: the text segment is r-xp at file offset 0x1000")
    w.check(any("[stack]" in l and " gd" in l for l in lines), "kvma: [stack] grows down")
    w.check(any(l.startswith("%012x-%012x rw-p" % (addr, addr + 16 * 4096)) for l in lines),
            "kvma: the 16-page anonymous area rw-p")

    out = w.run("kpt %#x" % addr)
    w.check(len(re.findall(r"^  (PGD|PUD|PMD|PTE) +\d+ +0x[0-9a-f]{16} -> ", out, re.M)) == 4,
            "kpt: four levels, each with index, entry and physical address")
    w.check(re.search(r"^  PTE .* P - U A D NX  page$", out, re.M) is not None,
            "kpt: the PTE bits read P - U A D NX (present, read-only, user, no-exec)")
    w.check("refcount 3, mapcount 2, anonymous" in out,
            "kpt: the struct page (refcount 3 inside wp_page_copy, mapcount 2, anonymous)")
    w.check("next access: write will COW-copy: refcount 3" in out, "kpt: the verdict in words")
    out = w.run("kpt 0x400000 1")
    w.check("page cache" in out and "/bin/cowdemo" in out and "read-only mapping" in out,
            "kpt: the parent's ELF header page: page cache, read-only mapping")
    out = w.run("kpt 0x400000")
    w.check("(not present)" in out and "demand fault (do_fault" in out,
            "kpt: in the child it is not mapped (fork copies no PTEs of a file VMA "
            "without anonymous pages): demand fault from the page cache")
    out = w.run("kpt 0x7fff00000000")
    w.check("(not present)" in out and "no VMA here" in out, "kpt: an unmapped hole: no VMA, SIGSEGV")
    out = w.run("kpt %#x 1" % (addr + 15 * 4096))
    w.check("in pid 1 (cowdemo)" in out and "refcount 2" in out, "kpt ADDR PID walks another task")
    out = w.run("kpt &init_task")
    w.check("kernel mapping, writable: no fault" in out and " G" in out,
            "kpt: a kernel data address is a global, writable kernel mapping")

    pfn = mmkern.kpt(addr)["pfn"]
    out1 = w.run("kpage %#x" % pfn)
    out2 = w.run("kpage %#x" % addr)
    out3 = w.run("kpage vmf->page")
    w.check(out1 == out2 == out3 and "pfn %#x" % pfn in out1,
            "kpage: a PFN, a user address and a struct page * name the same page")
    out = w.run("kpage %#x" % (mmkern.PAGE_OFFSET + (pfn << 12)))
    w.check(out == out1, "kpage: a direct-map address too")

    out = w.run("kbt")
    w.check(re.search(r"#\d+ .*wp_page_copy", out) and "handle_mm_fault" in out
            and "exc_page_fault" in out, "kbt: kernel frames from wp_page_copy to exc_page_fault")
    regs = mmkern.task_regs(mmkern.current_task())
    w.check("page fault (#PF), error code 0x7" in out
            and "user  rip %#018x" % (int(regs["rip"]) & mmkern.MASK64) in out,
            "kbt: the user-mode entry: #PF error 7 and the user RIP from pt_regs")
    out = w.run("kbt 1")
    w.check("do_wait" in out and "system call wait4" in out,
            "kbt PID: a sleeping task's frames (do_wait) and its syscall (wait4)")
    w.finish(True, "%d checks of the gdb commands hold" % w.checks)


try:
    main()
except gdb.error as e:
    w.finish(False, "gdb error: %s" % e)
except Exception as e:
    w.finish(False, "%s: %s" % (type(e).__name__, e))
