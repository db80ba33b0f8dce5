// faultreadkernel: reads the kernel's code at 0xf0100000. The page is
// present but supervisor-only, so the fault is a protection violation:
// graders expect "user fault va f0100000" and "err  0x00000005" (user,
// read, protection). The value line must not print.

#include <inc/lib.h>

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	uint32_t value = *(volatile uint32_t *) 0xf0100000;
	cprintf("I read %08x from location 0xf0100000!\n", value);
}
