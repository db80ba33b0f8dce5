// buggyhello: hands the kernel a string pointer into the unmapped page at
// address 0. The kernel's user_mem_check must refuse it and destroy us;
// graders expect "[%08x] user_mem_check assertion failure for va 00000001".

#include <inc/lib.h>

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	sys_cputs((const char *) 1, 1);
}
