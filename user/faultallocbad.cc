/* faultallocbad: like faultalloc, but the unmapped address is handed to
 * the kernel (sys_cputs) instead of being touched in user mode. The kernel
 * must not "fault it in" through the user handler: user_mem_check fails
 * and we are destroyed. Graders expect "[%08x] user_mem_check assertion
 * failure for va deadbeef". */

#include <inc/lib.h>


namespace {

void
alloc_on_fault(UTrapframe *utf)
{
	uint32_t va = utf->utf_fault_va;
	int r;

	cprintf("fault %x\n", va);
	r = sys_page_alloc(0, (void *) ROUNDDOWN(va, PGSIZE), PTE_P | PTE_U | PTE_W);
	if (r < 0)
		panic("allocating at %x in page fault handler: %e", va, r);
	snprintf((char *) va, 100, "this string was faulted in at %x", va);
}

}

void
umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	set_pgfault_handler(alloc_on_fault);
	sys_cputs((const char *) 0xDEADBEEF, 4);
}
