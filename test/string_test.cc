// test/string_test.cc: host unit tests of lib/string.cc (GoogleTest).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "jos_lib.hh"

namespace {

TEST(String, LengthAndCompare)
{
	EXPECT_EQ(jos_strlen(""), 0);
	EXPECT_EQ(jos_strlen("hello"), 5);
	EXPECT_EQ(jos_strnlen("hello", 3), 3);
	EXPECT_EQ(jos_strcmp("abc", "abc"), 0);
	EXPECT_LT(jos_strcmp("abc", "abd"), 0);
	EXPECT_GT(jos_strcmp("b", "a"), 0);
	EXPECT_LT(jos_strcmp("ab", "abc"), 0);
	EXPECT_EQ(jos_strncmp("abcx", "abcy", 3), 0);
	EXPECT_NE(jos_strncmp("abcx", "abcy", 4), 0);
}

TEST(String, Copy)
{
	char buf[16];
	EXPECT_EQ(jos_strcpy(buf, "hi"), buf);
	EXPECT_STREQ(buf, "hi");
	jos_strcat(buf, " there");
	EXPECT_STREQ(buf, "hi there");
	std::memset(buf, 'x', sizeof buf);
	jos_strlcpy(buf, "abcdef", 4);
	EXPECT_STREQ(buf, "abc");
	std::memset(buf, 'x', sizeof buf);
	jos_strncpy(buf, "ab", 5);
	EXPECT_EQ(std::memcmp(buf, "ab\0\0\0x", 6), 0); // pads with NULs
}

TEST(String, Search)
{
	const char *s = "kernel";
	EXPECT_EQ(jos_strchr(s, 'r'), s + 2);
	EXPECT_EQ(jos_strchr(s, 'z'), nullptr);
	EXPECT_EQ(jos_strfind(s, 'z'), s + 6); // the terminator
	EXPECT_EQ(jos_memfind(s, 'n', 6), s + 3);
}

TEST(String, Strtol)
{
	char *end;
	EXPECT_EQ(jos_strtol("1234", &end, 10), 1234);
	EXPECT_EQ(*end, '\0');
	EXPECT_EQ(jos_strtol("-17x", &end, 10), -17);
	EXPECT_EQ(*end, 'x');
	EXPECT_EQ(jos_strtol("0x1f", nullptr, 16), 31);
	EXPECT_EQ(jos_strtol("0x1f", nullptr, 0), 31);
	EXPECT_EQ(jos_strtol("017", nullptr, 0), 15);
	EXPECT_EQ(jos_strtol("  42", nullptr, 10), 42);
}

// memset/memcpy/memmove at every alignment, length and overlap, against a
// byte-by-byte model.
TEST(String, MemoryFunctionsAllAlignments)
{
	std::vector<unsigned char> buf(96), model(96);
	for (int dst = 0; dst < 8; dst++)
		for (int src = 0; src < 8; src++)
			for (int len = 0; len < 40; len++) {
				for (int i = 0; i < 96; i++)
					buf[i] = model[i] = (unsigned char) (i * 7 + 1);
				// Overlapping move, both directions.
				jos_memmove(&buf[dst + 16], &buf[src + 20], len);
				std::memmove(&model[dst + 16], &model[src + 20], len);
				ASSERT_EQ(buf, model) << dst << " " << src << " " << len;
				jos_memmove(&buf[dst + 24], &buf[src + 16], len);
				std::memmove(&model[dst + 24], &model[src + 16], len);
				ASSERT_EQ(buf, model);
				jos_memcpy(&buf[dst], &buf[src + 50], len);
				std::memcpy(&model[dst], &model[src + 50], len);
				ASSERT_EQ(buf, model);
				jos_memset(&buf[dst + 3], 0xa5, len);
				std::memset(&model[dst + 3], 0xa5, len);
				ASSERT_EQ(buf, model);
				ASSERT_EQ(jos_memcmp(buf.data(), model.data(), 96), 0);
			}
}

// find_nonzero_word: every length 0..40 (the 8-word steps and the tail),
// the nonzero word at every place or nowhere, next to other nonzero words.
TEST(String, FindNonzeroWord)
{
	std::vector<uint32_t> w(48, 0);
	for (size_t n = 0; n <= 40; n++) {
		EXPECT_EQ(jos_find_nonzero_word(w.data(), n), n) << "all zero, n=" << n;
		for (size_t at = 0; at < n; at++) {
			w[at] = 1u << (at % 32);
			w[n] = 0xffffffff; // just past the end: must not be found
			EXPECT_EQ(jos_find_nonzero_word(w.data(), n), at)
				<< n << " " << at;
			w[at + 1] = 7; // a later nonzero word changes nothing
			EXPECT_EQ(jos_find_nonzero_word(w.data(), n), at)
				<< n << " " << at;
			std::fill(w.begin(), w.end(), 0);
		}
	}
}

} // namespace
