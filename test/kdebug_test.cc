// test/kdebug_test.cc: host unit tests of kern/kdebug.cc's debuginfo_eip,
// the lookup behind backtrace, on crafted tables in the layout
// conf/kdebug-table.py emits (defined here in place of the generated
// obj/kern/kdebug-table.S).

#include <gtest/gtest.h>

#include <string>

#include "jos_inc.hh"
#include <kern/kdebug.hh>

// Names at offsets 1 "trap", 6 "env_run", 14 "kern/trap.cc", 27
// "kern/env.cc"; offset 0 is the empty name that ends a function.
extern "C" {
extern const char kdebug_strtab[] = "\0trap\0env_run\0kern/trap.cc\0kern/env.cc";
extern const uint32_t kdebug_nfuncs = 3;
extern const KdebugFunc kdebug_funcs[] = {
	{ 0xf0100000, 1 }, // trap
	{ 0xf0100040, 6 }, // env_run
	{ 0xf0100080, 0 }, // end of env_run: nothing known after
};
extern const uint32_t kdebug_nfiles = 2;
extern const uint32_t kdebug_files[] = { 14, 27 };
extern const uint32_t kdebug_nlines = 4;
extern const KdebugLine kdebug_lines[] = {
	{ 0xf0100000, 10, 0 },
	{ 0xf0100010, 12, 0 },
	{ 0xf0100040, 99, 1 },
	{ 0xf0100070, 0, KDEBUG_NO_FILE }, // the sequence ends here
};
}

namespace {

struct Found {
	int r;
	std::string fn, file;
	int line;
	uintptr_t fn_addr;
};

Found look(uintptr_t addr)
{
	Eipdebuginfo info;
	int r = debuginfo_eip(addr, &info);
	return { r, std::string(info.eip_fn_name, info.eip_fn_namelen), info.eip_file,
		 info.eip_line, info.eip_fn_addr };
}

TEST(Kdebug, FunctionAndLineOfAnAddress)
{
	Found f = look(0xf0100014);
	EXPECT_EQ(f.r, 0);
	EXPECT_EQ(f.fn, "trap");
	EXPECT_EQ(f.fn_addr, 0xf0100000u);
	EXPECT_EQ(f.file, "kern/trap.cc");
	EXPECT_EQ(f.line, 12);
	f = look(0xf0100040);
	EXPECT_EQ(f.fn, "env_run") << "a function's first byte is its own";
	EXPECT_EQ(f.file, "kern/env.cc");
	EXPECT_EQ(f.line, 99);
	EXPECT_EQ(look(0xf010003f).fn, "trap") << "last byte before the next function";
}

TEST(Kdebug, UnknownAddressesGetTheDefaults)
{
	for (uintptr_t addr : { 0xeffffffful, 0xf0100080ul, 0xf0200000ul }) {
		Found f = look(addr);
		EXPECT_EQ(f.r, -1) << std::hex << addr;
		EXPECT_EQ(f.fn, "<unknown>");
		EXPECT_EQ(f.fn_addr, addr);
	}
	Found f = look(0xeffffff0);
	EXPECT_EQ(f.file, "<unknown>") << "below every line row";
	EXPECT_EQ(f.line, 0);
	f = look(0xf0100074);
	EXPECT_EQ(f.r, 0) << "still inside env_run";
	EXPECT_EQ(f.file, "<unknown>") << "after the end of its line sequence";
	EXPECT_EQ(f.line, 0);
}

} // namespace
