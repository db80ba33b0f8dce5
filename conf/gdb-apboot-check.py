#!/usr/bin/env python3
"""Scripted check of the README's GDB session on an AP's start-up (`ap-boot`).

Builds the kernel, starts `make qemu-nox-gdb CPUS=2` on a free port (halted,
with a gdb stub), and runs gdb in batch mode with the .gdbinit that `make gdb`
would write from .gdbinit.tmpl. The gdb script does what a student does:
`ap-boot`, `continue` to the first trampoline instruction of CPU 1 (gdb thread
2), then `step` through kern/mpentry.S (real mode, then protected mode) until
it is in mp_main (kern/init.cc). Checked from the transcript:

  - gdb reports the stop as thread 2 hitting ap-boot's temporary breakpoint
    in mpentry_start, at CS:IP 0700:0000 ($pc = 0), and `info line` places
    it in kern/mpentry.S;
  - every step inside the trampoline is at a source line of kern/mpentry.S,
    some in real mode (CS 0x700) and some in protected mode (CS 0x8, $pc a
    linear address in the page at 0x7000);
  - stepping ends in mp_main on thread 2 (`frame`, `info threads`), with
    mpentry_kstack a kernel address and %esp on the stack below it.

QEMU (with make, in their own process group) is always killed at the end.
Exit status 0 when everything holds; otherwise a one-line reason (after the
end of the gdb transcript) and exit status 1. Only the standard library is
used. Usage: conf/gdb-apboot-check.py [-v]   (-v: print the whole transcript)
"""

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAKE = ["make", "-s", "--no-print-directory"]
BUILD_TIMEOUT = 600     # seconds for `make` (a clean build included)
START_TIMEOUT = 60      # seconds until QEMU's gdb stub accepts connections
GDB_TIMEOUT = 120       # seconds for the whole gdb session
MAX_STEPS = 80          # `step`s allowed before mp_main must be reached
TAIL_LINES = 40         # transcript lines shown on failure

# What the student types (README, "Debugging with GDB"), plus `@@` marker
# lines with the values this script checks. Real-mode $pc values are offsets
# below 0x100; protected-mode ones are linear addresses in 0x7000..0x7fff.
GDB_SCRIPT = r"""
echo @@ ap-boot\n
ap-boot
echo @@ continue\n
continue
printf "@@ AT thread=%d cs=%#x pc=%#x\n", $_thread, $cs, $pc
info line *$pc
set $check_n = 0
while $_thread == 2 && ($pc < 0x100 || ($pc >= 0x7000 && $pc < 0x8000)) && $check_n < MAX_STEPS
  echo @@ step\n
  step
  set $check_n = $check_n + 1
  printf "@@ STEP thread=%d cs=%#x pc=%#x\n", $_thread, $cs, $pc
  info line *$pc
end
printf "@@ END thread=%d pc=%#x\n", $_thread, $pc
frame
info threads
printf "@@ KSTACK kstack=%#x esp=%#x\n", mpentry_kstack, $esp
echo @@ done\n
""".replace("MAX_STEPS", str(MAX_STEPS))


class CheckFailed(Exception):
    """The check failed; the message is the one-line reason."""


def free_port() -> int:
    """Return a TCP port that is free on localhost right now."""
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


def wait_for_stub(port: int, qemu: subprocess.Popen, deadline: float):
    """Return once something accepts TCP connections on port (QEMU's gdb stub).

    Raises CheckFailed if make/QEMU exits first or the deadline passes. The probe
    connection is closed at once; QEMU keeps the guest halted and accepts gdb next.
    """
    while time.monotonic() < deadline:
        if qemu.poll() is not None:
            raise CheckFailed(f"make qemu-nox-gdb exited (status {qemu.returncode}) "
                              "before QEMU's gdb stub answered")
        try:
            socket.create_connection(("localhost", port), timeout=1.0).close()
            return
        except OSError:
            time.sleep(0.1)
    raise CheckFailed(f"no gdb stub on port {port} within {START_TIMEOUT} s")


def kill_group(proc: subprocess.Popen):
    """SIGTERM proc's process group, then SIGKILL it if it has not exited in 5 s."""
    for sig, grace in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=grace)
            break
        except subprocess.TimeoutExpired:
            continue
    # make may exit before QEMU; make sure nothing of the group is left.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def markers(transcript: str):
    """Return [(kind, {field: value}, following_text)] for each `@@ KIND k=v...` line.

    following_text is the transcript up to the next marker (gdb's output for it).
    """
    parts = re.split(r"^@@ (.*)$", transcript, flags=re.M)
    out = []
    for head, body in zip(parts[1::2], parts[2::2]):
        kind, *fields = head.split()
        values = dict(f.split("=", 1) for f in fields if "=" in f)
        out.append((kind, values, body))
    return out


def check_transcript(transcript: str) -> str:
    """Check the gdb session; return a one-line summary or raise CheckFailed."""
    found = markers(transcript)
    kinds = [k for k, _, _ in found]
    for needed in ("AT", "END", "KSTACK", "done"):
        if needed not in kinds:
            last = kinds[-1] if kinds else "(none)"
            raise CheckFailed(f"gdb session stopped early: no '@@ {needed}' marker "
                              f"(last one: '@@ {last}')")

    # The stop after `ap-boot` + `continue`, reported as the breakpoint's hit.
    _, at, info = found[kinds.index("AT")]
    shown = found[kinds.index("AT") - 1][2]
    if not re.search(r"^Thread 2 hit Temporary breakpoint .*\bmpentry_start \(\) "
                     r"at kern/mpentry\.S:\d+$", shown, re.M):
        raise CheckFailed("continue after ap-boot did not report thread 2 hitting "
                          "the temporary breakpoint in mpentry_start (kern/mpentry.S)")
    if at["thread"] != "2":
        raise CheckFailed(f"ap-boot + continue stopped on thread {at['thread']}, not 2")
    if int(at["cs"], 16) != 0x700 or int(at["pc"], 16) != 0:
        raise CheckFailed(f"ap-boot + continue stopped at {at['cs']}:{at['pc']}, "
                          "not at CS:IP 0700:0000")
    if 'of "kern/mpentry.S"' not in info or "<mpentry_start>" not in info:
        raise CheckFailed("at 0700:0000 `info line *$pc` does not show "
                          "kern/mpentry.S / mpentry_start")

    # Each step.
    # (values, output of `step`, output of `info line`) for each step
    steps = [(v, found[i - 1][2], body) for i, (k, v, body) in enumerate(found)
             if k == "STEP" and i > 0 and found[i - 1][0] == "step"]
    if not steps:
        raise CheckFailed("no `step` was taken")
    real = prot = 0
    for n, (v, shown, body) in enumerate(steps, 1):
        cs, pc = int(v["cs"], 16), int(v["pc"], 16)
        if v["thread"] != "2":
            raise CheckFailed(f"step {n} ended on thread {v['thread']}, not 2")
        if pc >= 0xf0000000:            # left the trampoline: must be the last step
            if n != len(steps):
                raise CheckFailed(f"step {n} reached {pc:#x} but stepping went on")
            if not re.search(r"^mp_main \(\) at kern/init\.cc:\d+$", shown, re.M):
                raise CheckFailed(f"step {n} left kern/mpentry.S for {pc:#x}, "
                                  "not for mp_main in kern/init.cc")
            continue
        if 'of "kern/mpentry.S"' not in body:
            raise CheckFailed(f"step {n} stopped at {cs:#x}:{pc:#x}, "
                              "which gdb does not map to a line of kern/mpentry.S")
        if cs == 0x700 and pc < 0x100:
            real += 1
        elif cs == 0x8 and 0x7000 <= pc < 0x8000:
            prot += 1
        else:
            raise CheckFailed(f"step {n} stopped at unexpected CS {cs:#x}, $pc {pc:#x}")
    if not real or not prot:
        raise CheckFailed(f"steps in real mode: {real}, in protected mode: {prot}; "
                          "expected some of both")

    # Arrival in mp_main.
    _, end, after = found[kinds.index("END")]
    if int(end["pc"], 16) < 0xf0000000:
        raise CheckFailed(f"{len(steps)} steps did not leave the trampoline "
                          f"(still at $pc {end['pc']})")
    if not re.search(r"^#0\s.*\bmp_main\b.*kern/init\.cc:\d+", after, re.M):
        raise CheckFailed("`frame` after stepping does not show mp_main in kern/init.cc")
    current = re.search(r"^\*\s+(\d+)\s+(.*)$", after, re.M)
    if not current or current.group(1) != "2" or "mp_main" not in current.group(2):
        raise CheckFailed("`info threads` does not show thread 2 (CPU 1) current "
                          "in mp_main")
    _, ks, _ = found[kinds.index("KSTACK")]
    kstack, esp = int(ks["kstack"], 16), int(ks["esp"], 16)
    if kstack < 0xf0000000:
        raise CheckFailed(f"mpentry_kstack = {kstack:#x} is not a kernel address")
    if not kstack - 0x10000 < esp <= kstack:
        raise CheckFailed(f"%esp = {esp:#x} in mp_main is not just below "
                          f"mpentry_kstack = {kstack:#x}")
    return (f"ap-boot stopped CPU 1 at 0700:0000; {len(steps)} steps "
            f"({real} real mode, {prot} protected mode) reached mp_main; "
            f"mpentry_kstack {kstack:#x}")


def run(verbose: bool) -> str:
    """Build, boot, debug; return the summary line or raise CheckFailed."""
    os.chdir(ROOT)
    try:
        build = subprocess.run(MAKE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, timeout=BUILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise CheckFailed(f"make took longer than {BUILD_TIMEOUT} s") from None
    if build.returncode != 0:
        print(build.stdout, end="")
        raise CheckFailed(f"build failed (make exited with status {build.returncode})")

    port = free_port()
    with tempfile.TemporaryDirectory(prefix="gdb-apboot-") as tmp:
        gdbinit = Path(tmp, "gdbinit")
        template = (ROOT / ".gdbinit.tmpl").read_text()
        gdbinit.write_text(template.replace("localhost:1234", f"localhost:{port}"))
        commands = Path(tmp, "commands.gdb")
        commands.write_text(GDB_SCRIPT)
        log = open(Path(tmp, "qemu.out"), "w+")
        qemu = subprocess.Popen(
            MAKE + ["qemu-nox-gdb", "CPUS=2", f"GDBPORT={port}", "QEMUEXTRA+=-snapshot"],
            stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        try:
            wait_for_stub(port, qemu, time.monotonic() + START_TIMEOUT)
            try:
                gdb = subprocess.run(
                    ["gdb", "-batch", "-nx", "-x", str(gdbinit), "-x", str(commands)],
                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT, text=True, errors="replace",
                    timeout=GDB_TIMEOUT)
                transcript = gdb.stdout
            except FileNotFoundError:
                raise CheckFailed("gdb is not installed") from None
            except subprocess.TimeoutExpired as e:
                out = e.stdout or ""
                show_tail(out.decode(errors="replace") if isinstance(out, bytes) else out)
                raise CheckFailed(f"gdb session took longer than {GDB_TIMEOUT} s") from None
        finally:
            kill_group(qemu)
            log.close()
    if verbose:
        print(transcript, end="")
    try:
        return check_transcript(transcript)
    except CheckFailed:
        if not verbose:
            show_tail(transcript)
        raise


def show_tail(transcript: str):
    """Print the last TAIL_LINES lines of a gdb transcript."""
    print(f"last {TAIL_LINES} lines of the gdb session:")
    for line in transcript.splitlines()[-TAIL_LINES:]:
        print("  | " + line)


def _on_sigterm(signum, frame):
    """Turn SIGTERM (e.g. the grader's timeout) into an exception so QEMU is killed."""
    raise KeyboardInterrupt


def main() -> int:
    """Run the check; print its verdict; return the exit status."""
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        summary = run(verbose="-v" in sys.argv[1:])
    except CheckFailed as e:
        print(f"gdb-apboot: FAIL: {e}", flush=True)
        return 1
    except KeyboardInterrupt:
        print("gdb-apboot: FAIL: interrupted", flush=True)
        return 1
    print(f"gdb-apboot: OK: {summary}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
