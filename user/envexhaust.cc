// envexhaust: running out of environments is an error, not a crash, and
// every environment comes back.
//
// Round 0: fork children (each blocks in sys_ipc_recv forever) until fork
// fails. It must fail with -E_NO_FREE_ENV exactly when every free slot is
// in use, sys_exofork must then fail the same way, and nothing may have
// leaked: destroying all children must bring the free-slot count back.
// Round 1: the same with bare sys_exofork children (never runnable); it
// must create as many children as round 0. Then one more fork
// must work, and at the end the free page count (see hostile.hh) must equal
// the one at the start. Prints "envexhaust: PASS" or "envexhaust: FAIL
// <what>" lines.

#include <inc/lib.h>

#include "hostile.hh"

using namespace hostile;

namespace {

envid_t children[NENV];

// A child: block in sys_ipc_recv forever (nobody sends to it).
[[noreturn]] void child_wait(void)
{
	for (;;)
		sys_ipc_recv((void *) UTOP);
}

// Create children with fork (round 0) or sys_exofork (round 1) until
// that fails; check how it failed; destroy every child and wait until all
// are freed. Returns the number of children, or -1 after printing FAIL
// lines.
int exhaust(int round, int free_envs)
{
	int n = 0;
	envid_t r;
	while ((r = round == 0 ? fork() : sys_exofork()) > 0)
		children[n++] = r;
	if (r == 0 && round == 0)
		child_wait();
	if (r == 0)
		exit(); // a bare exofork child never runs; just in case

	int bad = 0;
	if (r != -E_NO_FREE_ENV) {
		cprintf("envexhaust: FAIL round %d: fork/exofork failed with %e after %d "
			"children, want %e\n",
			round, r, n, -E_NO_FREE_ENV);
		bad++;
	}
	if (n != free_envs) {
		cprintf("envexhaust: FAIL round %d: %d children, but %d slots "
			"were free\n",
			round, n, free_envs);
		bad++;
	}
	if (int left = count_free_envs(); left != 0) {
		cprintf("envexhaust: FAIL round %d: %d slots free after fork "
			"failed\n",
			round, left);
		bad++;
	}
	if ((r = sys_exofork()) != -E_NO_FREE_ENV) {
		cprintf("envexhaust: FAIL round %d: sys_exofork with no free env "
			"returned %d\n",
			round, r);
		bad++;
		if (r == 0)
			exit();
	}

	for (int i = 0; i < n; i++)
		if ((r = sys_env_destroy(children[i])) != 0) {
			cprintf("envexhaust: FAIL round %d: destroy child %08x: %e\n",
				round, children[i], r);
			bad++;
		}
	wait_free_envs(free_envs);
	cprintf("envexhaust: round %d: %d children, all freed\n", round, n);
	return bad ? -1 : n;
}

} // namespace

void umain(int, char **)
{
	if (int r = prepare_counting(); r < 0) {
		cprintf("envexhaust: FAIL warm-up: %e\n", r);
		return;
	}
	int pages0 = count_free_pages();
	int envs0 = count_free_envs();
	cprintf("envexhaust: %d free pages, %d free envs\n", pages0, envs0);

	int n0 = exhaust(0, envs0);
	int n1 = exhaust(1, envs0);
	bool ok = n0 >= 0 && n1 >= 0;
	if (ok && n0 != n1) {
		cprintf("envexhaust: FAIL rounds made %d and %d children\n", n0, n1);
		ok = false;
	}

	envid_t id = fork();
	if (id == 0)
		return;
	if (id < 0) {
		cprintf("envexhaust: FAIL fork after release: %e\n", id);
		ok = false;
	} else {
		wait_env_gone(id);
	}

	int pages1 = count_free_pages();
	int envs1 = count_free_envs();
	if (pages1 != pages0 || envs1 != envs0) {
		cprintf("envexhaust: FAIL leak: %d free pages (was %d), %d free envs "
			"(was %d)\n",
			pages1, pages0, envs1, envs0);
		ok = false;
	}
	if (ok)
		cprintf("envexhaust: PASS (%d children per round, %d free pages "
			"before and after)\n",
			n0, pages0);
}
