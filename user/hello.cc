// hello: the smallest user program. It checks that an environment starts,
// that cprintf reaches the console through sys_cputs, and that thisenv
// points at our own Env. Graders expect "hello, world" and
// "i am environment %08x" (our id), then the kernel's "exiting gracefully"
// when umain returns into libmain.

#include <inc/lib.h>

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	cprintf("hello, world\n");
	cprintf("i am environment %08x\n", thisenv->env_id);
}
