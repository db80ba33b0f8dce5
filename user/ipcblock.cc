// ipcblock: the blocking send (sys_ipc_send) really sleeps, and waits
// never dangle.
//  1. A sender blocked on a busy receiver uses no CPU while it waits: its
//     env_runs stays the same across 100 of the receiver's yields, and the
//     message arrives when the receiver finally calls ipc_recv.
//  2. A blocked sender cannot be made runnable by its parent (-E_INVAL),
//     and destroying it frees its slot.
//  3. Destroying a receiver that a sender waits on wakes the sender with
//     -E_BAD_ENV.
//  4. Destroying a blocked receiver frees its slot.
// Prints "ipcblock: PASS", or "ipcblock: FAIL <what>" for each failure.

#include <inc/lib.h>

namespace {

void *const NO_PAGE = (void *) UTOP;
int failures;

void check(bool ok, const char *what)
{
	if (!ok) {
		cprintf("ipcblock: FAIL %s\n", what);
		failures++;
	}
}

const volatile Env *env_of(envid_t id)
{
	return &envs[ENVX(id)];
}

// Wait (yielding) until env id is asleep in the kernel.
void wait_blocked(envid_t id)
{
	while (env_of(id)->env_status != ENV_NOT_RUNNABLE)
		sys_yield();
}

// Fork a child that runs body(arg) and exits.
envid_t spawn(void (*body)(uint32_t), uint32_t arg)
{
	envid_t id = fork();
	if (id < 0)
		panic("fork: %e", id);
	if (id == 0) {
		body(arg);
		exit();
	}
	return id;
}

envid_t parent_id;

// Part 1's receiver: learn the sender's id, let the sender block, watch
// its env_runs while yielding, then receive and report to the parent.
void busy_receiver(uint32_t)
{
	envid_t sender = ipc_recv(nullptr, nullptr, nullptr);
	wait_blocked(sender);
	uint32_t runs = env_of(sender)->env_runs;
	for (int i = 0; i < 100; i++)
		sys_yield();
	bool idle = env_of(sender)->env_runs == runs;
	envid_t from;
	int32_t value = ipc_recv(&from, nullptr, nullptr);
	ipc_send(parent_id, idle && value == 42 && from == sender, NO_PAGE, 0);
}

// Send 42 to receiver with the blocking send, then report the result of
// that call to the parent.
void sender(uint32_t receiver)
{
	int r = sys_ipc_send(receiver, 42, NO_PAGE, 0);
	ipc_send(parent_id, r, NO_PAGE, 0);
}

void never_receives(uint32_t)
{
	for (;;)
		sys_yield();
}

void receives_once(uint32_t)
{
	ipc_recv(nullptr, nullptr, nullptr);
}

} // namespace

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	parent_id = thisenv->env_id;

	// 1. No CPU time while blocked; delivery on receive.
	envid_t rcv = spawn(busy_receiver, 0);
	envid_t snd = spawn(sender, rcv);
	ipc_send(rcv, snd, NO_PAGE, 0);
	envid_t from;
	for (int i = 0; i < 2; i++) { // both report, in either order
		int32_t v = ipc_recv(&from, nullptr, nullptr);
		if (from == rcv)
			check(v == 1,
			      "blocked sender ran while waiting, or wrong message");
		else
			check(from == snd && v == 0,
			      "sender's sys_ipc_send did not return 0");
	}

	// 2. A blocked sender stays asleep until destroyed, then is freed.
	envid_t deaf = spawn(never_receives, 0);
	envid_t snd2 = spawn(sender, deaf);
	wait_blocked(snd2);
	check(sys_env_set_status(snd2, ENV_RUNNABLE) == -E_INVAL,
	      "a blocked sender could be made runnable");
	check(sys_env_destroy(snd2) == 0, "destroying a blocked sender failed");
	check(env_of(snd2)->env_status == ENV_FREE || env_of(snd2)->env_id != snd2,
	      "destroyed blocked sender not freed");

	// 3. Destroying the receiver wakes its waiting sender with -E_BAD_ENV.
	envid_t snd3 = spawn(sender, deaf);
	wait_blocked(snd3);
	check(sys_env_destroy(deaf) == 0, "destroying the receiver failed");
	int32_t r = ipc_recv(&from, nullptr, nullptr);
	check(from == snd3 && r == -E_BAD_ENV,
	      "sender waiting on a destroyed receiver did not get -E_BAD_ENV");

	// 4. A blocked receiver is freed cleanly.
	envid_t rcv4 = spawn(receives_once, 0);
	wait_blocked(rcv4);
	check(sys_env_set_status(rcv4, ENV_RUNNABLE) == -E_INVAL,
	      "a blocked receiver could be made runnable");
	check(sys_env_destroy(rcv4) == 0, "destroying a blocked receiver failed");
	check(env_of(rcv4)->env_status == ENV_FREE || env_of(rcv4)->env_id != rcv4,
	      "destroyed blocked receiver not freed");

	if (failures == 0)
		cprintf("ipcblock: PASS\n");
}
