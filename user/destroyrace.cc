// destroyrace: destroying a child that is running on another CPU at that
// moment (meant for CPUS=4), in the two ways that free it while it runs
// with the kernel as of this writing (kern/env.cc env_destroy decides "is
// it running elsewhere?" from env_status alone):
//  1. destroy it twice: the first call marks it ENV_DYING, the second sees
//     "not ENV_RUNNING" and frees it on the spot;
//  2. sys_env_set_status(child, ENV_NOT_RUNNABLE), then destroy: again
//     "not ENV_RUNNING", freed on the spot.
// Either way its CPU keeps running it on a freed page directory; reusing
// the memory (we allocate pages right after) makes that CPU fault with no
// kernel mappings and QEMU resets the machine. Each call must instead
// return 0 or -E_BAD_ENV and the child must be freed exactly once, by its
// own CPU. Prints "destroyrace: PASS" or "destroyrace: FAIL <what>".

#include <inc/lib.h>

#include "hostile.hh"

using namespace hostile;

namespace {

constexpr int ROUNDS = 10;
constexpr uintptr_t SCRATCH = 0x20000000;

// Yield (bounded) until id is ENV_RUNNING, i.e. on another CPU. Give up
// once it has had two turns on this CPU instead: with one CPU it never
// runs elsewhere, and each of its turns lasts until a timer tick.
bool wait_running(envid_t id)
{
	const volatile Env *e = &envs[ENVX(id)];
	int turns_here = 0;
	for (int i = 0; i < 50 && turns_here < 2; i++) {
		if (e->env_status == ENV_RUNNING)
			return true;
		uint32_t runs = e->env_runs;
		sys_yield();
		if (e->env_runs != runs && e->env_cpunum == thisenv->env_cpunum)
			turns_here++;
	}
	return e->env_status == ENV_RUNNING;
}

// Reuse recently freed pages (a freed page directory among them).
void churn(void)
{
	for (int i = 0; i < 64; i++)
		sys_page_alloc(0, (void *) (SCRATCH + i * PGSIZE), PTE_P | PTE_U | PTE_W);
	for (int i = 0; i < 64; i++)
		sys_page_unmap(0, (void *) (SCRATCH + i * PGSIZE));
}

// One round of way (1 or 2). Returns false after printing a FAIL line.
bool round_of(int way, int *concurrent)
{
	envid_t c = fork();
	if (c == 0)
		for (;;)
			;
	if (c < 0) {
		cprintf("destroyrace: FAIL fork: %e\n", c);
		return false;
	}
	*concurrent += wait_running(c);
	int r1, r2;
	if (way == 1) {
		r1 = sys_env_destroy(c);
		r2 = sys_env_destroy(c);
	} else {
		r1 = sys_env_set_status(c, ENV_NOT_RUNNABLE);
		r2 = sys_env_destroy(c);
	}
	churn();
	if (r1 != 0 || (r2 != 0 && r2 != -E_BAD_ENV)) {
		cprintf("destroyrace: FAIL way %d: calls returned %e, %e\n", way, r1, r2);
		return false;
	}
	for (int i = 0; i < 200000 && !env_gone(c); i++)
		sys_yield();
	if (!env_gone(c)) {
		cprintf("destroyrace: FAIL way %d: child %08x never freed\n", way, c);
		return false;
	}
	return true;
}

} // namespace

void umain(int, char **)
{
	int concurrent = 0;
	for (int way = 1; way <= 2; way++)
		for (int i = 0; i < ROUNDS; i++)
			if (!round_of(way, &concurrent))
				return;
	cprintf("destroyrace: PASS (%d of %d children were running on another CPU)\n",
		concurrent, 2 * ROUNDS);
}
