// kern/spinlock.hh: spinlocks with debug information, and the big kernel
// lock that serializes the whole kernel (lab 4, exercise 5).
#ifndef JOS_KERN_SPINLOCK_HH
#define JOS_KERN_SPINLOCK_HH

#include <inc/types.h>

#include <kern/cpu.hh>

// Code addresses recorded per acquisition: the acquiring site and the
// caller of the function it is in, enough to name the holder when a lock
// is misused; cheap to record.
constexpr int SPINLOCK_PCS = 2;

// A mutual-exclusion lock. Acquiring a lock this CPU already holds, or
// releasing one it does not hold, panics.
struct spinlock {
	uint32_t locked;             // nonzero while held (accessed atomically)
	const char *name;            // for diagnostics
	CpuInfo *cpu;                // the holder
	uintptr_t pcs[SPINLOCK_PCS]; // the holder's acquiring site, its caller
};

constexpr spinlock make_spinlock(const char *name)
{
	return spinlock{ 0, name, nullptr, {} };
}

extern spinlock kernel_lock;

// Out-of-line slow paths of spin_lock and spin_unlock.
[[gnu::cold]] void spin_lock_contended(spinlock *lk);
[[noreturn, gnu::cold]] void spin_unlock_not_held(spinlock *lk);

// The address of the instruction after this point: each inlined copy of
// spin_lock records its own call site.
#define SPINLOCK_SITE()                                             \
	({                                                          \
		uintptr_t site_;                                    \
		__asm __volatile("movl $1f, %0\n1:" : "=r"(site_)); \
		site_;                                              \
	})

// Does this CPU hold lk? (Inline: assert_kernel_locked runs on every
// kernel path.)
[[gnu::always_inline]] inline bool holding(spinlock *lk)
{
	return __atomic_load_n(&lk->locked, __ATOMIC_RELAXED) && lk->cpu == thiscpu;
}

// Acquire lk, spinning until it is free. Panics if this CPU holds it
// (found on the contended path: an uncontended acquire costs one xchg).
// Records the acquiring site and its function's caller in lk->pcs.
// Atomicity: xchg with a memory operand is always locked (Intel SDM
// vol. 3A, 8.1.2.1), and it orders all earlier and later memory accesses.
[[gnu::always_inline]] inline void spin_lock(spinlock *lk)
{
	uintptr_t site = SPINLOCK_SITE();
	if (xchg(&lk->locked, 1) != 0)
		spin_lock_contended(lk);
	lk->cpu = thiscpu;
	if (lk != &kernel_lock) // folded away for the kernel lock
		lk->cpu->cpu_locks_held++;
	lk->pcs[0] = site;
	lk->pcs[1] = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
}

// Release lk. Panics if this CPU does not hold it.
[[gnu::always_inline]] inline void spin_unlock(spinlock *lk)
{
	if (!holding(lk))
		spin_unlock_not_held(lk);
	if (lk != &kernel_lock)
		lk->cpu->cpu_locks_held--;
	lk->pcs[0] = 0;
	lk->cpu = nullptr;
	// A plain store is a release on x86: stores are not reordered with
	// earlier loads or stores (Intel SDM vol. 3A, 8.2.2).
	__atomic_store_n(&lk->locked, 0, __ATOMIC_RELEASE);
}

// Holds a lock for one C++ scope (unless released early with unlock(),
// and taken again with lock()). Never let one span env_run or
// sched_yield: they do not return (and assert that no such lock is held).
class [[nodiscard]] spinlock_guard {
      public:
	explicit spinlock_guard(spinlock *lk) : lk_(lk)
	{
		lock();
	}
	~spinlock_guard()
	{
		if (held_)
			spin_unlock(lk_);
	}
	spinlock_guard(const spinlock_guard &) = delete;
	spinlock_guard &operator=(const spinlock_guard &) = delete;

	void lock()
	{
		spin_lock(lk_);
		held_ = true;
	}
	void unlock()
	{
		held_ = false;
		spin_unlock(lk_);
	}

      private:
	spinlock *lk_;
	bool held_ = false;
};

// The big kernel lock: taken on every entry from user mode (trap), before
// boot_aps and in mp_main; released by env_run just before env_pop_tf and
// by sched_halt. Held across functions that never return, so it is taken
// and released explicitly rather than by a guard. (Declared above.)

[[gnu::always_inline]] inline void lock_kernel(void)
{
	spin_lock(&kernel_lock);
}

[[gnu::always_inline]] inline void unlock_kernel(void)
{
	spin_unlock(&kernel_lock);
	// Let a CPU spinning on the lock win it now rather than this CPU
	// re-taking it at once (helps fairness under QEMU's TCG).
	__asm __volatile("pause");
}

// Set by boot_aps before it starts the first AP. Until then only the boot
// CPU runs, and mem_init/env_init touch shared state without the lock.
extern bool kernel_lock_needed;

// Asserts that the caller holds the big kernel lock (once it is needed).
#define assert_kernel_locked() assert(!kernel_lock_needed || holding(&kernel_lock))

#endif // !JOS_KERN_SPINLOCK_HH
