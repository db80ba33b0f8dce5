#!/usr/bin/env python3
"""The student tree that conf/handout.py cuts, tested (grade-lab4 test
`handout`):

1. the markers are balanced and known (conf/handout.py --check);
2. putting the solution regions back gives this tree byte for byte
   (conf/handout.py --restore), and the student's docs/LAB4.md links
   lines of the student's files that hold what the links quote;
3. the student tree builds with the default flags (every warning is an
   error there, as here) and, where clang-format is installed, is in the
   house style (its `make format-check`);
4. it boots hello on 1 and 4 CPUs, and a lab-4 program (dumbfork) stops
   at the stub it needs, with its "not implemented" panic, instead of
   hanging or faulting;
5. its own `make grade` passes every test of labs 1-3 and the tools
   (grade-lab4's `lab=3`) and fails every lab-4 test, each by a message
   rather than the grader's timeout;
6. putting the solutions of part A's exercises back one at a time, each
   4-CPU boot stops where the next missing one would take over, with that
   check's message (or, once exercises 1-4 are back, runs with every AP
   parked in mp_main), never with a triple fault.

Usage: conf/handout-check.py (from the top of the tree). Exit status 0,
or 1 with a line saying what failed.
"""
import os
import re
import runpy
import shutil
import signal
import subprocess
import sys
import tempfile
import threading

sys.dont_write_bytecode = True      # no conf/__pycache__ (as the gdb checks)
from gdbsession import kill_group   # noqa: E402 (conf/: QEMU under make, as they run it)
import handout                      # noqa: E402 (conf/handout.py: the marker parser)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Outside the tree: the grader's scratch copies of the tree copy obj/.
WORK = tempfile.mkdtemp(prefix="jos-handout-check-")
OUT = os.path.join(WORK, "lab4")
BOOT_TIMEOUT = 60   # seconds per boot


class Failed(Exception):
    pass


def run(argv, cwd=ROOT, what=None):
    p = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, text=True, errors="replace")
    if p.returncode != 0:
        tail = "\n".join(p.stdout.splitlines()[-15:])
        raise Failed(f"{what or ' '.join(argv)} exited with status {p.returncode}:\n{tail}")
    return p.stdout


def boot(prog, cpus, want, panic_ok=True, before=()):
    """Boot the student tree's `make run-<prog>-nox` and wait for a line
    containing want, then stop QEMU. Unless panic_ok, a kernel panic before
    that line fails at once; each string of `before` must be in some line
    before it."""
    proc = subprocess.Popen(["make", "-s", f"run-{prog}-nox", f"CPUS={cpus}", "GDBPORT=0"],
                            cwd=OUT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, text=True, errors="replace",
                            start_new_session=True)
    timer = threading.Timer(BOOT_TIMEOUT, lambda: os.killpg(proc.pid, signal.SIGTERM))
    timer.start()
    seen, found = [], False
    try:
        for line in proc.stdout:
            seen.append(line.rstrip())
            if want in line:
                found = True
                break
            if not panic_ok and "kernel panic" in line:
                break
    finally:
        timer.cancel()
        kill_group(proc)
    missing = [b for b in before if not any(b in line for line in seen)]
    if not found or missing:
        tail = "\n".join(seen[-15:])
        what = f"no line with {want!r}" if not found else f"no line with {missing[0]!r}"
        raise Failed(f"student tree, {prog} on {cpus} CPU(s): {what}:\n{tail}")


def check_student_links():
    """Each source link left in the student's docs/LAB4.md names a line of
    the student's file that holds the name or code it quotes."""
    with open(os.path.join(OUT, "docs/LAB4.md"), encoding="utf-8") as f:
        links = list(handout.SOURCE_LINK.finditer(f.read()))
    for m in links:
        path, n, quote = m.group("path"), int(m.group("n")), m.group("name")
        try:
            lines = handout.read_lines(os.path.join(OUT, path))
        except OSError:
            raise Failed(f"student docs/LAB4.md: links {path}, which the student tree lacks")
        if n > len(lines) or quote not in lines[n - 1]:
            raise Failed(f"student docs/LAB4.md: {path}:{n} does not hold {quote!r}")
    if not links:
        raise Failed("student docs/LAB4.md: no source links left")


def check_student_grade():
    """Run the student tree's `make grade`; compare each result with the
    test's lab (its grade-lab4, loaded as a module, lists the tests)."""
    p = subprocess.run(["make", "grade"], cwd=OUT, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
                       errors="replace", start_new_session=True)
    results, timed_out, name = {}, set(), None
    for line in p.stdout.splitlines():
        m = re.match(r"(\S+): (OK|FAIL) \(", line)
        if m:
            name = m.group(1)
            results[name] = m.group(2)
        elif name and line.startswith("    timed out after"):
            timed_out.add(name)
    sys.path.insert(0, OUT)     # the student tree's gradelib
    tests = runpy.run_path(os.path.join(OUT, "grade-lab4"), run_name="handout_check")["TESTS"]
    wrong = []
    for t in tests:
        want = "FAIL" if t.lab == 4 else "OK"
        got = results.get(t.name, "no result")
        if got != want:
            wrong.append(f"{t.name} (lab {t.lab}): {got}")
        elif t.name in timed_out:
            wrong.append(f"{t.name}: failed by the grader's timeout, not a message")
    if wrong:
        tail = "\n".join(p.stdout.splitlines()[-5:])
        raise Failed(f"student tree's make grade: {'; '.join(wrong)}\n{tail}")
    return len(tests)


# Part A's exercises in the handout's order: a line of each solution region
# (file, text), and what a 4-CPU boot of hello prints once the exercises up
# to that one are back (the next exercise's check, or a clean run).
PART_A = [
    ("exercise 1", [("kern/pmap.cc", "static uintptr_t base = MMIOBASE;")],
     "the page at MPENTRY_PADDR (00007000) is in use"),
    ("exercise 2", [("kern/pmap.cc", "used = used || pa == MPENTRY_PADDR;")],
     "CPU 1's kernel stack is not mapped below KSTACKTOP_CPU(1)"),
    ("exercise 3", [("kern/pmap.cc", "PADDR(percpu_kstacks[i]), PTE_W);")],
     "trap_init_percpu: CPU 1 has no TSS of its own"),
    ("exercise 4", [("kern/trap.cc", "ts->ts_esp0 = KSTACKTOP_CPU(id);")], None),
    ("exercise 5", [("kern/init.cc", "sched_start();"), ("kern/init.cc", "lock_kernel();"),
                    ("kern/trap.cc", "lock_kernel();"), ("kern/trap.cc", "lock_kernel();"),
                    ("kern/env.cc", "unlock_kernel();"), ("kern/sched.cc", "unlock_kernel();")],
     None),
]


def put_back(rel, text, restored):
    """Put the first solution region of rel that has the line `text` and is
    not back yet into the student tree. restored maps each file to the
    indices (among its regions) of those already back."""
    items, staff = handout.parse(rel, handout.read_lines(os.path.join(ROOT, rel)))
    regions = [i for i in items if not isinstance(i, str)]
    kept = restored.setdefault(rel, set())
    picks = [k for k, r in enumerate(regions)
             if k not in kept and any(line.strip() == text for line in r["text"])]
    if not picks:
        raise Failed(f"no solution region of {rel} left with the line {text!r}")
    kept.add(picks[0])
    with open(os.path.join(OUT, rel), "w", encoding="utf-8", newline="") as f:
        f.writelines(handout.student_lines(items, staff, kept))


def check_part_a():
    """Put part A's exercises back one at a time; after each, a 4-CPU boot
    must show what the next one's absence does."""
    restored = {}
    for name, regions, want in PART_A:
        for rel, text in regions:
            put_back(rel, text, restored)
        run(["make", "-s", "-j2"], cwd=OUT, what=f"building the student tree with {name}")
        if want:
            boot("hello", 4, want)
        else:
            boot("hello", 4, "No runnable environments in the system!", panic_ok=False,
                 before=[f"SMP: CPU {k} starting" for k in (1, 2, 3)])


def main():
    try:
        run([sys.executable, "conf/handout.py", "--check"])
        run([sys.executable, "conf/handout.py", OUT])
        run([sys.executable, "conf/handout.py", "--restore", OUT],
            what="putting the solution regions back")
        check_student_links()
        run(["make", "-s", "-j2"], cwd=OUT, what="building the student tree")
        if shutil.which("clang-format"):
            run(["make", "-s", "format-check"], cwd=OUT, what="the student tree's format check")
        boot("hello", 1, "No runnable environments in the system!")
        boot("hello", 4, "No runnable environments in the system!")
        boot("dumbfork", 1, "sys_exofork not implemented")
        n = check_student_grade()
        check_part_a()
    except Failed as e:
        print(f"handout-check: FAIL: {e}")
        return 1
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    print(f"handout-check: OK: markers, restore, build and boots of the student tree; "
          f"its make grade passes the lab-1-3 tests and fails the lab-4 ones ({n} tests); "
          f"part A's exercises put back one by one stop at the next one's check")
    return 0


if __name__ == "__main__":
    sys.exit(main())
