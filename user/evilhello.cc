// evilhello: asks the kernel to print 100 bytes of its own memory (just
// above KERNBASE + 1 MiB, where the kernel's code lives). The pages are
// mapped but not PTE_U, so user_mem_check must refuse them; graders expect
// "user_mem_check assertion failure for va f010000c".

#include <inc/lib.h>

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	sys_cputs((const char *) 0xf010000c, 100);
}
