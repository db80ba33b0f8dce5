#!/usr/bin/env python3
"""boot/sign.py: turn the raw boot code into a 512-byte boot sector.

Usage: sign.py <input-binary> <output-sector>

The input is the boot loader's .text as a flat binary. It must fit in
510 bytes; it is padded with zeros to 510 bytes and followed by the
0x55 0xAA signature the BIOS checks before it boots a sector.
"""

import sys

SECTOR_SIZE = 512
MAX_CODE = SECTOR_SIZE - 2
SIGNATURE = b"\x55\xaa"


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: sign.py <input-binary> <output-sector>\n")
        return 2
    src, dst = argv[1], argv[2]
    try:
        with open(src, "rb") as f:
            code = f.read()
    except OSError as e:
        sys.stderr.write("sign.py: cannot read %s: %s\n" % (src, e.strerror))
        return 1
    if len(code) > MAX_CODE:
        sys.stderr.write("boot block too large: %d bytes (max %d)\n"
                         % (len(code), MAX_CODE))
        return 1
    sector = code + bytes(MAX_CODE - len(code)) + SIGNATURE
    assert len(sector) == SECTOR_SIZE
    try:
        with open(dst, "wb") as f:
            f.write(sector)
    except OSError as e:
        sys.stderr.write("sign.py: cannot write %s: %s\n" % (dst, e.strerror))
        return 1
    print("boot block is %d bytes (max %d)" % (len(code), MAX_CODE))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
