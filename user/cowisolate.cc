// cowisolate: copy-on-write fork keeps every environment's memory its
// own, at several fork depths.
//
// Four pages of globals and a page of stack hold a pattern derived from
// (tag, version). Like forktree, every environment of depth < 3 forks two
// children, giving 14 descendants of the root. After each fork:
//  - the parent writes a new version of its own pattern and checks it;
//  - the child first yields (so the parent has usually written already),
//    checks that it still sees the parent's pattern from fork time, then
//    writes its own tag's pattern, yields and checks it again.
// Before exiting, every environment checks its final pattern once more
// after yielding a few times (its children and siblings write meanwhile),
// then every descendant sends 1 (all checks held) or 0 to the root. The
// root expects 14 messages of 1 and its own pattern intact.
// Prints "cowisolate: PASS" or "cowisolate: FAIL <what>" lines.

#include <inc/lib.h>

#include "hostile.hh"

using namespace hostile;

namespace {

constexpr int DEPTH = 3;
constexpr int DESCENDANTS = (1 << (DEPTH + 1)) - 2; // 2 + 4 + 8
constexpr int PAGES = 4;
constexpr int WORDS = PGSIZE / 4;
constexpr int STACK_WORDS = 512; // half a page

alignas(PGSIZE) volatile uint32_t pages_[PAGES][WORDS];

// The word at (page, index) of pattern (tag, version).
uint32_t pattern(uint32_t tag, uint32_t version, int page, int i)
{
	uint32_t x = tag * 0x9E3779B1u ^ version * 0x85EBCA77u ^ page * 0xC2B2AE3Du ^ i;
	x ^= x >> 15;
	x *= 0x2C1B3C6Du;
	x ^= x >> 12;
	return x | 1; // never zero, so a fresh zero page never matches
}

void fill(volatile uint32_t *stack, uint32_t tag, uint32_t version)
{
	for (int p = 0; p < PAGES; p++)
		for (int i = 0; i < WORDS; i++)
			pages_[p][i] = pattern(tag, version, p, i);
	for (int i = 0; i < STACK_WORDS; i++)
		stack[i] = pattern(tag, version, PAGES, i);
}

// Count the words that differ from pattern (tag, version).
int mismatches(const volatile uint32_t *stack, uint32_t tag, uint32_t version)
{
	int bad = 0;
	for (int p = 0; p < PAGES; p++)
		for (int i = 0; i < WORDS; i++)
			bad += pages_[p][i] != pattern(tag, version, p, i);
	for (int i = 0; i < STACK_WORDS; i++)
		bad += stack[i] != pattern(tag, version, PAGES, i);
	return bad;
}

// Check pattern (tag, version); on a mismatch print what was expected.
bool check(const volatile uint32_t *stack, uint32_t tag, uint32_t version,
	   const char *when)
{
	int bad = mismatches(stack, tag, version);
	if (bad)
		cprintf("cowisolate: FAIL env %08x (tag %u) %s: %d of %d words "
			"differ from version %u\n",
			sys_getenvid(), tag, when, bad, PAGES * WORDS + STACK_WORDS,
			version);
	return bad == 0;
}

} // namespace

void umain(int, char **)
{
	volatile uint32_t stack[STACK_WORDS];
	envid_t root = sys_getenvid();
	uint32_t tag = 1, version = 0; // children's tags: binary path from the root
	int depth = 0;
	bool ok = true;

	fill(stack, tag, version);
	while (depth < DEPTH) {
		bool is_child = false;
		for (uint32_t branch = 0; branch < 2 && !is_child; branch++) {
			envid_t id = fork();
			if (id < 0) {
				cprintf("cowisolate: FAIL fork at depth %d: %e\n", depth,
					id);
				ok = false;
				break;
			}
			if (id == 0) {
				sys_yield();
				sys_yield();
				ok &= check(stack, tag, version,
					    "after fork (parent's view)");
				tag = tag * 2 + branch;
				version = 0;
				depth++;
				fill(stack, tag, version);
				sys_yield();
				ok &= check(stack, tag, version, "after its first write");
				is_child = true;
			} else {
				version++;
				fill(stack, tag, version);
				ok &= check(stack, tag, version,
					    "after fork (child's write)");
			}
		}
		if (!is_child)
			break;
	}

	for (int i = 0; i < 3; i++)
		sys_yield();
	ok &= check(stack, tag, version, "at the end");

	if (sys_getenvid() != root) {
		ipc_send(root, ok ? 1 : 0, nullptr, 0);
		return;
	}

	int good = 0;
	for (int i = 0; i < DESCENDANTS; i++)
		good += ipc_recv(nullptr, nullptr, nullptr) == 1;
	ok &= check(stack, tag, version, "after all descendants reported");
	if (ok && good == DESCENDANTS)
		cprintf("cowisolate: PASS (%d environments at depths 0-%d)\n",
			DESCENDANTS + 1, DEPTH);
	else
		cprintf("cowisolate: FAIL %d of %d descendants reported success\n", good,
			DESCENDANTS);
}
