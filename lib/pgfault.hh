// lib/pgfault.hh: what the user library shares about page fault handling
// beyond inc/lib.h.
#ifndef JOS_LIB_PGFAULT_HH
#define JOS_LIB_PGFAULT_HH

#include <inc/lib.h>

// set_pgfault_handler that reports failure instead of panicking: returns 0,
// or the negative error (-E_NO_MEM) of allocating the exception stack or
// registering the upcall. fork uses it so it can return the error.
[[nodiscard]] int try_set_pgfault_handler(void (*handler)(UTrapframe *utf));

// Is va mapped in this environment (read through the UVPT self-map)?
inline bool va_mapped(uintptr_t va)
{
	return (uvpd[PDX(va)] & PTE_P) && (uvpt[PGNUM(va)] & PTE_P);
}

#endif // !JOS_LIB_PGFAULT_HH
