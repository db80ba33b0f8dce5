#!/usr/bin/env python3
"""Replay a fresh machine's first `make`: the 32-bit toolchain appears only when the
deps step installs it, and one `make` must still build everything.

In a scratch copy of the tree without obj/, make runs with a PATH of shims:
- gcc and g++ act as on a machine without gcc-multilib until the "install" has run:
  with -m32 they fail to compile, and -print-libgcc-file-name prints a bare
  "libgcc.a" (what GCC prints when the 32-bit libgcc is missing); afterwards they are
  the real compilers;
- the cross compilers the build would prefer (i686-elf-g++ ...) are absent;
- apt-get records what it is asked and "installs" by creating the stamp file;
- id -u says 0, so conf/deps.sh takes the root path and calls apt-get.

Passes when one `make` exits 0 with obj/kern/kernel.img built, conf/deps.sh said what
it installs before apt-get ran, apt-get was asked for gcc-multilib and g++-multilib
with --no-install-recommends, and a second `make` neither reruns the deps step nor
rebuilds anything. A makefile that reads the compiler's settings (e.g.
-print-libgcc-file-name) before the deps step fails here, as it did on a real fresh
machine (undefined reference to __udivdi3).

Usage: conf/fresh-build-check.py (from the top of the tree; exit 0 = pass).
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from gradelib import copy_tree  # noqa: E402

CROSS_COMPILERS = ["i686-elf-g++", "i386-jos-elf-g++", "i686-linux-gnu-g++"]

COMPILER_SHIM = """#!/bin/sh
# No 32-bit support until the stubbed install has created $STAMP.
if [ ! -e "{stamp}" ]; then
	for a; do
		[ "$a" = -m32 ] || continue
		for b; do
			[ "$b" = -print-libgcc-file-name ] && {{ echo libgcc.a; exit 0; }}
		done
		echo "$0: error: 32-bit support is not installed (fresh-build shim)" >&2
		exit 1
	done
fi
exec {real} "$@"
"""

APT_SHIM = """#!/bin/sh
echo "$*" >> "{log}"
case " $* " in *" install "*) touch "{stamp}" ;; esac
exit 0
"""

ID_SHIM = """#!/bin/sh
[ "$1" = -u ] && {{ echo 0; exit 0; }}
exec {real} "$@"
"""


def write_shim(path: Path, text: str):
    """Write an executable shell script."""
    path.write_text(text)
    path.chmod(0o755)


def make_shims(bindir: Path, stamp: Path, apt_log: Path):
    """Create the shims described in the module docstring in bindir."""
    bindir.mkdir()
    for name in ("gcc", "g++"):
        real = shutil.which(name)
        if real is None:
            sys.exit(f"fresh-build: no {name} on PATH to wrap")
        write_shim(bindir / name, COMPILER_SHIM.format(stamp=stamp, real=real))
    for name in CROSS_COMPILERS:
        write_shim(bindir / name, "#!/bin/sh\nexit 127\n")
    write_shim(bindir / "apt-get", APT_SHIM.format(log=apt_log, stamp=stamp))
    write_shim(bindir / "id", ID_SHIM.format(real=shutil.which("id")))


def run_make(tree: Path, env: dict) -> subprocess.CompletedProcess:
    """Run make -j<ncpu> in tree, capturing stdout and stderr together."""
    return subprocess.run(["make", f"-j{os.cpu_count() or 1}"], cwd=tree, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def fail(why: str, output: str = "") -> int:
    """Print the reason (after the tail of output) and return the failing status."""
    for line in output.splitlines()[-25:]:
        print("| " + line)
    print(f"fresh-build: FAIL: {why}")
    return 1


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="jos-fresh-") as tmp:
        tmp = Path(tmp)
        tree, stamp, apt_log = tmp / "jos", tmp / "multilib-installed", tmp / "apt.log"
        copy_tree(tree)
        make_shims(tmp / "bin", stamp, apt_log)
        env = {k: v for k, v in os.environ.items()
               if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "GCCPREFIX")}
        env["PATH"] = f"{tmp / 'bin'}{os.pathsep}{env.get('PATH', '')}"

        first = run_make(tree, env)
        if first.returncode != 0:
            return fail(f"the first make exited with status {first.returncode}",
                        first.stdout)
        if not (tree / "obj/kern/kernel.img").is_file():
            return fail("the first make built no obj/kern/kernel.img", first.stdout)
        asked = apt_log.read_text() if apt_log.exists() else ""
        install = next((line.split() for line in asked.splitlines()
                        if "install" in line.split()), None)
        if install is None:
            return fail("conf/deps.sh never called apt-get install", first.stdout)
        for word in ("--no-install-recommends", "gcc-multilib", "g++-multilib"):
            if word not in install:
                return fail(f"apt-get install was not given {word}: {' '.join(install)}")
        if "deps: installing with apt-get: " not in first.stdout:
            return fail("no 'deps: installing with apt-get: ...' line", first.stdout)

        second = run_make(tree, env)
        rebuilt = [line for line in second.stdout.splitlines()
                   if line.startswith(("+ ", "deps:"))]
        if second.returncode != 0 or rebuilt:
            return fail("a second make did work again: " + "; ".join(rebuilt[:3]),
                        second.stdout)
    print("fresh-build: PASS: one make installed (stub), then built everything; "
          "a second make did nothing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
