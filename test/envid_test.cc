// test/envid_test.cc: host unit tests of env id arithmetic: ENVX
// (inc/envid.h) and the generation scheme env_alloc uses (next_envid,
// kern/envid.hh).

#include <gtest/gtest.h>

#include <climits>
#include <random>
#include <set>
#include <vector>

#include <kern/envid.hh>

namespace {

constexpr uint32_t GENERATIONS = (1u << (31 - ENVGENSHIFT)) - 1; // 1 .. 0x7ffff

TEST(EnvId, FirstIds)
{
	EXPECT_EQ(next_envid(0, 0), 0x1000); // "[00000000] new env 00001000"
	EXPECT_EQ(next_envid(0, 1), 0x1001);
	EXPECT_EQ(next_envid(0, NENV - 1), 0x13ff);
	EXPECT_EQ(next_envid(0x1000, 0), 0x2000); // slot 0 reused
	EXPECT_EQ(next_envid(0x1005, 5), 0x2005);
}

// ENVX gives an index inside envs[] for any int, negative ones included
// (envid2env indexes envs[] with whatever id user space passes).
TEST(EnvId, EnvxIsAlwaysAnIndex)
{
	for (envid_t id : { 0, 1, -1, 0x1000, 0x13ff, INT_MAX, INT_MIN, -4096 })
		EXPECT_TRUE(ENVX(id) >= 0 && ENVX(id) < NENV) << id;
	EXPECT_EQ(ENVX(-1), NENV - 1);
	EXPECT_EQ(ENVX(INT_MIN), 0);
}

// One slot through every generation: each id is positive, names the
// slot, and differs from every earlier one until all generations are
// used; then the first comes back. (Signed overflow on the last step
// would be an UBSan report.)
TEST(EnvId, EveryGenerationOnce)
{
	for (uint32_t slot : { 0u, 1u, 0x155u, uint32_t(NENV - 1) }) {
		std::vector<bool> seen(GENERATIONS + 1);
		envid_t id = 0, first = next_envid(0, slot);
		for (uint32_t n = 0; n < GENERATIONS; n++) {
			id = next_envid(id, slot);
			ASSERT_GT(id, 0);
			ASSERT_EQ(uint32_t(ENVX(id)), slot);
			ASSERT_EQ(id & 0xc00, 0) << "bits 10-11 stay clear";
			uint32_t gen = uint32_t(id) >> ENVGENSHIFT;
			ASSERT_FALSE(seen[gen]) << "generation " << gen << " twice";
			seen[gen] = true;
		}
		EXPECT_EQ(id, envid_t(0x7ffff000 | slot)); // the largest
		EXPECT_EQ(next_envid(id, slot), first);    // and around again
	}
}

// Whatever the previous id (even one env_alloc never makes), the next is
// positive, in the slot, and not the previous one.
TEST(EnvId, AnyPreviousId)
{
	std::mt19937 rng(6828);
	for (int i = 0; i < 100000; i++) {
		envid_t prev = envid_t(rng());
		uint32_t slot = i % 2 ? uint32_t(ENVX(prev)) : rng() % NENV;
		envid_t id = next_envid(prev, slot);
		ASSERT_GT(id, 0) << prev;
		ASSERT_EQ(uint32_t(ENVX(id)), slot) << prev;
		ASSERT_NE(id, prev);
	}
	for (envid_t prev : { INT_MAX, INT_MIN, -1, 0x7ffff000, 0x7fffefff })
		EXPECT_GT(next_envid(prev, 3), 0) << prev;
}

// envid2env's rule (kern/env.cc): an id names slot ENVX(id) while that
// slot is in use and holds exactly that id. Modelled on a few slots: an
// id handed out earlier never names a later occupant of its slot, and 0
// or a negative id never names any.
TEST(EnvId, StaleIdsNeverMatch)
{
	constexpr int SLOTS = 8;
	struct Slot {
		envid_t id = 0;
		bool used = false;
	} slots[SLOTS];
	auto lookup = [&](envid_t id) -> int {
		if (id <= 0 || ENVX(id) >= SLOTS)
			return -1; // 0 is the caller; no id is negative
		const Slot &s = slots[ENVX(id)];
		return s.used && s.id == id ? ENVX(id) : -1;
	};
	std::mt19937 rng(42);
	std::set<envid_t> retired;
	for (int i = 0; i < 20000; i++) {
		int k = rng() % SLOTS;
		Slot &s = slots[k];
		if (s.used) {
			retired.insert(s.id);
			s.used = false;
		} else {
			s.id = next_envid(s.id, k);
			s.used = true;
			ASSERT_EQ(lookup(s.id), k);
		}
		if (i % 97 == 0) {
			for (envid_t old : retired)
				ASSERT_EQ(lookup(old), -1) << old;
		}
	}
	EXPECT_EQ(lookup(0), -1);
	EXPECT_EQ(lookup(-1), -1);
}

} // namespace
