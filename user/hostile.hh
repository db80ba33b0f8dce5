// user/hostile.hh: helpers shared by our hostile test programs (fuzz,
// pageleak, envexhaust, smprace, stoprace, sforkmix, ...): a fixed-seed
// pseudo-random generator, counting free physical pages and free
// environments from user space, bounded waits, waiting until environments
// are freed, and making this environment's pages private so that later
// writes cannot need memory. User programs only (C++).
#ifndef JOS_USER_HOSTILE_HH
#define JOS_USER_HOSTILE_HH

#include <inc/lib.h>

extern "C" char end[]; // end of the program's bss (user/user.ld)

namespace hostile {

// xorshift32 (G. Marsaglia, "Xorshift RNGs", 2003): the same nonzero seed
// always gives the same sequence, so every run is reproducible.
struct Rng {
	uint32_t s;

	uint32_t next()
	{
		s ^= s << 13;
		s ^= s >> 17;
		s ^= s << 5;
		return s;
	}
	// Uniform enough in [0, n) for n > 0.
	uint32_t below(uint32_t n)
	{
		return next() % n;
	}
	// True with probability about percent / 100.
	bool chance(uint32_t percent)
	{
		return below(100) < percent;
	}
};

// Pages counted by count_free_pages are mapped from here up (a range no
// test program uses for anything else: 128 MiB of it fits below UTOP).
constexpr uintptr_t COUNT_BASE = 0x10000000;

// Count the physical pages this environment can still allocate: map
// zeroed read-only pages at COUNT_BASE, COUNT_BASE + PGSIZE, ... until the
// kernel says -E_NO_MEM, then unmap them all. Returns the count, or a
// negative error code the kernel should not have returned.
//
// The page tables that cover the range stay allocated (unmapping a page
// never frees its table), so the first call uses up a few pages more than
// it counts; compare only counts taken after a first, warm-up call, and
// only while no other environment allocates.
inline int count_free_pages(void)
{
	int n = 0, r;
	while ((r = sys_page_alloc(0, (void *) (COUNT_BASE + n * PGSIZE),
				   PTE_P | PTE_U)) == 0)
		n++;
	for (int i = 0; i < n; i++)
		sys_page_unmap(0, (void *) (COUNT_BASE + i * PGSIZE));
	return r == -E_NO_MEM ? n : r;
}

// Make this environment's own page use stable before a first page count
// that later counts are compared with: fork once (which allocates the
// exception stack and, at the first copy-on-write fault, the page table
// behind PFTEMP; both stay), wait for the child to be freed, and count
// once (allocating the counting range's page tables). Returns the fork
// error, or 0.
inline int prepare_counting(void)
{
	envid_t id = fork();
	if (id == 0)
		exit();
	if (id < 0)
		return id;
	while (envs[ENVX(id)].env_id == id && envs[ENVX(id)].env_status != ENV_FREE)
		sys_yield();
	int r = count_free_pages();
	return r < 0 ? r : 0;
}

// Number of ENV_FREE slots in envs[].
inline int count_free_envs(void)
{
	int n = 0;
	for (int i = 0; i < NENV; i++)
		if (envs[i].env_status == ENV_FREE)
			n++;
	return n;
}

// Is environment id gone (its slot free, or reused under another id)?
inline bool env_gone(envid_t id)
{
	const volatile Env *e = &envs[ENVX(id)];
	return e->env_id != id || e->env_status == ENV_FREE;
}

// Yield until pred() holds; false if it still does not after `yields`
// yields (a bounded wait, so a broken kernel fails a test, not hangs it).
// Generous: on a busy host QEMU may not run another CPU's thread for a
// long while, and the wait ends as soon as pred() holds.
template <typename Pred>
bool yield_until(Pred pred, int yields = 500000)
{
	for (int i = 0; i < yields; i++) {
		if (pred())
			return true;
		sys_yield();
	}
	return pred();
}

// Yield until environment id is gone.
inline void wait_env_gone(envid_t id)
{
	while (!env_gone(id))
		sys_yield();
}

// Yield until at least n environment slots are free (the environments
// this test created have all been freed).
inline void wait_free_envs(int n)
{
	while (count_free_envs() < n)
		sys_yield();
}

// Write every copy-on-write page of the program image ([UTEXT, end)) back
// to itself, so that each gets its private copy now: afterwards writes to
// globals need no memory, even when the test has used it all up.
inline void make_private(void)
{
	for (uintptr_t va = UTEXT; va < (uintptr_t) end; va += PGSIZE) {
		if (!(uvpd[PDX(va)] & PTE_P) || !(uvpt[PGNUM(va)] & PTE_COW))
			continue;
		volatile char *p = (volatile char *) va;
		*p = *p;
	}
}

} // namespace hostile

#endif // !JOS_USER_HOSTILE_HH
