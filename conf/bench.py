#!/usr/bin/env python3
"""Run user/bench under QEMU with deterministic instruction counting and
print its figures beside those of a plain C JOS.

Usage: conf/bench.py [CPUS]   (default 1; `make bench` runs it)

QEMU's -icount shift=0 makes virtual time advance one nanosecond per guest
instruction and, with sleep=off, never wait for the host: the guest's
time-stamp counter then measures executed instructions, so the same build
gives the same figures on any machine under any load. user/bench prints
"bench: <metric> <N> per op" (N: guest instructions per operation, the
smallest of several batches) for every metric in REFERENCE, then
"bench: done".

Prints a table: metric, the C JOS figure, this kernel's, and their ratio.
Exit status 0 when the program finished and reported every metric; 1
otherwise, with a one-line reason on stderr; 2 on a bad command line.
"""
import os
import re
import signal
import subprocess
import sys
import threading

ICOUNT = "-icount shift=0,align=off,sleep=off"
TIMEOUT = 120   # seconds of host time

# Guest instructions per operation of the same definitions (user/bench.cc's
# header) measured on a plain C student JOS: the figures to compare with
# (None: a metric the C reference was not measured on).
REFERENCE = {
    "null_syscall": 459,
    "yield": 9682,
    "page_alloc_unmap": 2296,
    "pgfault_upcall": 2221,
    "fork_exit": 247795,
    "cow_fault": 4709,
    "ipc_roundtrip": 11305,
    "ipc_page_roundtrip": 11881,
    "console_line": None,   # not measured on the C reference
}

METRIC_LINE = re.compile(r"bench: (\S+) +(\d+) per op$")


class Failed(Exception):
    """The run gave no complete set of figures; the message says why."""


def run(cpus):
    """Boot user/bench and return {metric: instructions per op}, or raise
    Failed."""
    cmd = ["make", "-s", "--no-print-directory", "run-bench-nox", f"CPUS={cpus}",
           f"QEMUEXTRA={ICOUNT} -snapshot", "GDBPORT=0"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True, text=True,
                            errors="replace")
    # The timer kills QEMU even when it prints nothing more (a guest hung
    # in a loop), which ends the read loop below.
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass

    timer = threading.Timer(TIMEOUT, kill)
    timer.start()
    figures = {}
    failure = None
    try:
        for line in proc.stdout:
            line = line.rstrip()
            if line.startswith("bench: done"):
                break
            if line.startswith("bench: "):
                m = METRIC_LINE.fullmatch(line)
                if not m:
                    failure = f"malformed line from user/bench: {line!r}"
                    break
                name, value = m.group(1), int(m.group(2))
                if name not in REFERENCE:
                    failure = f"unknown metric {name!r} from user/bench"
                    break
                if name in figures:
                    failure = f"metric {name} reported twice"
                    break
                figures[name] = value
            elif "panic" in line:
                failure = f"did not finish: {line.strip()}"
                break
            elif line.startswith("No runnable environments"):
                # user/bench died (a fault, say) before "bench: done".
                failure = "did not finish: user/bench exited before 'bench: done'"
                break
        else:
            if timed_out.is_set():
                failure = f"did not finish within {TIMEOUT} s"
            else:
                failure = "did not finish: QEMU exited before 'bench: done'"
    finally:
        timer.cancel()
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    if failure:
        raise Failed(failure)
    missing = [name for name in REFERENCE if name not in figures]
    if missing:
        raise Failed("missing metric lines: " + ", ".join(missing))
    return figures


def main(argv):
    if len(argv) > 2 or (len(argv) == 2 and not (argv[1].isdigit() and int(argv[1]) > 0)):
        print("usage: conf/bench.py [CPUS]", file=sys.stderr)
        return 2
    cpus = int(argv[1]) if len(argv) == 2 else 1
    try:
        figures = run(cpus)
    except Failed as e:
        print(f"bench: {e}", file=sys.stderr)
        return 1
    print(f"guest instructions per operation, CPUS={cpus}")
    print(f"{'metric':<19}{'C JOS':>6}{'this kernel':>14}{'ratio':>8}")
    for name, ref in REFERENCE.items():
        if ref is None:
            print(f"{name:<19}{'-':>6}{figures[name]:>14}{'-':>8}")
        else:
            print(f"{name:<19}{ref:>6}{figures[name]:>14}{figures[name] / ref:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
