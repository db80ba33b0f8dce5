// faultnostack: registers the library's upcall directly, without
// allocating the exception stack. When we then fault, the kernel must
// find that it cannot push the UTrapframe on the unmapped exception
// stack and destroy us. Graders expect "user_mem_check assertion failure
// for va eebfffcc" (UXSTACKTOP - sizeof(UTrapframe); FIUBA accepts any
// eebff...).

#include <inc/lib.h>

extern "C" void _pgfault_upcall(void); // lib/pfentry.S

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	sys_env_set_pgfault_upcall(0, reinterpret_cast<void *>(&_pgfault_upcall));
	// Fault by writing address 0 (laundered so GCC emits the store).
	uintptr_t va = 0;
	asm volatile("" : "+r"(va));
	*(volatile uint32_t *) va = 0;
}
