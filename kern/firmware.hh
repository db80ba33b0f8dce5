// kern/firmware.hh: what the two readers of firmware tables, the MP table
// (kern/mptable.cc) and the ACPI MADT (kern/acpi.cc), share: the one way
// they reach physical memory, the bounds check behind it, the checksum
// and the BIOS data area lookups.
#ifndef JOS_KERN_FIRMWARE_HH
#define JOS_KERN_FIRMWARE_HH

#include <inc/types.h>

// The seam between the readers and physical memory: a pointer to the len
// (> 0) bytes at physical address pa, or null if any of them is outside
// what may be read (then nothing is read). Readers use only those len
// bytes of the pointer returned; a longer read asks again. The kernel's
// (kern/mpconfig.cc) checks phys_range_ok against mapped RAM and returns
// KADDR(pa); the host tests' returns a copy from a fake memory.
const uint8_t *phys_bytes(uint64_t pa, uint64_t len);

// True if the len bytes at pa lie below limit: len > 0 and pa + len <=
// limit, without overflow (pa is 64-bit, as XSDT entries are).
bool phys_range_ok(uint64_t pa, uint64_t len, uint64_t limit);

// Sum of the len bytes at p, modulo 256: firmware tables sum to 0.
uint8_t checksum(const uint8_t *p, size_t len);

// From the BIOS data area: the physical address of the Extended BIOS
// Data Area (its real-mode segment is the word at 0x40E), and the end of
// base memory (its size in KiB is the word at 0x413). 0 if the BDA is not
// readable or the word is 0.
physaddr_t bda_ebda(void);
physaddr_t bda_base_memory_end(void);

#endif // !JOS_KERN_FIRMWARE_HH
