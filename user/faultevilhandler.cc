// faultevilhandler: the upcall address points into the kernel
// (0xf0100020). Jumping there in user mode must fault (the page is not
// PTE_U), or the kernel must reject the address outright; either way the
// environment is destroyed without running kernel code.
// Graders expect "user_mem_check assertion failure for va" followed by
// f0100... or eebfe....

#include <inc/lib.h>

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	sys_page_alloc(0, (void *) (UXSTACKTOP - PGSIZE), PTE_P | PTE_U | PTE_W);
	sys_env_set_pgfault_upcall(0, (void *) 0xF0100020);
	// Fault by writing address 0 (laundered so GCC emits the store).
	uintptr_t va = 0;
	asm volatile("" : "+r"(va));
	*(volatile uint32_t *) va = 0;
}
