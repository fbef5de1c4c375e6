# tests/gdb/mmkern.py - kernel-aware gdb commands for mmkern (like Linux's
# scripts/gdb: lx-ps, page-table translation), made for teaching.
#
# Load it into a gdb that has build/kernel.elf and is attached to QEMU:
#
#     (gdb) source tests/gdb/mmkern.py        (make debug does this for you)
#
# Commands (each has "help CMD"):
#
#     kps               every task: pid, tgid, state, comm, wait channel, mm
#     kpt ADDR [PID|MM] walk the page table for ADDR, level by level, show the
#                       struct page at the end and what the next access does
#     kvma [PID]        the VMAs of a task, in /proc/PID/maps form
#     kpage PFN|ADDR    one struct page
#     kbt [PID]         backtrace: kernel frames, then the user registers
#                       (struct pt_regs) at the top of the task's kernel stack
#     kuffd             userfaultfd contexts, their pending and reported faults
#
# How it reads the machine: gdb reads *virtual* memory through QEMU, with
# the page tables the CPU has loaded right now (CR3). Every address space
# shares the kernel half, so the kernel image and the direct map of all RAM
# (__va(phys) = phys + 0xffff888000000000) are always readable: page tables
# of any process are read through the direct map, never through user
# addresses. "The current task" is boot_pcpu.current_task (one CPU; the
# kernel's `current` is the same field, read through GS).
#
# The functions below (walk(), tasks(), page_info(), ...) are also used by
# the walkthrough checks in tests/gdb/ to assert what the docs claim.

import gdb

PAGE_OFFSET = 0xFFFF888000000000
KERNEL_VMA = 0xFFFFFFFF80000000
PAGE_SIZE = 4096
THREAD_SIZE = 16 * 1024
MASK64 = (1 << 64) - 1
PTE_PFN_MASK = 0x000FFFFFFFFFF000

# PTE bits (arch/x86_64/pgtable.h)
_PAGE_PRESENT = 1 << 0
_PAGE_RW = 1 << 1
_PAGE_USER = 1 << 2
_PAGE_ACCESSED = 1 << 5
_PAGE_DIRTY = 1 << 6
_PAGE_PSE = 1 << 7
_PAGE_GLOBAL = 1 << 8
_PAGE_UFFD_WP = 1 << 9          # _PAGE_SOFTW1: write-protected by a userfaultfd monitor
_PAGE_PTE_MARKER = 1 << 10      # _PAGE_SOFTW2, in a not-present entry: a PTE marker
_PAGE_NX = 1 << 63
PTE_MARKER_UFFD_WP = 1 << 0     # marker bits sit where a frame number would

# page->flags bits (mm/mm_types.h enum pageflags)
PAGE_FLAGS = ["reserved", "buddy", "slab", "pgtable", "large_kmalloc", "dirty", "anon"]
PG_anon = 6

# vm_flags (mm/mm_types.h)
VM_READ, VM_WRITE, VM_EXEC, VM_SHARED = 0x1, 0x2, 0x4, 0x8
VM_MAYWRITE = 0x20
VM_GROWSDOWN = 0x100
VM_UFFD_MISSING = 0x200
VM_UFFD_WP = 0x1000
VM_FLAG_NAMES = [
    (0x1, "rd"), (0x2, "wr"), (0x4, "ex"), (0x8, "sh"), (0x10, "mr"), (0x20, "mw"),
    (0x40, "me"), (0x80, "ms"), (0x100, "gd"), (0x200, "um"), (0x1000, "uw"),
    (0x20000, "dc"), (0x100000, "ac"),
]

# task->state and exit_state (kernel/sched.h)
TASK_STATES = {0: "R (running)", 1: "S (sleeping)", 2: "D (disk sleep)", 64: "X (dead)",
               130: "D (killable)"}
EXIT_ZOMBIE, EXIT_DEAD = 16, 32

LEVELS = [("PGD", 39), ("PUD", 30), ("PMD", 21), ("PTE", 12)]


# ---------------------------------------------------------------------------
# Reading memory and symbols
# ---------------------------------------------------------------------------

def u64(value):
    """A gdb.Value (pointer or integer) as a Python int, unsigned."""
    return int(value) & MASK64


def read_u64(addr):
    mem = gdb.selected_inferior().read_memory(addr, 8)
    return int.from_bytes(bytes(mem), "little")


def read_phys_u64(phys):
    """8 bytes of physical memory, read through the direct map."""
    return read_u64(PAGE_OFFSET + phys)


def ev(expr):
    return gdb.parse_and_eval(expr)


def to_int(arg):
    """A command argument: any gdb expression (0x7eff..., $cr2, vmf->address)."""
    return u64(ev(arg))


def ptr(typename, addr):
    """(TYPE *)addr as a gdb.Value."""
    return gdb.Value(addr).cast(gdb.lookup_type(typename).pointer())


def offset_of(typename, field):
    return u64(ev("(unsigned long)&((%s *)0)->%s" % (typename, field)))


def list_entries(head_addr, typename, field):
    """container_of() every entry of the list_head at head_addr."""
    off = offset_of(typename, field)
    node = read_u64(head_addr)
    seen = 0
    while node != head_addr and node != 0 and seen < 100000:
        yield ptr(typename, node - off).dereference()
        node = read_u64(node)
        seen += 1


def symbolize(addr):
    """'func+0x12' for a code address, or hex."""
    try:
        out = gdb.execute("info symbol %#x" % addr, to_string=True).strip()
    except gdb.error:
        return "%#x" % addr
    if out.startswith("No symbol"):
        return "%#x" % addr
    name = out.split(" in section")[0].replace(" + ", "+")
    return name


def function_of(addr):
    """The name of the function containing addr (no offset), or None."""
    s = symbolize(addr)
    if s.startswith("0x"):
        return None
    return s.split("+")[0]


def source_of(addr):
    sal = gdb.find_pc_line(addr)
    if sal.symtab is None:
        return ""
    return "%s:%d" % (sal.symtab.filename, sal.line)


def cstring(value):
    try:
        return value.string(errors="replace")
    except gdb.error:
        return "?"


def phys_of_kernel_va(va):
    """__pa(): direct map or kernel image address -> physical."""
    if va >= KERNEL_VMA:
        return va - KERNEL_VMA
    if va >= PAGE_OFFSET:
        return va - PAGE_OFFSET
    return None


# ---------------------------------------------------------------------------
# Tasks
# ---------------------------------------------------------------------------

def current_task():
    """The running task: boot_pcpu.current_task (NULL before sched_init)."""
    t = ev("boot_pcpu.current_task")
    if u64(t) == 0:
        return ev("init_task")
    return t.dereference()


def tasks():
    """init_task (pid 0, the idle task) and every task on task_list."""
    out = [ev("init_task")]
    head = u64(ev("&task_list"))
    init = u64(ev("&init_task"))
    for t in list_entries(head, "struct task_struct", "tasks"):
        if u64(t.address) != init:
            out.append(t)
    return out


def find_task(pid):
    for t in tasks():
        if int(t["pid"]) == pid:
            return t
    raise gdb.GdbError("no task with pid %d (kps lists them)" % pid)


def task_arg(argv, index):
    """The task named by argv[index] (a pid), or the current task."""
    if len(argv) > index:
        return find_task(int(to_int(argv[index])))
    return current_task()


def task_mm(t):
    """The mm a task uses: its own, or the one a kernel thread borrows."""
    mm = t["mm"]
    if u64(mm) == 0:
        mm = t["active_mm"]
    return mm


def comm(t):
    return cstring(t["comm"])


def state_name(t):
    es = int(t["exit_state"])
    if es == EXIT_ZOMBIE:
        return "Z (zombie)"
    if es == EXIT_DEAD:
        return "X (dead)"
    s = int(t["state"])
    return TASK_STATES.get(s, "? (%#x)" % s)


def is_current(t):
    return u64(t.address) == u64(current_task().address)


# Functions that only say "asleep": the wait channel is the first caller
# outside them (Linux's get_wchan() skips the scheduler the same way).
SCHED_FUNCS = {"schedule", "__schedule", "schedule_timeout", "schedule_tail",
               "__switch_to_asm", "__switch_to", "prepare_to_wait", "finish_wait",
               "msleep", "cond_resched"}


def switch_frames(t, limit=16):
    """Return addresses on a switched-out task's stack, newest first.

    thread.sp points at what __switch_to_asm pushed (arch/x86_64/switch.asm):
    r15 r14 r13 r12 rbx rbp, then the return address into schedule(). From
    there the kernel's frame pointers chain: [rbp] = caller's rbp, [rbp+8] =
    return address."""
    lo = u64(t["stack"])
    hi = lo + THREAD_SIZE
    sp = u64(t["thread"]["sp"])
    if not lo or not (lo <= sp < hi):
        return []
    out = [read_u64(sp + 48)]
    rbp = read_u64(sp + 40)
    while len(out) < limit and lo <= rbp < hi - 16:
        ret = read_u64(rbp + 8)
        if ret < KERNEL_VMA:
            break
        out.append(ret)
        rbp = read_u64(rbp)
    return out


def wchan(t):
    """What a sleeping task waits in: the first non-scheduler function."""
    if is_current(t) or int(t["state"]) == 0 and not int(t["exit_state"]):
        return "-"
    try:
        frames = switch_frames(t)
    except gdb.MemoryError:
        return "?"
    for ret in frames:
        f = function_of(ret)
        if f and f not in SCHED_FUNCS:
            if f == "handle_userfault":
                return "userfault " + symbolize(ret)
            return symbolize(ret)
    return symbolize(frames[0]) if frames else "?"


# ---------------------------------------------------------------------------
# Page tables
# ---------------------------------------------------------------------------

def flag_string(entry):
    bits = [(_PAGE_PRESENT, "P"), (_PAGE_RW, "W"), (_PAGE_USER, "U"),
            (_PAGE_ACCESSED, "A"), (_PAGE_DIRTY, "D")]
    s = " ".join(name if entry & bit else "-" for bit, name in bits)
    s += " NX" if entry & _PAGE_NX else " --"
    if entry & _PAGE_PSE:
        s += " PS"
    if entry & _PAGE_GLOBAL:
        s += " G"
    if entry & _PAGE_UFFD_WP:
        s += " uffd-wp"
    return s


def not_present_kind(entry):
    """In words, a not-present entry (arch/x86_64/pgtable.h): none, a PTE
    marker, or a PROT_NONE entry that keeps its frame."""
    if entry == 0:
        return "not present"
    if entry & _PAGE_PTE_MARKER:
        bits = (entry & PTE_PFN_MASK) >> 12
        return "not present: PTE marker%s" % (" (uffd-wp)" if bits & PTE_MARKER_UFFD_WP
                                              else " (unknown %#x)" % bits)
    return "not present: PROT_NONE, keeps frame %#x" % (entry & PTE_PFN_MASK)


def pgd_phys_of(t):
    """(mm, physical address of the top table) for a task. A kernel thread
    without an mm uses the kernel's own table, swapper_pg_dir."""
    mm = task_mm(t)
    if u64(mm) == 0:
        return mm, phys_of_kernel_va(u64(ev("(unsigned long)swapper_pg_dir")))
    pgd_va = u64(mm["pgd"])
    return mm, phys_of_kernel_va(pgd_va)


def walk(addr, pgd_phys):
    """Walk the 4 levels for addr from the top table at pgd_phys.

    Returns a list of dicts, one per level visited: level, index, slot
    (physical address of the entry), entry, next (physical address the entry
    points at), and at the end 'leaf': True when it maps a page (PTE, or a
    huge PUD/PMD). Stops at the first non-present entry."""
    out = []
    table = pgd_phys
    for i, (name, shift) in enumerate(LEVELS):
        index = (addr >> shift) & 511
        slot = table + 8 * index
        entry = read_phys_u64(slot)
        level = {"level": name, "index": index, "slot": slot, "entry": entry,
                 "next": entry & PTE_PFN_MASK, "leaf": False}
        out.append(level)
        if not entry & _PAGE_PRESENT:
            break
        if name == "PTE" or (name in ("PUD", "PMD") and entry & _PAGE_PSE):
            level["leaf"] = True
            size = 1 << shift
            level["phys"] = (entry & PTE_PFN_MASK & ~(size - 1)) | (addr & (size - 1))
            break
        table = entry & PTE_PFN_MASK
    return out


def max_pfn():
    return u64(ev("max_pfn"))


def page_of_pfn(pfn):
    return (ev("mem_map") + pfn).dereference()


def zero_pfn():
    try:
        zp = u64(ev("zero_page"))
        if zp == 0:
            return None
        return (zp - u64(ev("mem_map"))) // int(ev("sizeof(struct page)"))
    except gdb.error:
        return None


def page_info(pfn):
    """A dict describing mem_map[pfn]."""
    if pfn >= max_pfn():
        return {"pfn": pfn, "valid": False}
    p = page_of_pfn(pfn)
    flags = u64(p["flags"])
    mapping = u64(p["mapping"])
    names = [n for i, n in enumerate(PAGE_FLAGS) if flags & (1 << i)]
    if pfn == zero_pfn():
        kind = "the zero page"
    elif flags & (1 << PG_anon):
        kind = "anonymous"
    elif flags & 1:
        kind = "reserved"
    elif flags & (1 << 1):
        kind = "free (buddy, order %d)" % u64(p["private"])
    elif flags & (1 << 2):
        kind = "slab"
    elif flags & (1 << 3):
        kind = "page table"
    elif mapping:
        kind = "page cache"
    else:
        kind = "kernel"
    return {"pfn": pfn, "valid": True, "address": u64(p.address), "flags": flags,
            "flag_names": names, "refcount": int(p["_refcount"]),
            "mapcount": int(p["_mapcount"]), "mapping": mapping, "index": u64(p["index"]),
            "kind": kind}


def page_line(info):
    if not info["valid"]:
        return "pfn %#x: beyond max_pfn (not RAM the kernel manages)" % info["pfn"]
    s = ("struct page %#x (pfn %#x, phys %#x): refcount %d, mapcount %d, %s, flags [%s]"
         % (info["address"], info["pfn"], info["pfn"] << 12, info["refcount"],
            info["mapcount"], info["kind"], " ".join(info["flag_names"])))
    if info["kind"] == "page cache":
        s += "\n    mapping %#x (%s), index %d" % (info["mapping"],
                                                 mapping_name(info["mapping"]), info["index"])
    return s


def find_vma(mm, addr):
    if u64(mm) == 0:
        return None
    head = u64(mm["mmap"].address)
    for vma in list_entries(head, "struct vm_area_struct", "vm_list"):
        if u64(vma["vm_start"]) <= addr < u64(vma["vm_end"]):
            return vma
    return None


def verdict(addr, levels, mm, vma, info):
    """In words: what the next access to addr does (mirrors mm/fault.c)."""
    last = levels[-1]
    user = addr < (1 << 47)
    if user and u64(mm) == 0:
        return "a kernel thread has no user space: a user address is not mapped"
    if user and vma is None:
        return "no VMA here: any access is SIGSEGV"
    if not last["leaf"]:
        if not user:
            return "not mapped: a kernel access oopses"
        flags = u64(vma["vm_flags"])
        entry = last["entry"]
        if last["level"] == "PTE" and entry & _PAGE_PTE_MARKER:
            return ("uffd-wp marker: the page is not mapped here but write-protected by the "
                    "monitor; a fault maps it read-only and keeps it protected, a write then "
                    "goes to the monitor")
        if last["level"] == "PTE" and entry:
            return "PROT_NONE: any access is SIGSEGV (the frame stays for a later mprotect)"
        if flags & VM_UFFD_MISSING:
            return "not present, registered with userfaultfd: the fault goes to the monitor"
        if u64(vma["vm_file"]) == 0:
            return ("not present: demand fault (do_anonymous_page: a read maps the zero "
                    "page, a write gets a new zeroed page)")
        return "not present: demand fault (do_fault: the page comes from the page cache)"
    entry = last["entry"]
    if not user:
        return "kernel mapping, %s" % ("writable: no fault" if entry & _PAGE_RW
                                      else "read-only: a write oopses")
    flags = u64(vma["vm_flags"])
    if entry & _PAGE_RW:
        return "writable: no fault"
    if not flags & VM_WRITE:
        return "read-only mapping: reads are fine, a write is SIGSEGV"
    if flags & VM_UFFD_WP and entry & _PAGE_UFFD_WP:
        return "write-protected with userfaultfd: a write goes to the monitor"
    if info.get("kind") == "the zero page":
        return "read-only zero page: a write gets a new zeroed page (wp_page_copy)"
    if flags & VM_SHARED:
        return "shared mapping: a write makes the PTE writable in place (wp_page_shared)"
    if info.get("kind") == "anonymous" and info["refcount"] == 1:
        return "write will reuse the page in place: refcount 1 (wp_page_reuse)"
    if info.get("valid"):
        return "write will COW-copy: refcount %d (wp_page_copy)" % info["refcount"]
    return "write will COW-copy (not a normal page)"


def kpt_report(addr, t=None, mm=None):
    """Everything kpt shows, as (lines, result dict): for task t, or for an
    mm_struct pointer that no task owns yet (a child in the middle of fork)."""
    lines = []
    if mm is not None:
        pgd = phys_of_kernel_va(u64(mm["pgd"]))
        lines.append("kpt %#x in mm %#x: pgd %#x (phys %#x)" % (addr, u64(mm), u64(mm["pgd"]), pgd))
    else:
        mm, pgd = pgd_phys_of(t)
        if u64(mm):
            lines.append("kpt %#x in pid %d (%s): mm %#x, pgd %#x (phys %#x)"
                         % (addr, int(t["pid"]), comm(t), u64(mm), u64(mm["pgd"]), pgd))
        else:
            lines.append("kpt %#x in pid %d (%s): no mm, kernel table swapper_pg_dir (phys %#x)"
                         % (addr, int(t["pid"]), comm(t), pgd))
    lines.append("  level index  entry               -> phys          flags")
    levels = walk(addr, pgd)
    for lv in levels:
        e = lv["entry"]
        if not e & _PAGE_PRESENT:
            kind = not_present_kind(e) if lv["level"] == "PTE" else "not present"
            lines.append("  %-5s %5d  %#018x    (%s)" % (lv["level"], lv["index"], e, kind))
            continue
        what = "page" if lv["leaf"] else "table"
        lines.append("  %-5s %5d  %#018x -> %#-12x %s  %s"
                     % (lv["level"], lv["index"], e, lv["next"], flag_string(e), what))
    last = levels[-1]
    info = {"valid": False}
    if last["leaf"]:
        pfn = last["phys"] >> 12
        info = page_info(pfn)
        lines.append("  %#x -> phys %#x" % (addr, last["phys"]))
        lines.append("  " + page_line(info))
    vma = find_vma(mm, addr)
    if vma is not None:
        lines.append("  vma %s" % vma_line(vma, mm))
    v = verdict(addr, levels, mm, vma, info)
    lines.append("  next access: " + v)
    result = {"levels": levels, "present": bool(last["leaf"]), "entry": last["entry"],
              "writable": bool(last["leaf"] and last["entry"] & _PAGE_RW),
              "pfn": (last["phys"] >> 12) if last["leaf"] else None,
              "page": info, "verdict": v}
    return lines, result


def kpt(addr, pid=None, mm=None):
    """For scripts: the kpt result dict for addr in pid (or mm, or current)."""
    if mm is not None:
        return kpt_report(addr, mm=ptr("struct mm_struct", mm))[1]
    t = find_task(pid) if pid is not None else current_task()
    return kpt_report(addr, t)[1]


# ---------------------------------------------------------------------------
# VMAs and file names
# ---------------------------------------------------------------------------

def inode_name(inode_addr, limit=2000):
    """The path of an inode, found by searching the ramfs tree from the root
    (inodes of regular files do not know their names)."""
    try:
        root = u64(ev("root_inode"))
    except gdb.error:
        return None
    if root == inode_addr:
        return "/"
    stack = [(root, "")]
    count = 0
    while stack and count < limit:
        d, path = stack.pop()
        head = u64(ptr("struct inode", d)["i_children"].address)
        for de in list_entries(head, "struct ramfs_dirent", "d_list"):
            count += 1
            child = u64(de["d_inode"])
            name = path + "/" + cstring(de["d_name"].address.cast(
                gdb.lookup_type("char").pointer()))
            if child == inode_addr:
                return name
            mode = int(ptr("struct inode", child)["i_mode"])
            if mode & 0o170000 == 0o040000:
                stack.append((child, name))
    return None


def mapping_name(mapping_addr):
    try:
        host = u64(ptr("struct address_space", mapping_addr)["host"])
    except gdb.error:
        return "?"
    return inode_name(host) or ("inode %#x" % host)


def vma_line(vma, mm):
    start, end = u64(vma["vm_start"]), u64(vma["vm_end"])
    flags = u64(vma["vm_flags"])
    perms = ("r" if flags & VM_READ else "-") + ("w" if flags & VM_WRITE else "-") + \
            ("x" if flags & VM_EXEC else "-") + ("s" if flags & VM_SHARED else "p")
    f = u64(vma["vm_file"])
    off = u64(vma["vm_pgoff"]) << 12 if f else 0
    ino, name = 0, ""
    if f:
        inode = u64(ptr("struct file", f)["f_inode"])
        ino = int(ptr("struct inode", inode)["i_ino"])
        name = inode_name(inode) or "(inode %d)" % ino
    elif start <= u64(mm["start_brk"]) and u64(mm["brk"]) <= end and u64(mm["start_brk"]) < end \
            and start >= u64(mm["start_brk"]):
        name = "[heap]"
    elif flags & VM_GROWSDOWN:
        name = "[stack]"
    names = " ".join(n for bit, n in VM_FLAG_NAMES if flags & bit)
    if u64(vma["vm_userfaultfd_ctx"]):
        names += " uffd=%#x" % u64(vma["vm_userfaultfd_ctx"])
    line = "%012x-%012x %s %08x 00:00 %-5d %-20s [%s]" % (start, end, perms, off, ino, name, names)
    return line


def vmas(mm):
    head = u64(mm["mmap"].address)
    return list(list_entries(head, "struct vm_area_struct", "vm_list"))


# ---------------------------------------------------------------------------
# userfaultfd contexts
# ---------------------------------------------------------------------------

# mm/userfaultfd_k.h: UFFD_FEATURE_*, UFFD_PAGEFAULT_FLAG_*; userfaultfd(2)
# flags: UFFD_USER_MODE_ONLY and O_CLOEXEC / O_NONBLOCK (kernel/fs.h).
UFFD_FEATURE_NAMES = [(1 << 0, "pagefault_flag_wp"), (1 << 1, "event_fork"),
                      (1 << 2, "event_remap"), (1 << 3, "event_remove"),
                      (1 << 6, "event_unmap"), (1 << 7, "sigbus"), (1 << 8, "thread_id"),
                      (1 << 12, "wp_hugetlbfs_shmem"), (1 << 31, "initialized")]
UFFD_PAGEFAULT_FLAGS = [(1 << 0, "write"), (1 << 1, "wp")]
UFFD_CTX_FLAGS = [(1, "user_mode_only"), (0o2000000, "cloexec"), (0o4000, "nonblock")]


def bit_names(value, table):
    names = [n for bit, n in table if value & bit]
    rest = value & ~sum(bit for bit, _ in table)
    if rest:
        names.append("%#x" % rest)
    return " ".join(names) or "-"


def uffd_contexts():
    """Every userfaultfd_ctx some task's VMA points at, once each, as a list
    of (ctx pointer value, [(mm, vma start, vma end)])."""
    seen = {}
    order = []
    for t in tasks():
        mm = t["mm"]
        if u64(mm) == 0:
            continue
        for vma in vmas(mm):
            c = u64(vma["vm_userfaultfd_ctx"])
            if not c:
                continue
            if c not in seen:
                seen[c] = []
                order.append(c)
            where = (u64(mm), u64(vma["vm_start"]), u64(vma["vm_end"]))
            if where not in seen[c]:
                seen[c].append(where)
    return [(c, seen[c]) for c in order]


def uffd_waiters(head):
    """The struct userfaultfd_wait_queue entries on a wait_queue_head_t."""
    out = []
    for uwq in list_entries(u64(head["head"].address), "struct userfaultfd_wait_queue", "wq.entry"):
        pf = uwq["msg"]["arg"]["pagefault"]
        task = uwq["wq"]["task"]
        out.append({"address": u64(pf["address"]), "flags": u64(pf["flags"]),
                    "event": int(uwq["msg"]["event"]),
                    "pid": int(task["pid"]) if u64(task) else -1,
                    "comm": comm(task.dereference()) if u64(task) else "?",
                    "waken": bool(uwq["waken"]), "uwq": u64(uwq.address)})
    return out


def uffd_info(c):
    """A dict describing the userfaultfd_ctx at c."""
    ctx = ptr("struct userfaultfd_ctx", c)
    return {"ctx": c, "mm": u64(ctx["mm"]), "refcount": int(ctx["refcount"]),
            "features": int(ctx["features"]) & 0xffffffff, "flags": int(ctx["flags"]),
            "released": bool(ctx["released"]), "mmap_changing": int(ctx["mmap_changing"]),
            "pending": uffd_waiters(ctx["fault_pending_wqh"]),
            "reported": uffd_waiters(ctx["fault_wqh"]),
            "events": len(list(list_entries(u64(ctx["event_wqh"]["head"].address),
                                            "struct userfaultfd_wait_queue", "wq.entry")))}


def kuffd():
    """For scripts: uffd_info() of every context, in kuffd's order."""
    return [dict(uffd_info(c), ranges=r) for c, r in uffd_contexts()]


def kuffd_lines():
    ctxs = kuffd()
    if not ctxs:
        return ["no userfaultfd contexts (no VMA of any task is registered)"]
    lines = []
    for i in ctxs:
        lines.append("userfaultfd_ctx %#x: mm %#x, refcount %d, %s"
                     % (i["ctx"], i["mm"], i["refcount"],
                        "RELEASED" if i["released"] else "open"))
        lines.append("  features [%s]  flags [%s]  mmap_changing %d"
                     % (bit_names(i["features"], UFFD_FEATURE_NAMES),
                        bit_names(i["flags"], UFFD_CTX_FLAGS), i["mmap_changing"]))
        for mm, start, end in i["ranges"]:
            lines.append("  registered: %012x-%012x (mm %#x)" % (start, end, mm))
        for title, key in (("pending (not read yet)", "pending"),
                           ("reported (read, waiting for COPY/WAKE)", "reported")):
            lines.append("  %s: %d" % (title, len(i[key])))
            for f in i[key]:
                lines.append("    %#014x [%s] pid %d (%s)%s"
                             % (f["address"], bit_names(f["flags"], UFFD_PAGEFAULT_FLAGS)
                                if f["flags"] else "read", f["pid"], f["comm"],
                                " waken" if f["waken"] else ""))
        if i["events"]:
            lines.append("  fork events waiting to be read: %d" % i["events"])
    return lines

# ---------------------------------------------------------------------------
# Backtrace
# ---------------------------------------------------------------------------

def cpu_in_user_mode():
    return (u64(ev("$cs")) & 3) == 3


def task_regs(t):
    """struct pt_regs at the top of the task's kernel stack (task_pt_regs)."""
    top = u64(t["stack"]) + THREAD_SIZE
    return ptr("struct pt_regs", top - ev("sizeof(struct pt_regs)")).dereference()


def frame_line(n, pc, name=None, inline=False):
    where = source_of(pc) or "(assembly)"
    name = name or symbolize(pc)
    return "  #%-2d %#018x %-32s %s%s" % (n, pc, name, where, "  (inlined)" if inline else "")


def kernel_frames_current(limit=32):
    """gdb's own unwinding (DWARF) of the CPU's current kernel stack."""
    out = []
    f = gdb.newest_frame()
    while f is not None and len(out) < limit:
        pc = u64(f.pc())
        inline = f.type() == gdb.INLINE_FRAME
        name = f.name()
        if not name or pc < KERNEL_VMA:
            break
        label = name if inline else symbolize(pc)
        out.append((pc, label, inline))
        try:
            f = f.older()
        except gdb.error:
            break
    return out


def describe_vector(v):
    if v == 14:
        return "page fault (#PF)"
    if v in (0x100, 0x101, 0x102):
        return "system call"
    if v == 32:
        return "timer interrupt"
    if 32 <= v < 48:
        return "IRQ %d" % (v - 32)
    return "exception %d" % v


def syscall_name(nr):
    for expr in ("sys_call_table[%d].name" % nr,):
        try:
            return cstring(ev(expr))
        except gdb.error:
            pass
    return "nr %d" % nr


def kbt_lines(t):
    lines = []
    cur = is_current(t)
    lines.append("kbt: pid %d (%s)%s" % (int(t["pid"]), comm(t), ", running on the CPU" if cur else ""))
    if cur and cpu_in_user_mode():
        lines.append("  the CPU is in user mode: rip %#x rsp %#x (no kernel frames)"
                     % (u64(ev("$rip")), u64(ev("$rsp"))))
        return lines
    lines.append("  kernel frames (newest first):")
    if cur:
        for n, (pc, name, inline) in enumerate(kernel_frames_current()):
            lines.append(frame_line(n, pc, name, inline))
    else:
        for n, pc in enumerate(switch_frames(t)):
            lines.append(frame_line(n, pc))
    if int(t["flags"]) & 1 or u64(t["stack"]) == 0:
        lines.append("  ---- a kernel thread: no user registers")
        return lines
    r = task_regs(t)
    cs = u64(r["cs"])
    if cs & 3 != 3:
        lines.append("  ---- no user-mode entry at the top of the stack (cs %#x)" % cs)
        return lines
    v = u64(r["vector"])
    why = describe_vector(v)
    if v in (0x100, 0x101, 0x102):
        why += " %s" % syscall_name(u64(r["orig_rax"]))
    elif v == 14:
        why += ", error code %#x" % u64(r["error_code"])
    lines.append("  ---- entered the kernel from user mode: %s" % why)
    lines.append("  user  rip %#018x  rsp %#018x  rflags %#x  cs %#x"
                 % (u64(r["rip"]), u64(r["rsp"]), u64(r["rflags"]), cs))
    lines.append("        rax %#x rdi %#x rsi %#x rdx %#x   (struct pt_regs at %#x)"
                 % (u64(r["rax"]), u64(r["rdi"]), u64(r["rsi"]), u64(r["rdx"]), u64(r.address)))
    return lines


# ---------------------------------------------------------------------------
# The commands
# ---------------------------------------------------------------------------

class Kps(gdb.Command):
    """List every task: kps

Columns: PID, TGID, STATE (R running, S sleeping, D uninterruptible,
Z zombie), COMM, WCHAN (for a sleeping task: the function it sleeps in,
read from the return addresses saved on its kernel stack when it switched
out; "userfault handle_userfault+..." for a fault waiting for its
userfaultfd monitor), MM (its mm_struct; kernel threads have none). The
task running on the CPU is marked with '>'."""

    def __init__(self):
        super().__init__("kps", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        print("  %5s %5s %-15s %-16s %-28s %s" % ("PID", "TGID", "STATE", "COMM", "WCHAN", "MM"))
        for t in tasks():
            mm = u64(t["mm"])
            print("%s %5d %5d %-15s %-16s %-28s %s"
                  % (">" if is_current(t) else " ", int(t["pid"]), int(t["tgid"]),
                     state_name(t), comm(t), wchan(t), "%#x" % mm if mm else "-"))


class Kpt(gdb.Command):
    """Walk the page table for an address: kpt ADDR [PID|MM]

ADDR is any expression ($cr2, vmf->address, 0x7effffff0000). PID selects
the task whose page tables to walk (default: the current task); a kernel
address instead of a PID is taken as a struct mm_struct pointer (for
example dst_vma->vm_mm, the child's mm in the middle of fork). For each
of the 4 levels it shows the index taken from ADDR, the raw entry, the
physical address it points at, and its bits:
  P present  W writable  U user  A accessed  D dirty  NX no-execute
  PS huge page (no next level)  G global  uffd-wp write-protected by a
  userfaultfd monitor; a not-present PTE says if it is a PTE marker
  (a page of shared memory protected before it was mapped here) or a
  PROT_NONE entry
then the struct page of the frame (refcount, mapcount, anonymous or page
cache), the VMA, and in words what the next access would do, e.g.
  "write will COW-copy: refcount 2"
  "write will reuse the page in place: refcount 1"
  "read-only zero page: ..."   "not present: demand fault ..."
  "writable: no fault"."""

    def __init__(self):
        super().__init__("kpt", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if not argv:
            raise gdb.GdbError("usage: kpt ADDR [PID]")
        addr = to_int(argv[0])
        if len(argv) > 1 and to_int(argv[1]) >= PAGE_OFFSET:
            lines, _ = kpt_report(addr, mm=ptr("struct mm_struct", to_int(argv[1])))
        else:
            lines, _ = kpt_report(addr, task_arg(argv, 1))
        print("\n".join(lines))


class Kvma(gdb.Command):
    """List a task's memory areas (VMAs): kvma [PID]

One line per VMA, as /proc/PID/maps prints them:
  start-end perms offset dev inode name   [vm_flags]
perms: r/w/x, then p (private: copy-on-write) or s (shared). name is the
file (its path in the ramfs), [heap] or [stack]. The flags in brackets are
vm_flags: rd wr ex sh (VM_READ/WRITE/EXEC/SHARED), mr mw me ms (MAY*),
gd (grows down), um/uw (userfaultfd missing/wp), dc (don't copy),
ac (accounted); uffd=... when registered with a userfaultfd.
Default: the current task."""

    def __init__(self):
        super().__init__("kvma", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        t = task_arg(argv, 0)
        mm = t["mm"]
        if u64(mm) == 0:
            raise gdb.GdbError("pid %d (%s) is a kernel thread: no mm" % (int(t["pid"]), comm(t)))
        print("pid %d (%s): mm %#x, %d VMAs, brk %#x-%#x"
              % (int(t["pid"]), comm(t), u64(mm), int(mm["map_count"]),
                 u64(mm["start_brk"]), u64(mm["brk"])))
        for vma in vmas(mm):
            print(vma_line(vma, mm))


class Kpage(gdb.Command):
    """Show one struct page: kpage PFN|ADDR

A number below max_pfn is a page frame number. Otherwise it is an address:
a struct page pointer (inside mem_map), a kernel address (direct map
0xffff888000000000+phys or the kernel image), or a user address of the
current task (translated through its page tables)."""

    def __init__(self):
        super().__init__("kpage", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if not argv:
            raise gdb.GdbError("usage: kpage PFN|ADDR")
        print(page_line(page_info(resolve_pfn(to_int(argv[0])))))


def resolve_pfn(x):
    if x < max_pfn():
        return x
    mem_map = u64(ev("mem_map"))
    size = int(ev("sizeof(struct page)"))
    if mem_map <= x < mem_map + size * max_pfn():
        return (x - mem_map) // size
    pa = phys_of_kernel_va(x)
    if pa is not None:
        return pa >> 12
    if x < (1 << 47):
        _, pgd = pgd_phys_of(current_task())
        levels = walk(x, pgd)
        if levels[-1]["leaf"]:
            return levels[-1]["phys"] >> 12
        raise gdb.GdbError("%#x is not mapped in the current task" % x)
    raise gdb.GdbError("cannot make a page frame of %#x" % x)


class Kbt(gdb.Command):
    """Backtrace across the user/kernel boundary: kbt [PID]

First the kernel frames (for the running task: gdb's unwinding, inlined
functions included; for a sleeping task: the return addresses chained by
frame pointers from where it switched out), then the struct pt_regs the
entry code saved at the top of the task's kernel stack (task_pt_regs): why
it entered the kernel (system call, page fault, interrupt) and the user
RIP and RSP it will return to. Default: the current task."""

    def __init__(self):
        super().__init__("kbt", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        print("\n".join(kbt_lines(task_arg(argv, 0))))


class Kuffd(gdb.Command):
    """List the userfaultfd contexts and their faults: kuffd

Finds every struct userfaultfd_ctx through the VMAs of every task
(vma->vm_userfaultfd_ctx; each context once) and shows its mm, refcount,
whether its file is released, its features (UFFDIO_API) and flags
(userfaultfd(2)), the ranges registered with it, and the faults waiting in
handle_userfault: "pending" ones (on fault_pending_wqh: the monitor has not
read them) and "reported" ones (on fault_wqh: read, waiting for UFFDIO_COPY,
ZEROPAGE or WAKE). Each fault: its page-aligned address, its flags (read,
write, wp) and the waiting task's pid and comm."""

    def __init__(self):
        super().__init__("kuffd", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        print("\n".join(kuffd_lines()))


Kps()
Kpt()
Kvma()
Kpage()
Kbt()
Kuffd()
