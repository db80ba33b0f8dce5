#!/usr/bin/env python3
"""The student tree that conf/handout.py cuts, tested (grade-lab4 test
`handout`):

1. the markers are balanced and known (conf/handout.py --check);
2. putting the solution regions back gives this tree byte for byte
   (conf/handout.py --restore);
3. the student tree builds with the default flags (every warning is an
   error there, as here);
4. it boots hello on 1 and 4 CPUs, and a lab-4 program (dumbfork) stops
   at the stub it needs, with its "not implemented" panic, instead of
   hanging or faulting;
5. its own `make grade` passes every test of labs 1-3 and the tools
   (grade-lab4's `lab=3`) and fails every lab-4 test, each by a message
   rather than the grader's timeout (except programs that never end, whose
   tests stop once their lines appear: without lab 4's timer nothing
   stops them).

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


def boot(prog, cpus, want):
    """Boot the student tree's `make run-<prog>-nox` and wait for a line
    containing want, then stop QEMU."""
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
    finally:
        timer.cancel()
        kill_group(proc)
    if not found:
        tail = "\n".join(seen[-15:])
        raise Failed(f"student tree, {prog} on {cpus} CPU(s): no line with {want!r}:\n{tail}")


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
        elif t.name in timed_out and not getattr(t, "until_expected", False):
            wrong.append(f"{t.name}: failed by the grader's timeout, not a message")
    if wrong:
        tail = "\n".join(p.stdout.splitlines()[-5:])
        raise Failed(f"student tree's make grade: {'; '.join(wrong)}\n{tail}")
    return len(tests)


def main():
    try:
        run([sys.executable, "conf/handout.py", "--check"])
        run([sys.executable, "conf/handout.py", OUT])
        run([sys.executable, "conf/handout.py", "--restore", OUT],
            what="putting the solution regions back")
        run(["make", "-s", "-j2"], cwd=OUT, what="building the student tree")
        boot("hello", 1, "No runnable environments in the system!")
        boot("hello", 4, "No runnable environments in the system!")
        boot("dumbfork", 1, "sys_exofork not implemented")
        n = check_student_grade()
    except Failed as e:
        print(f"handout-check: FAIL: {e}")
        return 1
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    print(f"handout-check: OK: markers, restore, build and boots of the student tree; "
          f"its make grade passes the lab-1-3 tests and fails the lab-4 ones ({n} tests)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
