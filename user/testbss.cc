// testbss: checks that the kernel's ELF loader maps and zeroes a large
// .bss (a 4 MiB array), then writes 1024 entries past its end, which must
// be an unmapped page. Graders expect "Making sure bss works right...",
// "Yes, good.  Now doing a wild write off the end..." and then the kernel's
// "user fault va 00c03020" (that address holds when the array starts at
// 0x00802020: the fault va is &bigarray + 4 MiB + 4 KiB).

#include <inc/lib.h>

namespace {

constexpr uint32_t ENTRIES = 1 << 20;
uint32_t bigarray[ENTRIES];

} // namespace

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);

	cprintf("Making sure bss works right...\n");
	for (uint32_t i = 0; i < ENTRIES; i++)
		if (bigarray[i] != 0)
			panic("bigarray[%u] is %08x, not zero", i, bigarray[i]);
	for (uint32_t i = 0; i < ENTRIES; i++)
		bigarray[i] = i;
	for (uint32_t i = 0; i < ENTRIES; i++)
		if (bigarray[i] != i)
			panic("bigarray[%u] is %08x, not %08x", i, bigarray[i], i);

	cprintf("Yes, good.  Now doing a wild write off the end...\n");
	// Hide the base from the optimizer: the out-of-bounds index is the
	// point of the test, not a bug for GCC to diagnose or exploit.
	volatile uint32_t *base = bigarray;
	asm volatile("" : "+r"(base));
	base[ENTRIES + 1024] = 0;
	panic("the write past the end of bigarray did not fault");
}
