// primes: a pipeline of environments sieving primes over IPC. The first
// env sends 2, 3, 4, ... to its child, the first stage. A stage takes the
// first number it receives as its prime, prints "CPU %d: %d " (no newline,
// so the kernel's "[%08x] new env %08x" for its fork lands on the same
// line), forks the next stage, and then forwards every number its prime
// does not divide. Graders (CPUS=4) stop at "CPU .: 1877" printed by the
// 289th env, expecting e.g. "CPU .: 2 [00001001] new env 00001002".

#include <inc/lib.h>


namespace {

void *const NO_PAGE = (void *) UTOP; // messages carry no page

// One stage of the sieve; never returns. A freshly forked child loops
// back to become the next stage.
[[noreturn]] void stage()
{
	for (;;) {
		int prime = ipc_recv(nullptr, NO_PAGE, nullptr);
		cprintf("CPU %d: %d ", thisenv->env_cpunum, prime);

		envid_t next = fork();
		if (next < 0)
			panic("fork: %e", next);
		if (next == 0)
			continue;

		for (;;) {
			int n = ipc_recv(nullptr, NO_PAGE, nullptr);
			if (n % prime != 0)
				ipc_send(next, n, NO_PAGE, 0);
		}
	}
}

} // namespace

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	envid_t first = fork();
	if (first < 0)
		panic("fork: %e", first);
	if (first == 0)
		stage();

	for (int n = 2;; n++)
		ipc_send(first, n, NO_PAGE, 0);
}
