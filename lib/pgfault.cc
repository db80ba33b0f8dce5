// lib/pgfault.cc: user-level page fault handling. The kernel calls
// _pgfault_upcall (lib/pfentry.S) on the exception stack, which calls the
// handler registered here.

#include <lib/pgfault.hh>

extern "C" {
// The C handler _pgfault_upcall calls; null until the first registration.
void (*_pgfault_handler)(UTrapframe *utf) = nullptr;
}

// The first call allocates the one-page exception stack below UXSTACKTOP
// (unless one is already mapped there, as in a fork child) and registers
// _pgfault_upcall with the kernel; every call makes handler the handler.
// _pgfault_handler is written only when it changes: after fork its page
// may be copy-on-write, and an idle write would copy it.
int try_set_pgfault_handler(void (*handler)(UTrapframe *utf))
{
	// LAB 4: solution
	if (_pgfault_handler == nullptr) {
		uintptr_t xstack = UXSTACKTOP - PGSIZE;
		int r;
		if (!va_mapped(xstack) &&
		    (r = sys_page_alloc(0, (void *) xstack, PTE_P | PTE_U | PTE_W)) < 0)
			return r;
		if ((r = sys_env_set_pgfault_upcall(0, (void *) _pgfault_upcall)) < 0)
			return r;
	}
	if (_pgfault_handler != handler)
		_pgfault_handler = handler;
	return 0;
	// LAB 4: stub
	//| (void) handler;
	//| panic("set_pgfault_handler not implemented");
	// LAB 4: end
}

// Make handler this environment's page fault handler (see
// try_set_pgfault_handler). Panics if the set-up fails.
void set_pgfault_handler(void (*handler)(UTrapframe *utf))
{
	int r = try_set_pgfault_handler(handler);
	if (r < 0)
		panic("set_pgfault_handler: %e", r);
}
