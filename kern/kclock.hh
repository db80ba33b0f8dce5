// kern/kclock.hh: the PC's MC146818 real-time clock and its battery-
// backed NVRAM ("CMOS"), reached through an index port and a data port
// (kern/kclock.cc).
#ifndef JOS_KERN_KCLOCK_HH
#define JOS_KERN_KCLOCK_HH

#include <inc/types.h>

// I/O ports: write the register number to IO_RTC, then read or write
// its value at IO_RTC + 1.
constexpr int IO_RTC = 0x70;

// The MC146818 has 64 bytes: 14 clock/control registers (0x0-0xD),
// then general-purpose NVRAM (Motorola MC146818A data sheet, "Address
// map").
constexpr unsigned MC_NVRAM_START = 0xe;
constexpr unsigned MC_NVRAM_SIZE = 50;

// PC/AT BIOS conventions for the NVRAM contents (16-bit values, low
// byte first; the high byte is at the next register).
// Base (conventional) memory size in KiB.
constexpr unsigned NVRAM_BASELO = MC_NVRAM_START + 7;
constexpr unsigned NVRAM_BASEHI = MC_NVRAM_START + 8;
// Extended memory (from 1 MiB) in KiB.
constexpr unsigned NVRAM_EXTLO = MC_NVRAM_START + 9;
constexpr unsigned NVRAM_EXTHI = MC_NVRAM_START + 10;
// Extended memory above 16 MiB in 64 KiB units.
constexpr unsigned NVRAM_EXT16LO = MC_NVRAM_START + 38;
constexpr unsigned NVRAM_EXT16HI = MC_NVRAM_START + 39;

extern "C" {

// Read / write one MC146818 register (reg < 64; the value is a byte).
unsigned mc146818_read(unsigned reg);
void mc146818_write(unsigned reg, unsigned datum);
}

#endif // !JOS_KERN_KCLOCK_HH
