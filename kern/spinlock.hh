// kern/spinlock.hh: spinlocks with debug information, and the big kernel
// lock that serializes the whole kernel (lab 4, exercise 5).
#ifndef JOS_KERN_SPINLOCK_HH
#define JOS_KERN_SPINLOCK_HH

#include <inc/types.h>

#include <kern/cpu.hh>

// Return addresses recorded per acquisition: enough to name the holder's
// caller and that function's caller when a lock is misused; cheap to record.
constexpr int SPINLOCK_PCS = 2;

// A mutual-exclusion lock. Acquiring a lock this CPU already holds, or
// releasing one it does not hold, panics.
struct spinlock {
	uint32_t locked;            // nonzero while held (accessed atomically)
	const char *name;           // for diagnostics
	CpuInfo *cpu;               // the holder
	uintptr_t pcs[SPINLOCK_PCS]; // the holder's innermost return addresses, 0-ended
};

constexpr spinlock make_spinlock(const char *name)
{
	return spinlock{0, name, nullptr, {}};
}

void spin_lock(spinlock *lk);
void spin_unlock(spinlock *lk);

// Does this CPU hold lk? (Inline: assert_kernel_locked runs on every
// kernel path.)
[[gnu::always_inline]] inline bool holding(spinlock *lk)
{
	return __atomic_load_n(&lk->locked, __ATOMIC_RELAXED) && lk->cpu == thiscpu;
}

// Holds a lock for one C++ scope. Never let one span env_run or
// sched_yield: they do not return.
class [[nodiscard]] spinlock_guard {
public:
	explicit spinlock_guard(spinlock *lk) : lk_(lk) { spin_lock(lk_); }
	~spinlock_guard() { spin_unlock(lk_); }
	spinlock_guard(const spinlock_guard &) = delete;
	spinlock_guard &operator=(const spinlock_guard &) = delete;
private:
	spinlock *lk_;
};

// The big kernel lock: taken on every entry from user mode (trap), before
// boot_aps and in mp_main; released by env_run just before env_pop_tf and
// by sched_halt. Held across functions that never return, so it is taken
// and released explicitly rather than by a guard.
extern spinlock kernel_lock;

inline void lock_kernel(void)
{
	spin_lock(&kernel_lock);
}

inline void unlock_kernel(void)
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
#define assert_kernel_locked() \
	assert(!kernel_lock_needed || holding(&kernel_lock))

#endif // !JOS_KERN_SPINLOCK_HH
