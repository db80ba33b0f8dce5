// lib/fork.cc: copy-on-write fork and shared-memory sfork, built in user
// space from sys_exofork, sys_page_map and a page fault handler. The
// address space is read through the UVPT self-map: uvpd[PDX(va)] is the
// page directory entry of va and uvpt[PGNUM(va)] its page table entry.

#include <lib/pgfault.hh>

// The page that holds thisenv (user/user.ld gives it a page of its own):
// sfork copies it instead of sharing it, so thisenv stays per environment.
extern "C" char thisenv_page[];

namespace {
// LAB 4: solution

// Make our copy-on-write page at va writable (perm) and ours alone:
// remapped in place if nobody else maps it (its pp_ref, visible through
// pages[], is 1; the kernel re-checks the count and refuses the remap if
// another environment mapped the page meanwhile), else copied through
// PFTEMP. *copied says which. Returns 0 or a negative error (-E_NO_MEM:
// no page for the copy).
int make_private(void *va, int perm, bool *copied)
{
	int r;
	*copied = false;
	if (pages[PGNUM(PTE_ADDR(uvpt[PGNUM(va)]))].pp_ref == 1 &&
	    sys_page_map(0, va, 0, va, perm) == 0)
		return 0;
	*copied = true;
	if ((r = sys_page_alloc(0, PFTEMP, perm)) < 0)
		return r;
	memmove(PFTEMP, va, PGSIZE);
	if ((r = sys_page_map(0, PFTEMP, 0, va, perm)) < 0)
		return r;
	return sys_page_unmap(0, PFTEMP);
}

// Page fault handler installed by fork: resolve a write to a
// copy-on-write page by giving this environment a private writable page
// (make_private); if no page is left for a copy, the environment exits
// with a message. Any other fault is a real bug: panic.
void pgfault(UTrapframe *utf)
{
	uintptr_t va = utf->utf_fault_va;
	uint32_t err = utf->utf_err;

	if (!(err & FEC_WR) || !va_mapped(va) || !(uvpt[PGNUM(va)] & PTE_COW))
		panic("page fault at va %08x ip %08x (%s, %s): not a write to a "
		      "copy-on-write page",
		      va, utf->utf_eip, err & FEC_WR ? "write" : "read",
		      err & FEC_PR ? "protection" : "not present");

	void *page = (void *) ROUNDDOWN(va, PGSIZE);
	int perm = (uvpt[PGNUM(va)] & PTE_SYSCALL & ~PTE_COW) | PTE_W;
	bool copied;
	int r = make_private(page, perm, &copied);
	if (r == -E_NO_MEM) {
		// Out of memory is not a bug of this program: there is no
		// caller to return it to, so end this environment rather than
		// panic (which would stop the whole machine in the monitor).
		cprintf("[%08x] copy-on-write fault at %08x: out of memory, exiting\n",
			sys_getenvid(), va);
		exit();
	}
	if (r < 0)
		panic("pgfault: copy-on-write fault at %08x: %e", va, r);
	if (copied)
		fork_cow_copies++;
	else
		fork_cow_remaps++;
}

// Is our page at virtual page number pn writable and mapped by some other
// environment too (an sfork sibling, say)? Copy-on-write would end that
// sharing (our next write would copy the page), so fork copies it instead.
bool shared_writable(unsigned pn)
{
	pte_t pte = uvpt[pn];
	return (pte & PTE_W) && pages[PGNUM(PTE_ADDR(pte))].pp_ref > 1;
}

// Give envid its own copy of our page at va now instead of sharing it
// copy-on-write: a fresh page in the child, filled through PFTEMP.
// fork does this for the stack, which the parent writes again at once:
// copy-on-write would only move the same copy into a page fault, where
// running out of memory cannot be reported to fork's caller. Returns 0
// or a negative error (-E_NO_MEM).
int copypage(envid_t envid, uintptr_t va)
{
	int perm = (uvpt[PGNUM(va)] & PTE_SYSCALL & ~PTE_COW) | PTE_W;
	int r;
	if ((r = sys_page_alloc(envid, (void *) va, perm)) < 0)
		return r;
	if ((r = sys_page_map(envid, (void *) va, 0, PFTEMP, PTE_P | PTE_U | PTE_W)) < 0)
		return r;
	memmove(PFTEMP, (void *) va, PGSIZE);
	return sys_page_unmap(0, PFTEMP);
}

// Map our virtual page number pn into envid at the same address.
// PTE_SHARE pages are shared with the same permissions; a writable page
// that others map too is copied for the child (shared_writable); other
// writable and copy-on-write pages become copy-on-write in both (the
// child first, so our page is never writable while the child maps it; a
// page that is copy-on-write here already keeps its mapping); read-only
// pages stay read-only. Returns 0 or a negative error.
int duppage(envid_t envid, unsigned pn)
{
	void *va = (void *) (pn * PGSIZE);
	pte_t pte = uvpt[pn];
	int perm = pte & PTE_SYSCALL;
	int r;

	if (pte & PTE_SHARE)
		return sys_page_map(0, va, envid, va, perm);
	if (shared_writable(pn))
		return copypage(envid, pn * PGSIZE);
	if (perm & (PTE_W | PTE_COW)) {
		bool ours_cow = !(perm & PTE_W); // already copy-on-write here
		perm = (perm & ~PTE_W) | PTE_COW;
		if ((r = sys_page_map(0, va, envid, va, perm)) < 0 || ours_cow)
			return r;
		return sys_page_map(0, va, 0, va, perm);
	}
	return sys_page_map(0, va, envid, va, perm);
}

// Share virtual page number pn with envid: the same page, the same
// permissions; a page that is copy-on-write here (an earlier fork) first
// becomes a private writable page, so both sides then write the same
// page. Returns 0 or a negative error.
int sharepage(envid_t envid, unsigned pn)
{
	void *va = (void *) (pn * PGSIZE);
	int perm = uvpt[pn] & PTE_SYSCALL;
	if (perm & PTE_COW) {
		perm = (perm & ~PTE_COW) | PTE_W;
		bool copied;
		int r = make_private(va, perm, &copied);
		if (r < 0)
			return r;
	}
	return sys_page_map(0, va, envid, va, perm);
}

// Is va in the user stack area (the page table's worth below USTACKTOP)?
bool in_user_stack(uintptr_t va)
{
	return va >= USTACKTOP - PTSIZE && va < USTACKTOP;
}

// The common body of fork and sfork. For every mapped page below UTOP
// except the exception stack: copy it now if it is in the user stack
// (and not PTE_SHARE), else share it where share(va) says so, else
// duplicate it copy-on-write. Then give the child its own exception stack
// and upcall and make it runnable. Returns the child's id to the parent,
// 0 to the child, or a negative error (the half-built child destroyed;
// nothing else allocated by this call stays allocated).
envid_t fork_with(bool (*share)(uintptr_t va))
{
	int r = try_set_pgfault_handler(pgfault);
	if (r < 0)
		return r;

	envid_t child = sys_exofork();
	if (child < 0)
		return child;
	if (child == 0) {
		thisenv = &envs[ENVX(sys_getenvid())];
		return 0;
	}

	// Visit every mapped page, skipping runs of zero entries (unmapped
	// page tables, unmapped pages) a few words per step.
	for (unsigned pdx = 0; pdx < PDX(UTOP) && r >= 0; pdx++) {
		pdx += find_nonzero_word((const pde_t *) uvpd + pdx, PDX(UTOP) - pdx);
		if (pdx == PDX(UTOP) || !(uvpd[pdx] & PTE_P))
			continue;
		unsigned end = (pdx + 1) * NPTENTRIES;
		for (unsigned pn = pdx * NPTENTRIES; pn < end && r >= 0; pn++) {
			pn += find_nonzero_word((const pte_t *) uvpt + pn, end - pn);
			uintptr_t va = pn * PGSIZE;
			if (pn == end || va == UXSTACKTOP - PGSIZE || !(uvpt[pn] & PTE_P))
				continue;
			if (in_user_stack(va) && !(uvpt[pn] & PTE_SHARE))
				r = copypage(child, va);
			else if (share(va))
				r = sharepage(child, pn);
			else
				r = duppage(child, pn);
		}
	}
	if (r >= 0)
		r = sys_page_alloc(child, (void *) (UXSTACKTOP - PGSIZE),
				   PTE_P | PTE_U | PTE_W);
	if (r >= 0)
		r = sys_env_set_pgfault_upcall(child, (void *) _pgfault_upcall);
	if (r >= 0)
		r = sys_env_set_status(child, ENV_RUNNABLE);
	if (r < 0) {
		sys_env_destroy(child);
		return r;
	}
	return child;
}

bool share_nothing(uintptr_t)
{
	return false;
}

// sfork shares everything but the stack (copied, see fork_with) and the
// page holding thisenv (copy-on-write).
bool share_all_but_stack(uintptr_t va)
{
	return !in_user_stack(va) && va != (uintptr_t) thisenv_page;
}

// LAB 4: end
} // namespace

unsigned fork_cow_copies, fork_cow_remaps;

// Copy-on-write fork: the child gets a copy-on-write view of every page
// of the parent (PTE_SHARE pages really shared), its own exception stack,
// and the same page fault handler. Returns the child's id in the parent,
// 0 in the child, or a negative error (-E_NO_FREE_ENV, -E_NO_MEM).
envid_t fork(void)
{
	// LAB 4: solution
	return fork_with(share_nothing);
	// LAB 4: stub
	//| panic("fork not implemented");
	// LAB 4: end
}

// Shared-memory fork (lab 4 challenge): parent and child share every page
// (writes are seen by both) except the user stack area and thisenv's page,
// which are copy-on-write. Returns as fork does.
envid_t sfork(void)
{
	// LAB 4 CHALLENGE: solution
	return fork_with(share_all_but_stack);
	// LAB 4: stub
	//| panic("sfork not implemented");
	// LAB 4: end
}
