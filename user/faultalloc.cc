// faultalloc: demand paging from user space. The handler maps a fresh page
// where the fault happened and writes "this string was faulted in at <va>"
// at the faulting address. umain then prints the strings at 0xdeadbeef
// and at 0xcafebffe; the second one crosses into the next page while the
// handler is still writing it, so the handler faults again at 0xcafec000
// (a nested fault on the exception stack). Graders expect "fault deadbeef",
// "this string was faulted in at deadbeef", "fault cafebffe",
// "fault cafec000" and "this string was faulted in at cafebffe".

#include <user/faultalloc.hh>

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	set_pgfault_handler(alloc_on_fault);
	cprintf("%s\n", (char *) 0xDeadBeef);
	cprintf("%s\n", (char *) 0xCafeBffe);
}
