// faultdie: a user page-fault handler that reports the fault and destroys
// its own environment instead of fixing anything. Tests that the kernel
// delivers the fault address and error code in the UTrapframe. Graders
// expect "i faulted at va deadbeef, err 6" (user write to a not-present
// page) and then "[%08x] exiting gracefully".

#include <inc/lib.h>

namespace {

void die_on_fault(UTrapframe *utf)
{
	cprintf("i faulted at va %x, err %x\n", utf->utf_fault_va, utf->utf_err & 7);
	sys_env_destroy(sys_getenvid());
	panic("sys_env_destroy of ourselves returned");
}

} // namespace

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	set_pgfault_handler(die_on_fault);
	*(volatile uint32_t *) 0xDeadBeef = 0;
	panic("the write to 0xdeadbeef did not fault");
}
