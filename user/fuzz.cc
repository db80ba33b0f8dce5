// fuzz: every system call against hostile arguments. Each argument either
// gets the documented -E_* code or, for a pointer the kernel must read, the
// caller is destroyed (kernel line "user_mem_check assertion failure");
// never a kernel panic, never a write into kernel memory or into another
// environment's memory, and every page and environment comes back.
//
// The root (P) keeps canary pages inside the range the fuzzers aim at,
// counts free pages and environments (hostile.hh), then runs, each in
// forked children so that it survives to report:
// 1. an audit with exact expected results: every envid class (0, own,
//    child, grandchild, parent, free slot, stale generation, negative, out
//    of range) on every call that takes one; addresses around 0, UTOP,
//    ULIM and the top of memory, unaligned ones; every permission bit;
//    every status value; out-of-range call numbers; IPC page transfers
//    with bad and good arguments to a receiving child; writable maps of
//    read-only pages; one page mapped 65535 times (pp_ref saturates);
// 2. calls that must destroy the caller: reads crossing into an unmapped
//    page, across ULIM, wrapping around 4 GiB, into the kernel, and page
//    faults with a read-only or overflowing exception stack;
// 3. random calls from fixed seeds (CHILDREN x CALLS, WAVE children at
//    once), each result checked against what the arguments allow; some
//    children end with a call that must destroy them.
// Then the canaries must be intact and the free page and env counts back.
// Prints "fuzz: PASS" or "fuzz: FAIL <what>" lines.

#include <inc/lib.h>

#include "hostile.hh"

using namespace hostile;

extern "C" char etext[];
extern "C" void _pgfault_upcall(void);

namespace {

constexpr uint32_t SEED = 0x6828f022;
constexpr int CHILDREN = 16;        // random-phase children
constexpr int WAVE = 4;             // of which this many at once
constexpr int CALLS = 4000;         // calls per child
constexpr int KIDS = 6;             // sys_exofork children per fuzzer
constexpr int REPORT_MAX = 4;       // FAIL lines per child at most
constexpr int WAIT_YIELDS = 200000; // patience for an env to go away

// ---- Address-space layout of the test ----

constexpr uintptr_t RESULTS_VA = 0x0b000000; // PTE_SHARE results page
constexpr uintptr_t FUZZ_BASE = 0x0c000000;  // pages the fuzzers aim at
constexpr int FUZZ_PAGES = 64;
constexpr int CANARIES = 8;                // P's pages among them
constexpr uintptr_t RECV_VA = 0x0d000000;  // audit: receiver's page
constexpr uintptr_t AUDIT_VA = 0x0d400000; // audit: scratch pages
constexpr uintptr_t SAT_BASE = 0x40000000; // audit: 65535 aliases
constexpr int PERM = PTE_P | PTE_U | PTE_W;
constexpr uint32_t RO = PTE_P | PTE_U; // read-only

uintptr_t canary_va(int i)
{
	return FUZZ_BASE + (8 * i + 3) * PGSIZE;
}

// A canary page's byte: one-byte x86 instructions that do nothing harmful
// (inc/dec of a register other than esp) should an exofork child of a
// fuzzer ever execute a copy.
uint8_t canary_byte(int i)
{
	constexpr uint8_t safe[] = { 0x40, 0x41, 0x42, 0x43, 0x45, 0x46, 0x47, 0x48 };
	return safe[i % sizeof(safe)];
}

// ---- Results, written by children into a page shared with P ----

struct Result {
	uint32_t started, finished, fatal_expected;
	uint32_t calls, bad;
	uint32_t last[6];             // the call in progress: number and arguments
	uint32_t per_call[NSYSCALLS]; // calls made, by number
};

struct Results {
	Result child[CHILDREN];
	Result audit;
	Result fatal[8];
	// audit receiver (C1) reports
	uint32_t recv_count, recv_value, recv_perm, recv_word, recv_writable;
	envid_t recv_from, grandchild;
};

Results *const results = (Results *) RESULTS_VA;
static_assert(sizeof(Results) <= PGSIZE);

// ---- Raw system calls (any number, any arguments) ----

int32_t raw(uint32_t num, uint32_t a1 = 0, uint32_t a2 = 0, uint32_t a3 = 0,
	    uint32_t a4 = 0, uint32_t a5 = 0)
{
	int32_t ret;
	asm volatile("int %1"
		     : "=a"(ret)
		     : "i"(T_SYSCALL), "a"(num), "d"(a1), "c"(a2), "b"(a3), "D"(a4),
		       "S"(a5)
		     : "cc", "memory");
	return ret;
}

uint32_t u(const volatile void *p)
{
	return (uint32_t) (uintptr_t) p;
}

// ---- Outcome sets: bit 0 = success (0), bit k = -k, bit 16 = positive ----

constexpr uint32_t OK = 1;
constexpr uint32_t BAD_ENV = 1 << E_BAD_ENV;
constexpr uint32_t INVAL = 1 << E_INVAL;
constexpr uint32_t NO_MEM = 1 << E_NO_MEM;
constexpr uint32_t NO_FREE_ENV = 1 << E_NO_FREE_ENV;
constexpr uint32_t NOT_RECV = 1 << E_IPC_NOT_RECV;
constexpr uint32_t POS = 1 << 16;

bool in_set(int32_t r, uint32_t set)
{
	if (r == 0)
		return set & OK;
	if (r > 0)
		return set & POS;
	return r >= -15 && (set & (1u << -r));
}

const char *sys_name(uint32_t num)
{
	return num < NSYSCALLS ? syscall_names[num] : "?";
}

// Print the wanted outcomes of set.
void print_set(uint32_t set)
{
	const char *sep = "";
	if (set & OK) {
		cprintf("0");
		sep = "|";
	}
	for (int e = 1; e < 16; e++)
		if (set & (1u << e)) {
			cprintf("%s%e", sep, -e);
			sep = "|";
		}
	if (set & POS)
		cprintf("%s>0", sep);
}

// Check a call's outcome; on a mismatch report it (at most REPORT_MAX
// lines per Result). Returns whether it matched.
bool check(Result *res, const char *who, uint32_t num, const uint32_t a[5], int32_t r,
	   uint32_t want)
{
	res->calls++;
	if (in_set(r, want))
		return true;
	if (res->bad++ < (uint32_t) REPORT_MAX) {
		cprintf("fuzz: FAIL %s: %s(%x, %x, %x, %x, %x) [call %u] returned ", who,
			sys_name(num), a[0], a[1], a[2], a[3], a[4], num);
		if (r < 0)
			cprintf("%e, want ", r);
		else
			cprintf("%d, want ", r);
		print_set(want);
		cprintf("\n");
	}
	return false;
}

// Make a call with arguments a, remembering it in res->last first (if the
// kernel kills us, P can say which call it was), and check the outcome.
int32_t call(Result *res, const char *who, uint32_t num, const uint32_t a[5],
	     uint32_t want)
{
	res->last[0] = num;
	for (int i = 0; i < 5; i++)
		res->last[i + 1] = a[i];
	if (num < NSYSCALLS)
		res->per_call[num]++;
	int32_t r = raw(num, a[0], a[1], a[2], a[3], a[4]);
	check(res, who, num, a, r, want);
	return r;
}

// A failed expectation that is not a single call's outcome.
void fail(Result *res, const char *who, const char *what, uint32_t x = 0)
{
	res->calls++;
	if (res->bad++ < (uint32_t) REPORT_MAX)
		cprintf("fuzz: FAIL %s: %s (%x)\n", who, what, x);
}

// ---- Facts about our own address space (through UVPT) ----

pte_t pte_of(uintptr_t va)
{
	if (!(uvpd[PDX(va)] & PTE_P))
		return 0;
	return uvpt[PGNUM(va)];
}

bool mapped(uintptr_t va)
{
	return pte_of(va) & PTE_P;
}

bool page_va_ok(uintptr_t va)
{
	return va < UTOP && va % PGSIZE == 0;
}

bool perm_ok(uint32_t perm)
{
	return (perm & (PTE_P | PTE_U)) == (PTE_P | PTE_U) && (perm & ~PTE_SYSCALL) == 0;
}

// Could the kernel read [va, va + len) on our behalf (user_mem_check with
// PTE_U)? The same walk the kernel does, through UVPT.
bool user_readable(uintptr_t va, uint32_t len)
{
	if (len == 0)
		return true;
	uintptr_t last = va + len - 1;
	if (last < va)
		return false;
	for (uintptr_t p = ROUNDDOWN(va, PGSIZE);; p += PGSIZE) {
		if (p >= ULIM || (pte_of(p) & (PTE_P | PTE_U)) != (PTE_P | PTE_U))
			return false;
		if (p >= ROUNDDOWN(last, PGSIZE))
			return true;
	}
}

// Pages a fuzzer must not unmap or replace in its own address space: its
// program, its stack and the results page.
bool protected_va(uintptr_t va)
{
	uintptr_t p = ROUNDDOWN(va, PGSIZE);
	return (p >= UTEXT && p < ROUNDUP((uintptr_t) end, PGSIZE)) ||
	       (p >= USTACKTOP - 8 * PGSIZE && p < USTACKTOP) || p == RESULTS_VA;
}

// Wait (yielding, bounded) until env id is gone.
bool wait_gone(envid_t id)
{
	for (int i = 0; i < WAIT_YIELDS; i++) {
		if (env_gone(id))
			return true;
		sys_yield();
	}
	return false;
}

// ---- 1. Audit: exact expectations ----

const char AUDIT[] = "audit";

// The audit's receiving child C1: record each message in results; value
// 0xdead means destroy our child G and exit.
[[noreturn]] void audit_receiver(void)
{
	envid_t g = sys_exofork();
	if (g == 0)
		exit(); // never runs: G stays ENV_NOT_RUNNABLE
	results->grandchild = g;
	for (;;) {
		if (raw(SYS_ipc_recv, RECV_VA) != 0)
			continue;
		uint32_t perm = thisenv->env_ipc_perm;
		results->recv_value = thisenv->env_ipc_value;
		results->recv_from = thisenv->env_ipc_from;
		results->recv_perm = perm;
		results->recv_word = perm ? *(volatile uint32_t *) RECV_VA : 0;
		results->recv_writable = perm ? (pte_of(RECV_VA) & PTE_W) != 0 : 0;
		if (perm)
			sys_page_unmap(0, (void *) RECV_VA);
		if (thisenv->env_ipc_value == 0xdead) {
			sys_env_destroy(g);
			results->recv_count++;
			exit();
		}
		results->recv_count++;
	}
}

// One envid the audit tries on every call that takes one.
struct AuditId {
	envid_t id;
	bool ours;   // the caller itself or its child
	bool exists; // an environment with this id exists
	const char *what;
};

struct Auditor {
	Result *res = &results->audit;
	envid_t self, parent, c1, e1, g;

	int32_t expect(uint32_t num, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4,
		       uint32_t a5, uint32_t want)
	{
		const uint32_t a[5] = { a1, a2, a3, a4, a5 };
		return call(res, AUDIT, num, a, want);
	}

	// Wait until C1 has handled n messages and is receiving again.
	bool wait_receiver(uint32_t n)
	{
		for (int i = 0; i < WAIT_YIELDS; i++) {
			if (results->recv_count >= n &&
			    (results->recv_count > n || envs[ENVX(c1)].env_ipc_recving ||
			     env_gone(c1)))
				return results->recv_count == n;
			sys_yield();
		}
		return false;
	}

	void envid_page_calls(const AuditId &x, uint32_t ok);
	void envid_upcall(const AuditId &x, uint32_t ok, uint32_t upcall0);
	void envid_status(const AuditId &x, uint32_t ok);
	void envid_sends(const AuditId &x);
	void envids(void);
	void addresses(void);
	void permissions(void);
	void readonly_maps(void);
	void statuses(void);
	void numbers(void);
	void ipc(void);
	void saturate(void);
	void run(void);
};

// The last id of a free slot that was used before, and a first-generation
// id of one that never was (-1 where there is none).
void free_slot_ids(envid_t *used, envid_t *fresh)
{
	*used = *fresh = -1;
	for (int i = NENV - 1; i >= 0; i--)
		if (envs[i].env_status == ENV_FREE) {
			if (envs[i].env_id == 0 && *fresh == -1)
				*fresh = 0x1000 | i;
			if (envs[i].env_id != 0 && *used == -1)
				*used = envs[i].env_id;
		}
}

// Page calls naming x.id as either side; ok is what they must return.
void Auditor::envid_page_calls(const AuditId &x, uint32_t ok)
{
	uint32_t id = x.id;
	expect(SYS_page_alloc, id, AUDIT_VA, PERM, 0, 0, ok);
	expect(SYS_page_map, 0, FUZZ_BASE, id, AUDIT_VA + PGSIZE, PTE_P | PTE_U, ok);
	expect(SYS_page_map, id, AUDIT_VA, 0, AUDIT_VA + 2 * PGSIZE, PTE_P | PTE_U, ok);
	expect(SYS_page_unmap, id, AUDIT_VA, 0, 0, 0, ok);
	expect(SYS_page_unmap, id, AUDIT_VA + PGSIZE, 0, 0, 0, ok);
	sys_page_unmap(0, (void *) (AUDIT_VA + 2 * PGSIZE));
}

// Set x.id's upcall and, if that worked, put back the one it had
// (upcall0 for ourselves).
void Auditor::envid_upcall(const AuditId &x, uint32_t ok, uint32_t upcall0)
{
	if (expect(SYS_env_set_pgfault_upcall, x.id, 0xdeadbeef, 0, 0, 0, ok) != 0)
		return;
	envid_t real = x.id ? x.id : self;
	if ((uint32_t) envs[ENVX(real)].env_pgfault_upcall != 0xdeadbeef)
		fail(res, AUDIT, "upcall not set", real);
	sys_env_set_pgfault_upcall(real, real == self ? (void *) upcall0
						      : (void *) _pgfault_upcall);
}

void Auditor::envid_status(const AuditId &x, uint32_t ok)
{
	uint32_t id = x.id;
	if (x.id == 0 || x.id == self) {
		expect(SYS_env_set_status, id, ENV_RUNNABLE, 0, 0, 0, OK);
	} else if (x.id == c1) {
		// C1 waits in sys_ipc_recv: a stop would outlast the wake, so
		// cancel it; making it runnable again, with no stop to cancel,
		// is refused (it wakes when a message moves).
		if (!wait_receiver(results->recv_count))
			fail(res, AUDIT, "receiver not receiving", results->recv_count);
		expect(SYS_env_set_status, id, ENV_NOT_RUNNABLE, 0, 0, 0, OK);
		expect(SYS_env_set_status, id, ENV_RUNNABLE, 0, 0, 0, OK);
		expect(SYS_env_set_status, id, ENV_RUNNABLE, 0, 0, 0, INVAL);
	} else {
		expect(SYS_env_set_status, id, ENV_NOT_RUNNABLE, 0, 0, 0, ok);
	}
}

// Both sends to x.id. Anyone may be sent to; nobody listed is receiving
// but C1.
void Auditor::envid_sends(const AuditId &x)
{
	uint32_t id = x.id;
	if (x.id == c1) {
		uint32_t n = results->recv_count;
		expect(SYS_ipc_try_send, id, 7, UTOP, 0, 0, OK);
		if (!wait_receiver(n + 1) || results->recv_value != 7)
			fail(res, AUDIT, "receiver did not get value 7",
			     results->recv_value);
	} else {
		expect(SYS_ipc_try_send, id, 7, UTOP, 0, 0,
		       x.exists ? NOT_RECV : BAD_ENV);
	}
	// Blocking send: never to ourselves; to anyone else who exists but C1
	// only with a bad page, which is refused before the sender could
	// sleep (a good one would wait for a receive that never comes).
	if (x.id == 0 || x.id == self) {
		expect(SYS_ipc_send, id, 8, UTOP, 0, 0, INVAL);
	} else if (x.id == c1) {
		uint32_t n = results->recv_count;
		expect(SYS_ipc_send, id, 8, UTOP, 0, 0, OK);
		if (!wait_receiver(n + 1) || results->recv_value != 8)
			fail(res, AUDIT, "receiver did not get value 8",
			     results->recv_value);
	} else if (x.exists) {
		expect(SYS_ipc_send, id, 8, FUZZ_BASE + 1, PTE_P | PTE_U, 0, INVAL);
	} else {
		expect(SYS_ipc_send, id, 8, UTOP, 0, 0, BAD_ENV);
	}
}

// Every envid class on every call that takes an envid.
void Auditor::envids(void)
{
	// A stale id: a destroyed child whose slot was reused at once.
	envid_t d = sys_exofork();
	if (d <= 0) {
		fail(res, AUDIT, "sys_exofork", d);
		return;
	}
	expect(SYS_env_destroy, d, 0, 0, 0, 0, OK);
	envid_t d2 = sys_exofork();
	if (d2 <= 0 || ENVX(d2) != ENVX(d) || d2 == d)
		fail(res, AUDIT, "freed slot not reused first with a new generation", d2);

	envid_t free_used, free_fresh;
	free_slot_ids(&free_used, &free_fresh);
	const AuditId ids[] = {
		{ 0, true, true, "0 (self)" },
		{ self, true, true, "own id" },
		{ c1, true, true, "child" },
		{ e1, true, true, "exofork child" },
		{ g, false, true, "grandchild" },
		{ parent, false, true, "parent" },
		{ free_fresh, false, false, "free slot" },
		{ free_used, false, false, "freed slot's old id" },
		{ d, false, false, "stale generation" },
		{ (envid_t) ((uint32_t) self + 0x1000), false, false,
		  "own slot, next generation" },
		{ -1, false, false, "-1" },
		{ (envid_t) 0x80000000, false, false, "INT_MIN" },
		{ -(envid_t) self, false, false, "-own id" },
		{ NENV, false, false, "NENV" },
		{ 0x7fffffff, false, false, "INT_MAX" },
		{ (envid_t) (0x1000 | (NENV - 1)) + 1, false, false,
		  "past the last slot" },
	};
	uint32_t upcall0 = (uint32_t) envs[ENVX(self)].env_pgfault_upcall;
	for (const AuditId &x : ids) {
		if (x.id == -1 && x.what[0] != '-')
			continue; // no such free slot found
		uint32_t ok = x.ours ? OK : BAD_ENV;
		envid_page_calls(x, ok);
		envid_upcall(x, ok, upcall0);
		envid_status(x, ok);
		envid_sends(x);
		// Destroy: only what must fail (never the parent, not ourselves).
		if (!x.ours && x.id != parent)
			expect(SYS_env_destroy, x.id, 0, 0, 0, 0, BAD_ENV);
	}
	expect(SYS_env_destroy, d2, 0, 0, 0, 0, OK);
	if (!wait_gone(d2))
		fail(res, AUDIT, "destroyed child not freed", d2);
}

// Addresses at every boundary.
void Auditor::addresses(void)
{
	struct Va {
		uint32_t va;
		bool ok;
	} vas[] = {
		{ 0, true },
		{ 1, false },
		{ PGSIZE - 1, false },
		{ PGSIZE, true },
		{ 0x80000000, true },
		{ USTACKTOP, true },     // the guard page below the exception stack
		{ UTOP - PGSIZE, true }, // the exception stack itself
		{ UTOP - 1, false },
		{ UTOP, false },
		{ UTOP + PGSIZE, false },
		{ UVPT, false },
		{ UPAGES, false },
		{ ULIM - PGSIZE, false },
		{ ULIM, false },
		{ KERNBASE, false },
		{ 0xf0100000, false },
		{ 0xfffff000, false },
		{ 0xffffffff, false },
	};
	uint32_t xstack = UTOP - PGSIZE;
	uint32_t xperm = pte_of(xstack) & PTE_SYSCALL;
	for (const Va &v : vas) {
		uint32_t want = v.ok ? OK : INVAL;
		if (expect(SYS_page_alloc, 0, v.va, PERM, 0, 0, want) == 0) {
			if ((pte_of(v.va) & (PERM | PTE_SYSCALL)) != (uint32_t) PERM)
				fail(res, AUDIT, "page_alloc: wrong mapping at", v.va);
			if (*(volatile uint32_t *) v.va != 0 ||
			    *(volatile uint32_t *) (v.va + PGSIZE - 4) != 0)
				fail(res, AUDIT, "page_alloc: page not zeroed at", v.va);
		}
		expect(SYS_page_map, 0, FUZZ_BASE, 0, v.va, PTE_P | PTE_U, want);
		if (v.ok && PTE_ADDR(pte_of(v.va)) != PTE_ADDR(pte_of(FUZZ_BASE)))
			fail(res, AUDIT, "page_map: not the source page at", v.va);
		expect(SYS_page_map, 0, v.va, 0, AUDIT_VA, PTE_P | PTE_U, want);
		expect(SYS_page_unmap, 0, v.va, 0, 0, 0, want);
		if (v.ok && mapped(v.va))
			fail(res, AUDIT, "page_unmap: still mapped", v.va);
		// Now unmapped: as a source it must fail even if valid.
		expect(SYS_page_map, 0, v.va, 0, AUDIT_VA, PTE_P | PTE_U, INVAL);
		// Unaligned below UTOP: refused at once (any other value
		// would block).
		uint32_t rva = v.ok ? v.va + 1 : v.va;
		if (rva < UTOP)
			expect(SYS_ipc_recv, rva, 0, 0, 0, 0, INVAL);
	}
	sys_page_unmap(0, (void *) AUDIT_VA);
	// Put our exception stack back.
	sys_page_alloc(0, (void *) xstack, xperm ? xperm : PERM);
}

// Every permission bit.
void Auditor::permissions(void)
{
	const uint32_t P = PTE_P, U = PTE_U, W = PTE_W;
	struct Perm {
		uint32_t perm;
		bool ok;
	} perms[] = {
		{ 0, false },
		{ P, false },
		{ U, false },
		{ W, false },
		{ P | W, false },
		{ U | W, false },
		{ P | U, true },
		{ P | U | W, true },
		{ P | U | 0x200, true },
		{ P | U | W | PTE_SHARE, true },
		{ P | U | PTE_COW, true },
		{ PTE_SYSCALL, true },
		{ P | U | PTE_PWT, false },
		{ P | U | PTE_PCD, false },
		{ P | U | PTE_A, false },
		{ P | U | PTE_D, false },
		{ P | U | PTE_PS, false },
		{ P | U | PTE_G, false },
		{ P | U | 0x1000, false },
		{ 0xffffffff, false },
		{ 0x80000005, false },
		{ P | U | W | 0xfffff000, false },
	};
	for (const Perm &p : perms) {
		uint32_t want = p.ok ? OK : INVAL;
		if (expect(SYS_page_alloc, 0, AUDIT_VA, p.perm, 0, 0, want) == 0 &&
		    (pte_of(AUDIT_VA) & PTE_SYSCALL) != p.perm)
			fail(res, AUDIT, "page_alloc: permissions not as asked", p.perm);
		if (!p.ok && mapped(AUDIT_VA))
			fail(res, AUDIT, "page_alloc with bad perm mapped a page",
			     p.perm);
		sys_page_unmap(0, (void *) AUDIT_VA);
		sys_page_alloc(0, (void *) AUDIT_VA, PERM);
		if (expect(SYS_page_map, 0, AUDIT_VA, 0, AUDIT_VA + PGSIZE, p.perm,
			   want) == 0 &&
		    (pte_of(AUDIT_VA + PGSIZE) & PTE_SYSCALL) != p.perm)
			fail(res, AUDIT, "page_map: permissions not as asked", p.perm);
		sys_page_unmap(0, (void *) AUDIT_VA);
		sys_page_unmap(0, (void *) (AUDIT_VA + PGSIZE));
	}
}

// Writable maps of read-only pages.
void Auditor::readonly_maps(void)
{
	uint32_t text = UTEXT;
	uint32_t dst = AUDIT_VA, ro1 = AUDIT_VA + PGSIZE, ro2 = AUDIT_VA + 2 * PGSIZE;
	// Our text is read-only and shared with P: never writable.
	expect(SYS_page_map, 0, text, 0, dst, PERM, INVAL);
	expect(SYS_page_map, 0, text, 0, text, PERM, INVAL);
	if (pte_of(text) & PTE_W)
		fail(res, AUDIT, "text page became writable", text);
	// A read-only page nobody else maps: only its own mapping, in
	// place, may become writable (fork's copy-on-write remap).
	sys_page_alloc(0, (void *) ro1, RO);
	expect(SYS_page_map, 0, ro1, 0, dst, PERM, INVAL);
	expect(SYS_page_map, 0, ro1, parent, ro1, PERM, BAD_ENV);
	expect(SYS_page_map, 0, ro1, 0, ro1, PERM, OK);
	if (!(pte_of(ro1) & PTE_W))
		fail(res, AUDIT, "sole read-only page not made writable", ro1);
	// Mapped twice: no longer sole, never writable.
	sys_page_alloc(0, (void *) ro2, RO);
	sys_page_map(0, (void *) ro2, 0, (void *) dst, RO);
	expect(SYS_page_map, 0, ro2, 0, ro2, PERM, INVAL);
	expect(SYS_page_map, 0, dst, 0, dst, PERM, INVAL);
	// Into a child, from a read-only page: the same rule.
	expect(SYS_page_map, 0, ro2, e1, ro2, PERM, INVAL);
	expect(SYS_page_map, 0, ro2, e1, ro2, RO, OK);
	expect(SYS_page_map, e1, ro2, e1, ro2, PERM, INVAL);
	// Nothing mapped at the source in the child.
	expect(SYS_page_map, e1, FUZZ_BASE, 0, dst, RO, INVAL);
	const uint32_t used[] = { dst, ro1, ro2 };
	for (uint32_t va : used)
		sys_page_unmap(0, (void *) va);
	sys_page_unmap(e1, (void *) ro2);
}

// Every status value.
void Auditor::statuses(void)
{
	const uint32_t bad[] = { ENV_FREE,
				 ENV_DYING,
				 ENV_RUNNING,
				 5,
				 0xffffffff,
				 0x100 | ENV_RUNNABLE,
				 0x80000000 | ENV_NOT_RUNNABLE };
	for (uint32_t s : bad) {
		expect(SYS_env_set_status, e1, s, 0, 0, 0, INVAL);
		expect(SYS_env_set_status, 0, s, 0, 0, 0, INVAL);
		expect(SYS_env_set_status, 0xbad, s, 0, 0, 0, INVAL | BAD_ENV);
	}
	if (envs[ENVX(e1)].env_status != ENV_NOT_RUNNABLE)
		fail(res, AUDIT, "exofork child's status changed",
		     envs[ENVX(e1)].env_status);
	expect(SYS_env_set_status, e1, ENV_NOT_RUNNABLE, 0, 0, 0, OK);
	// Run the empty child: it faults at once ("user fault va 008...")
	// and is destroyed; its id goes stale.
	expect(SYS_env_set_status, e1, ENV_RUNNABLE, 0, 0, 0, OK);
	if (!wait_gone(e1))
		fail(res, AUDIT, "empty child did not die", e1);
	expect(SYS_env_set_status, e1, ENV_RUNNABLE, 0, 0, 0, BAD_ENV);
	expect(SYS_env_destroy, e1, 0, 0, 0, 0, BAD_ENV);
}

// Call numbers, and the calls with no arguments to get wrong.
void Auditor::numbers(void)
{
	const uint32_t nums[] = { NSYSCALLS,  NSYSCALLS + 1,        64,
				  256,        0x7fffffff,           0x80000000,
				  0xffffffff, (uint32_t) -NSYSCALLS };
	for (uint32_t n : nums)
		expect(n, 1, 2, 3, 4, 5, INVAL);
	expect(SYS_getenvid, 0, 0, 0, 0, 0, POS);
	if (raw(SYS_getenvid) != self)
		fail(res, AUDIT, "getenvid", raw(SYS_getenvid));
	expect(SYS_cgetc, 0, 0, 0, 0, 0, OK | POS);
	// Zero-length output is valid from any address.
	const uint32_t anywhere[] = { 0, 0xffffffff, KERNBASE, ULIM - 1 };
	for (uint32_t va : anywhere)
		expect(SYS_cputs, va, 0, 0, 0, 0, OK);
}

// IPC to a receiving child, bad and good arguments.
void Auditor::ipc(void)
{
	uint32_t src = AUDIT_VA;
	sys_page_alloc(0, (void *) src, PERM);
	*(volatile uint32_t *) src = 0x1badcafe;
	uint32_t n = results->recv_count;
	if (!wait_receiver(n))
		fail(res, AUDIT, "receiver not receiving", n);

	struct Bad {
		uint32_t va, perm;
	} bad[] = {
		{ src + 1, RO },     { src + PGSIZE, RO }, // unaligned, unmapped
		{ src, 0 },          { src, PTE_P },
		{ src, PTE_U },      { src, RO | PTE_PCD },
		{ src, 0xffffffff }, { UTEXT, PERM }, // bad perms, W on read-only
		{ UTOP - 1, RO },
	};
	for (const Bad &b : bad) {
		expect(SYS_ipc_try_send, c1, 1, b.va, b.perm, 0, INVAL);
		expect(SYS_ipc_send, c1, 1, b.va, b.perm, 0, INVAL);
	}
	if (results->recv_count != n || !envs[ENVX(c1)].env_ipc_recving)
		fail(res, AUDIT, "receiver woken by a failed send", results->recv_count);

	// No page (srcva >= UTOP): perm is ignored, the receiver gets perm 0.
	const uint32_t no_page[] = { UTOP, 0xfffff000, 0xffffffff };
	for (uint32_t va : no_page) {
		expect(SYS_ipc_try_send, c1, 2, va, 0xffffffff, 0, OK);
		if (!wait_receiver(++n) || results->recv_perm != 0 ||
		    results->recv_value != 2 || results->recv_from != self)
			fail(res, AUDIT, "no-page message received wrong",
			     results->recv_perm);
	}
	// A writable page, and a read-only one.
	expect(SYS_ipc_try_send, c1, 3, src, PERM, 0, OK);
	if (!wait_receiver(++n) || results->recv_perm != (uint32_t) PERM ||
	    results->recv_word != 0x1badcafe || !results->recv_writable)
		fail(res, AUDIT, "writable page received wrong", results->recv_word);
	expect(SYS_ipc_try_send, c1, 4, UTEXT, RO, 0, OK);
	if (!wait_receiver(++n) || results->recv_perm != RO ||
	    results->recv_word != *(volatile uint32_t *) UTEXT || results->recv_writable)
		fail(res, AUDIT, "read-only page received wrong", results->recv_word);
	// Not receiving right now: ourselves.
	expect(SYS_ipc_try_send, 0, 5, src, RO, 0, NOT_RECV);

	// Blocking sends: a page, then two messages in a row, the second of
	// which may find C1 still busy with the first and sleep until C1
	// receives again. Never to ourselves.
	expect(SYS_ipc_send, c1, 6, src, PERM, 0, OK);
	if (!wait_receiver(++n) || results->recv_value != 6 ||
	    results->recv_perm != (uint32_t) PERM || results->recv_word != 0x1badcafe ||
	    !results->recv_writable)
		fail(res, AUDIT, "page sent by ipc_send received wrong",
		     results->recv_word);
	expect(SYS_ipc_send, c1, 7, UTOP, 0, 0, OK);
	expect(SYS_ipc_send, c1, 8, UTOP, 0, 0, OK);
	n += 2;
	if (!wait_receiver(n) || results->recv_value != 8 || results->recv_from != self)
		fail(res, AUDIT, "second blocking send received wrong",
		     results->recv_value);
	expect(SYS_ipc_send, 0, 5, src, RO, 0, INVAL);
	sys_page_unmap(0, (void *) src);
}

// One page mapped at 65535 addresses: pp_ref (16 bits) must saturate
// with -E_NO_MEM, not wrap around and free the page while it is mapped.
void Auditor::saturate(void)
{
	uint32_t page = AUDIT_VA;
	sys_page_alloc(0, (void *) page, PTE_P | PTE_U);
	const volatile PageInfo *pp = &pages[PGNUM(PTE_ADDR(pte_of(page)))];
	int n = 0, r;
	while ((r = sys_page_map(0, (void *) page, 0, (void *) (SAT_BASE + n * PGSIZE),
				 PTE_P | PTE_U)) == 0 &&
	       n < 70000)
		n++;
	if (r != -E_NO_MEM || n != 0xffff - 1 || pp->pp_ref != 0xffff) {
		cprintf("fuzz: FAIL audit: mapped one page %d more times (then %e), "
			"pp_ref %u; want 65534 then %e, pp_ref 65535\n",
			n, r, pp->pp_ref, -E_NO_MEM);
		res->bad++;
	}
	// Changing the permissions of an existing mapping needs no reference.
	expect(SYS_page_map, 0, page, 0, page, PTE_P | PTE_U | PTE_AVAIL, OK);
	sys_page_unmap(0, (void *) page);
	if (pp->pp_ref != 0xffff - 1)
		fail(res, AUDIT, "pp_ref after unmapping one alias", pp->pp_ref);
	// The other aliases (64 page tables of them) go when we exit: P's
	// final page count checks that env_free gives everything back.
}

void Auditor::run(void)
{
	self = sys_getenvid();
	parent = thisenv->env_parent_id;
	results->recv_count = 0;
	results->grandchild = 0;
	c1 = fork();
	if (c1 == 0)
		audit_receiver();
	e1 = sys_exofork();
	if (c1 < 0 || e1 <= 0) {
		fail(res, AUDIT, "fork/exofork", c1 < 0 ? c1 : e1);
		return;
	}
	for (int i = 0; i < WAIT_YIELDS && !results->grandchild; i++)
		sys_yield();
	g = results->grandchild;
	sys_page_alloc(0, (void *) FUZZ_BASE, PERM); // a source page

	envids();
	addresses();
	permissions();
	readonly_maps();
	numbers();
	ipc();
	statuses();
	saturate();

	uint32_t n = results->recv_count;
	expect(SYS_ipc_try_send, c1, 0xdead, UTOP, 0, 0, OK);
	if (!wait_receiver(n + 1) || !wait_gone(c1) || !wait_gone(g))
		fail(res, AUDIT, "receiver and grandchild did not go away", c1);
	sys_page_unmap(0, (void *) FUZZ_BASE);
}

// ---- 2. Calls that must destroy the caller ----

void recurse_fault(UTrapframe *)
{
	*(volatile int *) 0 = 0;
}

constexpr int FATAL = 7;

// Run fatal scenario k (in a child of P). Does not return if the kernel
// does its job.
void fatal(int k)
{
	switch (k) {
	case 0: // the second byte is on an unmapped page
		sys_page_alloc(0, (void *) AUDIT_VA, RO);
		sys_cputs((const char *) (AUDIT_VA + PGSIZE - 1), 2);
		break;
	case 1: // across ULIM
		sys_cputs((const char *) (ULIM - 1), 2);
		break;
	case 2: // va + len wraps around 4 GiB
		sys_cputs((const char *) UTEXT, 0xffffffff);
		break;
	case 3: // at the top of memory, wrapping
		sys_cputs((const char *) 0xfffff000, 0x2000);
		break;
	case 4: // kernel memory
		sys_cputs((const char *) KERNBASE, 1);
		break;
	case 5: // a page fault whose exception stack is read-only: the
		// kernel must not write the UTrapframe there
		sys_page_alloc(0, (void *) (UXSTACKTOP - PGSIZE), RO);
		sys_env_set_pgfault_upcall(0, (void *) _pgfault_upcall);
		*(volatile int *) 0 = 0;
		break;
	case 6: // a handler that faults again until the exception stack
		// overflows
		set_pgfault_handler(recurse_fault);
		*(volatile int *) 0 = 0;
		break;
	}
}

// ---- 3. Random calls ----

struct Kid {
	envid_t id;
	enum { none, paused, running, dead } state;
};

struct Fuzzer {
	Rng rng;
	Result *res;
	char who[16];
	envid_t self, parent;
	Kid kids[KIDS] = {};

	envid_t random_envid(void);
	uint32_t random_va(void);
	uint32_t random_perm(void);
	uint32_t classify(envid_t id); // OK, BAD_ENV, or OK|BAD_ENV
	void forget_dead_kids(void);
	void end_kid(Kid *k);
	envid_t dead_envid(void);
	void destroy_call(uint32_t a[5]);
	void page_alloc_call(uint32_t a[5]);
	uint32_t page_map_want(envid_t src, envid_t dst, const uint32_t a[5]);
	void page_map_call(uint32_t a[5]);
	void page_unmap_call(uint32_t a[5]);
	void exofork_call(uint32_t a[5]);
	void set_status_call(uint32_t a[5]);
	void set_upcall_call(uint32_t a[5]);
	void ipc_send_call(uint32_t a[5]);
	void bad_number_call(uint32_t a[5]);
	void one_call(void);
	void last_call(void);
	void run(int idx, envid_t parent_id, uint32_t seed);
};

envid_t Fuzzer::random_envid(void)
{
	switch (rng.below(14)) {
	case 0:
		return 0;
	case 1:
		return self;
	case 2:
	case 3:
	case 4: {
		Kid &k = kids[rng.below(KIDS)];
		return k.state != Kid::none ? k.id : self;
	}
	case 5:
		return parent;
	case 6: { // a sibling, or anyone
		uint32_t i = rng.below(NENV);
		return envs[i].env_id;
	}
	case 7:
		return 0x1000 | rng.below(NENV); // some slot, first generation
	case 8:
		return self + 0x1000 * (1 + rng.below(3));
	case 9:
		return -(envid_t) rng.below(3) - 1;
	case 10:
		return (envid_t) 0x80000000 | rng.below(NENV);
	case 11:
		return NENV + rng.below(NENV);
	default:
		return (envid_t) rng.next();
	}
}

uint32_t Fuzzer::random_va(void)
{
	static constexpr uint32_t special[] = {
		0,          PGSIZE,     PTSIZE,
		0x80000000, USTACKTOP,  UXSTACKTOP - PGSIZE, // PTSIZE: UTEMP
		UTOP - 1,   UTOP,       UTOP + PGSIZE,
		UVPT,       UPAGES,     ULIM - PGSIZE,
		ULIM,       KERNBASE,   0xf0100000,
		0xfffff000, 0xffffffff, 1,
		0xfff,
	};
	uint32_t va;
	switch (rng.below(10)) {
	case 0:
	case 1:
	case 2:
	case 3:
		va = FUZZ_BASE + rng.below(FUZZ_PAGES) * PGSIZE;
		break;
	case 4:
		va = FUZZ_BASE + rng.below(FUZZ_PAGES * PGSIZE);
		break;
	case 5:
	case 6:
	case 7:
		va = special[rng.below(sizeof(special) / sizeof(special[0]))];
		break;
	case 8:
		va = ROUNDDOWN(rng.below(UTOP), PGSIZE);
		break;
	default:
		va = rng.next();
	}
	return protected_va(va) ? FUZZ_BASE : va;
}

uint32_t Fuzzer::random_perm(void)
{
	static constexpr uint32_t pool[] = {
		PTE_P | PTE_U,
		PTE_P | PTE_U | PTE_W,
		PTE_P | PTE_U | PTE_W | PTE_SHARE,
		PTE_P | PTE_U | PTE_COW,
		PTE_SYSCALL,
		0,
		PTE_P,
		PTE_U | PTE_W,
		PTE_P | PTE_U | PTE_PCD,
		PTE_P | PTE_U | PTE_G,
		PTE_P | PTE_U | PTE_PS,
		0xffffffff,
	};
	if (rng.chance(10))
		return rng.next();
	return pool[rng.below(sizeof(pool) / sizeof(pool[0]))];
}

// What an envid-checked call (the caller or its child allowed) may say
// about id: OK, BAD_ENV, or either while a kid of ours may be dying.
uint32_t Fuzzer::classify(envid_t id)
{
	if (id == 0 || id == self)
		return OK;
	for (Kid &k : kids)
		if (k.state != Kid::none && k.id == id) {
			if (k.state == Kid::paused)
				return OK;
			return env_gone(id) ? BAD_ENV : OK | BAD_ENV;
		}
	return BAD_ENV;
}

void Fuzzer::forget_dead_kids(void)
{
	for (Kid &k : kids)
		if (k.state != Kid::none && k.state != Kid::paused && env_gone(k.id))
			k.state = Kid::none;
}

// Destroy kid k (once) and wait until it is freed. A kid that was made
// runnable destroys itself by faulting; give it time first.
void Fuzzer::end_kid(Kid *k)
{
	if (k->state == Kid::running)
		for (int i = 0; i < 100 && !env_gone(k->id); i++)
			sys_yield();
	if (!env_gone(k->id)) {
		const uint32_t a[5] = { (uint32_t) k->id };
		call(res, who, SYS_env_destroy, a,
		     k->state == Kid::paused ? OK : OK | BAD_ENV);
	}
	if (!wait_gone(k->id))
		fail(res, who, "destroyed child not freed", k->id);
	k->state = Kid::none;
}

// An id no environment can have while we live: our own slot under another
// generation, a negative id, or one with the bits between index and
// generation set (inc/envid.h).
envid_t Fuzzer::dead_envid(void)
{
	switch (rng.below(3)) {
	case 0:
		return self + 0x1000 * (1 + rng.below(3)); // may wrap negative
	case 1:
		return -1 - (envid_t) rng.below(NENV);
	default:
		return (envid_t) (rng.next() | 0xc00);
	}
}

// sys_ipc_send, which sleeps until the target receives, and no fuzzer's
// target ever receives: only calls that cannot sleep. To ourselves it is
// refused; with a page it would refuse to any target, the target decides
// (it may die meanwhile); with an acceptable page or none, only to ids that
// cannot exist.
void Fuzzer::ipc_send_call(uint32_t a[5])
{
	envid_t id = random_envid();
	a[2] = random_va();
	a[3] = random_perm();
	pte_t p = pte_of(a[2]);
	bool bad_page = a[2] < UTOP && (a[2] % PGSIZE != 0 || !perm_ok(a[3]) ||
					!(p & PTE_P) || ((a[3] & PTE_W) && !(p & PTE_W)));
	uint32_t want;
	if (id == 0 || id == self) {
		want = INVAL;
	} else if (bad_page) {
		want = INVAL | BAD_ENV;
	} else {
		id = dead_envid();
		want = BAD_ENV;
	}
	a[0] = id;
	call(res, who, SYS_ipc_send, a, want);
}

// env_destroy: never ourselves or P; one of our kids goes through end_kid.
void Fuzzer::destroy_call(uint32_t a[5])
{
	envid_t id = random_envid();
	for (Kid &k : kids)
		if (k.state != Kid::none && k.id == id) {
			end_kid(&k);
			return;
		}
	if (id == 0 || id == self || id == parent)
		id = self ^ 0x40000000;
	a[0] = id;
	call(res, who, SYS_env_destroy, a, classify(id));
}

void Fuzzer::page_alloc_call(uint32_t a[5])
{
	envid_t id = random_envid();
	a[0] = id;
	a[1] = random_va();
	a[2] = random_perm();
	uint32_t want = classify(id);
	if (!page_va_ok(a[1]) || !perm_ok(a[2]))
		want = (want & BAD_ENV) | INVAL;
	else if (want & OK)
		want |= NO_MEM;
	if (call(res, who, SYS_page_alloc, a, want) == 0 && (id == 0 || id == self) &&
	    (pte_of(a[1]) & PTE_SYSCALL) != a[2])
		fail(res, who, "page_alloc: mapping not as asked", a[1]);
}

// What sys_page_map(a[0] = src, a[1], a[2] = dst, a[3], a[4]) may return.
uint32_t Fuzzer::page_map_want(envid_t src, envid_t dst, const uint32_t a[5])
{
	uint32_t cs = classify(src), cd = classify(dst);
	uint32_t want;
	if (!(cs & OK) || !(cd & OK))
		want = BAD_ENV | INVAL;
	else if (!page_va_ok(a[1]) || !page_va_ok(a[3]) || !perm_ok(a[4]))
		want = INVAL;
	else if (src == 0 || src == self) {
		pte_t p = pte_of(a[1]);
		bool sole = (dst == 0 || dst == self) && a[1] == a[3] &&
			    pages[PGNUM(PTE_ADDR(p))].pp_ref == 1;
		if (!(p & PTE_P) || ((a[4] & PTE_W) && !(p & PTE_W) && !sole))
			want = INVAL;
		else
			want = OK | NO_MEM;
	} else {
		want = OK | NO_MEM | INVAL; // the kid's mappings: unknown
	}
	if ((cs | cd) & BAD_ENV)
		want |= BAD_ENV;
	return want;
}

void Fuzzer::page_map_call(uint32_t a[5])
{
	envid_t src = random_envid(), dst = random_envid();
	a[0] = src;
	a[1] = random_va();
	a[2] = dst;
	a[3] = random_va();
	a[4] = random_perm();
	uint32_t want = page_map_want(src, dst, a);
	pte_t before = pte_of(a[1]);
	int32_t r = call(res, who, SYS_page_map, a, want);
	if (r == 0 && (dst == 0 || dst == self) && (src == 0 || src == self) &&
	    (PTE_ADDR(pte_of(a[3])) != PTE_ADDR(before) ||
	     (pte_of(a[3]) & PTE_SYSCALL) != a[4]))
		fail(res, who, "page_map: mapping not as asked", a[3]);
}

void Fuzzer::page_unmap_call(uint32_t a[5])
{
	envid_t id = random_envid();
	a[0] = id;
	a[1] = random_va();
	uint32_t want = classify(id);
	if (!page_va_ok(a[1]))
		want = (want & BAD_ENV) | INVAL;
	if (call(res, who, SYS_page_unmap, a, want) == 0 && (id == 0 || id == self) &&
	    mapped(a[1]))
		fail(res, who, "page_unmap: still mapped", a[1]);
}

// exofork, while a Kid slot is free; the child stays paused.
void Fuzzer::exofork_call(uint32_t a[5])
{
	Kid *slot = nullptr;
	for (Kid &k : kids)
		if (k.state == Kid::none)
			slot = &k;
	if (!slot)
		return;
	int32_t r = call(res, who, SYS_exofork, a, POS | NO_FREE_ENV | NO_MEM);
	if (r == 0)
		exit(); // never: the child has no address space
	if (r > 0) {
		const volatile Env *e = &envs[ENVX(r)];
		if (e->env_id != r || e->env_parent_id != self ||
		    e->env_status != ENV_NOT_RUNNABLE)
			fail(res, who, "exofork child not set up", r);
		*slot = { r, Kid::paused };
	}
}

void Fuzzer::set_status_call(uint32_t a[5])
{
	envid_t id = random_envid();
	uint32_t s = rng.chance(70) ? (rng.chance(50) ? (uint32_t) ENV_RUNNABLE
						      : (uint32_t) ENV_NOT_RUNNABLE)
				    : (rng.chance(50) ? rng.below(8) : rng.next());
	Kid *kid = nullptr;
	for (Kid &k : kids)
		if (k.state != Kid::none && k.id == id)
			kid = &k;
	if (kid && kid->state != Kid::paused)
		return; // see end_kid: no calls on a running kid
	if ((id == 0 || id == self) && s == ENV_NOT_RUNNABLE)
		s = ENV_RUNNABLE; // would stop us for good
	a[0] = id;
	a[1] = s;
	uint32_t want = classify(id);
	if (s != ENV_RUNNABLE && s != ENV_NOT_RUNNABLE)
		want = (want & BAD_ENV) | INVAL;
	if (call(res, who, SYS_env_set_status, a, want) == 0 && kid &&
	    s == ENV_RUNNABLE) {
		// It runs with an empty address space and faults.
		kid->state = Kid::running;
		end_kid(kid);
	}
}

void Fuzzer::set_upcall_call(uint32_t a[5])
{
	envid_t id = random_envid();
	a[0] = id;
	if (a[1] >= UTEXT && a[1] < (uint32_t) etext)
		a[1] = 0; // never into our own code
	if (call(res, who, SYS_env_set_pgfault_upcall, a, classify(id)) == 0 &&
	    (id == 0 || id == self) &&
	    (uint32_t) envs[ENVX(self)].env_pgfault_upcall != a[1])
		fail(res, who, "upcall not set", a[1]);
}

// A call number no system call has.
void Fuzzer::bad_number_call(uint32_t a[5])
{
	uint32_t n = rng.chance(50) ? NSYSCALLS + rng.below(64) : rng.next();
	if (n < NSYSCALLS)
		n = ~n;
	call(res, who, n, a, INVAL);
}

// One random call with random arguments, chosen by weight.
void Fuzzer::one_call(void)
{
	uint32_t a[5] = { rng.next(), rng.next(), rng.next(), rng.next(), rng.next() };
	uint32_t pick = rng.below(100);
	forget_dead_kids();

	if (pick < 6) { // cputs: nothing to print
		a[0] = rng.chance(50) ? random_va() : u("\n");
		a[1] = rng.chance(2) && a[0] == u("\n") ? 1 : 0;
		call(res, who, SYS_cputs, a, OK);
	} else if (pick < 8) {
		call(res, who, SYS_cgetc, a, OK | POS);
	} else if (pick < 10) {
		if (call(res, who, SYS_getenvid, a, POS) != self)
			fail(res, who, "getenvid changed", self);
	} else if (pick < 16) {
		destroy_call(a);
	} else if (pick < 34) {
		page_alloc_call(a);
	} else if (pick < 52) {
		page_map_call(a);
	} else if (pick < 64) {
		page_unmap_call(a);
	} else if (pick < 67) {
		exofork_call(a);
	} else if (pick < 73) {
		set_status_call(a);
	} else if (pick < 78) {
		set_upcall_call(a);
	} else if (pick < 80) {
		res->per_call[SYS_yield]++; // its eax on return is not a result
		raw(SYS_yield);
	} else if (pick < 86) { // ipc_try_send: nobody receives
		a[0] = random_envid();
		a[2] = random_va();
		a[3] = random_perm();
		call(res, who, SYS_ipc_try_send, a, BAD_ENV | NOT_RECV | INVAL);
	} else if (pick < 91) {
		ipc_send_call(a);
	} else if (pick < 94) { // ipc_recv: only ones that fail
		a[0] = (random_va() % UTOP) | 1;
		call(res, who, SYS_ipc_recv, a, INVAL);
	} else {
		bad_number_call(a);
	}
}

// The fuzzer's last call: one the kernel must destroy us for.
void Fuzzer::last_call(void)
{
	for (Kid &k : kids)
		if (k.state != Kid::none)
			end_kid(&k);
	struct Bad {
		uint32_t va, len;
	} bad[] = {
		{ ULIM - 1, 2 },
		{ 0xfffff000, 0x2000 },
		{ UTEXT, 0xffffffff },
		{ KERNBASE, 100 },
		{ 0xffffffff, 1 },
		{ FUZZ_BASE + PGSIZE - 1, 2 },
		{ rng.next(), 1 + rng.below(3 * PGSIZE) },
	};
	const Bad &b = bad[rng.below(sizeof(bad) / sizeof(bad[0]))];
	res->fatal_expected = 1;
	uint32_t a[5] = { b.va, b.len };
	if (user_readable(b.va, b.len) || rng.chance(20)) {
		a[0] = rng.chance(50) ? 0 : self;
		call(res, who, SYS_env_destroy, a, 0); // must not return
	} else {
		call(res, who, SYS_cputs, a, 0); // must not return
	}
	res->fatal_expected = 0;
}

void Fuzzer::run(int idx, envid_t parent_id, uint32_t seed)
{
	rng = { seed };
	res = &results->child[idx];
	snprintf(who, sizeof(who), "child %d", idx);
	self = sys_getenvid();
	parent = parent_id;
	res->started = 1;
	// Any page fault now kills us cleanly (we never need one).
	sys_env_set_pgfault_upcall(0, nullptr);
	sys_page_unmap(0, (void *) (UXSTACKTOP - PGSIZE));

	int last = rng.chance(50) ? (int) rng.below(CALLS) : CALLS;
	for (int i = 0; i < last; i++)
		one_call();
	if (last < CALLS)
		last_call();
	for (Kid &k : kids)
		if (k.state != Kid::none)
			end_kid(&k);
	res->finished = 1;
}

// ---- P ----

// Fill P's canary pages.
void set_canaries(uint32_t pa[CANARIES])
{
	for (int i = 0; i < CANARIES; i++) {
		sys_page_alloc(0, (void *) canary_va(i), PERM);
		memset((void *) canary_va(i), canary_byte(i), PGSIZE);
		pa[i] = PTE_ADDR(pte_of(canary_va(i)));
	}
}

// Are P's canary pages still the same pages with the same bytes?
int check_canaries(const uint32_t pa[CANARIES])
{
	int bad = 0;
	for (int i = 0; i < CANARIES; i++) {
		const volatile uint8_t *p = (const volatile uint8_t *) canary_va(i);
		bool same = PTE_ADDR(pte_of(canary_va(i))) == pa[i];
		for (int j = 0; same && j < PGSIZE; j++)
			same = p[j] == canary_byte(i);
		if (!same) {
			cprintf("fuzz: FAIL canary page %08x changed\n", canary_va(i));
			bad++;
		}
	}
	return bad;
}

// Fork a child that runs body(arg), then exits.
envid_t spawn(void (*body)(int), int arg)
{
	envid_t id = fork();
	if (id == 0) {
		body(arg);
		exit();
	}
	if (id < 0)
		cprintf("fuzz: FAIL fork: %e\n", id);
	return id;
}

void run_audit(int)
{
	results->audit.started = 1;
	Auditor a;
	a.run();
	results->audit.finished = 1;
}

envid_t root_id;

void run_fuzzer(int idx)
{
	Fuzzer f;
	f.run(idx, root_id, SEED ^ (idx * 0x9E3779B9u));
}

void run_fatal(int k)
{
	results->fatal[k].started = 1;
	fatal(k);
	results->fatal[k].finished = 1;
}

// Did the random phase make every system call in inc/syscall.h? A call
// added there fails this until one_call makes it. Returns the failures.
int check_every_call_made(void)
{
	int missing = 0;
	for (int n = 0; n < NSYSCALLS; n++) {
		uint32_t made = 0;
		for (const Result &r : results->child)
			made += r.per_call[n];
		if (made == 0) {
			cprintf("fuzz: FAIL random calls never made %s\n",
				syscall_names[n]);
			missing++;
		}
	}
	return missing;
}

// Describe how a child ended; returns 1 if that is a failure.
int judge(const char *what, int idx, const Result &r, bool gone, bool must_die)
{
	if (!gone) {
		cprintf("fuzz: FAIL %s %d still alive (last call %s %x %x %x)\n", what,
			idx, sys_name(r.last[0]), r.last[1], r.last[2], r.last[3]);
		return 1;
	}
	if (!r.started) {
		cprintf("fuzz: FAIL %s %d never started\n", what, idx);
		return 1;
	}
	if (must_die && r.finished) {
		cprintf("fuzz: FAIL %s %d survived a call that must destroy it\n", what,
			idx);
		return 1;
	}
	if (!must_die && !r.finished && !r.fatal_expected) {
		cprintf("fuzz: FAIL %s %d died during call %s(%x, %x, %x, %x, %x)\n",
			what, idx, sys_name(r.last[0]), r.last[1], r.last[2], r.last[3],
			r.last[4], r.last[5]);
		return 1;
	}
	return r.bad != 0;
}

} // namespace

void umain(int, char **)
{
	root_id = sys_getenvid();
	uint32_t canary_pa[CANARIES];
	int r = sys_page_alloc(0, results, PERM | PTE_SHARE);
	if (r == 0)
		r = prepare_counting();
	if (r < 0 || (uintptr_t) end > RESULTS_VA) {
		cprintf("fuzz: FAIL setting up: %e\n", r);
		return;
	}
	set_canaries(canary_pa);
	int pages0 = count_free_pages(), envs0 = count_free_envs();
	cprintf("fuzz: %d free pages, %d free envs\n", pages0, envs0);
	int bad = 0;

	// 1. Audit.
	envid_t id = spawn(run_audit, 0);
	bool gone = id > 0 && wait_gone(id);
	bad += id < 0 || judge("audit", 0, results->audit, gone, false);
	cprintf("fuzz: audit: %u checks, %u failed\n", results->audit.calls,
		results->audit.bad);

	// 2. Calls that must destroy the caller.
	for (int k = 0; k < FATAL; k++) {
		id = spawn(run_fatal, k);
		gone = id > 0 && wait_gone(id);
		if (!gone && id > 0)
			sys_env_destroy(id);
		bad += id < 0 || judge("fatal case", k, results->fatal[k], gone, true);
	}
	cprintf("fuzz: %d calls that must destroy the caller did\n", FATAL);

	// 3. Random calls, WAVE children at a time.
	uint32_t calls = 0, deaths = 0;
	for (int w = 0; w < CHILDREN; w += WAVE) {
		envid_t ids[WAVE];
		for (int i = 0; i < WAVE; i++)
			ids[i] = spawn(run_fuzzer, w + i);
		for (int i = 0; i < WAVE; i++) {
			const Result &res = results->child[w + i];
			gone = ids[i] > 0 && wait_gone(ids[i]);
			bad += ids[i] < 0 || judge("child", w + i, res, gone, false);
			calls += res.calls;
			deaths += res.fatal_expected;
		}
		bad += check_canaries(canary_pa);
	}
	cprintf("fuzz: %d children made %u random calls; %u ended by a fatal call\n",
		CHILDREN, calls, deaths);
	bad += check_every_call_made();

	bool envs_back = false;
	for (int i = 0; i < WAIT_YIELDS && !envs_back; i++) {
		envs_back = count_free_envs() == envs0;
		if (!envs_back)
			sys_yield();
	}
	int pages1 = count_free_pages();
	if (!envs_back || pages1 != pages0) {
		cprintf("fuzz: FAIL leak: %d free pages (was %d), %d free envs (was %d)\n",
			pages1, pages0, count_free_envs(), envs0);
		bad++;
	}
	if (bad == 0)
		cprintf("fuzz: PASS (%u audit checks, %u random calls, %d free pages "
			"before and after)\n",
			results->audit.calls, calls, pages0);
	else
		cprintf("fuzz: FAIL %d problem(s)\n", bad);
}
