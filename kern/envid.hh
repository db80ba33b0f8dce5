// kern/envid.hh: how env_alloc numbers environments (inc/envid.h gives the
// layout). Pure arithmetic, so the host unit tests use it as it is
// (test/envid_test.cc).
#ifndef JOS_KERN_ENVID_HH
#define JOS_KERN_ENVID_HH

#include <inc/envid.h>

// The generation's lowest bit (inc/envid.h).
constexpr int ENVGENSHIFT = 12;
static_assert((1 << ENVGENSHIFT) > NENV, "generation bits must clear the index");

// The id for slot (< NENV) whose previous occupant had id prev (0 for a
// slot never used): the next generation, so every stale id of the slot
// stops matching (envid2env compares whole ids). Past the largest
// generation it starts again at the first, so the id stays positive.
// Unsigned arithmetic: prev + 1 generation may pass INT32_MAX.
constexpr envid_t next_envid(envid_t prev, uint32_t slot)
{
	uint32_t generation =
		(uint32_t(prev) + (1u << ENVGENSHIFT)) & ~uint32_t(NENV - 1);
	if (int32_t(generation) <= 0)
		generation = 1u << ENVGENSHIFT;
	return envid_t(generation | slot);
}

static_assert(next_envid(0, 0) == 0x1000, "the first environment is 00001000");
static_assert(next_envid(0x7ffff3ff, NENV - 1) == 0x13ff,
	      "the generation wraps to the first");

#endif // !JOS_KERN_ENVID_HH
