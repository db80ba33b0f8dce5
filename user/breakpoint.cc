// breakpoint: executes int3 from user mode. The breakpoint gate has DPL 3,
// so the kernel's handler runs and enters the monitor: graders expect the
// monitor banner and a trap frame with "trap 0x00000003 Breakpoint".

#include <inc/lib.h>

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	asm volatile("int3");
}
