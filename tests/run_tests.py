#!/usr/bin/env python3
"""tests/run_tests.py - boot the kernel's selftests in QEMU and judge them.

What "make test" runs:

  1. The main run: an ISO whose kernel command line is ktest=FILTER boots in
     QEMU; the serial console is streamed to this terminal and saved to
     build/test/main.log, and the KTAP the kernel prints is parsed. Suites
     named slow_* are left out ("-slow*"): they need more memory and time.
  1b. The slow run: those suites (ktest=slow*) in a boot of their own with
     --slow-mem of memory (2G), judged like the main run (build/test/slow.log).
     It runs when FILTER asks for everything ("*") or names slow suites.
  2. gdb_break_and_step: gdb attaches to QEMU's gdbstub, breaks at the page
     allocator's entry and steps one instruction (tests/gdb/break_step.py).
  3. harness_detects_*: boots of the hidden harness_selftest suite, whose
     cases fail on purpose (a failed EXPECT, a panic, a triple fault, a hang,
     ...). Each proves that this script notices that kind of failure.

The last line is always "N passed, M failed" (", K skipped" when K > 0);
the exit status is 0 only when nothing failed.

    python3 tests/run_tests.py --kernel build/kernel.elf --filter 'pf*'
    python3 tests/run_tests.py --filter 'slow*'     # only the slow run
    python3 tests/run_tests.py --check-parser     # the KTAP parser's own tests

Python 3.11 standard library only.
"""
import argparse
import atexit
import concurrent.futures
import dataclasses
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MKISO = os.path.join(REPO, "iso", "mkiso.sh")
GDB_SCRIPT = os.path.join(REPO, "tests", "gdb", "break_step.py")

# QEMU exit statuses. isa-debug-exit turns the value v the kernel writes to
# port 0xf4 into status (v << 1) | 1, so 0x10 -> 33 and 0x11 -> 35.
EXIT_PASS = 33      # the kernel says: every selftest passed
EXIT_FAIL = 35      # the kernel says: a selftest failed, or it panicked
EXIT_RESET = 0      # the guest reset (a triple fault, since we pass -no-reboot)
EXIT_QEMU = 1       # QEMU's own error (bad option, missing file, ...)


# ---------------------------------------------------------------------------
# Serial output -> clean text lines
# ---------------------------------------------------------------------------

# GRUB draws its menu with ANSI escape sequences (ESC [ ... letter) on COM1.
ANSI_RE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07]*\x07|[@-Z\\-_])")
# Other control characters, \r included (kernel lines end with \r\n).
CTRL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_line(line):
    """Remove ANSI escapes, carriage returns and other control characters."""
    return CTRL_RE.sub("", ANSI_RE.sub("", line)).rstrip()


# ---------------------------------------------------------------------------
# KTAP parser
# ---------------------------------------------------------------------------

PLAN_RE = re.compile(r"^1\.\.(\d+)$")
RESULT_RE = re.compile(r"^(ok|not ok) (\d+)(?: (.*))?$")
TOTALS_RE = re.compile(r"^# Totals: pass:(\d+) fail:(\d+) skip:(\d+)")


@dataclasses.dataclass
class Case:
    """One test case result line: "    ok 3 buddy_zero"."""
    number: int
    name: str
    status: str                       # "pass", "fail" or "skip"
    diagnostics: list                 # the "# ..." lines printed just before it


@dataclasses.dataclass
class Suite:
    """One KTAP subtest: a suite of cases, with its own plan and result."""
    name: str = None
    plan: int = None                  # N from its "1..N" line
    cases: list = dataclasses.field(default_factory=list)
    result: str = None                # "ok" / "not ok" once the suite reported

    def count(self, status):
        return sum(1 for c in self.cases if c.status == status)


@dataclasses.dataclass
class Ktap:
    """Everything parse_ktap() found in one boot's output."""
    seen_version: bool = False        # the top-level "KTAP version 1" line
    plan: int = None                  # N from the top-level "1..N"
    suites: list = dataclasses.field(default_factory=list)
    totals: tuple = None              # (pass, fail, skip) from "# Totals:"
    problems: list = dataclasses.field(default_factory=list)  # oddities seen while parsing

    def cases(self):
        return [c for s in self.suites for c in s.cases]

    def count(self, status):
        return sum(s.count(status) for s in self.suites)


def parse_result(text):
    """Split "ok 3 name # SKIP why" into (ok?, number, name, skipped?) or None."""
    m = RESULT_RE.match(text)
    if not m:
        return None
    name, _, directive = (m.group(3) or "").partition(" # ")
    return m.group(1) == "ok", int(m.group(2)), name.strip(), directive.upper().startswith("SKIP")


def parse_ktap(lines):
    """Parse KTAP from cleaned serial lines; non-KTAP lines are ignored.

    Lines indented by 4 or more spaces belong to the current suite (its
    header, plan, case results and diagnostics); unindented lines are the
    top level (the plan, suite results, summaries). Nothing before the first
    unindented "KTAP version 1" counts.
    """
    k = Ktap()
    suite = None        # the suite whose case lines we are reading
    diags = []          # diagnostics waiting for the next case result
    for line in lines:
        text = line.strip()
        nested = len(line) - len(line.lstrip(" ")) >= 4
        if not k.seen_version:
            k.seen_version = text == "KTAP version 1" and not nested
            continue
        plan = PLAN_RE.match(text)
        result = parse_result(text)
        if text == "KTAP version 1":
            if nested:                          # a new suite starts
                suite, diags = Suite(), []
                k.suites.append(suite)
            else:
                k.problems.append("a second top-level 'KTAP version 1': did the machine reboot?")
        elif nested and text.startswith("# Subtest:"):
            if suite is None or suite.name is not None or suite.cases:
                suite = Suite()                 # tolerate a missing "KTAP version 1"
                k.suites.append(suite)
            suite.name = text.split(":", 1)[1].strip()
        elif plan:
            n = int(plan.group(1))
            if not nested and k.plan is None:
                k.plan = n
            elif nested and suite is not None and suite.plan is None:
                suite.plan = n
            else:
                k.problems.append("unexpected plan line %r" % text)
        elif result and nested:                 # a case result
            ok, number, name, skipped = result
            if suite is None or suite.result is not None:
                k.problems.append("case result outside a suite: %r" % text)
                continue
            if number != len(suite.cases) + 1:
                k.problems.append("suite %s: case number %d out of order" % (suite.name, number))
            status = "skip" if skipped else "pass" if ok else "fail"
            suite.cases.append(Case(number, name, status, diags))
            diags = []
        elif result:                            # a suite result
            ok, number, name, _ = result
            if suite is None or suite.result is not None:
                k.problems.append("suite result without its subtest: %r" % text)
                continue
            if name != suite.name:
                k.problems.append("result line %r closes suite %s" % (text, suite.name))
            suite.result = "ok" if ok else "not ok"
            suite = None
        elif text.startswith("#"):
            totals = TOTALS_RE.match(text)
            if nested:
                diags.append(text[1:].strip())
            elif totals:
                k.totals = tuple(int(x) for x in totals.groups())
            # "# buddy: pass:.. fail:.." summaries: we count results ourselves
    return k


def ktap_problems(k):
    """Check the plans and results of a parsed run: a list of (tag, reason)."""
    if not k.seen_version:
        return [("no_ktap", "no 'KTAP version 1' line: the selftests never started")]
    problems = [("ktap", p) for p in k.problems]
    if k.plan is None:
        problems.append(("plan", "no top-level plan line '1..N'"))
    for s in k.suites:
        label = "suite %s" % (s.name or "(unnamed)")
        if s.plan is None:
            problems.append(("plan", "%s: no plan line '1..N'" % label))
        elif len(s.cases) != s.plan:
            problems.append(("plan", "%s: plan 1..%d but %d case results"
                             % (label, s.plan, len(s.cases))))
        if s.result is None:
            problems.append(("plan", "%s: no result line (the suite never finished)" % label))
        elif (s.result == "not ok") != (s.count("fail") > 0):
            problems.append(("ktap", "%s: reported '%s' but %d of its cases failed"
                             % (label, s.result, s.count("fail"))))
    finished = sum(1 for s in k.suites if s.result is not None)
    if k.plan is not None and finished != k.plan:
        problems.append(("plan", "top-level plan 1..%d but %d suite results" % (k.plan, finished)))
    elif k.plan == 0:
        problems.append(("empty", "the filter matched no selftest (plan 1..0)"))
    counted = (k.count("pass"), k.count("fail"), k.count("skip"))
    if k.totals is not None and k.totals != counted:
        problems.append(("ktap", "'# Totals' says pass/fail/skip %s, the harness counted %s"
                         % (k.totals, counted)))
    return problems


def case_function_from_backtrace(lines):
    """The selftest function in the last oops backtrace, or None.

    The frame just above run_case_body (the runner's call into the case) in
    a "Call Trace:" is the case function, e.g. hs_panic+0x12/0x20.
    """
    frames = [m.group(1) for m in (re.search(r"\] ([\w.]+)\+0x", l) for l in lines) if m]
    for i in range(len(frames) - 1, 0, -1):
        if frames[i] == "run_case_body":
            return frames[i - 1]
    return None


def running_case(k, lines):
    """Describe the case that started but never reported (panic, hang), or None."""
    if not k.suites or k.suites[-1].result is not None:
        return None
    s = k.suites[-1]
    where = "suite %s, case #%d" % (s.name, len(s.cases) + 1)
    if s.plan is not None:
        where += " of %d" % s.plan
    if s.cases:
        where += " (the one after %s)" % s.cases[-1].name
    function = case_function_from_backtrace(lines)
    if function:
        where += "; the backtrace shows %s()" % function
    return where


# ---------------------------------------------------------------------------
# Judging one boot
# ---------------------------------------------------------------------------

@dataclasses.dataclass
class Run:
    """One QEMU boot and the harness's verdict on it."""
    name: str
    lines: list                       # cleaned serial output
    status: int                       # QEMU's exit status (None on timeout)
    timed_out: bool
    ktap: Ktap
    problems: list                    # run-level (tag, reason): each one a failure
    running: str = None               # the case cut short, if any
    seconds: float = None             # from QEMU's start to its end
    first_ktap: float = None          # seconds from QEMU start to "KTAP version 1"
    log: str = None

    @property
    def tags(self):
        return {tag for tag, _ in self.problems}

    @property
    def failed(self):
        """True if the harness counts this run as a failure."""
        return bool(self.problems) or self.ktap.count("fail") > 0

    def verdict(self):
        """One line: why the harness fails this run, or "pass"."""
        why = [m for _, m in self.problems]
        if self.ktap.count("fail"):
            why.append("%d case(s) not ok" % self.ktap.count("fail"))
        return "FAIL: " + "; ".join(why) if why else "pass"


def analyze(name, lines, status, timed_out, timeout=None, stderr=""):
    """Classify a finished boot from its output and QEMU's exit status."""
    lines = [clean_line(l) for l in lines]
    k = parse_ktap(lines)
    problems = []
    if timed_out:
        problems.append(("timeout", "no exit after %ss: the kernel hung" % timeout))
    elif status == EXIT_RESET:
        problems.append(("triple_fault", "QEMU exited with 0: the guest reset (triple fault)"))
    elif status == EXIT_QEMU:
        err = stderr.strip().splitlines()
        problems.append(("qemu_error", "QEMU failed (status 1): %s" % (err[-1] if err else "?")))
    elif status not in (EXIT_PASS, EXIT_FAIL):
        problems.append(("crash", "QEMU exited with unexpected status %s" % status))
    text = "\n".join(lines)
    panic = next((l for l in lines if "Kernel panic - not syncing:" in l), None)
    if panic:
        problems.append(("panic", panic[panic.index("Kernel panic"):]))
    if "kernel stack overflow" in text:
        problems.append(("stack_overflow", "the oops reports a kernel stack overflow"))
    if "no long mode" in text:
        problems.append(("no_long_mode", "the boot code found no long mode (not an x86-64 CPU)"))
    problems += ktap_problems(k)
    failed = k.count("fail")
    if status == EXIT_PASS and failed:
        problems.append(("exit", "the kernel exited with success (33) but %d cases failed" % failed))
    if status == EXIT_PASS and any(tag == "plan" for tag, _ in problems):
        problems.append(("exit", "the kernel exited with success (33) before its KTAP was complete"))
    if status == EXIT_FAIL and not failed and not problems:
        problems.append(("exit", "the kernel exited with failure (35) but no case failed"))
    running = running_case(k, lines) if (timed_out or panic or problems) else None
    return Run(name, lines, status, timed_out, k, problems, running)


# ---------------------------------------------------------------------------
# Running QEMU, gdb and mkiso (every one with a timeout, QEMU always killed)
# ---------------------------------------------------------------------------

class HarnessError(Exception):
    """The harness itself could not do its job (no ISO, no kernel, ...)."""


_live = set()                     # QEMU processes still running
_live_lock = threading.Lock()
_stopping = threading.Event()     # set on exit/interrupt: start no more QEMUs


def kill_all():
    """Kill every QEMU we started (their whole process groups)."""
    _stopping.set()
    with _live_lock:
        procs = list(_live)
    for p in procs:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# The initramfs every boot gets as a multiboot2 module (--initrd), if any.
INITRD = None


def mkiso(kernel, cmdline, iso):
    """Build a GRUB ISO booting @kernel with @cmdline (iso/mkiso.sh), plus the initramfs."""
    cmd = ["sh", MKISO, kernel, cmdline, iso] + ([INITRD] if INITRD else [])
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        raise HarnessError("mkiso.sh timed out building %s" % iso)
    if r.returncode != 0:
        raise HarnessError("mkiso.sh failed for %s:\n%s" % (iso, r.stderr + r.stdout))


class Qemu:
    """A QEMU process whose serial port we read line by line.

    Use it as a context manager: QEMU starts on entry and is killed (with
    its process group) on exit, whatever happened. A reader thread saves
    each cleaned line to @log and, if @stream, prints it at once.
    """

    def __init__(self, iso, log, mem, cpu="max", extra=(), stream=False):
        self.cmd = ["qemu-system-x86_64", "-cdrom", iso, "-m", mem, "-cpu", cpu,
                    "-display", "none", "-monitor", "none", "-no-reboot",
                    "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                    "-global", "isa-fdc.fdtypeA=none", "-serial", "stdio", *extra]
        self.log, self.stream = log, stream
        self.lines, self.first_ktap, self.proc = [], None, None

    def __enter__(self):
        if _stopping.is_set():
            raise HarnessError("interrupted")
        self.stderr = open(self.log + ".stderr", "w+")
        self.start = time.monotonic()
        try:
            # A new session: Ctrl-C reaches only us, and killpg() reaches QEMU.
            self.proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.PIPE, stderr=self.stderr,
                                         start_new_session=True)
        except OSError as e:
            self.stderr.close()
            raise HarnessError("cannot start QEMU: %s" % e)
        with _live_lock:
            _live.add(self.proc)
        if _stopping.is_set():  # interrupted while we were starting it
            kill_all()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        return self

    def _read(self):
        """Thread: copy QEMU's stdout (the serial port) to lines, log, terminal."""
        with open(self.log, "w") as log:
            for raw in self.proc.stdout:
                line = clean_line(raw.decode("utf-8", "replace"))
                if self.first_ktap is None and line == "KTAP version 1":
                    self.first_ktap = time.monotonic() - self.start
                self.lines.append(line)
                log.write(line + "\n")
                log.flush()
                if self.stream:
                    print(line, flush=True)

    def wait(self, timeout):
        """QEMU's exit status, or None if it was still running after @timeout s."""
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def stderr_text(self):
        self.stderr.seek(0)
        return self.stderr.read()

    def __exit__(self, *exc):
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        self.reader.join(5)
        with _live_lock:
            _live.discard(self.proc)
        self.stderr.close()


# QEMU's deterministic mode: the guest clock counts guest instructions
# (1 ns each), so ticks, and what runs when, do not follow host load.
ICOUNT = ("-icount", "shift=0,align=off,sleep=off", "-rtc", "base=2026-01-01T00:00:00,clock=vm")


def boot(name, iso, args, cpu="max", timeout=None, stream=False, mem=None, extra=()):
    """Boot @iso once (with @mem, default --mem) and return the judged Run (log: OUT/NAME.log)."""
    timeout = timeout or args.timeout
    log = os.path.join(args.out, name + ".log")
    with Qemu(iso, log, mem or args.mem, cpu=cpu, extra=extra, stream=stream) as q:
        status = q.wait(timeout)
        q.proc.kill()  # (no-op if it exited) so that the reader sees EOF
        q.reader.join(5)
        run = analyze(name, q.lines, status, status is None, timeout, q.stderr_text())
        run.first_ktap, run.log = q.first_ktap, log
    return run


def as_text(data):
    """Subprocess output (str, bytes or None) as str."""
    if isinstance(data, bytes):
        return data.decode("utf-8", "replace")
    return data or ""


def free_port():
    """A TCP port on 127.0.0.1 that nobody is using right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gdb_check(args, kernel):
    """gdb_break_and_step: returns (ok, reasons)."""
    iso = os.path.join(args.out, "gdb.iso")
    mkiso(kernel, "ktest=" + args.gdb_suite, iso)
    port = free_port()
    session = os.path.join(args.out, "gdb-session.log")
    env = dict(os.environ, MMKERN_GDB_KERNEL=kernel, MMKERN_GDB_PORT=str(port),
               MMKERN_GDB_FUNCTION=args.gdb_function)
    extra = ["-S", "-gdb", "tcp:127.0.0.1:%d" % port]
    with Qemu(iso, os.path.join(args.out, "gdb.log"), args.mem, extra=extra) as q:
        try:
            g = subprocess.run(["gdb", "-q", "-nx", "-batch", "-x", GDB_SCRIPT], env=env,
                               stdin=subprocess.DEVNULL, capture_output=True, text=True,
                               timeout=60)
            output, rc = g.stdout + g.stderr, g.returncode
        except subprocess.TimeoutExpired as e:
            output, rc = as_text(e.stdout) + as_text(e.stderr) + "\n(gdb timed out after 60 s)", None
        except OSError as e:
            output, rc = "cannot run gdb: %s" % e, None
        q.wait(5)
    with open(session, "w") as f:
        f.write(output)
    if rc == 0 and "gdb_break_and_step: PASS" in output:
        return True, []
    reasons = [l for l in output.splitlines() if "gdb_break_and_step:" in l]
    reasons = reasons or ["gdb exited with status %s; see %s" % (rc, session)]
    if parse_ktap(q.lines).plan == 0:
        reasons.append("ktest=%s matched no suite: choose one with --gdb-suite" % args.gdb_suite)
    return False, reasons + ["gdb session: %s, serial: %s" % (session, q.log)]


# ---------------------------------------------------------------------------
# Harness self-checks: each kind of failure must be noticed
# ---------------------------------------------------------------------------

def expect(run, status=None, tags=(), absent=(), text=None, failed_case=None,
           diagnostic=None, names_running=False):
    """What is wrong with the harness's verdict on @run (empty list: all fine).

    Every self-check run must count as a failure. Besides: @status is the
    expected QEMU exit status, @tags the classifications it must have and
    @absent those it must not have, @text a string the output must contain,
    @failed_case a case that must be 'not ok' (with a diagnostic containing
    @diagnostic, if given), and @names_running: the cut-short case is named.
    """
    why = [] if run.failed else ["the harness did not count this run as a failure"]
    if status is not None and run.status != status:
        why.append("QEMU exit status %s, expected %s" % (run.status, status))
    why += ["not classified as %s" % t for t in tags if t not in run.tags]
    why += ["wrongly classified as %s" % t for t in absent if t in run.tags]
    if text and not any(text in line for line in run.lines):
        why.append("no %r in the output" % text)
    if failed_case:
        case = next((c for c in run.ktap.cases() if c.name == failed_case), None)
        if case is None or case.status != "fail":
            why.append("case %r was not reported 'not ok'" % failed_case)
        elif diagnostic and not any(diagnostic in d for d in case.diagnostics):
            why.append("case %r has no '# ...%s...' diagnostic" % (failed_case, diagnostic))
    if names_running and run.running is None:
        why.append("the case that was running is not named")
    return why


# The harness_selftest cases and what the harness must conclude about each.
# name: harness_detects_NAME; ktest: the filter (None: boot the main ISO).
# "hang" comes first: its 8 s timeout overlaps the other boots.
SELF_CHECKS = [
    # name            ktest filter                       -cpu     timeout (s)
    ("hang",           "harness_selftest.hang",           "max",    8,
     dict(tags=("timeout",))),
    ("fail",           "harness_selftest.fail",           "max",    30,
     dict(status=EXIT_FAIL, failed_case="fail", absent=("panic",))),
    ("panic",          "harness_selftest.panic",          "max",    30,
     dict(status=EXIT_FAIL, tags=("panic", "plan"), names_running=True)),
    ("triple_fault",   "harness_selftest.triple_fault",   "max",    30,
     dict(status=EXIT_RESET, tags=("triple_fault",), absent=("panic",))),
    ("short_plan",     "harness_selftest.short_plan",     "max",    30,
     dict(status=EXIT_PASS, tags=("plan",), absent=("panic",))),
    ("leak",           "harness_selftest.leak",           "max",    30,
     dict(status=EXIT_FAIL, failed_case="leak", diagnostic="leaked", absent=("panic",))),
    ("stack_overflow", "harness_selftest.stack_overflow", "max",    30,
     dict(status=EXIT_FAIL, tags=("panic", "stack_overflow"), absent=("triple_fault",),
          text="kernel stack overflow")),
    ("no_long_mode",   None,                              "qemu32", 30,
     dict(status=EXIT_FAIL, tags=("no_long_mode",), text="no long mode")),
]


def self_check(args, kernel, main_iso, name, ktest, cpu, timeout, expected):
    """Boot one self-check quietly; return (ok, reasons, run)."""
    iso = main_iso
    if ktest is not None:
        iso = os.path.join(args.out, "harness_%s.iso" % name)
        mkiso(kernel, "ktest=" + ktest, iso)
    run = boot("harness_" + name, iso, args, cpu=cpu, timeout=timeout)
    why = expect(run, **expected)
    return not why, why, run


def run_self_checks(args, kernel, main_iso):
    """All SELF_CHECKS, args.jobs at a time; returns [(name, ok, reasons)]."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs))
    try:
        futures = [pool.submit(self_check, args, kernel, main_iso, *c) for c in SELF_CHECKS]
        results = []
        for (name, *_), f in zip(SELF_CHECKS, futures):
            try:
                ok, why, run = f.result()
            except HarnessError as e:
                ok, why, run = False, [str(e)], None
            print("harness_detects_%s: %s" % (name, "ok" if ok else "MISMATCH"), flush=True)
            if not ok and run is not None:  # show what the harness saw
                print("\n".join("  " + w for w in why))
                print("---- %s ----" % run.log)
                print("\n".join(run.lines))
                print("---- harness verdict: %s" % run.verdict())
            results.append((name, ok, why))
        return results
    finally:
        if sys.exc_info()[0] is not None:
            kill_all()
        pool.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------------------
# Reports and main()
# ---------------------------------------------------------------------------

SLOW_GLOB = "slow*"


def split_filter(ktest, slow=True):
    """The (main, slow) runs' ktest= filters for --filter @ktest; None: no such run.

    Globs that start with "slow" go to the slow run, the others to the main
    run, which also gets "-slow*" so that no wildcard brings a slow suite
    into it. A bare "*" (everything, the default) asks for "slow*" too.
    Exclusions ("-GLOB") go to both; a filter of only exclusions means "*".
    """
    globs = [g for g in ktest.split(",") if g]
    minus = [g for g in globs if g.startswith("-")]
    slow_globs = [g for g in globs if g.startswith("slow")]
    rest = [g for g in globs if g not in minus and g not in slow_globs]
    if not rest and not slow_globs:
        rest = ["*"]
    if "*" in rest and not slow_globs:
        slow_globs = [SLOW_GLOB]
    main = ",".join(rest + minus + ["-" + SLOW_GLOB]) if rest else None
    slow_f = ",".join(slow_globs + minus) if slow_globs and slow else None
    return main, slow_f


def report_run(run, ktest):
    """Print what a run did: timing, exit status, failures, problems."""
    print()
    print("== %s run: ktest=%s (log: %s)" % (run.name, ktest, os.path.relpath(run.log)))
    if run.first_ktap is not None:
        print("boot to first KTAP line: %.2f s" % run.first_ktap)
    else:
        print("boot to first KTAP line: never (no 'KTAP version 1' line)")
    print("whole run: %.1f s" % run.seconds)
    meaning = {EXIT_PASS: "the kernel says all passed", EXIT_FAIL: "the kernel says failure",
               EXIT_RESET: "guest reset", EXIT_QEMU: "QEMU error"}
    print("QEMU: %s" % ("killed after a timeout" if run.timed_out else "exit status %s (%s)"
                        % (run.status, meaning.get(run.status, "crash"))))
    k = run.ktap
    print("kernel selftests: %d passed, %d failed, %d skipped in %d suite(s)"
          % (k.count("pass"), k.count("fail"), k.count("skip"), len(k.suites)))
    for s in k.suites:
        for c in s.cases:
            if c.status == "fail":
                print("  not ok %s.%s" % (s.name, c.name))
                for d in c.diagnostics:
                    print("      # %s" % d)
    for _, reason in run.problems:
        print("  problem: %s" % reason)
    if run.running:
        print("  running when it stopped: %s" % run.running)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--kernel", default="build/kernel.elf", help="kernel ELF (build/kernel.elf)")
    p.add_argument("--filter", default="*", help="ktest=GLOB: SUITE_GLOB[.CASE_GLOB] (*)")
    p.add_argument("--mem", default="256M", help="guest memory, QEMU -m (256M)")
    p.add_argument("--initrd", default=None,
                   help="initramfs (cpio) loaded as a multiboot2 module by every boot")
    p.add_argument("--timeout", type=float, default=120, help="main run timeout, s (120)")
    p.add_argument("--slow-mem", default="2G", help="guest memory of the slow run (2G)")
    p.add_argument("--slow-timeout", type=float, default=150, help="slow run timeout, s (150)")
    p.add_argument("--no-slow", action="store_true", help="skip the slow run (slow_* suites)")
    p.add_argument("--out", default=os.path.join(REPO, "build", "test"),
                   help="directory for ISOs and logs (build/test)")
    p.add_argument("--no-gdb", action="store_true", help="skip gdb_break_and_step")
    p.add_argument("--gdb-suite", default="buddy", help="suite booted for the gdb check (buddy)")
    p.add_argument("--gdb-function", default="alloc_pages",
                   help="function the gdb check breaks in (alloc_pages)")
    p.add_argument("--no-selfcheck", action="store_true", help="skip harness_detects_*")
    p.add_argument("--no-e2e", action="store_true",
                   help="skip shell_runs_cowdemo, run_extra_init and run_linux_uffd_program")
    p.add_argument("--jobs", type=int, default=2, help="self-check boots run at once (2)")
    p.add_argument("--check-parser", action="store_true",
                   help="only run the KTAP parser's own tests (no QEMU)")
    return p.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    if args.check_parser:
        return check_parser()
    kernel = os.path.abspath(args.kernel)
    global INITRD
    if args.initrd:
        INITRD = os.path.abspath(args.initrd)
    os.makedirs(args.out, exist_ok=True)
    host = []                         # (name, "pass"/"fail"/"skip", reasons)
    runs = []                         # the kernel's boots: main, slow
    try:
        if not os.path.isfile(kernel):
            raise HarnessError("no kernel at %s (run make first)" % args.kernel)
        if not re.fullmatch(r"[\w*?.\-\[\],]+", args.filter):
            raise HarnessError("bad --filter %r: use SUITE_GLOB or SUITE_GLOB.CASE_GLOB, comma-separated"
                               % args.filter)
        main_f, slow_f = split_filter(args.filter, not args.no_slow)
        # mm_audit=strict: the kernel checks its memory invariants after every
        # fork, exec and exit too, not only after every case (mm/audit.c).
        # Not in the slow run: with hundreds of processes and GiBs of memory
        # each audit costs too much there; it audits after every case.
        # The slow run measures scheduling in ticks (slow_fork): under
        # -icount those are guest instructions, and a busy host cannot
        # stretch a gap.
        boots = [b for b in (("main", main_f, "mm_audit=strict", args.mem, args.timeout, ()),
                             ("slow", slow_f, "", args.slow_mem, args.slow_timeout, ICOUNT))
                 if b[1]]
        main_iso = None
        for name, ktest, extra, mem, timeout, qemu_extra in boots:
            iso = os.path.join(args.out, name + ".iso")
            mkiso(kernel, ("ktest=%s %s" % (ktest, extra)).strip(), iso)
            main_iso = main_iso or iso
            print("== booting %s with ktest=%s, %s of memory"
                  % (os.path.relpath(kernel), ktest, mem), flush=True)
            start = time.monotonic()
            run = boot(name, iso, args, timeout=timeout, stream=True, mem=mem, extra=qemu_extra)
            run.seconds = time.monotonic() - start
            report_run(run, ktest)
            runs.append(run)

        print("\n== host-side checks", flush=True)
        if args.no_gdb:
            host.append(("gdb_break_and_step", "skip", ["--no-gdb"]))
        else:
            ok, why = gdb_check(args, kernel)
            print("gdb_break_and_step: %s" % ("ok" if ok else "FAILED"), flush=True)
            print("".join("  %s\n" % w for w in why), end="", flush=True)
            host.append(("gdb_break_and_step", "pass" if ok else "fail", why))
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import check_uapi
        try:
            problems, count = check_uapi.check()
            why = problems or ["%d constants and syscall numbers match the host's headers" % count]
        except Exception as e:  # no gcc or headers: a failure, said plainly
            problems, why = [str(e)], [str(e)]
        print("uapi_constants_match_linux: %s" % ("ok" if not problems else "FAILED"), flush=True)
        print("".join("  %s\n" % w for w in why), end="", flush=True)
        host.append(("uapi_constants_match_linux", "fail" if problems else "pass", why))
        # The gdb walkthroughs and kernel-aware gdb commands (tests/gdb_checks.py).
        if args.no_gdb:
            host.append(("gdb_walkthroughs", "skip", ["--no-gdb"]))
        elif os.path.exists(os.path.join(os.path.dirname(os.path.abspath(__file__)), "gdb_checks.py")):
            import gdb_checks
            for name, ok, why in gdb_checks.run_all(kernel, INITRD, args.out):
                print("%s: %s" % (name, "ok" if ok else "FAILED"), flush=True)
                print("".join("  %s\n" % w for w in why), end="", flush=True)
                host.append((name, "pass" if ok else "fail", list(why) or ["failed"]))
        if args.no_e2e or not INITRD:
            reason = "--no-e2e" if args.no_e2e else "no --initrd"
            host += [(n, "skip", [reason]) for n in
                     ("shell_runs_cowdemo", "run_extra_init", "run_linux_uffd_program")]
        else:
            import e2e_checks
            iso = os.path.join(args.out, "shell.iso")
            mkiso(kernel, "", iso)
            cmd = ["qemu-system-x86_64", "-cdrom", iso, "-m", args.mem, "-cpu", "max",
                   "-display", "none", "-monitor", "none", "-no-reboot",
                   "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                   "-global", "isa-fdc.fdtypeA=none", "-serial", "stdio"]
            ok, why = e2e_checks.shell_runs_cowdemo(cmd, os.path.join(args.out, "shell.log"))
            print("shell_runs_cowdemo: %s" % ("ok" if ok else "FAILED"), flush=True)
            print("".join("  %s\n" % w for w in why), end="", flush=True)
            host.append(("shell_runs_cowdemo", "pass" if ok else "fail", why))
            for name in ("run_extra_init", "run_linux_uffd_program"):
                ok, why = getattr(e2e_checks, name)(args.out)
                print("%s: %s" % (name, "ok" if ok else "FAILED"), flush=True)
                print("".join("  %s\n" % w for w in why), end="", flush=True)
                host.append((name, "pass" if ok else "fail", why))
        if args.no_selfcheck:
            host += [("harness_detects_" + c[0], "skip", ["--no-selfcheck"]) for c in SELF_CHECKS]
        else:
            for name, ok, why in run_self_checks(args, kernel, main_iso):
                host.append(("harness_detects_" + name, "pass" if ok else "fail", why))
    except HarnessError as e:
        print("harness error: %s" % e, flush=True)
        host.append(("harness", "fail", [str(e)]))

    # Summary: the host-side cases, then the one final line.
    print("\n# host-side cases\n1..%d" % len(host))
    for i, (name, status, why) in enumerate(host, 1):
        print("%s %d %s%s" % ("not ok" if status == "fail" else "ok", i, name,
                              " # SKIP " + why[0] if status == "skip" else ""))
        if status == "fail":
            for w in why:
                print("# %s" % w)
    passed = sum(1 for h in host if h[1] == "pass")
    failed = sum(1 for h in host if h[1] == "fail")
    skipped = sum(1 for h in host if h[1] == "skip")
    for run in runs:
        passed += run.ktap.count("pass")
        failed += run.ktap.count("fail") + (1 if run.problems else 0)
        skipped += run.ktap.count("skip")
        if run.problems:  # a panic, hang, short plan...: one more failure
            print("# the %s run itself counts as 1 failure: %s" % (run.name, run.problems[0][1]))
    print("%d passed, %d failed%s" % (passed, failed, ", %d skipped" % skipped if skipped else ""),
          flush=True)
    return 0 if failed == 0 else 1


# ---------------------------------------------------------------------------
# --check-parser: the parser and classifier on made-up serial output
# ---------------------------------------------------------------------------

SAMPLE = """\x1b[H\x1b[J\x1b[1;1H  Booting `mmkern'\r
mmkern - a teaching kernel\r
KTAP version 1\r
1..2\r
    KTAP version 1\r
    # Subtest: buddy\r
    1..4\r
    ok 1 buddy_split\r
    # EXPECT_EQ(a, b) failed at tests/ktest/test_buddy.c:42: a == 1 (0x1), b == 2 (0x2)\r
    not ok 2 buddy_coalesce\r
some unrelated boot line\r
    ok 3 buddy_exhaustion # SKIP no SMAP on this CPU\r
    ok 4 buddy_zero\r
# buddy: pass:2 fail:1 skip:1 total:4\r
not ok 1 buddy\r
    KTAP version 1\r
    # Subtest: pf\r
    1..2\r
    ok 1 pf_read\r
"""
SAMPLE_END = """    ok 2 pf_write\r
# pf: pass:2 fail:0 skip:0 total:2\r
ok 2 pf\r
# Totals: pass:4 fail:1 skip:1 total:6\r
"""
PANIC = """\r
Kernel panic - not syncing: oops\r
Call Trace:\r
 [<ffffffff801091a9>] panic+0xa9/0xb0\r
 [<ffffffff8010c5e2>] pf_write+0x12/0x20\r
 [<ffffffff8010bb44>] run_case_body+0x24/0x40\r
"""


def check_parser():
    """Run the parser and classifier on synthetic logs; 0 if all agree."""
    full = (SAMPLE + SAMPLE_END).splitlines()
    cut = SAMPLE.splitlines()
    all_ok = [l.replace("not ok", "ok").replace("fail:1", "fail:0").replace("pass:4", "pass:5")
              .replace("pass:2 fail:0 skip:1", "pass:3 fail:0 skip:1") for l in full]
    # (description, lines, status, timed_out, expected tags, (pass, fail, skip))
    cases = [
        ("complete run, one failure, exit 35", full, 35, False, set(), (4, 1, 1)),
        ("complete run but exit 33", full, 33, False, {"exit"}, (4, 1, 1)),
        ("all passed but exit 35", all_ok, 35, False, {"exit"}, (5, 0, 1)),
        ("all passed, exit 33", all_ok, 33, False, set(), (5, 0, 1)),
        ("short plan, exit 33", cut, 33, False, {"plan", "exit"}, (3, 1, 1)),
        ("short plan, all ok so far, exit 33", all_ok[:8], 33, False, {"plan", "exit"}, (1, 0, 0)),
        ("panic in a case", cut + PANIC.splitlines(), 35, False, {"panic", "plan"}, (3, 1, 1)),
        ("hang", cut, None, True, {"timeout", "plan"}, (3, 1, 1)),
        ("triple fault", cut, 0, False, {"triple_fault", "plan"}, (3, 1, 1)),
        ("no KTAP at all", ["boot: no long mode"], 35, False, {"no_ktap", "no_long_mode"}, (0, 0, 0)),
        ("QEMU error", [], 1, False, {"qemu_error", "no_ktap"}, (0, 0, 0)),
        ("nothing matched", ["KTAP version 1", "1..0", "# Totals: pass:0 fail:0 skip:0"],
         33, False, {"empty"}, (0, 0, 0)),
    ]
    bad = 0
    for desc, lines, status, timed_out, tags, counts in cases:
        run = analyze("check", lines, status, timed_out, 1)
        got = tuple(run.ktap.count(s) for s in ("pass", "fail", "skip"))
        ok = run.tags == tags and got == counts
        bad += not ok
        print("%s %s: tags %s, counts %s%s" % ("ok  " if ok else "FAIL", desc, sorted(run.tags),
                                               got, "" if ok else " (expected %s %s)"
                                               % (sorted(tags), counts)))
        if desc.startswith("panic"):
            print("     running: %s" % run.running)
            if "pf_write()" not in (run.running or ""):
                bad += 1
                print("FAIL the panicking case pf_write was not named")
    # split_filter: which boot gets which globs
    for ktest, slow, want in [
            ("*", True, ("*,-slow*", "slow*")),
            ("*", False, ("*,-slow*", None)),
            ("pf*", True, ("pf*,-slow*", None)),
            ("slow*", True, (None, "slow*")),
            ("fork*,slow_fork.*1g*", True, ("fork*,-slow*", "slow_fork.*1g*")),
            ("*,-uffd*", True, ("*,-uffd*,-slow*", "slow*,-uffd*")),
            ("-uffd*", True, ("*,-uffd*,-slow*", "slow*,-uffd*"))]:
        got = split_filter(ktest, slow)
        bad += got != want
        print("%s split_filter(%r%s) = %s" % ("ok  " if got == want else "FAIL", ktest,
                                              "" if slow else ", no slow", got))
    c = parse_ktap([clean_line(l) for l in full]).suites[0].cases[1]
    if c.status != "fail" or "EXPECT_EQ" not in c.diagnostics[0]:
        bad += 1
        print("FAIL diagnostics not attached to buddy_coalesce: %s" % c)
    print("parser check: %s" % ("all ok" if not bad else "%d FAILED" % bad))
    return 1 if bad else 0


if __name__ == "__main__":
    atexit.register(kill_all)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # finally-blocks still run
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        kill_all()
        print("\ninterrupted", file=sys.stderr)
        sys.exit(130)
