// cowpaths: the two ways fork's copy-on-write fault handler (lib/fork.cc)
// resolves a write, counted by fork_cow_copies and fork_cow_remaps.
//
// Three page-sized globals X, Y and Z hold known bytes; then we fork.
//  - The parent unmaps Y and rewrites Z (getting its own copy of Z), then
//    tells the child to go on: from then on the child is the only mapper
//    of the original Y and Z pages.
//  - The child writes X, which the parent still maps: the handler must
//    COPY it (copies + 1, remaps + 0); then Y and Z: it must REMAP each in
//    place without copying (remaps + 1, copies + 0). The old contents must
//    survive each write, and Z must not show the parent's new bytes.
//  - After the child is gone the parent writes X: the child took a copy,
//    so the parent's page is its own again and is remapped, not copied.
// Each environment first writes the counters once, so that the counters'
// own page is private before anything is measured (otherwise the handler's
// increment faults on it too and counts one more).
// Prints "cowpaths: PASS", or "cowpaths: FAIL <what>" lines.

#include <inc/lib.h>

#include "hostile.hh"

using namespace hostile;

namespace {

alignas(PGSIZE) volatile char page_x[PGSIZE] = { 'x' };
alignas(PGSIZE) volatile char page_y[PGSIZE] = { 'y' };
alignas(PGSIZE) volatile char page_z[PGSIZE] = { 'z' };

void fill(volatile char *p, char c)
{
	for (int i = 0; i < PGSIZE; i++)
		p[i] = c;
}

// Does p hold c everywhere but at byte 0 (which the test overwrote)?
bool holds(const volatile char *p, char c)
{
	for (int i = 1; i < PGSIZE; i++)
		if (p[i] != c)
			return false;
	return true;
}

// The counters change inside the page fault handler, behind the
// compiler's back: always read them through volatile.
unsigned copies(void)
{
	return *(volatile unsigned *) &fork_cow_copies;
}
unsigned remaps(void)
{
	return *(volatile unsigned *) &fork_cow_remaps;
}

// Write the counters to themselves: their page gets its private copy
// now, so that later faults only count the page under test.
void settle_counters(void)
{
	*(volatile unsigned *) &fork_cow_copies = copies();
	*(volatile unsigned *) &fork_cow_remaps = remaps();
}

// Write byte 0 of page p (with value c) and check that the handler
// copied (want_copy) or remapped it exactly once, and that the rest of
// the page still holds old. Prints a FAIL line and returns false if not.
bool write_and_check(const char *who, const char *name, volatile char *p, char c,
		     char old, bool want_copy)
{
	unsigned c0 = copies(), r0 = remaps();
	p[0] = c;
	unsigned dc = copies() - c0, dr = remaps() - r0;
	bool ok = true;
	if (want_copy ? (dc != 1 || dr != 0) : (dc != 0 || dr != 1)) {
		cprintf("cowpaths: FAIL %s write to %s: %u copies, %u remaps "
			"(want %s)\n",
			who, name, dc, dr, want_copy ? "1 copy" : "1 remap");
		ok = false;
	}
	if (p[0] != c || !holds(p, old)) {
		cprintf("cowpaths: FAIL %s write to %s: contents lost\n", who, name);
		ok = false;
	}
	return ok;
}

// The child's part; returns the number of failed checks.
int child_main(envid_t parent)
{
	settle_counters();
	envid_t from;
	ipc_recv(&from, nullptr, nullptr); // parent has unmapped Y, copied Z
	if (from != parent)
		cprintf("cowpaths: FAIL go message from %08x\n", from);
	int bad = 0;
	bad += !write_and_check("child", "X (parent still maps it)", page_x, 'X', 'x',
				true);
	bad += !write_and_check("child", "Y (parent unmapped it)", page_y, 'Y', 'y',
				false);
	bad += !write_and_check("child", "Z (parent copied it)", page_z, 'Z', 'z', false);
	return bad;
}

} // namespace

void umain(int, char **)
{
	fill(page_x, 'x');
	fill(page_y, 'y');
	fill(page_z, 'z');
	envid_t parent = sys_getenvid();

	envid_t child = fork();
	if (child < 0) {
		cprintf("cowpaths: FAIL fork: %e\n", child);
		return;
	}
	if (child == 0) {
		ipc_send(parent, child_main(parent), nullptr, 0);
		return;
	}

	settle_counters();
	int bad = 0;
	int r = sys_page_unmap(0, (void *) page_y);
	if (r < 0) {
		cprintf("cowpaths: FAIL unmap Y: %e\n", r);
		bad++;
	}
	// The child still maps Z: our write must copy it.
	unsigned c0 = copies(), r0 = remaps();
	fill(page_z, 'P');
	unsigned dc = copies() - c0, dr = remaps() - r0;
	if (dc != 1 || dr != 0) {
		cprintf("cowpaths: FAIL parent write to Z: %u copies, %u remaps "
			"(want 1 copy)\n",
			dc, dr);
		bad++;
	}

	ipc_send(child, 0, nullptr, 0);
	envid_t from;
	int child_bad = ipc_recv(&from, nullptr, nullptr);
	if (from != child) {
		cprintf("cowpaths: FAIL result from %08x, not the child\n", from);
		bad++;
	}
	bad += child_bad;
	wait_env_gone(child);

	// The child copied X for itself, so X is ours alone: remap.
	bad += !write_and_check("parent", "X (child copied it)", page_x, 'Q', 'x', false);
	if (!holds(page_z, 'P') || page_z[0] != 'P') {
		cprintf("cowpaths: FAIL parent's Z changed under it\n");
		bad++;
	}

	if (bad == 0)
		cprintf("cowpaths: PASS (copies %u, remaps %u in the parent)\n", copies(),
			remaps());
	else
		cprintf("cowpaths: FAIL %d check(s) failed\n", bad);
}
