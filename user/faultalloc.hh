// user/faultalloc.hh: the page fault handler faultalloc and faultallocbad
// share.
#ifndef JOS_USER_FAULTALLOC_HH
#define JOS_USER_FAULTALLOC_HH

#include <inc/lib.h>

// Map a fresh page where the fault happened and write "this string was
// faulted in at <va>" at the faulting address (which may fault again if
// the string crosses into the next unmapped page).
inline void alloc_on_fault(UTrapframe *utf)
{
	uint32_t va = utf->utf_fault_va;

	cprintf("fault %x\n", va);
	int r = sys_page_alloc(0, (void *) ROUNDDOWN(va, PGSIZE), PTE_P | PTE_U | PTE_W);
	if (r < 0)
		panic("allocating at %x in page fault handler: %e", va, r);
	snprintf((char *) va, 100, "this string was faulted in at %x", va);
}

#endif // !JOS_USER_FAULTALLOC_HH
