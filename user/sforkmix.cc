// sforkmix: fork and sfork mixed must keep each one's promise.
//
// 1. sfork after fork: a page an earlier fork left copy-on-write must
//    still be shared by the sfork child and us (writes seen both ways),
//    whether the fork child is alive or gone.
// 2. fork after sfork: a page we share writable with an sfork sibling
//    stays shared with it after a later fork, and the fork child gets a
//    snapshot: the sibling's later writes do not reach it.
// Prints "sforkmix: PASS" or "sforkmix: FAIL <what>" lines.

#include <inc/lib.h>

#include "hostile.hh"

using namespace hostile;

namespace {


volatile uint32_t word; // .bss: sfork shares it, fork copies it
volatile uint32_t step; // likewise: who may go on

int failures;

void fail(const char *what)
{
	cprintf("sforkmix: FAIL %s\n", what);
	failures++;
}

envid_t fork_or_panic(envid_t (*f)(void))
{
	envid_t id = f();
	if (id < 0)
		panic("sforkmix: fork: %e", id);
	return id;
}

// Part 1.
void sfork_after_fork(bool fork_child_alive)
{
	word = 1;
	step = 0;
	envid_t c = fork_or_panic(fork);
	if (c == 0) {
		if (fork_child_alive)
			ipc_recv(nullptr, nullptr, nullptr);
		exit();
	}
	if (!fork_child_alive)
		hostile::wait_env_gone(c);
	// word's page is copy-on-write here now.
	envid_t s = fork_or_panic(sfork);
	if (s == 0) {
		if (!hostile::yield_until([] { return word == 2; }))
			fail("sfork after fork: the sfork child does not see our write");
		word = 3;
		exit();
	}
	word = 2;
	if (!hostile::yield_until([] { return word == 3; }))
		fail(fork_child_alive ? "sfork after fork (child alive): we do not see "
					"the sfork child's write"
				      : "sfork after fork (child gone): we do not see "
					"the sfork child's write");
	hostile::wait_env_gone(s);
	if (fork_child_alive) {
		ipc_send(c, 0, nullptr, 0);
		hostile::wait_env_gone(c);
	}
}

// Part 2.
void fork_after_sfork(void)
{
	word = 10;
	step = 0;
	envid_t s = fork_or_panic(sfork);
	if (s == 0) {
		// The sibling: write once the fork below is done.
		if (!hostile::yield_until([] { return step == 1; }))
			fail("fork after sfork: the sibling does not see our writes");
		word = 11;
		step = 2;
		exit();
	}
	envid_t c = fork_or_panic(fork);
	if (c == 0) {
		// The fork child: its snapshot has word 10 whatever the
		// sibling writes later (we tell it when that has happened).
		ipc_recv(nullptr, nullptr, nullptr);
		if (word != 10)
			fail("fork after sfork: the sibling's write reached the fork child");
		exit();
	}
	step = 1;
	if (!hostile::yield_until([] { return step == 2; }) || word != 11)
		fail("fork after sfork: we stopped sharing with the sibling");
	ipc_send(c, 0, nullptr, 0);
	hostile::wait_env_gone(c);
	hostile::wait_env_gone(s);
}

} // namespace

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	sfork_after_fork(true);
	sfork_after_fork(false);
	fork_after_sfork();
	if (failures == 0)
		cprintf("sforkmix: PASS\n");
}
