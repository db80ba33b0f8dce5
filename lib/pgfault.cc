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
// allocates the one-page exception stack below UXSTACKTOP (unless one is
// already mapped there) and registers _pgfault_upcall with the kernel.
// Panics if either fails. Writes _pgfault_handler only when it changes
// (after fork that page may be copy-on-write: no needless copy).
void set_pgfault_handler(void (*handler)(UTrapframe *utf))
{
	if (_pgfault_handler == nullptr) {
		uintptr_t xstack = UXSTACKTOP - PGSIZE;
		int r = 0;
		if (!(uvpd[PDX(xstack)] & PTE_P) || !(uvpt[PGNUM(xstack)] & PTE_P))
			r = sys_page_alloc(0, (void *) xstack, PTE_P | PTE_U | PTE_W);
		if (r < 0)
			panic("set_pgfault_handler: exception stack: %e", r);
		r = sys_env_set_pgfault_upcall(0, (void *) _pgfault_upcall);
		if (r < 0)
			panic("set_pgfault_handler: upcall: %e", r);
	}
	if (_pgfault_handler != handler)
		_pgfault_handler = handler;
}
