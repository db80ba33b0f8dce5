#!/bin/sh
# conf/deps.sh: make sure the tools the build, QEMU and the grader need are
# here (installing the missing ones with apt-get when run as root), then
# write the toolchain settings the GNUmakefile includes.
#
# usage: sh conf/deps.sh OUTPUT.mk    check and install the build's tools,
#                                     then write GCCPREFIX, ARCHFLAG and
#                                     GCC_LIB to OUTPUT.mk
#        sh conf/deps.sh --window     check and install what `make qemu`
#                                     needs for its window
#        sh conf/deps.sh --compdb     check and install what
#                                     `make compile_commands.json` needs (bear)
#        sh conf/deps.sh --lint       check and install what `make lint`
#                                     and `make format` need (cppcheck,
#                                     clang-format)
#
# Environment (set by the GNUmakefile): GCCPREFIX_REQUEST ("unset", or
# "set:PREFIX" when the user chose a toolchain prefix), QEMU, PYTHON.
# Exit status: 0 when everything is present (after installing), 1 when
# something is missing and cannot be installed here (the message names
# the packages), 2 on a bad command line.
#
# The GNUmakefile probes no compiler itself: it includes OUTPUT.mk, which
# GNU make remakes (by running this script) before it reads the makefiles
# again, so every toolchain setting is taken after the install.

QEMU=${QEMU:-qemu-system-i386}
[ -x /usr/bin/python3 ] && defpy=/usr/bin/python3 || defpy=python3
PYTHON=${PYTHON:-$defpy}
REQUEST=${GCCPREFIX_REQUEST:-unset}

case $# in
1) ;;
*) echo "usage: sh conf/deps.sh OUTPUT.mk | --window | --compdb | --lint" >&2; exit 2 ;;
esac

missing=""      # Debian packages to install
reasons=""      # what each is for, in the same order
need() { missing="$missing $1"; reasons="$reasons${reasons:+, }$1 ($2)"; }

# The toolchain prefix: the user's choice, else the first cross prefix
# that targets elf32-i386, else "" (the host compilers with -m32).
find_prefix() {
	case $REQUEST in
	set:*) prefix=${REQUEST#set:}; return ;;
	esac
	for p in i686-elf- i386-jos-elf- i686-linux-gnu-; do
		if "${p}g++" --version >/dev/null 2>&1 &&
		   "${p}objdump" -i 2>/dev/null | grep -q '^elf32-i386$'; then
			prefix=$p; return
		fi
	done
	prefix=""
}

# Whether the toolchain builds 32-bit freestanding C and C++ and has a
# 32-bit libgcc (64-bit division helpers); sets archflag and libgcc.
toolchain_works() {
	[ -n "$prefix" ] && archflag="" || archflag="-m32"
	libgcc=$("${prefix}gcc" $archflag -print-libgcc-file-name 2>/dev/null)
	[ -f "$libgcc" ] || return 1
	printf '#include <type_traits>\n#include <stdint.h>\n' |
		"${prefix}g++" $archflag -ffreestanding -std=gnu++20 -x c++ \
		-fsyntax-only - >/dev/null 2>&1 || return 1
	printf '#include <stdint.h>\n#include <stddef.h>\n' |
		"${prefix}gcc" $archflag -ffreestanding -std=gnu11 -x c \
		-fsyntax-only - >/dev/null 2>&1
}

# Debian's QEMU opens its window through the qemu-system-gui modules.
has_window_support() {
	command -v dpkg-query >/dev/null 2>&1 || return 0
	[ "$(command -v "$QEMU")" = /usr/bin/qemu-system-i386 ] || return 0
	dpkg-query -W -f='${Status}\n' qemu-system-gui 2>/dev/null | grep -q 'ok installed'
}

check_build_tools() {
	find_prefix
	if ! toolchain_works; then
		if [ -n "$prefix" ]; then
			echo "deps: GCCPREFIX=$prefix: ${prefix}gcc/${prefix}g++ cannot build 32-bit code (or have no libgcc); fix GCCPREFIX in conf/env.mk" >&2
			exit 1
		fi
		need gcc-multilib "32-bit C compiler and libgcc"
		need g++-multilib "32-bit C++ compiler"
	fi
	printf '#include <gtest/gtest.h>\nint main() { return RUN_ALL_TESTS(); }\n' |
		g++ -x c++ -std=gnu++20 -o /dev/null - -lgtest -pthread >/dev/null 2>&1 ||
		need libgtest-dev "host unit tests"
	command -v "$QEMU" >/dev/null 2>&1 || need qemu-system-x86 "the emulator"
	command -v gdb >/dev/null 2>&1 || need gdb "make gdb and the gdb test"
	command -v "$PYTHON" >/dev/null 2>&1 || need python3 "the grader"
	"$PYTHON" -c 'import elftools' >/dev/null 2>&1 ||
		need python3-pyelftools "backtrace tables from DWARF"
}

# Install $missing (as root with apt-get), or say what to install and fail.
install_missing() {
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		echo "deps: missing packages; run: sudo apt-get update && sudo apt-get install -y --no-install-recommends$missing" >&2
		exit 1
	fi
	echo "deps: installing with apt-get: $reasons"
	if apt-get update -q &&
	   DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing; then
		return 0
	fi
	echo "deps: apt-get failed; install these packages by hand:$missing" >&2
	exit 1
}

if [ "$1" = --window ]; then
	has_window_support || need qemu-system-gui "the window of make qemu"
	install_missing
	exit 0
fi

if [ "$1" = --compdb ]; then
	command -v bear >/dev/null 2>&1 || need bear "make compile_commands.json"
	install_missing
	exit 0
fi

if [ "$1" = --lint ]; then
	command -v cppcheck >/dev/null 2>&1 || need cppcheck "make lint"
	command -v clang-format >/dev/null 2>&1 || need clang-format "make lint, make format"
	install_missing
	exit 0
fi

check_build_tools
install_missing
# Probe again: the install may have brought a toolchain.
missing="" reasons=""
check_build_tools
if [ -n "$missing" ]; then
	echo "deps: still missing after the install:$missing" >&2
	exit 1
fi

out=$1
mkdir -p "$(dirname "$out")" &&
cat > "$out.tmp" <<EOF &&
# Written by conf/deps.sh: the toolchain this tree builds with.
GCCPREFIX := $prefix
ARCHFLAG := $archflag
GCC_LIB := $libgcc
EOF
mv "$out.tmp" "$out"
