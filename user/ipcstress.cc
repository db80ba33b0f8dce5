// ipcstress: many IPC messages between several pairs of environments at
// once (meant for CPUS=4), with pages whose contents are checked.
//
// The root forks PAIRS receivers and, for each, a sender. Sender p sends
// its receiver MSGS messages with value m = 0, 1, ...; by m % 4:
//   0: no page;
//   1: a fresh page (P|U|W) filled from a seed (p, m), last word a checksum;
//   2: the same kind of page, sent read-only (P|U);
//   3: a page, but the receiver asks for none this time (dstva = UTOP).
// The receiver checks every value arrives once and in order, from its own
// sender, with the right permissions (0 when no page was transferred), the
// page contents and checksum, and whether its mapping is writable; it
// receives into eight rotating slots, so old pages are replaced (and
// freed). Each receiver reports its error count to the root, which
// finally checks that every page came back (hostile.hh).
// Prints "ipcstress: PASS" or "ipcstress: FAIL <what>" lines.

#include <inc/lib.h>

#include "hostile.hh"

using namespace hostile;

namespace {

constexpr int PAIRS = 4;
constexpr int MSGS = 1000;
constexpr int WORDS = PGSIZE / 4;
constexpr uintptr_t SEND_VA = 0x20000000;
constexpr uintptr_t RECV_BASE = 0x30000000;
constexpr int SLOTS = 8;

// Word i (< WORDS - 1) of the page of message m of pair p.
uint32_t word(int p, int m, int i)
{
	uint32_t x = (p + 1) * 0x9E3779B1u ^ (m + 1) * 0x85EBCA77u ^ i * 0xC2B2AE3Du;
	x ^= x >> 16;
	x *= 0x7FEB352Du;
	x ^= x >> 15;
	return x;
}

uint32_t checksum(const volatile uint32_t *page)
{
	uint32_t sum = 0;
	for (int i = 0; i < WORDS - 1; i++)
		sum = sum * 31 + page[i];
	return sum;
}

int expected_perm(int m)
{
	switch (m % 4) {
	case 1:
		return PTE_P | PTE_U | PTE_W;
	case 2:
		return PTE_P | PTE_U;
	default:
		return 0;
	}
}

void sender(int p, envid_t receiver)
{
	volatile uint32_t *page = (volatile uint32_t *) SEND_VA;
	for (int m = 0; m < MSGS; m++) {
		if (m % 4 == 0) {
			ipc_send(receiver, m, nullptr, 0);
			continue;
		}
		int r = sys_page_alloc(0, (void *) SEND_VA, PTE_P | PTE_U | PTE_W);
		if (r < 0) {
			cprintf("ipcstress: FAIL sender %d: page_alloc: %e\n", p, r);
			return;
		}
		for (int i = 0; i < WORDS - 1; i++)
			page[i] = word(p, m, i);
		page[WORDS - 1] = checksum(page);
		ipc_send(receiver, m, (void *) SEND_VA,
			 m % 4 == 2 ? PTE_P | PTE_U : PTE_P | PTE_U | PTE_W);
	}
	sys_page_unmap(0, (void *) SEND_VA);
}

// Returns the number of bad messages (and prints the first few).
int receiver(int p, envid_t root)
{
	int bad = 0;
	envid_t partner = 0;
	for (int m = 0; m < MSGS; m++) {
		uintptr_t slot = RECV_BASE + (m % SLOTS) * PGSIZE;
		void *dst = m % 4 == 3 ? nullptr : (void *) slot;
		envid_t from;
		int perm;
		int v = ipc_recv(&from, dst, &perm);
		if (partner == 0 && envs[ENVX(from)].env_parent_id == root)
			partner = from;
		const char *why = nullptr;
		if (v != m)
			why = "wrong value (lost, duplicated or reordered)";
		else if (from != partner)
			why = "from someone else";
		else if (perm != expected_perm(m))
			why = "wrong page permissions";
		else if (perm) {
			const volatile uint32_t *page = (const volatile uint32_t *) slot;
			bool writable = uvpt[PGNUM(slot)] & PTE_W;
			if (writable != bool(perm & PTE_W))
				why = "mapping writable when it should not be, or not when it should";
			else if (page[WORDS - 1] != checksum(page))
				why = "page checksum wrong";
			else
				for (int i = 0; i < WORDS - 1 && !why; i++)
					if (page[i] != word(p, m, i))
						why = "page contents wrong";
		}
		if (why) {
			if (bad < 3)
				cprintf("ipcstress: FAIL pair %d message %d (value %d "
					"from %08x perm %x): %s\n",
					p, m, v, from, perm, why);
			bad++;
		}
	}
	for (int s = 0; s < SLOTS; s++)
		sys_page_unmap(0, (void *) (RECV_BASE + s * PGSIZE));
	return bad;
}

} // namespace

void umain(int, char **)
{
	if (int r = prepare_counting(); r < 0) {
		cprintf("ipcstress: FAIL warm-up: %e\n", r);
		return;
	}
	int pages0 = count_free_pages(), envs0 = count_free_envs();
	envid_t root = sys_getenvid();
	bool ok = true;

	for (int p = 0; p < PAIRS; p++) {
		envid_t recv = fork();
		if (recv == 0) {
			int bad = receiver(p, root);
			ipc_send(root, p << 16 | bad, nullptr, 0);
			return;
		}
		envid_t send = recv < 0 ? recv : fork();
		if (send == 0) {
			sender(p, recv);
			return;
		}
		if (recv < 0 || send < 0) {
			cprintf("ipcstress: FAIL fork: %e\n", recv < 0 ? recv : send);
			return;
		}
	}

	int reported = 0, bad = 0;
	while (reported < PAIRS) {
		envid_t from;
		int v = ipc_recv(&from, nullptr, nullptr);
		if (envs[ENVX(from)].env_parent_id != root) {
			cprintf("ipcstress: FAIL root got %x from stranger %08x\n", v,
				from);
			ok = false;
			continue;
		}
		reported++;
		bad += v & 0xffff;
	}
	wait_free_envs(envs0);
	int pages1 = count_free_pages();
	if (pages1 != pages0) {
		cprintf("ipcstress: FAIL %d pages leaked\n", pages0 - pages1);
		ok = false;
	}
	if (bad) {
		cprintf("ipcstress: FAIL %d bad messages\n", bad);
		ok = false;
	}
	if (ok)
		cprintf("ipcstress: PASS (%d pairs x %d messages, %d free pages "
			"before and after)\n",
			PAIRS, MSGS, pages0);
}
