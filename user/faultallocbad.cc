// faultallocbad: like faultalloc, but the unmapped address is handed to
// the kernel (sys_cputs) instead of being touched in user mode. The kernel
// must not "fault it in" through the user handler: user_mem_check fails
// and we are destroyed. Graders expect "[%08x] user_mem_check assertion
// failure for va deadbeef".

#include <user/faultalloc.hh>

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	set_pgfault_handler(alloc_on_fault);
	sys_cputs((const char *) 0xDEADBEEF, 4);
}
