// softint: executes "int $14" from user mode. The page-fault gate has
// DPL 0, so the CPU must raise a general protection fault instead of
// entering the handler (Intel SDM vol. 3A, 6.12.1.1); graders expect
// "trap 0x0000000d General Protection" and the environment destroyed.

#include <inc/lib.h>

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	asm volatile("int $14");
}
