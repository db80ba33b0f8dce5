"""What the scripted gdb checks (conf/gdb-*-check.py) share: build, boot QEMU halted
with a gdb stub, run gdb in batch mode, always kill QEMU, and print a one-line verdict.

Standard library only. The scripts import it from conf/ (their own directory, first
on sys.path) after setting sys.dont_write_bytecode, so no __pycache__ is left there.
"""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

MAKE = ["make", "-s", "--no-print-directory"]
BUILD_TIMEOUT = 600     # seconds for `make` (a clean build included)
START_TIMEOUT = 60      # seconds until QEMU's gdb stub accepts connections
TAIL_LINES = 40         # transcript lines shown on failure


class CheckFailed(Exception):
    """The check failed; the message is the one-line reason."""


class GdbTimeout(CheckFailed):
    """gdb ran too long; .transcript is what it printed until then."""

    def __init__(self, message: str, transcript: str):
        super().__init__(message)
        self.transcript = transcript


def build(cwd=None):
    """Run make's default target; on failure print its output and raise CheckFailed."""
    try:
        done = subprocess.run(MAKE, cwd=cwd, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=BUILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise CheckFailed(f"make took longer than {BUILD_TIMEOUT} s") from None
    if done.returncode != 0:
        print(done.stdout, end="")
        raise CheckFailed(f"build failed (make exited with status {done.returncode})")


def write_gdbinit(dest: Path, tree: Path, port: int):
    """Write to dest the .gdbinit `make gdb` would, but for port instead of 1234."""
    dest.write_text((tree / ".gdbinit.tmpl").read_text()
                    .replace("localhost:1234", f"localhost:{port}"))


def wait_for_stub(port: int, proc: subprocess.Popen, what: str = "make"):
    """Return once QEMU's gdb stub accepts TCP connections on port.

    The probe connection is closed at once; QEMU keeps the guest halted for gdb.
    what names proc in the message if it exits first.
    """
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise CheckFailed(f"{what} exited (status {proc.returncode}) before QEMU's "
                              "gdb stub answered")
        try:
            socket.create_connection(("localhost", port), timeout=1.0).close()
            return
        except OSError:
            time.sleep(0.1)
    raise CheckFailed(f"no gdb stub on port {port} within {START_TIMEOUT} s")


def run_gdb(gdbinit: Path, commands: Path, timeout: float, cwd=None) -> str:
    """gdb's output for `gdb -batch -x gdbinit -x commands`; CheckFailed if there is
    no gdb, GdbTimeout (with the output so far) if it runs longer than timeout."""
    try:
        return subprocess.run(
            ["gdb", "-batch", "-nx", "-x", str(gdbinit), "-x", str(commands)],
            cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, errors="replace", timeout=timeout).stdout
    except FileNotFoundError:
        raise CheckFailed("gdb is not installed") from None
    except subprocess.TimeoutExpired as e:
        out = e.stdout or ""        # bytes, despite text=True, on some Python versions
        raise GdbTimeout(f"gdb session took longer than {timeout} s",
                         out.decode(errors="replace") if isinstance(out, bytes)
                         else out) from None


def kill_group(proc: subprocess.Popen):
    """SIGTERM proc's process group, then SIGKILL it: make may exit before QEMU."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=5.0)
        except subprocess.TimeoutExpired:
            pass


def show_tail(text: str, what: str = "the gdb session"):
    """Print the last TAIL_LINES lines of text."""
    print(f"last {TAIL_LINES} lines of {what}:")
    for line in text.splitlines()[-TAIL_LINES:]:
        print("  | " + line)


def _on_sigterm(signum, frame):
    """Turn SIGTERM (the grader's timeout) into an exception, so QEMU is killed."""
    raise KeyboardInterrupt


def verdict(name: str, run) -> int:
    """Call run() for the summary; print `name: OK: ...` or `name: FAIL: reason`;
    return the exit status (0 or 1)."""
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        summary = run()
    except CheckFailed as e:
        print(f"{name}: FAIL: {e}", flush=True)
        return 1
    except KeyboardInterrupt:
        print(f"{name}: FAIL: interrupted", flush=True)
        return 1
    print(f"{name}: OK: {summary}", flush=True)
    return 0
