// yield: round-robin scheduling with sys_yield. The kernel starts two
// copies; each greets, gives up the CPU five times, reporting after every
// return, and exits. Graders expect, for each id, "Hello, I am environment
// %08x, cpu %d", "Back in environment %08x, iteration %d, cpu %d" for
// iterations 0-4, and "All done in environment %08x."; with CPUS=2 both
// "cpu 0" and "cpu 1" must appear (cpu = the CPU the env last ran on).

#include <inc/lib.h>

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	cprintf("Hello, I am environment %08x, cpu %d.\n", thisenv->env_id,
		thisenv->env_cpunum);
	for (int i = 0; i < 5; i++) {
		sys_yield();
		cprintf("Back in environment %08x, iteration %d, cpu %d.\n",
			thisenv->env_id, i, thisenv->env_cpunum);
	}
	cprintf("All done in environment %08x.\n", thisenv->env_id);
}
