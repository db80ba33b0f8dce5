// exit: how a user environment ends.

#include <inc/lib.h>

// Destroy the calling environment (envid 0 = self). The kernel does not
// return to a destroyed environment; the loop only makes 'noreturn' true
// should it ever do so.
void exit(void)
{
	sys_env_destroy(0);
	for (;;)
		sys_yield();
}
