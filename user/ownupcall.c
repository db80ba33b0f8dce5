/* ownupcall: page fault upcalls set up by hand, without
 * set_pgfault_handler.
 *
 * The program allocates its exception stack below UXSTACKTOP itself,
 * stores its handler in the library's _pgfault_handler (the pointer that
 * lib/pfentry.S calls; inc/lib.h does not declare it, so it is declared
 * here like _pgfault_upcall) and registers _pgfault_upcall with
 * sys_env_set_pgfault_upcall.  Then:
 *  1. a write to the unmapped page PAGE(0) faults; the handler, running
 *     on the exception stack, maps it and touches PAGE(1), which faults
 *     again while the first fault is being handled: the nested call sees
 *     a trap-time stack inside the exception stack, the outer one the
 *     normal stack;
 *  2. the handler pointer is switched to a second function, which must
 *     take the next fault (a read of PAGE(2));
 *  3. set_pgfault_handler(first) must keep this exception stack page and
 *     this upcall (it only replaces the handler): a read of PAGE(3);
 *  4. a loop writes into eight fresh pages with its state in registers;
 *     the upcall must bring every register back.
 * Lines: "ownupcall: exception stack at eebff000, upcall registered",
 * "ownupcall: fault 00e00000 depth 1 on the normal stack",
 * "ownupcall: fault 00e01000 depth 2 on the exception stack",
 * "ownupcall: second handler took 00e02000",
 * "ownupcall: set_pgfault_handler kept stack and upcall, took 00e03000",
 * "ownupcall: 8 faults in a loop, total 84", "ownupcall: PASS". */

#include <inc/lib.h>

extern void _pgfault_upcall(void);
extern void (*_pgfault_handler)(struct UTrapframe *utf);

#define PROG		"ownupcall"
#define BASE		0x00e00000
#define PAGE(n)		((volatile int *) (BASE + (n) * PGSIZE))
#define XSTACK		(UXSTACKTOP - PGSIZE)
#define NLOOP		8

volatile int depth, maxdepth, calls, calls2;
volatile uintptr_t seen_va[4];		/* fault va by depth of the call */
volatile int seen_where[4];		/* 1: trap-time esp on the xstack */
volatile uintptr_t second_va;

static void
fail(const char *what, uint32_t got, uint32_t want)
{
	cprintf(PROG": FAIL %s: got %08x, want %08x\n", what, got, want);
	panic("%s", what);
}

static int
on_xstack(uintptr_t a)
{
	return a >= XSTACK && a < UXSTACKTOP;
}

static int
mapped(uintptr_t va)
{
	return (uvpd[PDX(va)] & PTE_P) && (uvpt[PGNUM(va)] & PTE_P);
}

static void
map_page(uintptr_t va)
{
	int r;

	if ((r = sys_page_alloc(0, (void *) ROUNDDOWN(va, PGSIZE),
				PTE_P | PTE_U | PTE_W)) < 0)
		panic("sys_page_alloc at %08x: %e", va, r);
}

static void
first(struct UTrapframe *utf)
{
	int local;
	uintptr_t va = utf->utf_fault_va;

	calls++;
	depth++;
	if (depth > maxdepth)
		maxdepth = depth;
	if (!on_xstack((uintptr_t) utf) || !on_xstack((uintptr_t) &local))
		fail("handler not on the exception stack", (uintptr_t) &local,
		     XSTACK);
	if (va < BASE || va >= BASE + (4 + NLOOP) * PGSIZE)
		panic("unexpected fault at %08x, eip %08x", va, utf->utf_eip);
	if (depth < 4) {
		seen_va[depth] = va;
		seen_where[depth] = on_xstack(utf->utf_esp);
	}
	map_page(va);
	if (ROUNDDOWN(va, PGSIZE) == (uintptr_t) PAGE(0))
		*PAGE(1) = 1111;		/* faults again, nested */
	depth--;
}

static void
second(struct UTrapframe *utf)
{
	calls2++;
	second_va = utf->utf_fault_va;
	map_page(utf->utf_fault_va);
	*(volatile int *) ROUNDDOWN(utf->utf_fault_va, PGSIZE) = 2222;
}

void
umain(int argc, char **argv)
{
	int r, i, total, v;
	physaddr_t xpage;

	if (mapped(XSTACK) || thisenv->env_pgfault_upcall != NULL)
		fail("fresh environment already has an upcall",
		     (uintptr_t) thisenv->env_pgfault_upcall, 0);
	if ((r = sys_page_alloc(0, (void *) XSTACK, PTE_P | PTE_U | PTE_W)) < 0)
		panic("allocating the exception stack: %e", r);
	_pgfault_handler = first;
	if ((r = sys_env_set_pgfault_upcall(0, _pgfault_upcall)) < 0)
		panic("sys_env_set_pgfault_upcall: %e", r);
	if (thisenv->env_pgfault_upcall != (void *) _pgfault_upcall)
		fail("registered upcall", (uintptr_t) thisenv->env_pgfault_upcall,
		     (uintptr_t) _pgfault_upcall);
	cprintf(PROG": exception stack at %08x, upcall registered\n", XSTACK);

	/* 1: a fault, and a nested one inside its handler */
	*PAGE(0) = 1000;
	if (calls != 2 || maxdepth != 2 || depth != 0)
		fail("calls for the nested fault", calls, 2);
	if (*PAGE(0) != 1000 || *PAGE(1) != 1111)
		fail("values after the nested fault", *PAGE(0), 1000);
	for (i = 1; i <= 2; i++)
		cprintf(PROG": fault %08x depth %d on the %s stack\n",
			seen_va[i], i, seen_where[i] ? "exception" : "normal");
	if (seen_va[1] != (uintptr_t) PAGE(0) || seen_where[1] != 0)
		fail("outer fault", seen_va[1], (uintptr_t) PAGE(0));
	if (seen_va[2] != (uintptr_t) PAGE(1) || seen_where[2] != 1)
		fail("nested fault", seen_va[2], (uintptr_t) PAGE(1));

	/* 2: another handler behind the same upcall */
	_pgfault_handler = second;
	v = *PAGE(2);
	if (calls2 != 1 || calls != 2 || v != 2222)
		fail("second handler", calls2, 1);
	cprintf(PROG": second handler took %08x\n", second_va);
	if (second_va != (uintptr_t) PAGE(2))
		fail("second handler's va", second_va, (uintptr_t) PAGE(2));

	/* 3: the library's call only swaps the handler */
	xpage = PTE_ADDR(uvpt[PGNUM(XSTACK)]);
	set_pgfault_handler(first);
	if (PTE_ADDR(uvpt[PGNUM(XSTACK)]) != xpage)
		fail("exception stack page replaced",
		     PTE_ADDR(uvpt[PGNUM(XSTACK)]), xpage);
	if (thisenv->env_pgfault_upcall != (void *) _pgfault_upcall)
		fail("upcall after set_pgfault_handler",
		     (uintptr_t) thisenv->env_pgfault_upcall,
		     (uintptr_t) _pgfault_upcall);
	v = *PAGE(3);
	if (calls != 3 || calls2 != 1 || v != 0 || seen_va[1] != (uintptr_t) PAGE(3))
		fail("first handler again", calls, 3);
	cprintf(PROG": set_pgfault_handler kept stack and upcall, took %08x\n",
		seen_va[1]);

	/* 4: register state across faults */
	total = 0;
	for (i = 0; i < NLOOP; i++) {
		PAGE(4 + i)[i] = i * 3;
		total += PAGE(4 + i)[i];
	}
	if (calls != 3 + NLOOP)
		fail("faults in the loop", calls - 3, NLOOP);
	cprintf(PROG": %d faults in a loop, total %d\n", calls - 3, total);
	if (total != 84)
		fail("loop total", total, 84);

	cprintf(PROG": PASS\n");
}
