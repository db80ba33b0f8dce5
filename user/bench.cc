// bench: the kernel's hot paths, timed with the time-stamp counter. Run by
// `make bench` under QEMU's -icount (one virtual nanosecond per guest
// instruction, no sleep), where the TSC advances with executed
// instructions: the figures are deterministic, independent of the host's
// speed or load. Each metric is timed in BATCHES batches after a warm-up
// batch and the smallest per-op figure is reported, so a batch that a
// timer interrupt or a rare cost (the console's buffer wrapping) hit does
// not count.
//
// Prints "bench: <name> <instructions> per op" per metric, in this order,
// and "bench: done" once every child has been destroyed and reaped
// (conf/bench.py parses these lines and compares them with C JOS):
//   null_syscall        sys_getenvid()
//   yield               sys_yield() with only this env runnable
//   page_alloc_unmap    sys_page_alloc + sys_page_unmap of one page
//   pgfault_upcall      a write to an unmapped page whose user handler maps
//                       a fresh page there, per page
//   fork_exit           fork() of this env (64 touched buffer pages), the
//                       child exits at once, we yield until its slot is free
//   cow_fault           after such a fork (child blocked in ipc_recv), a
//                       write to each buffer page, per page
//   ipc_roundtrip       ipc_send + ipc_recv of a value to an echo child and
//                       back, per round trip
//   ipc_page_roundtrip  the same with a page (P|U|W) passed each way
//   console_line        sys_cputs of a 30-byte line with the screen full
//                       (the length of the kernel's "[%08x] free env
//                       %08x" lines), so that every line scrolls

#include <inc/lib.h>
#include <inc/x86.h>

namespace {

constexpr int BATCHES = 5;
constexpr uint32_t BUFFER_PAGES = 64;
constexpr int PERM = PTE_P | PTE_U | PTE_W;

// User addresses nothing else maps (the program sits at 0x800000, the
// stacks just below UTOP).
char *const SCRATCH = (char *) 0x10000000;     // page alloc, fault pages
char *const BUFFER = (char *) 0x20000000;      // the 64 pages fork copies
char *const PARENT_PAGE = (char *) 0x30000000; // our IPC page
char *const CHILD_PAGE = (char *) 0x31000000;  // the echo child's IPC page

void report(const char *name, uint64_t ticks, uint32_t ops)
{
	cprintf("bench: %-20s %8u per op\n", name, (uint32_t) (ticks / ops));
}

// Run batch() BATCHES times and report the smallest per-op figure. Each
// call performs ops operations and returns the TSC ticks they took (any
// set-up or tear-down it needs stays outside that interval). A first,
// unreported call warms up: page tables get allocated, and the console
// (fork_exit prints three kernel lines per fork) gets a full screen, after
// which every line scrolls; before that lines are cheaper, which would
// make the first batch the minimum without being typical.
template <typename Batch>
void best_of(const char *name, uint32_t ops, Batch batch)
{
	batch();
	uint64_t best = ~(uint64_t) 0;
	for (int b = 0; b < BATCHES; b++) {
		uint64_t ticks = batch();
		if (ticks < best)
			best = ticks;
	}
	report(name, best, ops);
}

// TSC ticks ops calls of body(i) take.
template <typename Body>
uint64_t timed(uint32_t ops, Body body)
{
	uint64_t start = read_tsc();
	for (uint32_t i = 0; i < ops; i++)
		body(i);
	return read_tsc() - start;
}

// The common case: a batch is ops calls of body(i), nothing around it.
template <typename Body>
void measure(const char *name, uint32_t ops, Body body)
{
	best_of(name, ops, [ops, body] { return timed(ops, body); });
}

// Page fault handler for pgfault_upcall: map a fresh page at the fault.
void map_on_fault(UTrapframe *utf)
{
	void *page = (void *) ROUNDDOWN(utf->utf_fault_va, PGSIZE);
	int r = sys_page_alloc(0, page, PERM);
	if (r < 0)
		panic("bench: page fault handler: %e", r);
}

// Wait (yielding) until env id's envs[] slot is free: freed, or already
// reused by another env.
void wait_freed(envid_t id)
{
	while (envs[ENVX(id)].env_id == id && envs[ENVX(id)].env_status != ENV_FREE)
		sys_yield();
}

// Destroy our child id and wait until its slot is free, so that no child
// outlives its measurement.
void reap(envid_t id)
{
	int r = sys_env_destroy(id);
	if (r < 0)
		panic("bench: destroy %08x: %e", id, r);
	wait_freed(id);
}

envid_t fork_or_panic(void)
{
	envid_t child = fork();
	if (child < 0)
		panic("bench: fork: %e", child);
	return child;
}

// The echo child's body: answer every message with its value plus one,
// passing back the page that came with it, if any (received at page; null
// for no page). Runs until the parent destroys it.
[[noreturn]] void echo(void *page)
{
	for (;;) {
		envid_t from;
		int perm;
		uint32_t v = ipc_recv(&from, page, &perm);
		ipc_send(from, v + 1, perm ? page : nullptr, perm);
	}
}

// Time ops round trips with an echo child, sending our page at
// PARENT_PAGE each way when with_page, then destroy and reap the child.
void ipc_roundtrips(const char *name, uint32_t ops, bool with_page)
{
	envid_t child = fork_or_panic();
	if (child == 0)
		echo(with_page ? CHILD_PAGE : nullptr);
	// Allocated after the fork: a page fork had made copy-on-write could
	// not be sent writable.
	void *page = nullptr;
	if (with_page) {
		page = PARENT_PAGE;
		int r = sys_page_alloc(0, page, PERM);
		if (r < 0)
			panic("bench: page alloc: %e", r);
	}
	measure(name, ops, [child, page](uint32_t i) {
		ipc_send(child, i, page, page ? PERM : 0);
		int perm;
		if (ipc_recv(nullptr, page, &perm) != (int32_t) (i + 1) ||
		    (page && perm != PERM))
			panic("bench: bad echo");
	});
	reap(child);
}

} // namespace

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);

	measure("null_syscall", 1000, [](uint32_t) { sys_getenvid(); });
	measure("yield", 200, [](uint32_t) { sys_yield(); });
	measure("page_alloc_unmap", 200, [](uint32_t) {
		if (sys_page_alloc(0, SCRATCH, PERM) < 0 ||
		    sys_page_unmap(0, SCRATCH) < 0)
			panic("bench: page alloc/unmap failed");
	});

	// Each batch faults on BUFFER_PAGES unmapped pages after SCRATCH and
	// unmaps them again (untimed) for the next batch.
	set_pgfault_handler(map_on_fault);
	best_of("pgfault_upcall", BUFFER_PAGES, [] {
		uint64_t ticks = timed(BUFFER_PAGES,
				       [](uint32_t i) { SCRATCH[(i + 1) * PGSIZE] = 1; });
		for (uint32_t i = 0; i < BUFFER_PAGES; i++)
			sys_page_unmap(0, SCRATCH + (i + 1) * PGSIZE);
		return ticks;
	});

	// From here on fork installs its own (copy-on-write) fault handler.
	// Give fork BUFFER_PAGES touched writable pages to copy.
	for (uint32_t i = 0; i < BUFFER_PAGES; i++) {
		int r = sys_page_alloc(0, BUFFER + i * PGSIZE, PERM);
		if (r < 0)
			panic("bench: buffer alloc: %e", r);
		BUFFER[i * PGSIZE] = 1;
	}

	measure("fork_exit", 8, [](uint32_t) {
		envid_t child = fork_or_panic();
		if (child == 0)
			exit();
		wait_freed(child);
	});

	// Per batch: fork a child that blocks in ipc_recv (it never touches
	// BUFFER, so every buffer page is shared and each write below copies
	// it), time one write per buffer page, then destroy and reap it.
	best_of("cow_fault", BUFFER_PAGES, [] {
		envid_t child = fork_or_panic();
		if (child == 0) {
			ipc_recv(nullptr, nullptr, nullptr);
			exit();
		}
		while (!envs[ENVX(child)].env_ipc_recving)
			sys_yield();
		// fork's fault handler counts its copies in a data page that
		// fork made copy-on-write too: take that fault now, untimed.
		*(volatile unsigned *) &fork_cow_copies = fork_cow_copies;
		unsigned copies = fork_cow_copies;
		uint64_t ticks =
			timed(BUFFER_PAGES, [](uint32_t i) { BUFFER[i * PGSIZE] = 2; });
		if (fork_cow_copies - copies != BUFFER_PAGES)
			panic("bench: %u copy-on-write copies for %u pages",
			      fork_cow_copies - copies, BUFFER_PAGES);
		reap(child);
		return ticks;
	});

	ipc_roundtrips("ipc_roundtrip", 200, false);
	ipc_roundtrips("ipc_page_roundtrip", 200, true);

	// 25 lines per batch: the warm-up batch alone fills the screen.
	static const char line[] = "console line for the bench...\n";
	static_assert(sizeof(line) - 1 == 30);
	measure("console_line", 25, [](uint32_t) { sys_cputs(line, sizeof(line) - 1); });

	// Every child is gone (reap waited for each): check, then finish.
	envid_t self = sys_getenvid();
	for (int i = 0; i < NENV; i++)
		if (envs[i].env_parent_id == self && envs[i].env_status != ENV_FREE)
			panic("bench: child %08x still alive", envs[i].env_id);
	cprintf("bench: done\n");
}
