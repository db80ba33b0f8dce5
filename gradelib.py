"""Grading library for the JOS kernel: boot user programs under QEMU and match the console.

A test boots one user program with `make run-<prog>-nox-gdb` (the one kernel image; the
program is chosen at boot), connects to QEMU's gdb stub (a Unix socket of the run's own,
or TCP for the tests that drive make as the MIT and FIUBA graders do), puts a hardware
breakpoint on the kernel's `readline` (so reaching the kernel monitor ends the run),
optionally types commands into the monitor, and then checks the console output against
regular expressions. A `CommandTest` instead runs an external check (e.g.
conf/gdb-apboot-check.py) and passes iff it exits with status 0. Tests run in parallel
(`-j N`); results print in the suite's order. Only the Python standard library is used.
"""

import codecs
import contextlib
import os
import random
import re
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, as_completed, wait
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "GradeError", "GDBError", "GDBClient", "Test", "CommandTest", "Result",
    "expand_env_ids", "check_output", "free_port", "read_symbol",
    "build", "run_test", "run_command_test", "main", "copy_tree", "scratch_tree",
]

MAKE = ["make", "-s", "--no-print-directory"]
SYMBOL_FILE = "obj/kern/kernel.sym"
STALE_FILES = ["obj/kern/init.o", "obj/kern/kernel"]
BREAK_SYMBOL = "readline"
PROMPT = "K> "

START_TIMEOUT = 30.0     # seconds for rebuild + QEMU launch + gdb connection
DRAIN_TIMEOUT = 5.0      # seconds to collect output after SIGTERM
CONNECT_RETRY = 0.05     # seconds between attempts to reach the gdb stub
TAIL_LINES = 40          # output lines shown for a failed test


class GradeError(Exception):
    """A problem that makes the current test fail (as opposed to a bug in the grader)."""


class GDBError(GradeError):
    """The gdb stub answered something unexpected."""


# ---------------------------------------------------------------------------
# GDB remote serial protocol


def _checksum(data: bytes) -> bytes:
    """Return the two lowercase hex digits of the protocol checksum (sum mod 256)."""
    return b"%02x" % (sum(data) % 256)


def _frame(data: str) -> bytes:
    """Wrap a command in a packet: `$<data>#<checksum>`."""
    body = data.encode("ascii")
    if any(c in body for c in b"$#}*"):
        raise ValueError(f"gdb packet needs escaping: {data!r}")
    return b"$" + body + b"#" + _checksum(body)


def _decode_body(body: bytes) -> str:
    """Undo the `}` escapes and `*` run-length encoding of a received packet body."""
    out = bytearray()
    i = 0
    while i < len(body):
        byte = body[i]
        if byte == ord("}") and i + 1 < len(body):
            out.append(body[i + 1] ^ 0x20)
            i += 2
        elif byte == ord("*") and out and i + 1 < len(body):
            out += out[-1:] * (body[i + 1] - 29)
            i += 2
        else:
            out.append(byte)
            i += 1
    return out.decode("latin-1")


class GDBClient:
    """A non-blocking client for the GDB remote serial protocol over TCP.

    Commands are queued with `request` and sent one at a time: the next packet goes out
    once the stub has answered the previous one. Incoming bytes are processed by
    `on_readable`, which the caller invokes whenever the socket is readable; it
    acknowledges packets, retransmits on `-`, and hands each reply to the callback of
    the command it answers.
    """

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.closed = False
        self.stop_reply = None      # the stop reply that answered the last `c`
        self._inbuf = b""
        self._queue = deque()       # (packet, on_reply) not yet sent
        self._waiting = None        # on_reply of the packet sent last, until answered
        self._unacked = None        # framed packet sent and not yet acknowledged

    @classmethod
    def connect(cls, where):
        """Return a client connected to the stub at `where` (a TCP port on localhost, or
        the path of a Unix socket), or None if nothing listens there yet."""
        try:
            if isinstance(where, int):
                sock = socket.create_connection(("localhost", where), timeout=1.0)
            else:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.settimeout(1.0)
                try:
                    sock.connect(str(where))
                except OSError:
                    sock.close()
                    raise
        except OSError:
            return None
        sock.settimeout(5.0)
        return cls(sock)

    def close(self):
        """Close the connection."""
        self.closed = True
        self.sock.close()

    def request(self, data: str, on_reply=None):
        """Queue command `data`; call on_reply(reply_text) when the stub answers it."""
        self._queue.append((_frame(data), on_reply))
        self._send_next()

    def set_hw_breakpoint(self, addr: int):
        """Insert a hardware breakpoint at addr (`Z1`); the stub must answer OK."""
        cmd = "Z1,%x,1" % addr
        self.request(cmd, _expect_ok(cmd))

    def remove_hw_breakpoint(self, addr: int):
        """Remove the hardware breakpoint at addr (`z1`); the stub must answer OK."""
        cmd = "z1,%x,1" % addr
        self.request(cmd, _expect_ok(cmd))

    def cont(self):
        """Resume the target (`c`); its stop reply later lands in `stop_reply`."""
        self.stop_reply = None
        self.request("c", self._on_stop)

    def on_readable(self) -> bool:
        """Read and process what the stub sent; return False once it closed the connection."""
        try:
            data = self.sock.recv(4096)
        except ConnectionError:
            data = b""
        if not data:
            self.closed = True
            return False
        self._inbuf += data
        self._parse()
        return True

    def _send(self, raw: bytes):
        """Write raw bytes to the stub."""
        try:
            self.sock.sendall(raw)
        except OSError as e:
            raise GDBError(f"cannot write to the gdb stub: {e}") from e

    def _send_next(self):
        """Send the next queued packet if no earlier one still awaits its reply."""
        if self._waiting is not None or not self._queue:
            return
        packet, on_reply = self._queue.popleft()
        self._waiting = on_reply or (lambda reply: None)
        self._unacked = packet
        self._send(packet)

    def _parse(self):
        """Consume acks and complete packets from the input buffer."""
        while self._inbuf:
            lead = self._inbuf[:1]
            if lead == b"+":
                self._unacked = None
                self._inbuf = self._inbuf[1:]
            elif lead == b"-":
                self._inbuf = self._inbuf[1:]
                if self._unacked is not None:
                    self._send(self._unacked)
            elif lead in (b"$", b"%"):
                end = self._inbuf.find(b"#")
                if end < 0 or len(self._inbuf) < end + 3:
                    return                      # packet not complete yet
                body = self._inbuf[1:end]
                checksum = self._inbuf[end + 1:end + 3]
                self._inbuf = self._inbuf[end + 3:]
                if lead == b"%":
                    continue                    # non-stop notification: not used
                if checksum.lower() != _checksum(body):
                    self._send(b"-")
                    continue
                self._send(b"+")
                self._on_packet(_decode_body(body))
            else:
                self._inbuf = self._inbuf[1:]   # noise between packets

    def _on_packet(self, reply: str):
        """Deliver a reply to the command waiting for it, then send the next command."""
        on_reply, self._waiting = self._waiting, None
        if on_reply is not None:
            on_reply(reply)
        self._send_next()

    def _on_stop(self, reply: str):
        """Record the stop reply that answers a `c`."""
        if reply[:1] not in ("T", "S", "W", "X"):
            raise GDBError(f"unexpected answer to 'c': {reply!r}")
        self.stop_reply = reply


def _expect_ok(command: str):
    """Return a reply callback that raises GDBError unless the reply is `OK`."""
    def check(reply: str):
        if reply != "OK":
            what = "unsupported" if reply == "" else repr(reply)
            raise GDBError(f"gdb stub answered {what} to {command!r}")
    return check


# ---------------------------------------------------------------------------
# Helpers


def expand_env_ids(pattern: str) -> str:
    """Replace each `$En` by the n-th environment id, `%08x` of 0x1000 + n - 1."""
    return re.sub(r"\$E(\d+)", lambda m: "%08x" % (0x1000 + int(m.group(1)) - 1), pattern)


def check_output(text: str, expect, no=()):
    """Match console text line by line.

    Returns (missing, unexpected): the patterns of `expect` that match (re.match) no
    line, and (line, pattern) pairs for lines matched by a pattern of `no`.
    """
    lines = text.splitlines()
    missing = []
    for pattern in expect:
        regex = re.compile(expand_env_ids(pattern))
        if not any(regex.match(line) for line in lines):
            missing.append(expand_env_ids(pattern))
    unexpected = []
    for pattern in no:
        regex = re.compile(expand_env_ids(pattern))
        unexpected += [(line, expand_env_ids(pattern)) for line in lines if regex.match(line)]
    return missing, unexpected


# Ports are taken below 32768, where Linux never picks the local port of an outgoing
# connection (its ephemeral range starts there): a port from that range could also be
# handed to the grader's own connect attempt, a TCP self-connect that looks like a stub.
PORT_RANGE = (10000, 32767)


def free_port() -> int:
    """Return a TCP port below 32768 that is free right now on localhost."""
    for _ in range(200):
        port = random.randint(*PORT_RANGE)
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("localhost", port))
            except OSError:
                continue
            return port
    raise GradeError(f"no free TCP port in {PORT_RANGE[0]}..{PORT_RANGE[1]}")


def read_symbol(name: str, path: str = SYMBOL_FILE) -> int:
    """Return the address of symbol `name` in an `nm -n` listing (`xxxxxxxx T name`)."""
    try:
        with open(path) as f:
            for line in f:
                fields = line.split()
                if len(fields) == 3 and fields[2] == name:
                    return int(fields[0], 16)
    except OSError as e:
        raise GradeError(f"cannot read {path}: {e}") from e
    raise GradeError(f"symbol {name!r} not found in {path}")


def _printable(line: str) -> str:
    """Show control characters (e.g. the BIOS's terminal escapes) as \\xNN."""
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", lambda m: "\\x%02x" % ord(m.group()), line)


# Process groups (make + QEMU, or a command test) still running, so that an interrupted
# grader can end them all, whichever thread started them.
_live_groups = set()
_live_lock = threading.Lock()


def _track(proc: subprocess.Popen, alive: bool):
    """Record that proc's process group started (alive) or was reaped."""
    with _live_lock:
        (_live_groups.add if alive else _live_groups.discard)(proc.pid)


def _kill_live_groups():
    """SIGTERM, then SIGKILL, every process group still recorded as running."""
    with _live_lock:
        groups = list(_live_groups)
    for signum in (signal.SIGTERM, signal.SIGKILL):
        for pid in groups:
            try:
                os.killpg(pid, signum)
            except ProcessLookupError:
                pass
        time.sleep(0.5)


def _remove(path: str):
    """Delete a file if it exists."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _source_files(root: Path):
    """The tree's source files, relative to root: what git tracks plus untracked files it
    does not ignore; without git, every file outside obj/ and the grader's outputs."""
    try:
        out = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "-co",
                              "--exclude-standard"], capture_output=True, check=True).stdout
        return [Path(p) for p in out.decode().split("\0") if p]
    except (OSError, subprocess.CalledProcessError):
        return [p.relative_to(root) for p in root.rglob("*") if p.is_file()
                and p.relative_to(root).parts[0] not in ("obj", ".git")
                and not p.name.startswith("jos.out")]


def copy_tree(dest: Path, root: Path = Path("."), with_obj: bool = False):
    """Copy the source tree at root to dest (which must not exist), keeping modification
    times; with_obj also copies the build outputs in obj/, so that make in the copy
    rebuilds only what the copy changes."""
    root = Path(root)
    dest.mkdir(parents=True)
    for rel in _source_files(root):
        if (root / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / rel, dest / rel, follow_symlinks=False)
    if with_obj and (root / "obj").is_dir():
        shutil.copytree(root / "obj", dest / "obj", symlinks=True)


@contextlib.contextmanager
def scratch_tree(with_obj: bool = True, root: Path = Path(".")):
    """Yield a temporary copy of the tree (see copy_tree) and delete it afterwards."""
    with tempfile.TemporaryDirectory(prefix="jos-scratch-") as tmp:
        tree = Path(tmp) / "jos"
        copy_tree(tree, root, with_obj)
        yield tree


# ---------------------------------------------------------------------------
# One boot under make + QEMU


class Output:
    """Console text of one run, decoded incrementally, optionally watched for stop lines."""

    def __init__(self):
        self.text = ""
        self.stop_line = None       # the line that matched the last watched regex
        self.stopped_by_any = False  # whether that line matched one of `any_of`
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = None        # watched regexes no complete line matched yet
        self._all = False           # whether _pending came from watched regexes
        self._any = []              # watched regexes of which one match suffices
        self._scanned = 0           # text before this offset has been checked

    def feed(self, data: bytes):
        """Append raw output bytes (data == b"" flushes the decoder at end of output)."""
        self.text += self._decoder.decode(data, final=not data)
        self._scan()

    def watch(self, patterns, any_of=()):
        """From now on, watch for complete lines (old ones too) that re.match each of the
        regexes `patterns`; once every one has matched some line, or some line matches
        one of `any_of`, stop_line is set."""
        self._pending = [re.compile(expand_env_ids(p)) for p in patterns]
        self._all = bool(self._pending)
        self._any = [re.compile(expand_env_ids(p)) for p in any_of]
        self.stop_line = None
        self.stopped_by_any = False
        self._scanned = 0
        self._scan()

    def _scan(self):
        """Check newly completed lines against the regexes still pending."""
        if self.stop_line is not None or not (self._all or self._any):
            return
        for line in self.text[self._scanned:].splitlines(keepends=True):
            content = line.splitlines()[0]
            if content == line:
                return                  # last line is still incomplete
            self._scanned += len(line)
            if self._pending:
                self._pending = [r for r in self._pending if not r.match(content)]
            self.stopped_by_any = any(r.match(content) for r in self._any)
            if (self._all and not self._pending) or self.stopped_by_any:
                self.stop_line = content
                return


class KernelRun:
    """One `make run-<prog>-nox-gdb` invocation.

    Owns the make/QEMU process group (its own session, so it can be signalled as a
    whole), the merged stdout+stderr console output, and the gdb stub connection.
    The stub listens on a Unix socket of the run's own, or, with `rebuild` (the MIT and
    FIUBA graders' way: delete obj/kern/init.o and obj/kern/kernel first, so make
    rebuilds them), on a TCP port as GDBPORT. Always call `close`, which terminates the
    group.
    """

    def __init__(self, prog: str, cpus: int, smp: str = "", qemu: str = "",
                 cwd: Path = Path("."), rebuild: bool = False):
        self.prog = prog        # "" boots the kernel's default programs
        self.cwd = Path(cwd)
        self.cpus = cpus
        self.smp = smp
        self.qemu = qemu
        self.rebuild = rebuild
        self._sockdir = None
        if rebuild:
            self.stub = free_port()
        else:
            self._sockdir = tempfile.mkdtemp(prefix="jos-gdb-")
            self.stub = os.path.join(self._sockdir, "gdb.sock")
        self.output = Output()
        self.gdb = None
        self.exited = False         # the output pipe reached end of file
        self._proc = None
        self._sel = selectors.DefaultSelector()
        self._saw_newline = False

    def command(self):
        """Return the make command line that boots the program."""
        target = f"run-{self.prog}-nox-gdb" if self.prog else "qemu-nox-gdb"
        stub = (f"GDBPORT={self.stub}" if self.rebuild
                else f"GDBSTUB=unix:{self.stub},server=on,wait=off")
        return MAKE + [target, f"CPUS={self.cpus}", stub,
                       f"QEMUEXTRA+=-snapshot {self.qemu}".rstrip()] + (
                           [f"SMPOPTS={self.smp}"] if self.smp else [])

    def start(self):
        """Launch make (after deleting the kernel's init.o and ELF, with `rebuild`)."""
        if self.rebuild:
            for path in STALE_FILES:
                _remove(self.cwd / path)
        self._proc = subprocess.Popen(
            self.command(), cwd=self.cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, bufsize=0, start_new_session=True)
        _track(self._proc, True)
        fd = self._proc.stdout.fileno()
        os.set_blocking(fd, False)
        self._sel.register(fd, selectors.EVENT_READ, self._on_output)

    def connect(self, deadline: float):
        """Wait until the gdb stub accepts a connection (tried once output lines appear)."""
        if not self._pump(deadline, lambda: self.gdb is not None, self._try_connect):
            if self.exited:
                raise GradeError(f"make exited (status {self._proc.wait()}) "
                                 "before QEMU's gdb stub answered")
            raise GradeError(f"no gdb stub at {self.stub} within {START_TIMEOUT:g} s")

    def run_until_monitor(self, addr: int, deadline: float, stops=(), forbidden=()) -> str:
        """Break at addr, continue, and collect output until the breakpoint hits.

        Also stops once every regex of `stops` has matched a complete line, once a line
        matches one of `forbidden`, at the deadline, or when QEMU exits. Returns
        "monitor", "stop", "forbidden", "timeout" or "exited".
        """
        if stops or forbidden:
            self.output.watch(stops, forbidden)
        self.gdb.set_hw_breakpoint(addr)
        self.gdb.cont()
        self._pump(deadline, lambda: self.gdb.stop_reply is not None
                   or self.output.stop_line is not None)
        if self.gdb.stop_reply is not None:
            return "exited" if self.gdb.stop_reply[:1] in "WX" else "monitor"
        if self.output.stop_line is not None:
            return "forbidden" if self.output.stopped_by_any else "stop"
        return "exited" if self.exited else "timeout"

    def type_commands(self, addr: int, commands, deadline: float):
        """Leave the readline breakpoint at addr and type each command at the monitor.

        Each line is typed once a new prompt has appeared; returns when the prompt after
        the last command appears. Raises GradeError if a prompt does not come in time.
        """
        self.gdb.remove_hw_breakpoint(addr)
        self.gdb.cont()
        for previous in [None, *commands]:
            if previous is not None:
                self._type(previous + "\n")
            mark = len(self.output.text)
            if not self._pump(deadline, lambda m=mark: self.output.text.find(PROMPT, m) >= 0):
                after = "" if previous is None else f" after typing {previous!r}"
                raise GradeError(f"no monitor prompt {PROMPT!r}{after}")

    def close(self):
        """SIGTERM the process group, drain its output, and reap it (SIGKILL if it lingers).

        The gdb connection is no longer read while draining and is closed last, so that
        a disconnecting debugger cannot resume the guest before QEMU is gone.
        """
        if self.gdb is not None and not self.gdb.closed:
            self._sel.unregister(self.gdb.sock)
        if self._proc is not None:
            try:
                self._signal(signal.SIGTERM)
                self._pump(time.monotonic() + DRAIN_TIMEOUT, lambda: False)
            finally:
                if not self.exited or self._proc.poll() is None:
                    self._signal(signal.SIGKILL)
                self._proc.wait()
                _track(self._proc, False)
                self._proc.stdin.close()
                self._proc.stdout.close()
                self._proc = None
        if self.gdb is not None:
            self.gdb.close()
        self._sel.close()
        if self._sockdir is not None:
            shutil.rmtree(self._sockdir, ignore_errors=True)

    def _signal(self, signum: int):
        """Send signum to the whole make/QEMU process group, if it still exists."""
        try:
            os.killpg(self._proc.pid, signum)
        except ProcessLookupError:
            pass

    def _type(self, text: str):
        """Write text to make's stdin, which QEMU forwards to the guest's COM1."""
        try:
            self._proc.stdin.write(text.encode())
        except OSError as e:
            raise GradeError(f"cannot type into QEMU: {e}") from e

    def _pump(self, deadline: float, done, poll=None) -> bool:
        """Process output and gdb traffic until done() holds; return whether it does.

        Gives up (returning False) at the deadline or when the output ends. If `poll`
        is given it is called at least every CONNECT_RETRY seconds.
        """
        while not done():
            remaining = deadline - time.monotonic()
            if self.exited or remaining <= 0:
                return False
            wait = remaining if poll is None else min(remaining, CONNECT_RETRY)
            for key, _ in self._sel.select(wait):
                key.data()
            if poll is not None:
                poll()
        return True

    def _on_output(self):
        """Read a chunk of console output; note end of file."""
        try:
            data = os.read(self._proc.stdout.fileno(), 65536)
        except BlockingIOError:
            return
        self.output.feed(data)
        if not data:
            self.exited = True
            self._sel.unregister(self._proc.stdout.fileno())
        elif b"\n" in data:
            self._saw_newline = True

    def _on_gdb(self):
        """Process bytes from the gdb stub; stop watching it once it disconnects."""
        if not self.gdb.on_readable():
            self._sel.unregister(self.gdb.sock)

    def _try_connect(self):
        """Once make has printed a line, try to connect to the gdb stub."""
        if self.gdb is not None or not self._saw_newline:
            return
        self.gdb = GDBClient.connect(self.stub)
        if self.gdb is not None:
            self._sel.register(self.gdb.sock, selectors.EVENT_READ, self._on_gdb)


# ---------------------------------------------------------------------------
# Tests


@dataclass
class Test:
    """One graded boot: run user program `prog` (default: the name) and match the console.

    expect:   regexes that must each re.match some output line ($En = n-th env id).
    no:       regexes that must match no output line (the run ends at the first line
              that matches one: the test has failed).
    cpus:     number of CPUs (make CPUS=...).
    smp:      QEMU's -smp value instead of the makefile's "N,sockets=N" (make
              SMPOPTS=...), e.g. "4" for QEMU's default topology.
    qemu:     extra QEMU options (added to QEMUEXTRA), e.g. "-m 512".
    timeout:  seconds allowed after continuing from the gdb stub.
    stop:     regex; the run ends at the first complete line it matches.
    until_expected: the run ends as soon as every `expect` regex has matched (for
              programs that never end, e.g. spin0), instead of at the monitor.
    commands: lines typed into the kernel monitor once it is reached.
    tree:     if set, the boot happens in a scratch copy of the tree (obj/ included):
              tree(path) edits the copy first, e.g. adds a user program.
    default:  boot the kernel's default programs (`make qemu-nox-gdb`, the ENV_CREATE
              lines in kern/init.cc) instead of `make run-<prog>-nox-gdb`.
    rebuild:  drive make as the MIT and FIUBA graders do: delete obj/kern/init.o and
              obj/kern/kernel first (make must rebuild them) and use a TCP gdb port.
              Such a test runs alone (see `exclusive`).
    lab:      4 if the test needs lab 4's own work (the student tree that `make
              handout` cuts must fail it), 3 if labs 1-3 and the tools suffice (that
              tree must pass it).
    """
    name: str
    expect: tuple = ()
    prog: str = ""
    no: tuple = ()
    cpus: int = 1
    smp: str = ""
    qemu: str = ""
    timeout: float = 30.0
    stop: str | None = None
    commands: tuple = ()
    tree: object = None
    default: bool = False
    until_expected: bool = False
    rebuild: bool = False
    lab: int = 4

    def __post_init__(self):
        self.prog = "" if self.default else (self.prog or self.name)
        self.expect = tuple(self.expect)
        self.no = tuple(self.no)
        self.commands = tuple(self.commands)

    @property
    def exclusive(self) -> bool:
        """Whether the test must run alone: a rebuild in the tree itself changes the
        kernel every other test boots."""
        return self.rebuild and self.tree is None


@dataclass
class CommandTest:
    """A test that runs an external command and passes iff it exits with status 0.

    argv:    the command, run in the repository root in its own process group, with
             stdin from /dev/null and stdout+stderr collected as the test's output
             (shown, like a boot's console, if the test fails).
    timeout: seconds allowed; then the group gets SIGTERM and, DRAIN_TIMEOUT seconds
             later, SIGKILL (a command that starts its own process groups, e.g. QEMU,
             should clean them up on SIGTERM).
    """
    name: str
    argv: tuple
    timeout: float = 120.0
    exclusive: bool = False     # runs alone: it changes files other tests use
    lab: int = 4                # as Test.lab

    def __post_init__(self):
        self.argv = tuple(self.argv)


@dataclass
class Result:
    """Outcome of one test: the output, what went wrong, and how long it took."""
    test: Test
    seconds: float = 0.0
    output: str = ""
    errors: list = field(default_factory=list)      # problems that fail the test
    notes: list = field(default_factory=list)       # context shown if it fails
    missing: list = field(default_factory=list)
    unexpected: list = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """True if nothing went wrong."""
        return not (self.errors or self.missing or self.unexpected)


def _boot(test: Test, run: KernelRun, result: Result):
    """Drive one run through start, monitor breakpoint and typed commands."""
    run.start()
    run.connect(time.monotonic() + START_TIMEOUT)
    addr = read_symbol(BREAK_SYMBOL, run.cwd / SYMBOL_FILE)
    deadline = time.monotonic() + test.timeout
    stops = [test.stop] if test.stop else test.expect if test.until_expected else ()
    # A line the test forbids fails it: the run need not go on.
    outcome = run.run_until_monitor(addr, deadline, stops, test.no)
    if outcome == "forbidden":
        result.notes.append("stopped at a line the test forbids")
        return
    if outcome == "timeout":
        result.notes.append(f"timed out after {test.timeout:g} s "
                            "(no monitor, no stop line)")
    elif outcome == "exited":
        result.notes.append("QEMU exited before the monitor was reached")
    if test.commands:
        if outcome != "monitor":
            raise GradeError("cannot type commands: the kernel monitor was not reached")
        run.type_commands(addr, test.commands, deadline)


def run_test(test: Test) -> Result:
    """Boot the test's program, collect its output, and match it."""
    result = Result(test)
    start = time.monotonic()
    run = None
    with contextlib.ExitStack() as stack:
        try:
            cwd = Path(".")
            if test.tree is not None:
                cwd = stack.enter_context(scratch_tree())
                test.tree(cwd)
            run = KernelRun(test.prog, test.cpus, test.smp, test.qemu, cwd, test.rebuild)
            _boot(test, run, result)
        except GradeError as e:
            result.errors.append(str(e))
        except Exception:               # a grader bug: report it, keep grading
            result.errors.append("internal error:\n" + traceback.format_exc().rstrip())
        finally:
            if run is not None:
                run.close()
    result.output = run.output.text if run is not None else ""
    result.missing, result.unexpected = check_output(result.output, test.expect, test.no)
    result.seconds = time.monotonic() - start
    return result


def run_command_test(test: CommandTest) -> Result:
    """Run the test's command; it passes iff it exits with status 0 in time."""
    result = Result(test)
    start = time.monotonic()
    try:
        proc = subprocess.Popen(test.argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True)
    except OSError as e:
        result.errors.append(f"cannot run {test.argv[0]}: {e}")
        return result
    _track(proc, True)
    try:
        try:
            out, _ = proc.communicate(timeout=test.timeout)
        except subprocess.TimeoutExpired:
            result.errors.append(f"timed out after {test.timeout:g} s")
            _kill_group(proc, signal.SIGTERM)
            try:
                out, _ = proc.communicate(timeout=DRAIN_TIMEOUT)
            except subprocess.TimeoutExpired:
                _kill_group(proc, signal.SIGKILL)
                out, _ = proc.communicate()
    finally:
        if proc.poll() is None:         # interrupted: leave nothing running
            _kill_group(proc, signal.SIGTERM)
            try:
                proc.wait(timeout=DRAIN_TIMEOUT)
            except subprocess.TimeoutExpired:
                _kill_group(proc, signal.SIGKILL)
                proc.wait()
        _track(proc, False)
    result.output = out.decode("utf-8", errors="replace")
    if proc.returncode != 0 and not result.errors:
        lines = result.output.strip().splitlines()
        last = f": {lines[-1].strip()}" if lines else ""
        result.errors.append(f"exit status {proc.returncode}{last}")
    result.seconds = time.monotonic() - start
    return result


def _kill_group(proc: subprocess.Popen, signum: int):
    """Send signum to proc's process group, if it still exists."""
    try:
        os.killpg(proc.pid, signum)
    except ProcessLookupError:
        pass


def build(jobs: int = 1):
    """Run make's default target once, with up to `jobs` commands at a time; return None
    on success, else an error message."""
    try:
        status = subprocess.call(MAKE + [f"-j{jobs}"])
    except OSError as e:
        return f"cannot run make: {e}"
    return None if status == 0 else f"build failed (make exited with status {status})"


def _report(result: Result):
    """Print a test's verdict line and, if it failed, what went wrong."""
    verdict = "OK" if result.passed else "FAIL"
    print(f"{result.test.name}: {verdict} ({result.seconds:.1f}s)", flush=True)
    if result.passed:
        return
    for message in result.errors + result.notes:
        print("    " + message.replace("\n", "\n    "))
    for pattern in result.missing:
        print(f"    missing:    {pattern!r}")
    for line, pattern in result.unexpected:
        print(f"    unexpected: {line!r} (matches no={pattern!r})")
    if result.output:
        saved = f"jos.out.{result.test.name}"
        with open(saved, "w") as f:
            f.write(result.output)
        print(f"    last {TAIL_LINES} lines of output (all of it in {saved}):")
        for line in result.output.splitlines()[-TAIL_LINES:]:
            print("    | " + _printable(line))
    sys.stdout.flush()


def _raise_interrupt(signum, frame):
    """Signal handler: turn SIGTERM into KeyboardInterrupt so cleanup code runs."""
    raise KeyboardInterrupt


USAGE = """usage: {prog} [-j N] [--list] [WORD...]
Boot each test program under QEMU and check the console output.
  WORD    run only the tests whose names contain one of the words
  -j N    run up to N tests at once (default: the number of CPUs); -j1 runs them
          one after the other; results are printed in the suite's order
  --list  print the test names and exit"""


def _parse_args(prog: str, args):
    """Return (jobs, list_only, words) from the command line, or an exit status."""
    jobs, list_only, words = os.cpu_count() or 1, False, []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-h", "--help"):
            print(USAGE.format(prog=prog))
            return 0
        if arg == "--list":
            list_only = True
        elif arg.startswith("-j") or arg == "--jobs":
            value = arg[2:] if arg.startswith("-j") and arg != "-j" else None
            if value is None:
                i += 1
                value = args[i] if i < len(args) else ""
            if not value.isdigit() or int(value) < 1:
                print(f"{prog}: -j needs a number of tests >= 1, not {value!r}",
                      file=sys.stderr)
                return 2
            jobs = int(value)
        elif arg.startswith("-"):
            print(f"{prog}: unknown option {arg!r} (try --help)", file=sys.stderr)
            return 2
        else:
            words.append(arg)
        i += 1
    return jobs, list_only, words


def _run_one(test) -> Result:
    """Run one test of either kind."""
    return run_command_test(test) if isinstance(test, CommandTest) else run_test(test)


def _run_all(selected, jobs: int) -> int:
    """Run the tests on up to `jobs` threads (an exclusive test alone), printing each
    result in the suite's order as soon as it and all before it are done; return the
    number that failed."""
    failed = 0
    done = {}
    next_report = 0

    def report_ready():
        nonlocal next_report, failed
        while next_report in done:
            result = done.pop(next_report)
            _report(result)
            failed += not result.passed
            next_report += 1

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        running = {}
        for index, test in enumerate(selected):
            if test.exclusive or len(running) >= jobs:
                limit = 0 if test.exclusive else jobs - 1
                while len(running) > limit:
                    finished, _ = wait(running, return_when=FIRST_COMPLETED)
                    for future in finished:
                        done[running.pop(future)] = future.result()
                    report_ready()
            running[pool.submit(_run_one, test)] = index
            if test.exclusive:
                for future in list(running):
                    done[running.pop(future)] = future.result()
                report_ready()
        for future in as_completed(list(running)):
            done[running.pop(future)] = future.result()
            report_ready()
    return failed


def main(tests, argv=None, root=None) -> int:
    """Command-line entry point: select, run and report tests; return the exit status.

    tests: the Test/CommandTest list; argv: arguments (default sys.argv[1:]); root:
    directory to run make in (default: the current one). Exit status 0 only if every
    test passed.
    """
    prog = os.path.basename(sys.argv[0])
    names = [t.name for t in tests]
    if len(set(names)) != len(names):
        raise ValueError("duplicate test names")
    parsed = _parse_args(prog, sys.argv[1:] if argv is None else list(argv))
    if isinstance(parsed, int):
        return parsed
    jobs, list_only, words = parsed
    if list_only:
        print("\n".join(names))
        return 0
    selected = [t for t in tests if not words or any(w in t.name for w in words)]
    if not selected:
        print(f"{prog}: no test name contains any of {words}", file=sys.stderr)
        return 2
    if root is not None:
        os.chdir(root)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        build_error = build(jobs)
        if build_error:
            print(build_error + "; every test fails", flush=True)
            for test in selected:
                print(f"{test.name}: FAIL (build failed)", flush=True)
            failed = len(selected)
        else:
            failed = _run_all(selected, jobs)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        _kill_live_groups()
        return 130
    print(f"{len(selected) - failed} passed, {failed} failed")
    return 0 if failed == 0 else 1
