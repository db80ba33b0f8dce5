#!/usr/bin/env python3
"""Run user/bench under QEMU with deterministic instruction counting and
print its figures.

Usage: conf/bench.py [CPUS]   (default 1; `make bench` runs it)

QEMU's -icount shift=0 makes virtual time advance one nanosecond per guest
instruction and, with sleep=off, never wait for the host: the guest's
time-stamp counter then measures executed instructions, so the same build
gives the same figures on any machine under any load. Exit status 0 when
the program finished, 1 otherwise (with a one-line reason).
"""
import os
import signal
import subprocess
import sys
import time

ICOUNT = "-icount shift=0,align=off,sleep=off"
TIMEOUT = 120   # seconds of host time


def main(argv):
    if len(argv) > 2 or (len(argv) == 2 and not argv[1].isdigit()):
        print("usage: conf/bench.py [CPUS]", file=sys.stderr)
        return 2
    cpus = argv[1] if len(argv) == 2 else "1"
    cmd = ["make", "-s", "--no-print-directory", "run-bench-nox", f"CPUS={cpus}",
           f"QEMUEXTRA={ICOUNT} -snapshot", "GDBPORT=0"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True, text=True,
                            errors="replace")
    deadline = time.monotonic() + TIMEOUT
    finished = False
    try:
        for line in proc.stdout:
            if line.startswith("bench: "):
                print(line.rstrip())
                if line.startswith("bench: done"):
                    finished = True
                    break
            elif "panic" in line:
                print(line.rstrip())
                break
            if time.monotonic() > deadline:
                break
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    if not finished:
        print("bench: did not finish (see the lines above)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
