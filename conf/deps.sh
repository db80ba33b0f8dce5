#!/bin/sh
# Check that the tools the build, QEMU runs and the grader need are here;
# install the missing ones on Debian/Ubuntu when run as root, otherwise
# print the exact command to run and fail.
#
# Environment (set by the GNUmakefile): CXX (the C++ compiler command, with
# -m32 when it is the host compiler), QEMU, PYTHON.
# Exit status: 0 when everything is present (after installing), 1 otherwise.

CXX=${CXX:-g++ -m32}
QEMU=${QEMU:-qemu-system-i386}
[ -x /usr/bin/python3 ] && defpy=/usr/bin/python3 || defpy=python3
PYTHON=${PYTHON:-$defpy}

missing=""
need() { missing="$missing $1"; }

# A 32-bit freestanding C++ compile proves compiler and multilib headers.
echo '#include <type_traits>
#include <stdint.h>
int f(void) { return sizeof(void *) == 4; }' |
	$CXX -ffreestanding -x c++ -std=gnu++20 -fsyntax-only - >/dev/null 2>&1 ||
	need "gcc-multilib g++-multilib"
# GoogleTest for the host unit tests (make host-test).
echo '#include <gtest/gtest.h>
int main() { return RUN_ALL_TESTS(); }' |
	g++ -x c++ -std=gnu++20 -o /dev/null - -lgtest -pthread >/dev/null 2>&1 ||
	need libgtest-dev
command -v "$QEMU" >/dev/null 2>&1 || need qemu-system-x86
command -v gdb >/dev/null 2>&1 || need gdb
command -v python3 >/dev/null 2>&1 || need python3
$PYTHON -c 'import elftools' >/dev/null 2>&1 || need python3-pyelftools
command -v make >/dev/null 2>&1 || need make

[ -z "$missing" ] && exit 0

echo "deps: missing:$missing"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "deps: installing with apt-get (as root)"
	apt-get update -q &&
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing && exit 0
	echo "deps: apt-get failed; install these packages by hand:$missing" >&2
	exit 1
fi
echo "deps: run: sudo apt-get update && sudo apt-get install -y$missing" >&2
exit 1
