// test/printfmt_test.cc: host unit tests of lib/printfmt.cc, the printf
// engine the kernel and user space share (GoogleTest).

#include <gtest/gtest.h>

#include <climits>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <type_traits>

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
	EXPECT_EQ(fmt("%o", 6828), "15254"); // the boot line
	EXPECT_EQ(fmt("%i", 17), "17");
}

TEST(Printfmt, WidthAndPadding)
{
	EXPECT_EQ(fmt("%08x", 0x1000), "00001000"); // env ids
	EXPECT_EQ(fmt("%5d|", 42), "   42|");
	EXPECT_EQ(fmt("%-5d|", 42), "42   |");
	EXPECT_EQ(fmt("%04x", 0x2001), "2001");
	EXPECT_EQ(fmt("%*d", 4, 7), "   7");
	EXPECT_EQ(fmt("0x----%04x", 0x1b), "0x----001b"); // print_trapframe
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
	EXPECT_EQ(n, 6); // the full length, as C's snprintf
	EXPECT_LT(jos_snprintf(nullptr, 10, "x"), 0);
	EXPECT_LT(jos_snprintf(buf, 0, "x"), 0);
}

TEST(Printfmt, UnknownVerbIsPrintedLiterally)
{
	EXPECT_EQ(fmt("%k"), "%k");
}


// The conversions C and JOS define alike: every flag, width, precision and
// length combination on d i u x X o, against the host's snprintf, for the
// extreme values of each argument size. (Host `long` is 64 bits; the JOS
// code reads it with va_arg(long), so the two still agree.)
template <typename Signed>
void expect_integers_like_host(const char *length, Signed v)
{
	using Unsigned = std::make_unsigned_t<Signed>;
	static const char *const flags[] = { "", "-", "0", "-0", "0-" };
	static const char *const widths[] = { "", "1", "5", "12", "25" };
	static const char *const precisions[] = {
		"", ".", ".0", ".1", ".3", ".10", ".24"
	};
	for (const char *flag : flags)
		for (const char *width : widths)
			for (const char *prec : precisions)
				for (char verb : std::string("diuxXo")) {
					std::string f = std::string("[%") + flag + width +
							prec + length + verb + "]";
					char want[128];
					if (verb == 'd' || verb == 'i')
						std::snprintf(want, sizeof want,
							      f.c_str(), v);
					else
						std::snprintf(want, sizeof want,
							      f.c_str(), Unsigned(v));
					std::string got =
						verb == 'd' || verb == 'i'
							? fmt(f.c_str(), v)
							: fmt(f.c_str(), Unsigned(v));
					ASSERT_EQ(got, want)
						<< "format " << f << " value " << v;
				}
}

TEST(Printfmt, IntegerSpecsMatchHost)
{
	for (int v : { 0, 1, -1, 7, -42, 1000, INT_MAX, INT_MIN })
		expect_integers_like_host("", v);
	for (long v : { 0l, -1l, 123456789012l, LONG_MAX, LONG_MIN })
		expect_integers_like_host("l", v);
	for (long long v : { 0ll, 1ll, -1ll, -1234567890123ll, LLONG_MAX, LLONG_MIN })
		expect_integers_like_host("ll", v);
}

TEST(Printfmt, ExtremeValues)
{
	EXPECT_EQ(fmt("%d", INT_MAX), "2147483647");
	EXPECT_EQ(fmt("%d", INT_MIN), "-2147483648");
	EXPECT_EQ(fmt("%ld", LONG_MIN), std::to_string(LONG_MIN));
	EXPECT_EQ(fmt("%lld", LLONG_MIN), "-9223372036854775808");
	EXPECT_EQ(fmt("%lld", LLONG_MAX), "9223372036854775807");
	EXPECT_EQ(fmt("%llo", ULLONG_MAX), "1777777777777777777777"); // 22 digits
	EXPECT_EQ(fmt("%llX", ULLONG_MAX), "FFFFFFFFFFFFFFFF");
	EXPECT_EQ(fmt("%x", 0u), "0");
	EXPECT_EQ(fmt("%.0x|%.0d|%5.0u|", 0u, 0, 0u), "||     |"); // C: no digits
	EXPECT_EQ(fmt("%-+d", 1), "%-+d"); // '+' is not a JOS flag (below)
}

TEST(Printfmt, CharsAndStringsMatchHost)
{
	static const char *const specs[] = { "",    "1",    "4",   "-4", ".0", ".2",
					     "6.3", "-6.3", ".10", "-1", "08" };
	for (const char *spec : specs) {
		std::string fs = std::string("[%") + spec + "s]";
		char want[64];
		std::snprintf(want, sizeof want, fs.c_str(), "kernel");
		EXPECT_EQ(fmt(fs.c_str(), "kernel"), want) << fs;
		std::snprintf(want, sizeof want, fs.c_str(), "");
		EXPECT_EQ(fmt(fs.c_str(), ""), want) << fs;
		if (std::strchr(spec, '.') || std::strchr(spec, '0'))
			continue; // C leaves precision and '0' on %c undefined
		std::string fc = std::string("[%") + spec + "c]";
		std::snprintf(want, sizeof want, fc.c_str(), 'k');
		EXPECT_EQ(fmt(fc.c_str(), 'k'), want) << fc;
	}
	EXPECT_EQ(fmt("%c", 0x141), "A"); // the int argument becomes a char
	EXPECT_EQ(fmt("%.*s|%-*s|", 3, "abcdef", 4, "ab"), "abc|ab  |");
}

// %s of a null pointer prints "(null)", and precision cuts that text as
// any other (glibc instead prints nothing when the precision is < 6).
TEST(Printfmt, NullStringAndPrecision)
{
	EXPECT_EQ(fmt("%s", (const char *) nullptr), "(null)");
	EXPECT_EQ(fmt("%.3s", (const char *) nullptr), "(nu");
	EXPECT_EQ(fmt("%8s|", (const char *) nullptr), "  (null)|");
	EXPECT_EQ(fmt("%-8s|", (const char *) nullptr), "(null)  |");
	EXPECT_EQ(fmt("%.0s|", "abc"), "|");
	// Precision bounds the read: no terminator is needed within it.
	const char unterminated[3] = { 'a', 'b', 'c' };
	EXPECT_EQ(fmt("%.3s", unterminated), "abc");
	EXPECT_EQ(fmt("%.2s", unterminated), "ab");
}

// %p: "0x" then the lowercase hex value, no leading zeros; a null pointer
// is "0x0" (glibc prints "(nil)"). Width pads; '0' pads after the "0x".
TEST(Printfmt, PointerSpecs)
{
	EXPECT_EQ(fmt("%p", (void *) nullptr), "0x0");
	EXPECT_EQ(fmt("%p", (void *) 0x1000), "0x1000");
	EXPECT_EQ(fmt("%10p|", (void *) 0x1234), "    0x1234|");
	EXPECT_EQ(fmt("%-10p|", (void *) 0x1234), "0x1234    |");
	EXPECT_EQ(fmt("%010p", (void *) 0x1234), "0x00001234");
	EXPECT_EQ(fmt("%.8p", (void *) 0xbeef), "0x0000beef");
	EXPECT_EQ(fmt("%p", (void *) UINTPTR_MAX),
		  sizeof(void *) == 8 ? "0xffffffffffffffff" : "0xffffffff");
}

// %e takes an error code of either sign: E_* codes print their message
// (width and precision apply to it as to %s), anything else "error <n>".
TEST(Printfmt, ErrorNames)
{
	static const char *const names[] = {
		nullptr,
		"unspecified error",
		"bad environment",
		"invalid parameter",
		"out of memory",
		"out of environments",
		"segmentation fault",
		"env is not recving",
		"unexpected end of file",
	};
	for (int code = 1; code <= 8; code++) {
		EXPECT_EQ(fmt("%e", -code), names[code]) << code;
		EXPECT_EQ(fmt("%e", code), names[code]) << code;
	}
	EXPECT_EQ(fmt("%e", 0), "error 0");
	EXPECT_EQ(fmt("%e", 9), "error 9");
	EXPECT_EQ(fmt("%e", -9), "error 9");
	EXPECT_EQ(fmt("%e", INT_MAX), "error 2147483647");
	EXPECT_EQ(fmt("%e", INT_MIN), "error 2147483648"); // no overflow
	EXPECT_EQ(fmt("%15e|", -4), "  out of memory|");
	EXPECT_EQ(fmt("%-15e|", -4), "out of memory  |");
	EXPECT_EQ(fmt("%.3e", -4), "out");
}

TEST(Printfmt, StarWidthAndPrecision)
{
	char want[64];
	struct Case {
		const char *f;
		int star;
		int v;
	};
	for (Case c :
	     { Case{ "[%*d]", 6, 42 }, Case{ "[%*d]", -6, 42 }, Case{ "[%-*d]", -6, 42 },
	       Case{ "[%0*d]", 6, -42 }, Case{ "[%.*d]", 4, 42 }, Case{ "[%.*d]", -1, 0 },
	       Case{ "[%.*d]", 0, 0 }, Case{ "[%8.*x]", 5, 255 },
	       Case{ "[%*x]", 0, 255 } }) {
		std::snprintf(want, sizeof want, c.f, c.star, c.v);
		EXPECT_EQ(fmt(c.f, c.star, c.v), want) << c.f << " " << c.star;
	}
	EXPECT_EQ(fmt("[%*.*s]", -5, 2, "abc"), "[ab   ]");
	EXPECT_EQ(fmt("[%*.*s]", 5, -2, "abc"), "[  abc]"); // negative: none
}

// Widths and precisions are cut to 1000000 (lib/printfmt.cc MAX_FIELD),
// written out or passed for '*', so absurd values neither overflow an int
// (UBSan would report it) nor run for minutes; vsnprintf still counts
// every character it dropped.
TEST(Printfmt, HugeWidthsAreBounded)
{
	char buf[8];
	EXPECT_EQ(jos_snprintf(buf, sizeof buf, "%1000000d", 7), 1000000);
	EXPECT_STREQ(buf, "       ");
	EXPECT_EQ(jos_snprintf(buf, sizeof buf, "%99999999999999999999d", 7), 1000000);
	EXPECT_EQ(jos_snprintf(buf, sizeof buf, "%*d", INT_MIN, 7), 1000000);
	EXPECT_STREQ(buf, "7      ");
	EXPECT_EQ(jos_snprintf(buf, sizeof buf, "%*d", INT_MAX, 7), 1000000);
	EXPECT_EQ(jos_snprintf(buf, sizeof buf, "%-*d", INT_MIN, 7), 1000000);
	EXPECT_EQ(jos_snprintf(buf, sizeof buf, "%.*d", INT_MAX, -1), 1000001);
	EXPECT_STREQ(buf, "-000000");
	EXPECT_EQ(jos_snprintf(buf, sizeof buf, "%.99999999999999999999d", 7), 1000000);
	EXPECT_EQ(jos_snprintf(buf, sizeof buf, "%*.*d", INT_MAX, INT_MAX, -1), 1000001);
	EXPECT_EQ(jos_snprintf(buf, sizeof buf, "%.*s", INT_MAX, "abc"), 3);
}

// What JOS does where C differs or is undefined: an unknown verb, or a
// '%' at the end, prints the '%' and then the rest of the conversion as
// plain text; only a '*' before it has consumed an argument.
TEST(Printfmt, UnknownAndUnsupportedConversions)
{
	EXPECT_EQ(fmt("%k"), "%k");
	EXPECT_EQ(fmt("%-08.3lk|"), "%-08.3lk|");
	EXPECT_EQ(fmt("abc%"), "abc%");
	EXPECT_EQ(fmt("%l"), "%l");
	EXPECT_EQ(fmt("%5"), "%5");
	EXPECT_EQ(fmt("%*k%d", 3, 7), "%*k7");
	EXPECT_EQ(fmt("%hd", 5), "%hd");        // no 'h'
	EXPECT_EQ(fmt("%lllu", 5ull), "%lllu"); // at most "ll"
	EXPECT_EQ(fmt("%+d", 5), "%+d");        // no '+', ' ' or '#' flags
	EXPECT_EQ(fmt("% d", 5), "% d");
	EXPECT_EQ(fmt("%#x", 5), "%#x");
	EXPECT_EQ(fmt("%f", 1.0), "%f"); // no floating point in the kernel
	EXPECT_EQ(fmt("%5%|"), "%|");    // %% takes no padding
	EXPECT_EQ(fmt("%%d"), "%d");
}

// vsnprintf stores at most size - 1 characters and a NUL, never writes
// past buf[size - 1], and returns the untruncated length; a null buffer
// or a size below 1 is -E_INVAL (-3) and writes nothing.
TEST(Printfmt, VsnprintfTruncationEverySize)
{
	const std::string full = "env 00001000: -42 bad environment";
	for (int size = 1; size <= (int) full.size() + 2; size++) {
		char buf[64];
		std::memset(buf, '#', sizeof buf);
		int n = jos_snprintf(buf, size, "env %08x: %d %e", 0x1000, -42, -2);
		ASSERT_EQ(n, (int) full.size()) << size;
		std::string want = full.substr(0, size - 1);
		ASSERT_EQ(std::string(buf), want) << size;
		for (int i = size; i < (int) sizeof buf; i++)
			ASSERT_EQ(buf[i], '#') << "wrote past the buffer, size " << size;
	}
	char buf[4] = { '#', '#', '#', '#' };
	EXPECT_EQ(jos_snprintf(buf, 1, "abc"), 3);
	EXPECT_EQ(buf[0], '\0');
	EXPECT_EQ(buf[1], '#');
	buf[0] = '#';
	EXPECT_EQ(jos_snprintf(buf, 0, "abc"), -3);
	EXPECT_EQ(jos_snprintf(buf, -1, "abc"), -3);
	EXPECT_EQ(jos_snprintf(buf, INT_MIN, "abc"), -3);
	EXPECT_EQ(buf[0], '#');
	EXPECT_EQ(jos_snprintf(nullptr, 4, "abc"), -3);
	EXPECT_EQ(jos_snprintf(buf, sizeof buf, ""), 0);
	EXPECT_STREQ(buf, "");
}

// A caller's va_list, passed on through vsnprintf, is read from where it
// stands, and vsnprintf leaves the caller's own copy usable (it works on a
// va_copy), as a wrapper such as cprintf relies on.
int twice(char *buf, int size, const char *format, ...)
{
	va_list ap, again;
	va_start(ap, format);
	va_copy(again, ap);
	int a = jos_vsnprintf(buf, size, format, ap);
	int b = jos_vsnprintf(buf + a + 1, size - a - 1, format, again);
	va_end(again);
	va_end(ap);
	return a == b ? a : -1;
}

TEST(Printfmt, VsnprintfWithCallersVaList)
{
	char buf[64];
	ASSERT_EQ(twice(buf, sizeof buf, "%s=%lld", "x", -5ll), 4);
	EXPECT_STREQ(buf, "x=-5");
	EXPECT_STREQ(buf + 5, "x=-5");
}

// vprintfmt hands every character, in order, to putch with the caller's
// putdat, and nothing else (no terminator).
TEST(Printfmt, PrintfmtCallsPutchPerCharacter)
{
	std::string out;
	auto putch = [](int ch, void *data) {
		static_cast<std::string *>(data)->push_back(char(ch));
	};
	jos_printfmt(putch, &out, "%s %d%c", "cpu", 3, '\n');
	EXPECT_EQ(out, "cpu 3\n");
	out.clear();
	jos_printfmt(putch, &out, "");
	EXPECT_EQ(out, "");
	jos_printfmt(putch, &out, "%c", 0);
	EXPECT_EQ(out, std::string(1, '\0')); // a NUL character is output too
}

} // namespace
