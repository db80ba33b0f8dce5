// String and memory functions (inc/string.h), shared by the kernel and
// user space. GCC may emit calls to memcpy, memmove and memset on its own
// (struct copies, zero-initialisation), so they must exist with C linkage
// and must not be written as loops that GCC could turn back into calls to
// themselves: they use the x86 string instructions (Intel SDM vol. 2B,
// "REP MOVS" and "REP STOS"; the direction flag selects the order,
// SDM vol. 1, 3.4.3.2). memcpy is overlap-safe, like memmove.

#include <inc/string.h>

namespace {

// True when a, b and n are all multiples of 4, so whole 32-bit words can
// be moved.
inline bool word_aligned(uintptr_t a, uintptr_t b, size_t n)
{
	return ((a | b | n) & 3) == 0;
}

// Is c a digit in base (2..36)? Stores its value in *val.
bool digit_value(char c, int base, int *val)
{
	int v;
	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'z')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'Z')
		v = c - 'A' + 10;
	else
		return false;
	*val = v;
	return v < base;
}

} // namespace

// Length of s in bytes, not counting the NUL.
int strlen(const char *s)
{
	int n = 0;
	while (s[n] != '\0')
		n++;
	return n;
}

// Length of s, but at most size (s need not be NUL-terminated within it).
int strnlen(const char *s, size_t size)
{
	size_t n = 0;
	while (n < size && s[n] != '\0')
		n++;
	return int(n);
}

// Copy src with its NUL to dst; returns dst.
char *strcpy(char *dst, const char *src)
{
	char *d = dst;
	while ((*d++ = *src++) != '\0')
		;
	return dst;
}

// Copy at most size bytes of src to dst, filling the rest of the size
// bytes with NULs (dst is not terminated when src has size or more
// chars). Returns dst.
char *strncpy(char *dst, const char *src, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		dst[i] = *src;
		if (*src != '\0')
			src++;
	}
	return dst;
}

// Append src to the string in dst; returns dst.
char *strcat(char *dst, const char *src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}

// Copy at most size - 1 chars of src to dst and NUL-terminate (when
// size > 0). Returns the number of chars copied, not counting the NUL
// (as JOS's strlcpy; BSD's returns strlen(src)).
size_t strlcpy(char *dst, const char *src, size_t size)
{
	if (size == 0)
		return 0;
	size_t n = 0;
	for (; n + 1 < size && src[n] != '\0'; n++)
		dst[n] = src[n];
	dst[n] = '\0';
	return n;
}

// Compare as unsigned chars: <0, 0 or >0.
int strcmp(const char *s1, const char *s2)
{
	while (*s1 != '\0' && *s1 == *s2) {
		s1++;
		s2++;
	}
	return int((unsigned char) *s1) - int((unsigned char) *s2);
}

// strcmp over at most size chars.
int strncmp(const char *s1, const char *s2, size_t size)
{
	for (; size > 0; size--, s1++, s2++) {
		if (*s1 != *s2)
			return int((unsigned char) *s1) - int((unsigned char) *s2);
		if (*s1 == '\0')
			return 0;
	}
	return 0;
}

// First occurrence of (char) c in s, or null. Searching for '\0' finds
// the terminator, as in C.
char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == char(c))
			return const_cast<char *>(s);
		if (*s == '\0')
			return nullptr;
	}
}

// Like strchr, but returns a pointer to the terminating NUL when c does
// not occur.
char *strfind(const char *s, int c)
{
	while (*s != '\0' && *s != char(c))
		s++;
	return const_cast<char *>(s);
}

// Fill len bytes at dst with (unsigned char) c; returns dst.
void *memset(void *dst, int c, size_t len)
{
	void *d = dst;
	if (word_aligned(uintptr_t(dst), 0, len)) {
		uint32_t word = uint32_t(c & 0xff) * 0x01010101u;
		size_t words = len / 4;
		asm volatile("cld; rep stosl"
			     : "+D"(d), "+c"(words)
			     : "a"(word)
			     : "cc", "memory");
	} else {
		asm volatile("cld; rep stosb"
			     : "+D"(d), "+c"(len)
			     : "a"(c)
			     : "cc", "memory");
	}
	return dst;
}

// Copy len bytes from src to dst; the regions may overlap. When dst lies
// inside the source region a forward copy would overwrite bytes not yet
// read, so that case copies backwards (direction flag set, starting at
// the last element), then clears the flag again as the ABI requires.
// Returns dst.
void *memmove(void *dst, const void *src, size_t len)
{
	uintptr_t d = uintptr_t(dst);
	uintptr_t s = uintptr_t(src);
	bool words = word_aligned(d, s, len);
	size_t count = words ? len / 4 : len;

	if (s < d && s + len > d) {
		size_t last = words ? 4 : 1; // offset of the last element
		d += len - last;
		s += len - last;
		if (words)
			asm volatile("std; rep movsl; cld"
				     : "+D"(d), "+S"(s), "+c"(count)
				     :
				     : "cc", "memory");
		else
			asm volatile("std; rep movsb; cld"
				     : "+D"(d), "+S"(s), "+c"(count)
				     :
				     : "cc", "memory");
	} else {
		if (words)
			asm volatile("cld; rep movsl"
				     : "+D"(d), "+S"(s), "+c"(count)
				     :
				     : "cc", "memory");
		else
			asm volatile("cld; rep movsb"
				     : "+D"(d), "+S"(s), "+c"(count)
				     :
				     : "cc", "memory");
	}
	return dst;
}

// Same as memmove (overlap-safe), since callers do not always know.
void *memcpy(void *dst, const void *src, size_t len)
{
	return memmove(dst, src, len);
}

// Compare len bytes as unsigned chars: <0, 0 or >0.
int memcmp(const void *s1, const void *s2, size_t len)
{
	const unsigned char *a = static_cast<const unsigned char *>(s1);
	const unsigned char *b = static_cast<const unsigned char *>(s2);
	for (size_t i = 0; i < len; i++)
		if (a[i] != b[i])
			return int(a[i]) - int(b[i]);
	return 0;
}

// First byte equal to (unsigned char) c among the len bytes at s, or
// s + len when there is none.
void *memfind(const void *s, int c, size_t len)
{
	const unsigned char *p = static_cast<const unsigned char *>(s);
	const unsigned char *end = p + len;
	for (; p < end; p++)
		if (*p == (unsigned char) c)
			break;
	return const_cast<unsigned char *>(p);
}

// Index of the first nonzero word among words[0..n), or n. Eight words
// are tested per step with one branch: page tables are mostly zeros, and
// fork and env_free scan thousands of entries.
size_t find_nonzero_word(const uint32_t *words, size_t n)
{
	const uint32_t *p = words, *end = words + n;
	for (; end - p >= 8; p += 8)
		if (p[0] | p[1] | p[2] | p[3] | p[4] | p[5] | p[6] | p[7])
			break;
	for (; p < end; p++)
		if (*p)
			break;
	return p - words;
}

// Parse an integer: leading spaces/tabs, an optional sign, then digits in
// base. Base 16 (or 0) accepts a "0x" prefix; base 0 picks 16 for "0x",
// 8 for a leading '0', else 10. *endptr (if non-null) gets the first char
// not used. Overflow is not detected.
long strtol(const char *s, char **endptr, int base)
{
	while (*s == ' ' || *s == '\t')
		s++;

	bool negative = false;
	if (*s == '+' || *s == '-')
		negative = *s++ == '-';

	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
	} else if (base == 0 && s[0] == '0') {
		s++;
		base = 8;
	} else if (base == 0) {
		base = 10;
	}

	unsigned long value = 0;
	int digit;
	while (digit_value(*s, base, &digit)) {
		value = value * unsigned(base) + unsigned(digit);
		s++;
	}

	if (endptr != nullptr)
		*endptr = const_cast<char *>(s);
	return negative ? long(0 - value) : long(value);
}
