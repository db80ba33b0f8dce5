// test/printfmt_test.cc: host unit tests of lib/printfmt.cc, the printf
// engine the kernel and user space share (GoogleTest).

#include <gtest/gtest.h>

#include <climits>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>

#include "jos_lib.hh"

namespace {

// Format with the JOS snprintf into a std::string; also checks that the
// returned length matches the text.
template <typename... Args>
std::string fmt(const char *format, Args... args)
{
	char buf[256];
	int n = jos_snprintf(buf, sizeof buf, format, args...);
	EXPECT_EQ(n, (int) std::strlen(buf)) << "for format " << format;
	return buf;
}

TEST(Printfmt, Integers)
{
	EXPECT_EQ(fmt("%d", 0), "0");
	EXPECT_EQ(fmt("%d", -42), "-42");
	EXPECT_EQ(fmt("%d", INT_MIN), "-2147483648");
	EXPECT_EQ(fmt("%u", 4294967295u), "4294967295");
	EXPECT_EQ(fmt("%x", 0xdeadbeef), "deadbeef");
	EXPECT_EQ(fmt("%o", 6828), "15254");   // the boot line
	EXPECT_EQ(fmt("%i", 17), "17");
}

TEST(Printfmt, WidthAndPadding)
{
	EXPECT_EQ(fmt("%08x", 0x1000), "00001000");   // env ids
	EXPECT_EQ(fmt("%5d|", 42), "   42|");
	EXPECT_EQ(fmt("%-5d|", 42), "42   |");
	EXPECT_EQ(fmt("%04x", 0x2001), "2001");
	EXPECT_EQ(fmt("%*d", 4, 7), "   7");
	EXPECT_EQ(fmt("0x----%04x", 0x1b), "0x----001b");   // print_trapframe
}

TEST(Printfmt, Strings)
{
	EXPECT_EQ(fmt("%s", "hello"), "hello");
	EXPECT_EQ(fmt("%5s|", "ab"), "   ab|");
	EXPECT_EQ(fmt("%-5s|", "ab"), "ab   |");
	EXPECT_EQ(fmt("%.3s", "abcdef"), "abc");
	EXPECT_EQ(fmt("%.*s", 2, "abcdef"), "ab");
	EXPECT_EQ(fmt("%s", (const char *) nullptr), "(null)");
	EXPECT_EQ(fmt("%c%c", 'o', 'k'), "ok");
	EXPECT_EQ(fmt("100%%"), "100%");
}

TEST(Printfmt, Pointers)
{
	EXPECT_EQ(fmt("%p", (void *) 0xf0117f64), "0xf0117f64");
}

TEST(Printfmt, ErrorCodes)
{
	EXPECT_EQ(fmt("%e", -3), "invalid parameter");
	EXPECT_EQ(fmt("%e", 4), "out of memory");
	EXPECT_EQ(fmt("%e", -2), "bad environment");
	EXPECT_EQ(fmt("%e", -7), "env is not recving");
	EXPECT_EQ(fmt("%e", -100), "error 100");
}

TEST(Printfmt, SixtyFourBit)
{
	EXPECT_EQ(fmt("%lld", -1234567890123ll), "-1234567890123");
	EXPECT_EQ(fmt("%llu", 18446744073709551615ull), "18446744073709551615");
	EXPECT_EQ(fmt("%llx", 0x123456789abcdefull), "123456789abcdef");
	EXPECT_EQ(fmt("%ld", -5l), "-5");
}

// 64-bit conversions must agree with the host's for random values (the
// library does them without 64-bit division, which the kernel lacks).
TEST(Printfmt, SixtyFourBitMatchesHost)
{
	std::mt19937_64 rng(6828);
	for (int i = 0; i < 20000; i++) {
		unsigned long long v = rng() >> (rng() % 64);
		char want[64];
		std::snprintf(want, sizeof want, "%llu %llx %llo", v, v, v);
		ASSERT_EQ(fmt("%llu %llx %llo", v, v, v), want);
	}
}

TEST(Printfmt, Truncation)
{
	char buf[4];
	int n = jos_snprintf(buf, sizeof buf, "%s", "abcdef");
	EXPECT_STREQ(buf, "abc");
	EXPECT_EQ(n, 6);   // the full length, as C's snprintf
	EXPECT_LT(jos_snprintf(nullptr, 10, "x"), 0);
	EXPECT_LT(jos_snprintf(buf, 0, "x"), 0);
}

TEST(Printfmt, UnknownVerbIsPrintedLiterally)
{
	EXPECT_EQ(fmt("%k"), "%k");
}

} // namespace
