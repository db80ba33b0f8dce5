// kern/spinlock.cc: spinlock acquire/release with holder tracking.
// Atomicity: xchg with a memory operand is always locked (Intel SDM
// vol. 3A, 8.1.2.1), and it orders all earlier and later memory accesses.

#include <inc/x86.h>
#include <inc/memlayout.h>
#include <inc/string.h>
#include <inc/assert.h>

#include <kern/cpu.hh>
#include <kern/spinlock.hh>
#include <kern/kdebug.hh>

constinit spinlock kernel_lock = make_spinlock("kernel_lock");
bool kernel_lock_needed;

namespace {

// Record the innermost return addresses of the current call chain
// (saved-ebp walk) into pcs, ending them with a 0 if there are fewer.
void get_caller_pcs(uintptr_t pcs[SPINLOCK_PCS])
{
	const uint32_t *ebp = (const uint32_t *) read_ebp();
	for (int i = 0; i < SPINLOCK_PCS; i++) {
		if ((uintptr_t) ebp < ULIM || (uintptr_t) ebp % 4 != 0) {
			pcs[i] = 0;
			return;
		}
		pcs[i] = ebp[1];
		ebp = (const uint32_t *) ebp[0];
	}
}

// Print the recorded call stack of lk's holder, resolved to functions.
void print_holder_pcs(const spinlock *lk)
{
	for (int i = 0; i < SPINLOCK_PCS && lk->pcs[i]; i++) {
		Eipdebuginfo info;
		debuginfo_eip(lk->pcs[i], &info);
		cprintf("  %08x %.*s+%d\n", lk->pcs[i], info.eip_fn_namelen,
			info.eip_fn_name, lk->pcs[i] - info.eip_fn_addr);
	}
}

} // namespace

// Acquire lk, spinning until it is free. Panics if this CPU holds it.
void spin_lock(spinlock *lk)
{
	CpuInfo *const me = thiscpu;
	if (__atomic_load_n(&lk->locked, __ATOMIC_RELAXED) && lk->cpu == me) {
		cprintf("CPU %d cannot acquire %s: already holding it, taken at:\n",
			cpunum(), lk->name);
		print_holder_pcs(lk);
		panic("spin_lock: %s re-acquired", lk->name);
	}
	// Test-and-test-and-set: spin on a plain read until the lock looks
	// free, with `pause` in the loop as Intel asks of spin-wait loops
	// (SDM vol. 2B, PAUSE). Under QEMU's single-threaded TCG it also hands
	// the host thread to the next CPU at once, so waiting costs little.
	// (Fairness at boot does not depend on this loop: sched_start.)
	while (xchg(&lk->locked, 1) != 0)
		while (__atomic_load_n(&lk->locked, __ATOMIC_RELAXED))
			__asm __volatile("pause");
	lk->cpu = me;
	get_caller_pcs(lk->pcs);
}

// Release lk. Panics if this CPU does not hold it.
void spin_unlock(spinlock *lk)
{
	if (!holding(lk)) {
		cprintf("CPU %d cannot release %s: ", cpunum(), lk->name);
		if (lk->locked)
			cprintf("held by CPU %d, taken at:\n", lk->cpu->cpu_id);
		else
			cprintf("not held\n");
		print_holder_pcs(lk);
		panic("spin_unlock: %s not held by this CPU", lk->name);
	}
	lk->pcs[0] = 0;
	lk->cpu = nullptr;
	// The xchg is the release: it orders the critical section's
	// writes before the lock becomes free.
	xchg(&lk->locked, 0);
}
