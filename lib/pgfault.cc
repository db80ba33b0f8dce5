// lib/pgfault.cc: user-level page fault handling. The kernel calls
// _pgfault_upcall (lib/pfentry.S) on the exception stack, which calls the
// handler registered here.

#include <inc/lib.h>

extern "C" {
// Assembly entry point the kernel jumps to (lib/pfentry.S).
void _pgfault_upcall(void);
// The C handler _pgfault_upcall calls; null until the first registration.
void (*_pgfault_handler)(UTrapframe *utf) = nullptr;
}

// Make handler this environment's page fault handler. The first call
// allocates the one-page exception stack below UXSTACKTOP and registers
// _pgfault_upcall with the kernel. Panics if either fails.
void set_pgfault_handler(void (*handler)(UTrapframe *utf))
{
	if (_pgfault_handler == nullptr) {
		int r = sys_page_alloc(0, (void *) (UXSTACKTOP - PGSIZE),
				       PTE_P | PTE_U | PTE_W);
		if (r < 0)
			panic("set_pgfault_handler: exception stack: %e", r);
		r = sys_env_set_pgfault_upcall(0, (void *) _pgfault_upcall);
		if (r < 0)
			panic("set_pgfault_handler: upcall: %e", r);
	}
	_pgfault_handler = handler;
}
