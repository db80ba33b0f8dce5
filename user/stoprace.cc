// stoprace: a stop (sys_env_set_status(child, ENV_NOT_RUNNABLE)) must hold
// on every path back to user space (meant for CPUS=4 and 8; on one CPU the
// child only runs while we yield, and part 1 still checks the stop).
//
// 1. The child makes no system calls: it loops on a store to an unmapped
//    page, which its page-fault handler skips, counting in a PTE_SHARE
//    page. We stop it while it runs on another CPU: from then on it must
//    not run (its next kernel entry is a page fault, whose return path must
//    honour the stop), until we make it runnable again.
// 2. A sender asleep in sys_ipc_send, and a receiver asleep in
//    sys_ipc_recv, are stopped: when their message moves, their call
//    returns but they stay stopped until made runnable.
// Prints "stoprace: PASS" or "stoprace: FAIL <what>" lines.

#include <inc/lib.h>

#include "hostile.hh"

using namespace hostile;

namespace {

constexpr uintptr_t SHARED_VA = 0x0b000000;   // PTE_SHARE page
constexpr uintptr_t UNMAPPED_VA = 0x0c000000; // never mapped
constexpr int ROUNDS = 10;

struct Shared {
	volatile uint32_t faults;   // part 1: the child's skipped stores
	volatile uint32_t returned; // part 2: the child's IPC call returned
};
Shared *const shared = (Shared *) SHARED_VA;

int failures;

void fail(const char *what, int round)
{
	cprintf("stoprace: FAIL %s (round %d)\n", what, round);
	failures++;
}

// The child's fault handler: skip the 2-byte store `movl %eax, (%ecx)`.
void skip_store(UTrapframe *utf)
{
	shared->faults++;
	utf->utf_eip += 2;
}

[[noreturn]] void faulting_loop(void)
{
	set_pgfault_handler(skip_store);
	for (;;)
		asm volatile("movl %%eax, (%%ecx)"
			     :
			     : "a"(0), "c"(UNMAPPED_VA)
			     : "memory");
}

const volatile Env *env_of(envid_t id)
{
	return &envs[ENVX(id)];
}

// Part 1.
void stop_faulting_child(void)
{
	envid_t c = fork();
	if (c == 0)
		faulting_loop();
	for (int round = 0; round < ROUNDS; round++) {
		uint32_t before = shared->faults;
		if (!hostile::yield_until(
			    [before] { return shared->faults > before + 10; })) {
			fail("the faulting child does not run", round);
			break;
		}
		if (sys_env_set_status(c, ENV_NOT_RUNNABLE) != 0) {
			fail("stopping the child failed", round);
			break;
		}
		// Its next kernel entry (its next fault) stops it. It may be in
		// its handler right now, before the count: one more at most,
		// however long we wait (and however late its CPU gets to run).
		uint32_t stopped = shared->faults;
		for (int i = 0; i < 500; i++)
			sys_yield();
		if (shared->faults > stopped + 1 ||
		    env_of(c)->env_status != ENV_NOT_RUNNABLE)
			fail("a stopped child ran on (its page fault resumed it)", round);
		sys_env_set_status(c, ENV_RUNNABLE);
	}
	sys_env_destroy(c);
	hostile::wait_env_gone(c);
}

// Part 2: the child sends to us (send) or receives from us (!send); we
// stop it while it sleeps in the call, then take or give the message.
void stop_sleeping_child(bool send, int round)
{
	shared->returned = 0;
	envid_t parent = sys_getenvid();
	envid_t c = fork();
	if (c == 0) {
		if (send)
			ipc_send(parent, 7, nullptr, 0);
		else
			ipc_recv(nullptr, nullptr, nullptr);
		shared->returned = 1;
		exit();
	}
	// Asleep: not runnable (and, for a receiver, receiving).
	if (!hostile::yield_until([c, send] {
		    return env_of(c)->env_status == ENV_NOT_RUNNABLE &&
			   (send || env_of(c)->env_ipc_recving);
	    })) {
		fail(send ? "the sender never slept" : "the receiver never slept", round);
		sys_env_destroy(c);
		hostile::wait_env_gone(c);
		return;
	}
	if (sys_env_set_status(c, ENV_NOT_RUNNABLE) != 0)
		fail("stopping a sleeping child failed", round);
	if (send) {
		envid_t from;
		if (ipc_recv(&from, nullptr, nullptr) != 7 || from != c)
			fail("wrong message from the stopped sender", round);
	} else {
		ipc_send(c, 7, nullptr, 0);
	}
	for (int i = 0; i < 300; i++)
		sys_yield();
	if (shared->returned || env_of(c)->env_status != ENV_NOT_RUNNABLE)
		fail(send ? "a stopped sender ran once its message was taken"
			  : "a stopped receiver ran once its message came",
		     round);
	if (sys_env_set_status(c, ENV_RUNNABLE) != 0)
		fail("restarting the child failed", round);
	if (!hostile::yield_until([] { return shared->returned != 0; }))
		fail("the restarted child did not run", round);
	hostile::wait_env_gone(c);
}

} // namespace

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	int r = sys_page_alloc(0, shared, PTE_P | PTE_U | PTE_W | PTE_SHARE);
	if (r < 0)
		panic("stoprace: page alloc: %e", r);

	stop_faulting_child();
	for (int round = 0; round < ROUNDS; round++) {
		stop_sleeping_child(true, round);
		stop_sleeping_child(false, round);
	}
	if (failures == 0)
		cprintf("stoprace: PASS\n");
}
