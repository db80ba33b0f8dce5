// pageleak: every page and page table comes back when environments die,
// and running out of memory is an error, not a crash.
//
// The root counts the pages it can allocate (hostile.hh), then:
// 1. Storm: rounds of workers that write copy-on-write globals, allocate
//    and alias pages, and receive pages over IPC from a grandchild of
//    their own (which forks and exits too); each worker then exits, dies
//    of a page fault, or spins until the root destroys it (on another CPU
//    if there is one). When every environment is freed the count must be
//    what it was.
// 2. Out of memory: a tester child has a holder child take every free page,
//    then gives pages back one at a time. At each step, with f pages free:
//    sys_exofork must fail with -E_NO_MEM when f = 0; sys_page_alloc
//    needing a new page table must fail with -E_NO_MEM when f <= 1;
//    sys_page_map and an IPC page transfer needing a page table in the
//    destination must fail with -E_NO_MEM when f = 0 (the receiver still
//    waiting); fork() must return a child or -E_NO_MEM; and after each
//    failed call (or after destroying what a successful one created)
//    exactly f pages must be free again. The count must again be what it
//    was at the start.
// Prints "pageleak: PASS" or "pageleak: FAIL <what>" lines.

#include <inc/lib.h>

#include "hostile.hh"

using namespace hostile;

namespace {

// ---- State shared by all environments of the test (a PTE_SHARE page) ----

struct Shared {
	volatile int holder_ready;     // holder: forked, waiting for go
	volatile int holder_go;        // tester: holder may take all memory
	volatile int holder_done;      // holder: memory taken
	volatile int holder_pages;     // how many pages the holder took
	volatile int recv_got;         // receiver: a message arrived
	volatile int recv_perm;        // with these page permissions
	volatile int tester_fails;     // tester: failed checks
	volatile int tester_done;      // tester: finished its checks
	volatile int worker_ready[64]; // storm: worker finished its IPC part
};

Shared *const shared = (Shared *) 0x00b00000;
static_assert(sizeof(Shared) <= PGSIZE);

constexpr uintptr_t WORK_BASE = 0x20000000;  // storm: worker's own pages
constexpr uintptr_t ALIAS_BASE = 0x20400000; // storm: aliases of them
constexpr uintptr_t RECV_BASE = 0x20800000;  // storm: pages received
constexpr uintptr_t SEND_VA = 0x20c00000;    // storm: grandchild's page
constexpr uintptr_t HOLD_BASE = 0x40000000;  // OOM: holder's pages
constexpr uintptr_t PROBE_BASE = 0x50000000; // OOM: tester's free-page probe
constexpr uintptr_t NEW_TABLE = 0x60000000;  // OOM: a va with no page table
constexpr int PERM = PTE_P | PTE_U | PTE_W;

// ---- 1. Storm ----

constexpr int ROUNDS = 3;
constexpr int WORKERS = 4;
constexpr int MSGS = 8;
constexpr int PAGES = 3;

alignas(PGSIZE) volatile uint32_t globals[PAGES][PGSIZE / 4];

enum class Death { exit, fault, killed };

// How worker w of round r ends (the same in root and worker).
Death death_of(int r, int w)
{
	return Death((r * WORKERS + w) % 3);
}

// Word i of message m's page.
uint32_t msg_word(int m, int i)
{
	return 0x5EED0000u ^ (m << 12) ^ i;
}

// The grandchild: send MSGS fresh pages to the worker, fork a child of
// its own that exits at once, then exit.
void grandchild(envid_t worker)
{
	for (int m = 0; m < MSGS; m++) {
		if (sys_page_alloc(0, (void *) SEND_VA, PERM) < 0)
			break;
		volatile uint32_t *p = (volatile uint32_t *) SEND_VA;
		for (int i = 0; i < PGSIZE / 4; i++)
			p[i] = msg_word(m, i);
		ipc_send(worker, m, (void *) SEND_VA, PERM);
	}
	sys_page_unmap(0, (void *) SEND_VA);
	if (fork() == 0)
		exit();
	exit();
}

// A worker of the storm.
void worker(int r, int w)
{
	envid_t self = sys_getenvid();
	int bad = 0;

	// Copy-on-write faults on the globals.
	for (int p = 0; p < PAGES; p++)
		globals[p][w] = self;

	// Pages of our own, each also mapped at an alias; unmap half.
	for (int i = 0; i < 8; i++) {
		void *va = (void *) (WORK_BASE + i * PGSIZE);
		void *alias = (void *) (ALIAS_BASE + i * PGSIZE);
		if (sys_page_alloc(0, va, PERM) < 0 ||
		    sys_page_map(0, va, 0, alias, PTE_P | PTE_U) < 0)
			bad++;
		*(volatile int *) va = i;
		if (i % 2)
			sys_page_unmap(0, va);
	}

	// Pages over IPC: four receive slots, each reused (replacing and so
	// freeing the page it held).
	envid_t g = fork();
	if (g == 0)
		grandchild(self);
	if (g < 0)
		bad++;
	for (int m = 0; g > 0 && m < MSGS; m++) {
		void *va = (void *) (RECV_BASE + (m % 4) * PGSIZE);
		envid_t from;
		int perm;
		int v = ipc_recv(&from, va, &perm);
		volatile uint32_t *p = (volatile uint32_t *) va;
		if (v != m || from != g || perm != PERM || p[0] != msg_word(m, 0) ||
		    p[PGSIZE / 4 - 1] != msg_word(m, PGSIZE / 4 - 1))
			bad++;
	}
	if (bad)
		cprintf("pageleak: FAIL storm worker %d.%d: %d bad steps\n", r, w, bad);
	shared->worker_ready[r * WORKERS + w] = 1;

	switch (death_of(r, w)) {
	case Death::exit:
		return;
	case Death::fault:
		sys_env_set_pgfault_upcall(0, nullptr);
		*(volatile int *) 0 = 0; // killed: "user fault va 00000000"
		return;
	case Death::killed:
		for (;;)
			; // until the root destroys us
	}
}

// Run the storm; returns the number of failures seen by the root.
int storm(int envs0)
{
	int bad = 0;
	for (int r = 0; r < ROUNDS; r++) {
		envid_t ids[WORKERS];
		for (int w = 0; w < WORKERS; w++) {
			shared->worker_ready[r * WORKERS + w] = 0;
			ids[w] = fork();
			if (ids[w] == 0) {
				worker(r, w);
				exit();
			}
			if (ids[w] < 0) {
				cprintf("pageleak: FAIL storm fork: %e\n", ids[w]);
				bad++;
			}
		}
		for (int w = 0; w < WORKERS; w++) {
			if (ids[w] < 0 || death_of(r, w) != Death::killed)
				continue;
			while (!shared->worker_ready[r * WORKERS + w])
				sys_yield();
			int e = sys_env_destroy(ids[w]);
			if (e < 0) {
				cprintf("pageleak: FAIL destroy worker %08x: %e\n",
					ids[w], e);
				bad++;
			}
		}
		wait_free_envs(envs0);
	}
	return bad;
}

// ---- 2. Out of memory ----

// How many pages can be allocated right now? Counts in the probe range,
// whose page table exists, so the answer is exact (up to 1024).
int free_now(void)
{
	int n = 0;
	while (n < 1024 &&
	       sys_page_alloc(0, (void *) (PROBE_BASE + n * PGSIZE), PTE_P | PTE_U) == 0)
		n++;
	for (int i = 0; i < n; i++)
		sys_page_unmap(0, (void *) (PROBE_BASE + i * PGSIZE));
	return n;
}

// The holder: wait for go, take every page there is, then wait forever.
[[noreturn]] void holder(void)
{
	shared->holder_ready = 1;
	while (!shared->holder_go)
		sys_yield();
	int n = 0;
	while (sys_page_alloc(0, (void *) (HOLD_BASE + n * PGSIZE), PTE_P | PTE_U) == 0)
		n++;
	shared->holder_pages = n;
	shared->holder_done = 1;
	for (;;)
		sys_ipc_recv((void *) UTOP);
}

// The receiver: wait for one message at a va where we have no page
// table; report it and exit.
void receiver(void)
{
	if (sys_ipc_recv((void *) NEW_TABLE) == 0) {
		shared->recv_perm = thisenv->env_ipc_perm;
		shared->recv_got = 1;
	}
}

// Record a failed check.
void oom_fail(int f, const char *what, int r)
{
	cprintf("pageleak: FAIL with %d pages free: %s: %e\n", f, what, r);
	shared->tester_fails = shared->tester_fails + 1;
}

// One step of the sweep with f pages free (f measured by the caller).
void oom_step(int f, envid_t recv, int *fork_ok, int *fork_nomem)
{
	int r;

	r = sys_exofork();
	if (r == 0)
		exit(); // never runs: it stays ENV_NOT_RUNNABLE
	if (f == 0 && r != -E_NO_MEM)
		oom_fail(f, "sys_exofork did not return -E_NO_MEM", r);
	if (f > 0 && r < 0)
		oom_fail(f, "sys_exofork failed", r);
	if (r > 0) {
		sys_env_destroy(r);
		wait_env_gone(r);
	}
	if (free_now() != f)
		oom_fail(f, "pages lost by sys_exofork", free_now() - f);

	if (f <= 1) {
		r = sys_page_alloc(0, (void *) NEW_TABLE, PTE_P | PTE_U);
		if (r != -E_NO_MEM)
			oom_fail(f, "sys_page_alloc needing a page table", r);
		if (free_now() != f)
			oom_fail(f, "pages lost by sys_page_alloc", free_now() - f);
	}
	if (f == 0) {
		r = sys_page_map(0, (void *) UTEXT, 0, (void *) NEW_TABLE, PTE_P | PTE_U);
		if (r != -E_NO_MEM)
			oom_fail(f, "sys_page_map needing a page table", r);
		r = sys_ipc_try_send(recv, 1, (void *) UTEXT, PTE_P | PTE_U);
		if (r != -E_NO_MEM)
			oom_fail(f, "IPC page needing a page table", r);
		if (!envs[ENVX(recv)].env_ipc_recving || shared->recv_got)
			oom_fail(f, "receiver woken by a failed send", 0);
		if (free_now() != f)
			oom_fail(f, "pages lost by sys_page_map/IPC", free_now() - f);
	}

	r = fork();
	if (r == 0)
		exit();
	if (r > 0) {
		++*fork_ok;
		sys_env_destroy(r); // it may have exited already
		wait_env_gone(r);
	} else if (r == -E_NO_MEM) {
		++*fork_nomem;
	} else {
		oom_fail(f, "fork", r);
	}
	if (int now = free_now(); now != f)
		oom_fail(f, "pages lost by fork", now - f);
}

// The tester: set up receiver and holder, then sweep.
void tester(void)
{
	envid_t recv = fork();
	if (recv == 0) {
		receiver();
		exit();
	}
	while (!envs[ENVX(recv)].env_ipc_recving)
		sys_yield();
	envid_t hold = fork();
	if (hold == 0)
		holder();
	if (recv < 0 || hold < 0) {
		oom_fail(-1, "fork", recv < 0 ? recv : hold);
		return;
	}
	while (!shared->holder_ready)
		sys_yield();

	// From here on nothing of ours may need a page to be written: make
	// our copy-on-write pages private, create the probe's page table.
	make_private();
	sys_page_alloc(0, (void *) PROBE_BASE, PTE_P | PTE_U);
	sys_page_unmap(0, (void *) PROBE_BASE);
	shared->holder_go = 1;
	while (!shared->holder_done)
		sys_yield();

	int fork_ok = 0, fork_nomem = 0, steps = 0, f = 0;
	int first_ok = -1;
	for (int s = 0; s < 40 && fork_ok < 3; s++, steps++) {
		f = free_now();
		if (first_ok < 0 && fork_ok > 0)
			first_ok = f - 1;
		oom_step(f, recv, &fork_ok, &fork_nomem);
		sys_page_unmap(hold, (void *) (HOLD_BASE + s * PGSIZE));
	}
	if (fork_nomem == 0 || fork_ok == 0)
		oom_fail(f, "fork never failed or never succeeded", 0);

	// With memory to spare the IPC transfer now works.
	int r = sys_ipc_try_send(recv, 2, (void *) UTEXT, PTE_P | PTE_U);
	if (r < 0)
		oom_fail(free_now(), "IPC page with memory free", r);
	while (r == 0 && !shared->recv_got)
		sys_yield();
	if (r == 0 && shared->recv_perm != (PTE_P | PTE_U))
		oom_fail(free_now(), "IPC page permissions", shared->recv_perm);

	cprintf("pageleak: out-of-memory sweep: holder took %d pages; %d steps, "
		"fork failed %d times then worked from %d free pages\n",
		shared->holder_pages, steps, fork_nomem, first_ok);
	sys_env_destroy(hold);
	shared->tester_done = 1;
}

} // namespace

void umain(int, char **)
{
	if ((uintptr_t) end > (uintptr_t) shared) {
		cprintf("pageleak: FAIL program too big for the shared page\n");
		return;
	}
	int r = sys_page_alloc(0, shared, PTE_P | PTE_U | PTE_W | PTE_SHARE);
	if (r == 0)
		r = prepare_counting();
	if (r < 0) {
		cprintf("pageleak: FAIL setting up: %e\n", r);
		return;
	}
	int pages0 = count_free_pages(), envs0 = count_free_envs();
	cprintf("pageleak: %d free pages, %d free envs\n", pages0, envs0);
	int bad = 0;

	bad += storm(envs0);
	int pages1 = count_free_pages();
	if (pages1 != pages0) {
		cprintf("pageleak: FAIL storm leaked %d pages\n", pages0 - pages1);
		bad++;
	} else {
		cprintf("pageleak: storm of %d workers: no page leaked\n",
			ROUNDS * WORKERS);
	}

	envid_t t = fork();
	if (t == 0) {
		tester();
		exit();
	}
	if (t < 0) {
		cprintf("pageleak: FAIL fork tester: %e\n", t);
		return;
	}
	wait_free_envs(envs0);
	if (!shared->tester_done) {
		cprintf("pageleak: FAIL out-of-memory tester died\n");
		bad++;
	}
	bad += shared->tester_fails;
	int pages2 = count_free_pages();
	if (pages2 != pages0) {
		cprintf("pageleak: FAIL out-of-memory sweep leaked %d pages\n",
			pages0 - pages2);
		bad++;
	}
	if (bad == 0)
		cprintf("pageleak: PASS (%d free pages before and after)\n", pages0);
	else
		cprintf("pageleak: FAIL %d check(s) failed\n", bad);
}
