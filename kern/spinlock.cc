// kern/spinlock.cc: the kernel lock, and the slow paths of spinlock
// acquire/release (contention, misuse reports); the fast paths are inline
// in kern/spinlock.hh.

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

// Print the recorded call sites of lk's holder, resolved to functions.
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

// spin_lock found lk taken: panic if this CPU is the holder, else spin
// until this CPU wins it. Test-and-test-and-set: spin on a plain read
// until the lock looks free, with `pause` in the loop as Intel asks of
// spin-wait loops (SDM vol. 2B, PAUSE). Under QEMU's single-threaded TCG
// it also hands the host thread to the next CPU at once, so waiting costs
// little. (Fairness at boot does not depend on this loop: sched_start.)
void spin_lock_contended(spinlock *lk)
{
	if (lk->cpu == thiscpu) {
		cprintf("CPU %d cannot acquire %s: already holding it, taken at:\n",
			cpunum(), lk->name);
		print_holder_pcs(lk);
		panic("spin_lock: %s re-acquired", lk->name);
	}
	do {
		while (__atomic_load_n(&lk->locked, __ATOMIC_RELAXED))
			__asm __volatile("pause");
	} while (xchg(&lk->locked, 1) != 0);
}

// spin_unlock found lk not held by this CPU: say who holds it, and panic.
void spin_unlock_not_held(spinlock *lk)
{
	cprintf("CPU %d cannot release %s: ", cpunum(), lk->name);
	if (lk->locked)
		cprintf("held by CPU %d, taken at:\n", static_cast<int>(lk->cpu - cpus));
	else
		cprintf("not held\n");
	print_holder_pcs(lk);
	panic("spin_unlock: %s not held by this CPU", lk->name);
}
