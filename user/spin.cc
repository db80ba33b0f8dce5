// spin: killing a running environment. The parent forks a child that
// prints once and then spins forever without yielding; the parent yields
// eight times (the child gets CPU time only through the scheduler) and
// then destroys it. Graders expect the four "I am the parent.  ..." /
// "I am the child.  Spinning..." lines and the kernel's "destroying",
// "free env" and "exiting gracefully" lines.

#include <inc/lib.h>


void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);

	cprintf("I am the parent.  Forking the child...\n");
	envid_t child = fork();
	if (child < 0)
		panic("fork: %e", child);
	if (child == 0) {
		cprintf("I am the child.  Spinning...\n");
		for (;;)
			asm volatile("" ::: "memory");
	}

	cprintf("I am the parent.  Running the child...\n");
	for (int i = 0; i < 8; i++)
		sys_yield();
	cprintf("I am the parent.  Killing the child...\n");
	sys_env_destroy(child);
}
