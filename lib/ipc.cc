// lib/ipc.cc: inter-environment communication on top of sys_ipc_recv and
// sys_ipc_try_send.

#include <inc/lib.h>

namespace {
// A page address meaning "no page" to the IPC syscalls.
void *const NO_PAGE = (void *) UTOP;
} // namespace

// Wait for a message. If pg is non-null, a page sent along is mapped at pg
// (page-aligned, below UTOP). Stores the sender's id in *from_env_store
// and the page's permissions (0 if none) in *perm_store, when those are
// non-null. Returns the value sent; on error returns it (negative) and
// stores 0 in both.
int32_t ipc_recv(envid_t *from_env_store, void *pg, int *perm_store)
{
	// LAB 4: solution
	int r = sys_ipc_recv(pg ? pg : NO_PAGE);
	if (r < 0) {
		if (from_env_store)
			*from_env_store = 0;
		if (perm_store)
			*perm_store = 0;
		return r;
	}
	if (from_env_store)
		*from_env_store = thisenv->env_ipc_from;
	if (perm_store)
		*perm_store = thisenv->env_ipc_perm;
	return thisenv->env_ipc_value;
	// LAB 4: stub
	//| (void) from_env_store;
	//| (void) pg;
	//| (void) perm_store;
	//| panic("ipc_recv not implemented");
	// LAB 4: end
}

// Send value (and the page at pg with permissions perm, if pg is non-null)
// to to_env; returns once to_env has received it. Panics on error.
// LAB 4: answer
// This one sleeps in the kernel until then (sys_ipc_send, the handout's
// blocking-send challenge) rather than retrying sys_ipc_try_send.
// LAB 4: end
void ipc_send(envid_t to_env, uint32_t value, void *pg, int perm)
{
	// LAB 4: solution
	int r = sys_ipc_send(to_env, value, pg ? pg : NO_PAGE, perm);
	if (r < 0)
		panic("ipc_send to %08x: %e", to_env, r);
	// LAB 4: stub
	//| (void) to_env;
	//| (void) value;
	//| (void) pg;
	//| (void) perm;
	//| panic("ipc_send not implemented");
	// LAB 4: end
}

// The id of the first environment of the given type, or 0 if none.
envid_t ipc_find_env(EnvType type)
{
	for (int i = 0; i < NENV; i++)
		if (envs[i].env_type == type && envs[i].env_status != ENV_FREE)
			return envs[i].env_id;
	return 0;
}
