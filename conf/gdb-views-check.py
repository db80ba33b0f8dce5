#!/usr/bin/env python3
"""Scripted check of the gdb views of kernel state in .gdbinit.tmpl.

The commands are envs, cpus, thiscpu and tf (README, "Debugging with GDB").
In a scratch copy of the tree (gradelib.scratch_tree, so the tree's own
.gdbinit is left alone), it boots `make run-breakpoint-nox-gdb CPUS=2` halted
on a free port and runs gdb in batch mode with the .gdbinit that `make gdb`
writes:

  - at the reset vector (real mode, paging off) thiscpu says there is no
    CpuLocal segment, envs and cpus that the kernel is not mapped, and tf
    without an address prints its usage, all without a gdb error (which
    would end the script);
  - at a hardware breakpoint on user/breakpoint's umain (user mode) thiscpu
    says %gs is the user's;
  - at a breakpoint on monitor(), entered from trap() for that program's
    int3: envs, cpus, thiscpu, `tf tf`; then on the other CPU's thread
    thiscpu and cpus again; then `help user-defined`.

When gdb detaches, the kernel goes on: monitor() prints the same trap frame
with print_trapframe, and this script types `envs` and `cpus` at the
monitor's prompt. Checked:

  - tf's lines are exactly the kernel's print_trapframe lines for that frame
    (a breakpoint trap from user mode: esp and ss included);
  - envs and cpus show what the monitor's envs and cpus show (their columns
    in common), with the CPU of the selected thread marked;
  - thiscpu names cpus[i] for the CPU of each thread, with %gs the selector
    GD_CPULOCAL0 + 8*i of kern/cpu.hh (computed here from the headers), and
    prints a CpuInfo whose cpu_id is that CPU's APIC id and whose cpu_env is
    the trapping environment (the breakpoint's CPU) or null (the other);
  - `help user-defined` lists each command with its own documentation.

QEMU (with make, in its own process group) is always killed at the end.
Exit status 0 and an `OK` line when everything holds, else a one-line
reason (after the end of the transcript) and status 1. Only the standard
library, gradelib and conf/gdbsession.py (shared with gdb-apboot-check.py)
are used. Usage: conf/gdb-views-check.py [-v]
  -v  print the whole gdb transcript and console output
"""

import re
import subprocess
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from gdbsession import (MAKE, CheckFailed, GdbTimeout, build, kill_group,  # noqa: E402
                        run_gdb, show_tail, verdict, wait_for_stub, write_gdbinit)
from gradelib import GradeError, free_port, read_symbol, scratch_tree  # noqa: E402

GDB_TIMEOUT = 60        # seconds for the whole gdb session
MONITOR_TIMEOUT = 30    # seconds for the monitor's output after gdb detaches
COMMANDS = ("envs", "cpus", "thiscpu", "tf")

# `@@ NAME` lines split the transcript into each command's output. At the
# breakpoint, `thread 3 - $_thread` selects the other CPU of two.
GDB_SCRIPT = r"""
echo @@ reset-thiscpu\n
thiscpu
echo @@ reset-envs\n
envs
echo @@ reset-cpus\n
cpus
echo @@ reset-tf\n
tf
echo @@ user\n
hbreak *UMAIN
continue
echo @@ user-thiscpu\n
thiscpu
delete
echo @@ break\n
break monitor
continue
echo @@ envs\n
envs
echo @@ cpus\n
cpus
echo @@ thiscpu\n
thiscpu
echo @@ tf\n
tf tf
echo @@ other\n
eval "thread %d", 3 - $_thread
echo @@ other-thiscpu\n
thiscpu
echo @@ other-cpus\n
cpus
echo @@ help\n
help user-defined
echo @@ done\n
"""


def header_define(path: str, name: str) -> int:
    """The number in `#define name NUMBER` of ROOT/path."""
    found = re.search(rf"^#define\s+{name}\s+(0x[0-9a-fA-F]+|\d+)\b",
                      (ROOT / path).read_text(), re.M)
    if not found:
        raise CheckFailed(f"{path} defines no {name} as a number")
    return int(found.group(1), 0)


def sections(transcript: str) -> dict:
    """{name: gdb's output after `@@ name`, up to the next marker}."""
    parts = re.split(r"^@@ (\S+)$", transcript, flags=re.M)
    return {name: body.strip("\n") for name, body in zip(parts[1::2], parts[2::2])}


def table_rows(text: str, header: str, fields: int):
    """The first `fields` columns of each row under header in text, and the
    rest of each row (the annotation)."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.rstrip() == header), None)
    if start is None:
        return None
    rows = []
    for line in lines[start + 1:]:
        cols = line.split()
        if not line.startswith("  ") or len(cols) < fields:
            break
        rows.append((tuple(cols[:fields]), " ".join(cols[fields:])))
    return rows


def console_block(console: str, first: str, last_re: str):
    """The console lines from the first one starting with `first` through the
    next one matching last_re, or None."""
    lines = [line.rstrip("\r") for line in console.splitlines()]
    start = next((i for i, line in enumerate(lines) if line.startswith(first)), None)
    if start is None:
        return None
    for end in range(start, len(lines)):
        if re.match(last_re, lines[end]):
            return lines[start:end + 1]
    return None


def same_cpu(row: tuple, thread: int) -> tuple:
    """What of a cpus row must be the same in gdb and the monitor. The CPU
    that hit the breakpoint holds the kernel lock in the monitor, so none of
    its row changes; the other may halt and wake (status, runs) meanwhile."""
    return row if int(row[0]) == thread - 1 else (row[0], row[1], row[4])


def check_thiscpu(text: str, thread: int, cpus: dict, cpulocal0: int, env: int):
    """thiscpu on gdb thread `thread` names that thread's CPU and its CpuInfo."""
    head = re.search(r"^thiscpu: cpus\[(\d+)\] \(gdb thread (\d+), %gs (0x[0-9a-f]+) "
                     r"selects cpu_local\[(\d+)\]\)$", text, re.M)
    if not head:
        raise CheckFailed(f"thiscpu on thread {thread} printed no 'thiscpu: cpus[i] ...' "
                          f"line: {text.splitlines()[:1]}")
    index, shown_thread, gs = int(head.group(1)), int(head.group(2)), int(head.group(3), 16)
    if shown_thread != thread or int(head.group(4)) != index:
        raise CheckFailed(f"thiscpu: {head.group(0)!r} on thread {thread}")
    if index != thread - 1:             # QEMU's CPU n is gdb thread n+1, the boot CPU 0
        raise CheckFailed(f"thiscpu on thread {thread} says cpus[{index}]")
    if gs != cpulocal0 + 8 * index:
        raise CheckFailed(f"thiscpu: %gs {gs:#x} for cpus[{index}], but kern/cpu.hh "
                          f"gives GD_CPULOCAL0 + 8*{index} = {cpulocal0 + 8 * index:#x}")
    info = re.search(r"^\$\d+ = \{cpu_id = (\d+) .*?, cpu_status = (\d+), "
                     r"cpu_env = (0x[0-9a-f]+)", text, re.M)
    if not info:
        raise CheckFailed(f"thiscpu on thread {thread} printed no CpuInfo")
    apic, status, cpu_env = int(info.group(1)), int(info.group(2)), int(info.group(3), 16)
    if index not in cpus or cpus[index][1] != str(apic):
        raise CheckFailed(f"thiscpu: cpus[{index}].cpu_id = {apic}, but the monitor's "
                          f"cpus says {cpus.get(index)}")
    if status not in (1, 2):
        raise CheckFailed(f"thiscpu: cpus[{index}].cpu_status = {status}, "
                          "not 1 or 2 (started or halted)")
    if cpu_env != env:
        raise CheckFailed(f"thiscpu: cpus[{index}].cpu_env = {cpu_env:#x}, expected {env:#x}")
    return index


def check(transcript: str, console: str) -> str:
    """Check the gdb transcript against the console; return a summary."""
    found = sections(transcript)
    for needed in ("reset-thiscpu", "user-thiscpu", "envs", "tf", "other-cpus", "help",
                   "done"):
        if needed not in found:
            last = list(found)[-1] if found else "(none)"
            raise CheckFailed(f"gdb session stopped early: no '@@ {needed}' marker "
                              f"(last one: '@@ {last}')")

    # Before the kernel runs: a message each, no gdb error.
    expected_reset = {
        "reset-thiscpu": r"thiscpu: none on gdb thread 1: the CPU is in real mode$",
        "reset-envs": r"envs: paging is off on gdb thread 1",
        "reset-cpus": r"cpus: paging is off on gdb thread 1",
        "reset-tf": r"usage: tf ADDR",
    }
    for name, pattern in expected_reset.items():
        if not re.search(pattern, found[name], re.M):
            raise CheckFailed(f"at reset, {name.split('-')[1]} printed "
                              f"{found[name]!r}, expected /{pattern}/")

    # In user mode %gs is the user's data segment.
    if not re.search(r"^Thread \d+ hit Breakpoint \d+, 0x[0-9a-f]+ in ", found["user"], re.M):
        raise CheckFailed("continue did not stop at the hardware breakpoint on "
                          "user/breakpoint's umain")
    pattern = r"^thiscpu: none on gdb thread \d+: the CPU is in user mode"
    if not re.search(pattern, found["user-thiscpu"], re.M):
        raise CheckFailed(f"in user mode, thiscpu printed {found['user-thiscpu']!r}, "
                          f"expected /{pattern}/")

    hit = re.search(r"^Thread (\d+) hit Breakpoint \d+, monitor \(tf=(0x[0-9a-f]+)\)",
                    found["break"], re.M)
    if not hit:
        raise CheckFailed("continue did not stop at the breakpoint on monitor()")
    thread, tf_addr = int(hit.group(1)), int(hit.group(2), 16)
    other = 3 - thread

    # tf: the kernel's own print_trapframe of the same frame, line for line.
    kernel_tf = console_block(console, "TRAP frame at ", r"  ss   ")
    if kernel_tf is None:
        raise CheckFailed("the console shows no complete TRAP frame from monitor()")
    gdb_tf = found["tf"].splitlines()
    if gdb_tf != kernel_tf:
        diff = next((f"line {i + 1}: gdb {g!r}, kernel {k!r}"
                     for i, (g, k) in enumerate(zip(gdb_tf, kernel_tf)) if g != k),
                    f"gdb printed {len(gdb_tf)} lines, the kernel {len(kernel_tf)}")
        raise CheckFailed(f"`tf tf` differs from print_trapframe: {diff}")
    if not any(line == "  trap 0x00000003 Breakpoint" for line in gdb_tf):
        raise CheckFailed("`tf tf` shows no breakpoint trap")

    # envs and cpus: the monitor's columns (less its pages column).
    env_header = "  id       parent   status        cpu     runs"
    gdb_envs = table_rows(found["envs"], env_header, 5)
    mon_envs = table_rows(console, env_header + "  pages", 5)
    if gdb_envs is None or mon_envs is None:
        raise CheckFailed("no envs table from " + ("gdb" if gdb_envs is None else "the monitor"))
    if [r for r, _ in gdb_envs] != [r for r, _ in mon_envs]:
        raise CheckFailed(f"gdb's envs {[r for r, _ in gdb_envs]} != the monitor's "
                          f"{[r for r, _ in mon_envs]}")
    if len(gdb_envs) != 1 or gdb_envs[0][0][2] != "running":
        raise CheckFailed(f"envs: expected one running environment, got {gdb_envs}")
    cpu_header = "  cpu apic status       runs env"
    mon_cpus = table_rows(console, cpu_header, 5)
    if mon_cpus is None or len(mon_cpus) != 2:
        raise CheckFailed(f"the monitor's cpus shows {mon_cpus}, not 2 CPUs")
    for name, on in (("cpus", thread), ("other-cpus", other)):
        rows = table_rows(found[name], cpu_header, 5)
        if rows is None or [same_cpu(r, thread) for r, _ in rows] != \
                [same_cpu(r, thread) for r, _ in mon_cpus]:
            raise CheckFailed(f"gdb's {name} on thread {on}: {rows}; the monitor's: "
                              f"{mon_cpus}")
        marks = [i for i, (_, note) in enumerate(rows) if note]
        if marks != [on - 1] or rows[on - 1][1] != f"(thiscpu of gdb thread {on})":
            raise CheckFailed(f"cpus on thread {on} marks {rows}, expected CPU {on - 1}")

    # thiscpu on both threads: the trapping CPU runs the environment whose
    # env_tf is the frame (env_tf is Env's first member), the other none.
    # kern/cpu.hh: GD_CPULOCAL0 = GD_TSS0 + 8 * NCPU.
    cpulocal0 = header_define("inc/memlayout.h", "GD_TSS0") + \
        8 * header_define("kern/cpu.hh", "NCPU")
    cpus = {int(r[0]): r for r, _ in mon_cpus}
    mine = check_thiscpu(found["thiscpu"], thread, cpus, cpulocal0, tf_addr)
    check_thiscpu(found["other-thiscpu"], other, cpus, cpulocal0, 0)

    # help user-defined: each command with the first line of its document.
    for name in COMMANDS:
        if not re.search(rf"^{name} -- {name}\b", found["help"], re.M):
            raise CheckFailed(f"`help user-defined` does not list {name} with its document")
    return (f"envs, cpus, thiscpu and tf agree with the kernel (breakpoint on CPU {mine}, "
            f"trap frame {tf_addr:#x}); sensible messages at reset and in user mode")


def wait_for_console(log: Path, pattern: str, deadline: float) -> str:
    """The console text once it has a line matching pattern, or CheckFailed."""
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace").replace("\r", "")
        if re.search(pattern, text, re.M):
            return text
        time.sleep(0.1)
    raise CheckFailed(f"the console showed no /{pattern}/ within {MONITOR_TIMEOUT} s")


def session(tree: Path, verbose: bool) -> str:
    """Build, boot and debug in tree; return the summary or raise CheckFailed."""
    build(cwd=tree)
    port = free_port()
    gdbinit = tree / "views.gdbinit"
    write_gdbinit(gdbinit, tree, port)
    commands = tree / "views.gdb"
    try:
        umain = read_symbol("umain", str(tree / "obj/user/breakpoint.sym"))
    except GradeError as e:
        raise CheckFailed(str(e)) from None
    commands.write_text(GDB_SCRIPT.replace("UMAIN", f"{umain:#x}"))
    log = tree / "views.console"
    transcript = console = ""
    with open(log, "w") as out:
        qemu = subprocess.Popen(
            MAKE + ["run-breakpoint-nox-gdb", "CPUS=2", f"GDBPORT={port}"],
            cwd=tree, stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
        try:
            wait_for_stub(port, qemu)
            try:
                transcript = run_gdb(gdbinit, commands, GDB_TIMEOUT, cwd=tree)
            except GdbTimeout as e:
                transcript = e.transcript       # for -v
                raise
            # gdb detached and the kernel went on into the monitor.
            deadline = time.monotonic() + MONITOR_TIMEOUT
            wait_for_console(log, r"^K> ", deadline)
            qemu.stdin.write(b"envs\ncpus\n")
            qemu.stdin.flush()
            console = wait_for_console(
                log, r"^  cpu apic status.*\n(?:  .*\n){2}K> ", deadline)
        finally:
            kill_group(qemu)
            if not console and log.exists():
                console = log.read_text(errors="replace").replace("\r", "")
            if verbose:
                print(transcript, end="")
                print("--- console ---")
                print(console, end="")
    try:
        return check(transcript, console)
    except CheckFailed:
        if not verbose:
            show_tail(transcript, "the gdb session")
        raise


def main() -> int:
    """Run the check; print its verdict; return the exit status."""
    args = sys.argv[1:]
    if args not in ([], ["-v"]):
        print("usage: conf/gdb-views-check.py [-v]")
        return 2

    def run():
        with scratch_tree(root=ROOT) as tree:
            return session(tree, verbose=bool(args))
    return verdict("gdb-views", run)


if __name__ == "__main__":
    sys.exit(main())
