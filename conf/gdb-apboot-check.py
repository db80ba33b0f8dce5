#!/usr/bin/env python3
"""Scripted check of the README's GDB session on an AP's start-up (`ap-boot`).

First, without building anything, README.md's section "## Debugging with GDB"
(up to the next `#`/`##` heading; it holds the worked session) is checked
against the source, so that the walkthrough cannot go stale unnoticed:

  - every `FILE:LINE` mention of a source file (kern/..., boot/..., lib/...,
    inc/...; in prose or in a transcript) names a file that exists and a line
    it has;
  - every source line gdb echoes in the transcripts, i.e. an indented code
    line `NN<whitespace>text`, has as text exactly (whitespace runs counted
    as one space) line NN of the file the transcript is in: the file of the
    latest `FILE:LINE` mention before it; and when it directly follows a
    line that ends a stop report with `at FILE:LINE`, NN is that LINE.

Each problem is reported as `README.md:N: ...` (N: the README line).

Then it builds the kernel, starts `make qemu-nox-gdb CPUS=2` on a free port
(halted, with a gdb stub), and runs gdb in batch mode with the .gdbinit that
`make gdb` would write from .gdbinit.tmpl. The gdb script does what the
README's student does: `b boot_aps`, `continue`, `next` twice, `ap-boot`,
`continue` to the first trampoline instruction of CPU 1 (gdb thread 2), the
README's `x/xw`, then `step` through kern/mpentry.S (real mode, then
protected mode) until it is in mp_main (kern/init.cc). Checked from the
transcript:

  - gdb reports the stop as thread 2 hitting ap-boot's temporary breakpoint
    in mpentry_start, at CS:IP 0700:0000 ($pc = 0), and `info line` places
    it in kern/mpentry.S;
  - every step inside the trampoline is at a source line of kern/mpentry.S,
    some in real mode (CS 0x700) and some in protected mode (CS 0x8, $pc a
    linear address in the page at 0x7000);
  - stepping ends in mp_main on thread 2 (`frame`, `info threads`), with
    mpentry_kstack a kernel address and %esp on the stack below it;
  - the README's way of reading mpentry_kstack from the AP before paging,
    `x/xw (char *) &mpentry_kstack - 0xf0000000`, shows that address and
    the value CPU 0 stored there;
  - every source line the README quotes from a file gdb echoed source lines
    of in this replay (kern/init.cc, kern/mpentry.S) is one gdb echoed, with
    the same number and text: the README shows only stops gdb really makes.

QEMU (with make, in their own process group) is always killed at the end.
Exit status 0 when everything holds; otherwise a one-line reason (after the
end of the gdb transcript) and exit status 1. Only the standard library,
gradelib and conf/gdbsession.py are used. Usage: conf/gdb-apboot-check.py [-v] [--readme-only] [--readme FILE]
  -v             print the whole gdb transcript
  --readme-only  only the README-against-source check (no build, no QEMU)
  --readme FILE  check FILE instead of README.md (e.g. a scratch copy)
"""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from gdbsession import (MAKE, CheckFailed, GdbTimeout, build, kill_group,  # noqa: E402
                        run_gdb, show_tail, verdict, wait_for_stub, write_gdbinit)
from gradelib import free_port  # noqa: E402  (a port below 32768, see gradelib)

ROOT = Path(__file__).resolve().parent.parent
GDB_TIMEOUT = 120       # seconds for the whole gdb session
MAX_STEPS = 80          # `step`s allowed before mp_main must be reached
KERNBASE = 0xf0000000   # inc/memlayout.h; the README's x/xw subtracts it

README = ROOT / "README.md"
README_SECTION = "Debugging with GDB"   # the `## ` heading of the walkthrough
# `FILE:LINE` for a source file (an optional "./" as gdb sometimes prints it);
# not preceded by a path character, so obj/kern/... is not taken for kern/...
LOCATION_RE = re.compile(r"(?<![\w./-])(?:\./)?((?:kern|boot|lib|inc)/[\w+-]+"
                         r"(?:[./][\w+-]+)*):(\d+)")
# A source line echoed by gdb as quoted in the README: in an indented code
# block (4 spaces), the line number, whitespace (a tab, as spaces), the text.
README_ECHO_RE = re.compile(r"^ {4}(\d+)[ \t]+(\S.*?)\s*$")
# The same in gdb's own output: the number, a tab, the text.
GDB_ECHO_RE = re.compile(r"^(\d+)\t(.*)$")
# Which file gdb's output is in, besides `at FILE:LINE`: `info line`'s report.
GDB_INFO_LINE_RE = re.compile(r'^Line \d+ of "(?:\./)?([^"]+)"')

# What the student types (README, "Debugging with GDB"), plus `@@` marker
# lines with the values this script checks. Real-mode $pc values are offsets
# below 0x100; protected-mode ones are linear addresses in 0x7000..0x7fff.
GDB_SCRIPT = r"""
echo @@ break-boot_aps\n
break boot_aps
echo @@ continue-boot_aps\n
continue
echo @@ next\n
next
echo @@ next\n
next
echo @@ ap-boot\n
ap-boot
echo @@ continue\n
continue
printf "@@ AT thread=%d cs=%#x pc=%#x\n", $_thread, $cs, $pc
info line *$pc
printf "@@ KPHYS addr=%#x\n", (char *) &mpentry_kstack - KERNBASE
x/xw (char *) &mpentry_kstack - KERNBASE
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
""".replace("MAX_STEPS", str(MAX_STEPS)).replace("KERNBASE", hex(KERNBASE))


def normalize(text: str) -> str:
    """text with leading/trailing whitespace dropped and inner runs as one space."""
    return " ".join(text.split())


def readme_section(readme: Path):
    """Return [(README line number, line)] of README's "## Debugging with GDB".

    From its heading up to (not including) the next `# ` or `## ` heading.
    """
    lines = readme.read_text(errors="replace").splitlines()
    heading = re.compile(r"^##\s+" + re.escape(README_SECTION) + r"\s*$")
    start = next((i for i, line in enumerate(lines) if heading.match(line)), None)
    if start is None:
        raise CheckFailed(f"{readme.name} has no '## {README_SECTION}' section")
    end = next((i for i in range(start + 1, len(lines))
                if re.match(r"^#{1,2}\s", lines[i])), len(lines))
    return [(i + 1, lines[i]) for i in range(start, end)]


def readme_references(readme: Path):
    """Parse the walkthrough's source references.

    Returns (locations, echoes): locations as [(readme_line, file, line)] for
    every `FILE:LINE` mention; echoes as [(readme_line, file or None, line,
    text, stop)] for every quoted gdb source-line echo, file being the one of
    the latest mention before it and stop (README line, LINE) of the stop
    report (a line ending in `at FILE:LINE`) directly above it, or None.
    """
    locations, echoes = [], []
    current = None          # file of the latest FILE:LINE mention
    previous = ""           # the README line before this one
    for number, line in readme_section(readme):
        echo = README_ECHO_RE.match(line)
        if echo:
            stop = re.search(r"\bat (?:\./)?\S+:(\d+)$", previous.rstrip())
            echoes.append((number, current, int(echo.group(1)), echo.group(2),
                           (number - 1, int(stop.group(1))) if stop else None))
        for mention in LOCATION_RE.finditer(line):
            locations.append((number, mention.group(1), int(mention.group(2))))
            current = mention.group(1)
        previous = line
    return locations, echoes


def source_lines(path: str, cache: dict):
    """The lines of source file path (relative to ROOT), or None if it is missing."""
    if path not in cache:
        file = ROOT / path
        cache[path] = (file.read_text(errors="replace").splitlines()
                       if file.is_file() else None)
    return cache[path]


def check_readme_sources(readme: Path) -> list:
    """Check the walkthrough's FILE:LINE mentions and quoted source lines.

    Returns the problems, each a string `README.md:N: ...` (empty if none).
    Needs no build: only README and the source files are read.
    """
    locations, echoes = readme_references(readme)
    where = readme.name
    problems = []
    if not locations or not echoes:
        problems.append(f"{where}: found {len(locations)} FILE:LINE mentions and "
                        f"{len(echoes)} quoted source lines in '## {README_SECTION}'; "
                        "expected some of both (did the transcripts' format change?)")
    cache = {}
    for number, path, line in locations:
        lines = source_lines(path, cache)
        if lines is None:
            problems.append(f"{where}:{number}: {path}:{line}: no such file")
        elif not 1 <= line <= len(lines):
            problems.append(f"{where}:{number}: {path}:{line}: no such line "
                            f"({path} has {len(lines)} lines)")
    for number, path, line, text, stop in echoes:
        if path is None:
            problems.append(f"{where}:{number}: quoted source line {line} comes "
                            "before any FILE:LINE that would name its file")
            continue
        if stop is not None and stop[1] != line:
            problems.append(f"{where}:{number}: quotes line {line}, but the stop "
                            f"report right above it ({where}:{stop[0]}) says "
                            f"{path}:{stop[1]} (gdb echoes the stop's own line)")
        lines = source_lines(path, cache)
        if lines is None:
            continue                    # already reported as a missing file
        if not 1 <= line <= len(lines):
            problems.append(f"{where}:{number}: quotes line {line} of {path}, "
                            f"which has only {len(lines)} lines")
        elif normalize(text) != normalize(lines[line - 1]):
            actual = [n for n, source in enumerate(lines, 1)
                      if normalize(source) == normalize(text)]
            hint = (f"; that text is line {', '.join(map(str, actual))}"
                    if actual else "")
            problems.append(f"{where}:{number}: quotes {path}:{line} as "
                            f"{normalize(text)!r}, but that line is "
                            f"{normalize(lines[line - 1])!r}{hint}")
    return problems


def gdb_echoes(transcript: str) -> dict:
    """{file: {line: text}} of every source line gdb echoed in the transcript.

    The file is the one of the latest `FILE:LINE` or `Line N of "FILE"` gdb
    printed before the echo (`at FILE:LINE` precedes every stop's echo once
    the function changes; `info line *$pc` names the file after each step).
    """
    seen, current = {}, None
    for line in transcript.splitlines():
        echo = GDB_ECHO_RE.match(line)
        if echo and current:
            seen.setdefault(current, {})[int(echo.group(1))] = normalize(echo.group(2))
            continue
        mentions = LOCATION_RE.findall(line)
        if mentions:
            current = mentions[-1][0]
        info = GDB_INFO_LINE_RE.match(line)
        if info:
            current = info.group(1)
    return seen


def check_readme_against_replay(readme: Path, transcript: str) -> list:
    """Problems with README's quoted source lines compared with gdb's replay.

    A line the README quotes from a file gdb echoed lines of (the files the
    replay stops in) must be one gdb echoed with the same number and text:
    so the README shows only stops gdb really makes.
    """
    seen = gdb_echoes(transcript)
    problems = []
    for number, path, line, text, _ in readme_references(readme)[1]:
        if path not in seen:
            continue
        if line not in seen[path]:
            shown = ", ".join(map(str, sorted(seen[path])))
            problems.append(f"{readme.name}:{number}: quotes {path}:{line}, but gdb "
                            f"never stopped there in the replay (it echoed lines "
                            f"{shown} of {path}; extend GDB_SCRIPT if the README "
                            "now shows another stop)")
        elif seen[path][line] != normalize(text):
            problems.append(f"{readme.name}:{number}: quotes {path}:{line} as "
                            f"{normalize(text)!r}; gdb echoed {seen[path][line]!r}")
    return problems


def report_problems(problems: list, what: str):
    """Print each problem on a line of its own; raise CheckFailed if any."""
    if not problems:
        return
    for problem in problems:
        print(problem)
    more = f" (and {len(problems) - 1} more above)" if len(problems) > 1 else ""
    raise CheckFailed(f"{what}: {problems[0]}{more}")


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
    for needed in ("AT", "KPHYS", "END", "KSTACK", "done"):
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

    # The README's physical read of mpentry_kstack on the AP, before paging.
    _, kphys, shown = found[kinds.index("KPHYS")]
    word = re.search(r"^0x([0-9a-f]+)(?: <[^>]*>)?:\s+0x([0-9a-f]+)\s*$", shown, re.M)
    if not word:
        raise CheckFailed("`x/xw (char *) &mpentry_kstack - KERNBASE` on thread 2 "
                          "did not show a word")
    if int(word.group(1), 16) != int(kphys["addr"], 16) or int(word.group(2), 16) != kstack:
        raise CheckFailed(f"`x/xw (char *) &mpentry_kstack - KERNBASE` showed "
                          f"{word.group(2)} at {word.group(1)}, not mpentry_kstack = "
                          f"{kstack:#x} at {kphys['addr']}")
    return (f"ap-boot stopped CPU 1 at 0700:0000; {len(steps)} steps "
            f"({real} real mode, {prot} protected mode) reached mp_main; "
            f"mpentry_kstack {kstack:#x}")


def run(verbose: bool, readme: Path, readme_only: bool) -> str:
    """Check README, build, boot, debug; return the summary or raise CheckFailed."""
    os.chdir(ROOT)
    report_problems(check_readme_sources(readme), "README does not match the source")
    if readme_only:
        return f"{readme.name}'s GDB walkthrough matches the source"
    build()

    port = free_port()
    with tempfile.TemporaryDirectory(prefix="gdb-apboot-") as tmp:
        gdbinit = Path(tmp, "gdbinit")
        write_gdbinit(gdbinit, ROOT, port)
        commands = Path(tmp, "commands.gdb")
        commands.write_text(GDB_SCRIPT)
        log = open(Path(tmp, "qemu.out"), "w+")
        qemu = subprocess.Popen(
            MAKE + ["qemu-nox-gdb", "CPUS=2", f"GDBPORT={port}", "QEMUEXTRA+=-snapshot"],
            stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        try:
            wait_for_stub(port, qemu, what="make qemu-nox-gdb")
            try:
                transcript = run_gdb(gdbinit, commands, GDB_TIMEOUT)
            except GdbTimeout as e:
                show_tail(e.transcript)
                raise
        finally:
            kill_group(qemu)
            log.close()
    if verbose:
        print(transcript, end="")
    try:
        summary = check_transcript(transcript)
    except CheckFailed:
        if not verbose:
            show_tail(transcript)
        raise
    report_problems(check_readme_against_replay(readme, transcript),
                    "README does not match gdb's replay")
    return summary + f"; {readme.name}'s walkthrough matches the source and the replay"


def main() -> int:
    """Run the check; print its verdict; return the exit status."""
    args = sys.argv[1:]
    readme = README
    if "--readme" in args:
        at = args.index("--readme")
        if at + 1 >= len(args):
            print("usage: conf/gdb-apboot-check.py [-v] [--readme-only] [--readme FILE]")
            return 2
        readme = Path(args[at + 1]).resolve()
        del args[at:at + 2]
    unknown = [a for a in args if a not in ("-v", "--readme-only")]
    if unknown:
        print(f"gdb-apboot: unknown argument {unknown[0]!r}; usage: "
              "conf/gdb-apboot-check.py [-v] [--readme-only] [--readme FILE]")
        return 2
    return verdict("gdb-apboot", lambda: run(verbose="-v" in args, readme=readme,
                                             readme_only="--readme-only" in args))


if __name__ == "__main__":
    sys.exit(main())
