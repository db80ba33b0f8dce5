// stresssched: the scheduler must never run one environment on two CPUs
// at once. The parent forks 20 children, yields once and exits. Each child
// waits until the parent's Env slot is free (so all children contend for
// the CPUs together), then ten times yields and adds 1 to a volatile global
// 10000 times. Every child has its own copy of the counter, so only the
// same env running on two CPUs concurrently could lose increments; a
// total other than 100000 panics with "ran on two CPUs at once (counter
// is %d)". With CPUS=4 graders expect "[%08x] stresssched on CPU %d" for
// each of CPUs 0-3 and forbid the panic.

#include <inc/lib.h>


namespace {

constexpr int CHILDREN = 20;
constexpr int ROUNDS = 10;
constexpr int INCREMENTS = 10000;

volatile int counter;

} // namespace

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	envid_t parent = sys_getenvid();

	int forked = 0;
	while (forked < CHILDREN) {
		envid_t id = fork();
		if (id < 0)
			panic("fork: %e", id);
		if (id == 0)
			break;
		forked++;
	}
	if (forked == CHILDREN) {
		sys_yield();
		return;
	}

	// Child: start together once the parent is gone.
	while (envs[ENVX(parent)].env_status != ENV_FREE)
		sys_yield();

	for (int round = 0; round < ROUNDS; round++) {
		sys_yield();
		for (int i = 0; i < INCREMENTS; i++)
			counter = counter + 1;
	}
	if (counter != ROUNDS * INCREMENTS)
		panic("ran on two CPUs at once (counter is %d)", counter);

	cprintf("[%08x] stresssched on CPU %d\n", thisenv->env_id, thisenv->env_cpunum);
}
