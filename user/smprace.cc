// smprace: what a parent does to a child that is running on another CPU
// at that very moment (meant for CPUS=4; on one CPU nothing runs
// concurrently and the rounds that need it are skipped).
//
// 1. Stale TLB: the child writes its page in a loop; the parent unmaps the
//    page from under it (freeing it) and allocates a page itself, which is
//    the same physical page (the free list is LIFO). The child's writes
//    must not show up in the parent's fresh page: the kernel must flush
//    the child's CPU's TLB (shootdown) before the page can be reused.
// 2. Kill while running: destroy a spinning child (it is only marked
//    dying, and freed by its own CPU at its next trap, often the timer
//    interrupt); then every CPU must still be preempted by its timer: more
//    spinning children than CPUs must all get to run.
// 3. Stop and restart a running child with sys_env_set_status
//    (NOT_RUNNABLE, then RUNNABLE) many times; it must still finish its
//    count once and exit normally.
// Prints "smprace: PASS" or "smprace: FAIL <what>" lines.

#include <inc/lib.h>

#include "hostile.hh"

using namespace hostile;

namespace {

constexpr uintptr_t SHARED_VA = 0x0b000000; // PTE_SHARE page
constexpr uintptr_t CHILD_VA = 0x20000000;  // the child's page
constexpr uintptr_t FRESH_VA = 0x30000000;  // the parent's fresh page
constexpr int ROUNDS = 12;
constexpr int SPINNERS = 10; // more than NCPU... of QEMU's 4
constexpr int WAIT = 200000; // yields

struct Shared {
	volatile uint32_t ran[SPINNERS]; // part 2: each spinner's progress
	volatile uint32_t done, exits;   // part 3
};
Shared *const shared = (Shared *) SHARED_VA;

bool smp; // does a child ever run while we do?

// Yield (bounded) until id runs on another CPU right now.
bool wait_running_elsewhere(envid_t id)
{
	for (int i = 0; smp && i < 2000; i++) {
		const volatile Env *e = &envs[ENVX(id)];
		if (e->env_id == id && e->env_status == ENV_RUNNING)
			return true;
		sys_yield();
	}
	return false;
}

bool wait_gone(envid_t id)
{
	for (int i = 0; i < WAIT; i++) {
		if (env_gone(id))
			return true;
		sys_yield();
	}
	return false;
}

void spin_a_while(void)
{
	for (int i = 0; i < 200000; i++)
		asm volatile("");
}

// Find out whether there is more than one CPU: fork a spinner and look
// for it running while we do (a spinner on our own CPU only runs while we
// are not, for a whole time slice per yield: give up after a few).
void detect_smp(void)
{
	envid_t c = fork();
	if (c == 0)
		for (;;)
			;
	for (int i = 0; i < 20 && !smp; i++) {
		sys_yield();
		smp = envs[ENVX(c)].env_status == ENV_RUNNING;
	}
	sys_env_destroy(c);
	wait_gone(c);
}

// 1. Returns the number of rounds that ran concurrently, -1 on failure.
int stale_tlb(void)
{
	int concurrent = 0, leaks = 0;
	for (int round = 0; round < ROUNDS; round++) {
		envid_t c = fork();
		if (c == 0) {
			sys_env_set_pgfault_upcall(0, nullptr); // a fault kills us
			while (!(uvpd[PDX(CHILD_VA)] & PTE_P) ||
			       !(uvpt[PGNUM(CHILD_VA)] & PTE_P))
				;
			volatile uint32_t *p = (volatile uint32_t *) CHILD_VA;
			for (uint32_t i = 1;; i++)
				p[i % 1024] = 0xbad00000 | (i & 0xfffff);
		}
		if (c < 0) {
			cprintf("smprace: FAIL fork: %e\n", c);
			return -1;
		}
		sys_page_alloc(c, (void *) CHILD_VA, PTE_P | PTE_U | PTE_W);
		bool running = wait_running_elsewhere(c);
		if (running) {
			spin_a_while(); // let it write for a while
			concurrent++;
		}
		sys_page_unmap(c, (void *) CHILD_VA); // frees the page
		sys_page_alloc(0, (void *) FRESH_VA, PTE_P | PTE_U | PTE_W);
		volatile uint32_t *fresh = (volatile uint32_t *) FRESH_VA;
		bool dirty = false;
		for (int k = 0; k < 200000 && !dirty; k++)
			dirty = fresh[k % 1024] != 0;
		if (dirty) {
			cprintf("smprace: FAIL round %d: a child wrote into our fresh "
				"page after its page was unmapped (stale TLB)\n",
				round);
			leaks++;
		}
		sys_env_destroy(c);
		if (!wait_gone(c)) {
			cprintf("smprace: FAIL child %08x not freed\n", c);
			return -1;
		}
		sys_page_unmap(0, (void *) FRESH_VA);
	}
	return leaks ? -1 : concurrent;
}

// 2. Returns the number of kills of a running child, -1 on failure.
int kill_running(void)
{
	int concurrent = 0;
	for (int round = 0; round < ROUNDS; round++) {
		envid_t c = fork();
		if (c == 0)
			for (;;)
				;
		if (c < 0) {
			cprintf("smprace: FAIL fork: %e\n", c);
			return -1;
		}
		concurrent += wait_running_elsewhere(c);
		int r = sys_env_destroy(c);
		if (r < 0 || !wait_gone(c)) {
			cprintf("smprace: FAIL kill %08x: %e\n", c, r);
			return -1;
		}
	}
	// Every CPU must still take timer interrupts: more spinners than
	// CPUs, none of which ever yields, must all get to run.
	envid_t ids[SPINNERS];
	for (int i = 0; i < SPINNERS; i++) {
		shared->ran[i] = 0;
		ids[i] = fork();
		if (ids[i] == 0)
			for (;;)
				shared->ran[i] = 1;
	}
	int stuck = 0;
	for (int i = 0; i < SPINNERS; i++) {
		for (int k = 0; k < WAIT && !shared->ran[i]; k++)
			sys_yield();
		stuck += !shared->ran[i];
	}
	for (int i = 0; i < SPINNERS; i++)
		if (ids[i] > 0) {
			sys_env_destroy(ids[i]);
			wait_gone(ids[i]);
		}
	if (stuck) {
		cprintf("smprace: FAIL %d of %d spinners never ran after the kills "
			"(a CPU stopped taking timer interrupts?)\n",
			stuck, SPINNERS);
		return -1;
	}
	return concurrent;
}

// 3. Returns the number of flips of a running child, -1 on failure.
int stop_restart(void)
{
	shared->done = 0;
	shared->exits = 0;
	envid_t c = fork();
	if (c == 0) {
		while (!shared->done)
			;
		shared->exits = shared->exits + 1;
		exit();
	}
	if (c < 0) {
		cprintf("smprace: FAIL fork: %e\n", c);
		return -1;
	}
	int flips = 0;
	for (int i = 0; i < 200; i++) {
		if (!wait_running_elsewhere(c))
			continue;
		int r1 = sys_env_set_status(c, ENV_NOT_RUNNABLE);
		int r2 = sys_env_set_status(c, ENV_RUNNABLE);
		if (r1 < 0 || r2 < 0) {
			cprintf("smprace: FAIL set_status on a running child: %e, %e\n",
				r1, r2);
			return -1;
		}
		flips++;
	}
	shared->done = 1;
	if (!wait_gone(c)) {
		cprintf("smprace: FAIL stopped and restarted child never exited\n");
		return -1;
	}
	if (shared->exits != 1) {
		cprintf("smprace: FAIL child finished %u times (run on two CPUs?)\n",
			shared->exits);
		return -1;
	}
	return flips;
}

} // namespace

void umain(int, char **)
{
	int r = sys_page_alloc(0, shared, PTE_P | PTE_U | PTE_W | PTE_SHARE);
	if (r == 0) // the page table behind FRESH_VA stays: make it now
		r = sys_page_alloc(0, (void *) FRESH_VA, PTE_P | PTE_U);
	if (r == 0)
		r = sys_page_unmap(0, (void *) FRESH_VA);
	if (r == 0)
		r = prepare_counting();
	if (r < 0 || (uintptr_t) end > SHARED_VA) {
		cprintf("smprace: FAIL setting up: %e\n", r);
		return;
	}
	int pages0 = count_free_pages(), envs0 = count_free_envs();

	detect_smp();
	int tlb = stale_tlb();
	int kills = tlb < 0 ? -1 : kill_running();
	int flips = kills < 0 ? -1 : stop_restart();
	if (flips < 0)
		return;

	wait_free_envs(envs0);
	int pages1 = count_free_pages();
	if (pages1 != pages0) {
		cprintf("smprace: FAIL %d pages leaked\n", pages0 - pages1);
		return;
	}
	cprintf("smprace: PASS (on another CPU at the time: %d of %d unmaps, %d of %d "
		"kills, %d stop/restarts)\n",
		tlb, ROUNDS, kills, ROUNDS, flips);
}
