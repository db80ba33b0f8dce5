// faultwrite: writes address 0, which no environment maps. With no page
// fault handler installed the kernel prints "[%08x] user fault va 00000000
// ip 008....." and a trap frame with "err  0x00000006" (user, write,
// not-present), then destroys us.

#include <inc/lib.h>

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	// Launder the null address so GCC emits the store as written.
	uintptr_t va = 0;
	asm volatile("" : "+r"(va));
	*(volatile uint32_t *) va = 0;
	cprintf("I wrote to location 0!\n");
}
