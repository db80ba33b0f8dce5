# Local settings. Uncomment and edit to override what the build infers.
#
# Toolchain prefix, e.g. i386-jos-elf- or i686-elf-. Empty means the
# host gcc/g++ with -m32 (Debian: gcc-multilib g++-multilib).
# GCCPREFIX=
#
# QEMU binary.
# QEMU=qemu-system-i386
#
# Python with the pyelftools package (used to build backtrace tables).
# PYTHON=/usr/bin/python3
