// kern/firmware.cc: the pieces the MP table and ACPI readers share
// (kern/firmware.hh). Portable: built for the kernel and the host tests.

#include <inc/string.h>

#include <kern/firmware.hh>

bool phys_range_ok(uint64_t pa, uint64_t len, uint64_t limit)
{
	return len != 0 && pa <= limit && len <= limit - pa;
}

uint8_t checksum(const uint8_t *p, size_t len)
{
	uint8_t s = 0;
	for (size_t i = 0; i < len; i++)
		s += p[i];
	return s;
}

namespace {

// The 16-bit little-endian word at physical address pa, or 0.
uint16_t phys_word(physaddr_t pa)
{
	const uint8_t *p = phys_bytes(pa, 2);
	uint16_t w = 0;
	if (p)
		memcpy(&w, p, 2);
	return w;
}

} // namespace

physaddr_t bda_ebda(void)
{
	return physaddr_t(phys_word(0x40E)) << 4;
}

physaddr_t bda_base_memory_end(void)
{
	return physaddr_t(phys_word(0x413)) * 1024;
}
