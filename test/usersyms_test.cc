// test/usersyms_test.cc: host unit tests of kern/usersyms.cc, the lookup
// of a user address in an embedded program's symbol table, on ELF images
// built in memory (in buffers of exactly their size, so AddressSanitizer
// reports any read past the end).

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "jos_inc.hh"
#include <kern/usersyms.hh>

namespace {

constexpr uint8_t FUNC = ELF_STT_FUNC, OBJECT = 1;

// An image: header, section headers (null, symtab, strtab), symbols, names.
std::vector<uint8_t> image(const std::vector<Elfsym> &syms, const std::string &names)
{
	size_t shoff = sizeof(Elf), symoff = shoff + 3 * sizeof(Secthdr);
	size_t stroff = symoff + syms.size() * sizeof(Elfsym);
	std::vector<uint8_t> img(stroff + names.size());
	Elf elf{};
	elf.e_magic = ELF_MAGIC;
	elf.e_shoff = shoff;
	elf.e_shentsize = sizeof(Secthdr);
	elf.e_shnum = 3;
	std::memcpy(img.data(), &elf, sizeof(elf));
	Secthdr sh[3]{};
	sh[1].sh_type = ELF_SHT_SYMTAB;
	sh[1].sh_offset = symoff;
	sh[1].sh_size = syms.size() * sizeof(Elfsym);
	sh[1].sh_link = 2;
	sh[2].sh_type = ELF_SHT_STRTAB;
	sh[2].sh_offset = stroff;
	sh[2].sh_size = names.size();
	std::memcpy(img.data() + shoff, sh, sizeof(sh));
	std::memcpy(img.data() + symoff, syms.data(), syms.size() * sizeof(Elfsym));
	std::memcpy(img.data() + stroff, names.data(), names.size());
	return img;
}

Elfsym sym(uint32_t name, uint32_t value, uint32_t size, uint8_t type)
{
	Elfsym s{};
	s.st_name = name;
	s.st_value = value;
	s.st_size = size;
	s.st_info = type;
	return s;
}

// The name found for va in img, or "" when none.
std::string lookup(const std::vector<uint8_t> &img, uintptr_t va,
		   uintptr_t *addr = nullptr)
{
	auto buf = std::make_unique<uint8_t[]>(img.size());
	if (!img.empty())
		std::memcpy(buf.get(), img.data(), img.size());
	UserFn fn;
	if (!user_fn_at(buf.get(), img.size(), va, &fn))
		return "";
	if (addr)
		*addr = fn.addr;
	return std::string(fn.name, fn.namelen);
}

// Names: 1 "umain", 7 "libmain", 15 "data".
const std::string NAMES = std::string("\0umain\0libmain\0data\0", 20);

TEST(UserSyms, FindsTheContainingFunction)
{
	auto img = image({ sym(1, 0x800100, 0x40, FUNC), sym(7, 0x800040, 0x80, FUNC),
			   sym(15, 0x800080, 0x100, OBJECT) },
			 NAMES);
	uintptr_t addr = 0;
	EXPECT_EQ(lookup(img, 0x800100, &addr), "umain");
	EXPECT_EQ(addr, 0x800100u);
	EXPECT_EQ(lookup(img, 0x80013f), "umain");
	EXPECT_EQ(lookup(img, 0x800090), "libmain") << "data symbols are not functions";
	EXPECT_EQ(lookup(img, 0x800140), "") << "past umain's end";
	EXPECT_EQ(lookup(img, 0x80003f), "") << "below every function";
}

TEST(UserSyms, UnknownSizeMeansNearestBelow)
{
	auto img = image({ sym(1, 0x800100, 0, FUNC), sym(7, 0x800000, 0, FUNC) }, NAMES);
	EXPECT_EQ(lookup(img, 0x800fff), "umain");
	EXPECT_EQ(lookup(img, 0x8000ff), "libmain");
}

TEST(UserSyms, DamagedImagesFindNothing)
{
	auto good = image({ sym(1, 0x800100, 0x40, FUNC) }, NAMES);
	EXPECT_EQ(lookup(good, 0x800100), "umain");
	for (size_t cut = 0; cut < good.size(); cut++) {
		std::vector<uint8_t> shorter(good.begin(), good.begin() + cut);
		EXPECT_EQ(lookup(shorter, 0x800100), "") << "truncated to " << cut;
	}
	auto bad_name = image({ sym(100, 0x800100, 0x40, FUNC) }, NAMES);
	EXPECT_EQ(lookup(bad_name, 0x800100), "") << "name offset past the string table";
	auto bad_magic = good;
	bad_magic[0] = 0;
	EXPECT_EQ(lookup(bad_magic, 0x800100), "");
}

} // namespace
