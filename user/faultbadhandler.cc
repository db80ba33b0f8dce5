// faultbadhandler: an exception stack is mapped, but the upcall address
// (0xdeadbeef) is not. The kernel pushes a UTrapframe and jumps there; the
// instruction fetch faults again, on the exception stack, until the stack
// overflows or the kernel rejects the address. Graders expect
// "user_mem_check assertion failure for va" followed by deadb... or
// eebfe..., and the environment freed.

#include <inc/lib.h>

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	sys_page_alloc(0, (void *) (UXSTACKTOP - PGSIZE), PTE_P | PTE_U | PTE_W);
	sys_env_set_pgfault_upcall(0, (void *) 0xDeadBeef);
	// Fault by writing address 0 (laundered so GCC emits the store).
	uintptr_t va = 0;
	asm volatile("" : "+r"(va));
	*(volatile uint32_t *) va = 0;
}
