// idle: an environment that only ever gives the CPU away, to keep a CPU
// busy with something harmless while testing the scheduler. Not graded.

#include <inc/lib.h>

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	binaryname = "idle";
	for (;;)
		sys_yield();
}
