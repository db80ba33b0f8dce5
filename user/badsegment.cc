// badsegment: loads selector 0x28 (GD_TSS0, a system descriptor with
// DPL 0) into %ds from user mode. The CPU must refuse with a general
// protection fault whose error code is the selector (Intel SDM vol. 3A,
// 5.10 and 6.13); graders expect "err  0x00000028" in the trap frame.

#include <inc/lib.h>

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	uint16_t selector = GD_TSS0;
	asm volatile("movw %0, %%ds" : : "r"(selector));
}
