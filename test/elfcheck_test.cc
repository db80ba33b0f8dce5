// test/elfcheck_test.cc: host unit tests of kern/elfcheck.cc, the checks
// load_icode makes on an ELF image, on valid and malformed images built in
// memory. Each image is checked in a heap buffer of exactly its size, so
// AddressSanitizer reports any read past its end.

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <ostream>
#include <random>
#include <vector>

#include "jos_inc.hh"
#include <kern/elfcheck.hh>

// gtest names problems in failure messages by this (found by ADL).
void PrintTo(ElfProblem p, std::ostream *os)
{
	static const char *const names[] = { "none",
					     "not_elf",
					     "phdrs_outside",
					     "entry_above_limit",
					     "segment_outside",
					     "segment_above_limit" };
	*os << names[int(p)];
}

namespace {

// UTOP of inc/memlayout.h (not includable on a 64-bit host: jos_inc.hh).
constexpr uint32_t LIMIT = 0xeec00000;
constexpr uint32_t KERNBASE_VA = 0xf0000000;

// An image under construction: its header, program headers and size.
struct Image {
	Elf elf{};
	std::vector<Proghdr> ph;
	size_t size = 0x400;

	// A small valid program: text, and data with bss, both loadable, and
	// a non-loadable header with nonsense values, which must be ignored.
	static Image valid()
	{
		Image im;
		im.elf.e_magic = ELF_MAGIC;
		im.elf.e_entry = 0x800020;
		im.elf.e_phoff = sizeof(Elf);
		im.elf.e_phentsize = sizeof(Proghdr);
		im.ph.push_back(Proghdr{ ELF_PROG_LOAD, 0x100, 0x800020, 0, 0x80, 0x80, 5,
					 0x1000 });
		im.ph.push_back(Proghdr{ ELF_PROG_LOAD, 0x180, 0x801000, 0, 0x40, 0x2000,
					 6, 0x1000 });
		im.ph.push_back(Proghdr{ 0x6474e551, 0xffffffff, 0xffffffff, 0,
					 0xffffffff, 0, 6, 0 });
		im.elf.e_phnum = uint16_t(im.ph.size());
		return im;
	}

	// The bytes: header at 0, program headers at e_phoff (those that fit).
	std::vector<uint8_t> bytes() const
	{
		std::vector<uint8_t> b(size, 0xcc);
		std::memcpy(b.data(), &elf, std::min(sizeof elf, size));
		for (size_t i = 0; i < ph.size(); i++) {
			uint64_t at = uint64_t(elf.e_phoff) + i * sizeof(Proghdr);
			if (at + sizeof(Proghdr) <= size)
				std::memcpy(b.data() + at, &ph[i], sizeof(Proghdr));
		}
		return b;
	}
};

// elf_check on exactly n bytes of b, in their own heap block.
ElfCheck check_bytes(const std::vector<uint8_t> &b, size_t n)
{
	std::unique_ptr<uint8_t[]> copy(new uint8_t[n ? n : 1]);
	std::memcpy(copy.get(), b.data(), n);
	return elf_check(copy.get(), n, LIMIT);
}

ElfCheck check(const Image &im)
{
	return check_bytes(im.bytes(), im.size);
}

#define EXPECT_PROBLEM(im, what, seg)                    \
	do {                                             \
		ElfCheck c_ = check(im);                 \
		EXPECT_EQ(c_.problem, ElfProblem::what); \
		EXPECT_EQ(c_.segment, seg);              \
	} while (0)

TEST(ElfCheck, ValidImage)
{
	EXPECT_PROBLEM(Image::valid(), none, -1);
	Image im = Image::valid();
	im.ph.clear();
	im.elf.e_phnum = 0;
	EXPECT_PROBLEM(im, none, -1); // nothing to load is not an error
}

TEST(ElfCheck, TruncatedHeader)
{
	std::vector<uint8_t> b = Image::valid().bytes();
	for (size_t n = 0; n < sizeof(Elf); n++)
		EXPECT_EQ(check_bytes(b, n).problem, ElfProblem::not_elf) << n;
}

// Cut the valid image at every length: valid exactly from the length
// that holds every program header and every loadable segment's bytes.
TEST(ElfCheck, TruncatedAnywhere)
{
	Image im = Image::valid();
	std::vector<uint8_t> b = im.bytes();
	size_t need = im.elf.e_phoff + im.ph.size() * sizeof(Proghdr);
	for (const Proghdr &p : im.ph)
		if (p.p_type == ELF_PROG_LOAD)
			need = std::max<size_t>(need, p.p_offset + p.p_filesz);
	for (size_t n = 0; n <= b.size(); n++) {
		ElfCheck c = check_bytes(b, n);
		if (n < need)
			EXPECT_NE(c.problem, ElfProblem::none) << n;
		else
			EXPECT_EQ(c.problem, ElfProblem::none) << n;
	}
}

TEST(ElfCheck, BadMagic)
{
	for (int byte = 0; byte < 4; byte++) {
		Image im = Image::valid();
		im.elf.e_magic ^= 0x20u << (8 * byte);
		EXPECT_PROBLEM(im, not_elf, -1);
	}
	Image im = Image::valid();
	im.elf.e_magic = 0x464c457f ^ 0x80000000; // "\x7fEL\xc6"
	EXPECT_PROBLEM(im, not_elf, -1);
}

TEST(ElfCheck, ProgramHeadersOutside)
{
	Image im = Image::valid();
	im.elf.e_phentsize = sizeof(Proghdr) + 4;
	EXPECT_PROBLEM(im, phdrs_outside, -1);

	im = Image::valid();
	im.elf.e_phoff = im.size - 2 * sizeof(Proghdr); // one header short
	EXPECT_PROBLEM(im, phdrs_outside, -1);
	im.elf.e_phoff = im.size - 3 * sizeof(Proghdr); // just fits
	EXPECT_PROBLEM(im, none, -1);

	for (uint32_t off : { uint32_t(0x401), 0xffffffffu, 0xffffffe0u, 0x80000000u }) {
		im = Image::valid();
		im.elf.e_phoff = off;
		EXPECT_PROBLEM(im, phdrs_outside, -1);
	}
	im = Image::valid();
	im.elf.e_phnum = 0xffff;
	EXPECT_PROBLEM(im, phdrs_outside, -1);
	im.elf.e_phnum = (im.size - im.elf.e_phoff) / sizeof(Proghdr) + 1;
	EXPECT_PROBLEM(im, phdrs_outside, -1);
}

// Program headers at an odd offset are read byte-wise (UBSan would
// report a misaligned Proghdr access).
TEST(ElfCheck, UnalignedProgramHeaders)
{
	Image im = Image::valid();
	im.elf.e_phoff = 0x201;
	EXPECT_PROBLEM(im, none, -1);
	im.ph[1].p_memsz = 0x10; // now smaller than its filesz
	EXPECT_PROBLEM(im, segment_outside, 1);
}

TEST(ElfCheck, EntryPoint)
{
	Image im = Image::valid();
	im.elf.e_entry = LIMIT;
	EXPECT_PROBLEM(im, entry_above_limit, -1);
	im.elf.e_entry = KERNBASE_VA + 0x100000;
	EXPECT_PROBLEM(im, entry_above_limit, -1);
	im.elf.e_entry = LIMIT - 1;
	EXPECT_PROBLEM(im, none, -1);
}

TEST(ElfCheck, SegmentFileBytesOutside)
{
	struct Case {
		uint32_t offset, filesz, memsz;
	};
	for (Case c : { Case{ 0x100, 0x81, 0x80 },   // filesz > memsz
			Case{ 0x401, 0, 0x10 },      // starts past the end
			Case{ 0x3c0, 0x41, 0x1000 }, // ends one byte past it
			Case{ 0xffffffff, 2, 0x10 }, // offset + filesz wraps
			Case{ 0x10, 0xfffffff8, 0xfffffff8 } }) {
		Image im = Image::valid();
		im.ph[1].p_offset = c.offset;
		im.ph[1].p_filesz = c.filesz;
		im.ph[1].p_memsz = c.memsz;
		EXPECT_PROBLEM(im, segment_outside, 1);
	}
	Image im = Image::valid();
	im.ph[1].p_offset = 0x3c0; // ends exactly at the end
	EXPECT_PROBLEM(im, none, -1);
	im.ph[1].p_offset = 0x400; // empty, at the very end
	im.ph[1].p_filesz = 0;
	EXPECT_PROBLEM(im, none, -1);
}

TEST(ElfCheck, SegmentMemoryReachesLimit)
{
	struct Case {
		uint32_t va, memsz;
	};
	for (Case c : { Case{ LIMIT, 0x1000 },                  // starts at UTOP
			Case{ LIMIT - 0x1000, 0x1001 },         // ends one byte past
			Case{ KERNBASE_VA + 0x100000, 0x1000 }, // in the kernel
			Case{ 0xef800000, 0x1000 },             // at ULIM
			Case{ 0xfffff000, 0x2000 },   // va + memsz wraps to 0x1000
			Case{ 0x800000, 0xffffffff }, // wraps from low memory
			Case{ LIMIT - 1, 0xffffffff } }) {
		Image im = Image::valid();
		im.ph[1].p_va = c.va;
		im.ph[1].p_memsz = c.memsz;
		EXPECT_PROBLEM(im, segment_above_limit, 1);
	}
	Image im = Image::valid();
	im.ph[1].p_va = LIMIT - 0x2000; // ends exactly at UTOP
	EXPECT_PROBLEM(im, none, -1);
	im.ph[1].p_va = 0;
	EXPECT_PROBLEM(im, none, -1);
}

// The first bad segment is named, in header order.
TEST(ElfCheck, FirstProblemWins)
{
	Image im = Image::valid();
	im.ph[0].p_va = LIMIT;
	im.ph[1].p_filesz = 0xffffffff;
	EXPECT_PROBLEM(im, segment_above_limit, 0);
	im.elf.e_entry = LIMIT;
	EXPECT_PROBLEM(im, entry_above_limit, -1);
}

// Random damage to the header fields, against a model in 64-bit
// arithmetic (which nothing 32-bit can overflow).
ElfProblem model(const Image &im)
{
	const Elf &e = im.elf;
	if (im.size < sizeof(Elf) || e.e_magic != ELF_MAGIC)
		return ElfProblem::not_elf;
	if (e.e_phentsize != sizeof(Proghdr) ||
	    uint64_t(e.e_phoff) + uint64_t(e.e_phnum) * sizeof(Proghdr) > im.size)
		return ElfProblem::phdrs_outside;
	if (e.e_entry >= LIMIT)
		return ElfProblem::entry_above_limit;
	for (const Proghdr &p : im.ph) {
		if (p.p_type != ELF_PROG_LOAD)
			continue;
		if (p.p_filesz > p.p_memsz || uint64_t(p.p_offset) + p.p_filesz > im.size)
			return ElfProblem::segment_outside;
		if (uint64_t(p.p_va) + p.p_memsz > LIMIT)
			return ElfProblem::segment_above_limit;
	}
	return ElfProblem::none;
}

TEST(ElfCheck, RandomDamageMatchesModel)
{
	std::mt19937 rng(6828);
	auto value = [&]() -> uint32_t {
		switch (rng() % 4) {
		case 0:
			return rng();
		case 1:
			return rng() % 0x500;
		case 2:
			return LIMIT - 0x800 + rng() % 0x1000;
		default:
			return 0xffffffff - rng() % 0x100;
		}
	};
	for (int iter = 0; iter < 20000; iter++) {
		Image im = Image::valid();
		for (int k = rng() % 4; k >= 0; k--) {
			Proghdr &p = im.ph[rng() % im.ph.size()];
			switch (rng() % 8) {
			case 0:
				im.elf.e_entry = value();
				break;
			case 1:
				im.elf.e_phoff = sizeof(Elf) + value() % 0x3e0;
				break;
			case 2:
				p.p_offset = value();
				break;
			case 3:
				p.p_filesz = value();
				break;
			case 4:
				p.p_memsz = value();
				break;
			case 5:
				p.p_va = value();
				break;
			case 6:
				p.p_type = rng() % 2 ? ELF_PROG_LOAD : 0;
				break;
			case 7:
				im.size = sizeof(Elf) + rng() % 0x400;
				break;
			}
		}
		// The model sees only the headers that are in the image (and
		// e_phoff stays past the ELF header, which they would overwrite).
		if (uint64_t(im.elf.e_phoff) + im.ph.size() * sizeof(Proghdr) > im.size)
			ASSERT_EQ(check(im).problem, ElfProblem::phdrs_outside);
		else
			ASSERT_EQ(check(im).problem, model(im)) << iter;
	}
}

} // namespace
