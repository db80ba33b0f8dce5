// faultread: reads address 0, which no environment maps. With no page
// fault handler installed the kernel prints "[%08x] user fault va 00000000
// ip 008....." and a trap frame with "err  0x00000004" (user, read,
// not-present), then destroys us. The "I read ... from location 0!" line
// runs only if the read succeeded; the graders forbid it.

#include <inc/lib.h>

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	// Launder the null address so GCC emits the load as written instead
	// of treating it as undefined behaviour.
	uintptr_t va = 0;
	asm volatile("" : "+r"(va));
	uint32_t value = *(volatile uint32_t *) va;
	cprintf("I read %08x from location 0!\n", value);
}
