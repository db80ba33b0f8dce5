// faultwritekernel: writes the kernel's code at 0xf0100000. The page is
// present but supervisor-only, so the fault is a protection violation:
// graders expect "user fault va f0100000" and "err  0x00000007" (user,
// write, protection).

#include <inc/lib.h>

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	*(volatile uint32_t *) 0xf0100000 = 0;
	cprintf("I wrote to location 0xf0100000!\n");
}
