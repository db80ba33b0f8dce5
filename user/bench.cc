/* bench: the kernel's hot paths, timed with the time-stamp counter. Run by
 * `make bench` under QEMU's -icount (one virtual nanosecond per guest
 * instruction, no sleep), where the TSC advances with executed
 * instructions: the figures are deterministic, independent of the host's
 * speed or load. Prints "bench: <name> <cycles> per op" per measurement and
 * "bench: done". */

#include <inc/lib.h>
#include <inc/x86.h>

namespace {

void *const NO_PAGE = (void *) UTOP;
char *const SCRATCH = (char *) 0x10000000;   // free user address range

void report(const char *name, uint64_t cycles, uint32_t ops)
{
	cprintf("bench: %-22s %8u per op\n", name, (uint32_t) (cycles / ops));
}

// Time ops calls of body(i).
template <typename Body>
void measure(const char *name, uint32_t ops, Body body)
{
	uint64_t start = read_tsc();
	for (uint32_t i = 0; i < ops; i++)
		body(i);
	report(name, read_tsc() - start, ops);
}

void map_on_fault(UTrapframe *utf)
{
	void *page = (void *) ROUNDDOWN(utf->utf_fault_va, PGSIZE);
	int r = sys_page_alloc(0, page, PTE_P | PTE_U | PTE_W);
	if (r < 0)
		panic("bench: page fault handler: %e", r);
}

// Wait until env id has been freed.
void wait_freed(envid_t id)
{
	while (envs[ENVX(id)].env_id == id && envs[ENVX(id)].env_status != ENV_FREE)
		sys_yield();
}

} // namespace

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);

	measure("null syscall", 2000, [](uint32_t) { sys_getenvid(); });
	measure("yield (alone)", 1000, [](uint32_t) { sys_yield(); });
	measure("page alloc+unmap", 500, [](uint32_t) {
		sys_page_alloc(0, SCRATCH, PTE_P | PTE_U | PTE_W);
		sys_page_unmap(0, SCRATCH);
	});

	set_pgfault_handler(map_on_fault);
	measure("page fault upcall", 200, [](uint32_t i) {
		SCRATCH[(i + 1) * PGSIZE] = 1;   // each touch faults on a new page
	});
	for (uint32_t i = 0; i < 200; i++)
		sys_page_unmap(0, SCRATCH + (i + 1) * PGSIZE);

	measure("fork+exit+reap", 20, [](uint32_t) {
		envid_t child = fork();
		if (child < 0)
			panic("bench: fork: %e", child);
		if (child == 0)
			exit();
		wait_freed(child);
	});

	// IPC round trips with an echo child.
	envid_t echo = fork();
	if (echo < 0)
		panic("bench: fork: %e", echo);
	if (echo == 0) {
		for (;;) {
			envid_t from;
			uint32_t v = ipc_recv(&from, nullptr, nullptr);
			ipc_send(from, v + 1, NO_PAGE, 0);
		}
	}
	measure("ipc round trip", 500, [echo](uint32_t i) {
		ipc_send(echo, i, NO_PAGE, 0);
		ipc_recv(nullptr, nullptr, nullptr);
	});
	sys_env_destroy(echo);

	cprintf("bench: done\n");
}
