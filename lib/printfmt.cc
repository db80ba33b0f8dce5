// The printf-style formatting engine shared by the kernel and user space:
// vprintfmt turns a format and arguments into a stream of putch() calls;
// snprintf/vsnprintf aim that stream at a caller's buffer. Nothing here
// performs I/O or a system call.
//
// Verbs: %c %s %d %i %u %o %x %X %p %e %%; flags '-' and '0'; width and
// precision (each may be '*'); length modifiers 'l' and 'll'. The kernel is
// linked without libgcc, so 64-bit values are converted with 32-bit
// divisions only (see divide_small).

#include <inc/stdio.h>
#include <inc/string.h>
#include <inc/error.h>

namespace {

// Text printed by %e for each E_* code (index = positive code).
constexpr const char *error_string[MAXERROR] = {
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

// Where the output goes.
struct Sink {
	void (*putch)(int, void *);
	void *putdat;

	void put(int ch)
	{
		putch(ch, putdat);
	}
	// Emit ch n times (nothing when n <= 0).
	void repeat(int ch, int n)
	{
		for (; n > 0; n--)
			put(ch);
	}
};

// What one conversion asked for between the '%' and the verb.
struct Spec {
	bool left = false;  // '-': pad on the right
	bool zero = false;  // '0': pad numbers with zeros
	int width = 0;      // minimum field width; 0 = none
	int precision = -1; // -1 = none; digits for numbers, chars for %s
	int length = 0;     // 0: int, 1: long ('l'), 2: long long ('ll')
};

// Divide *n by base (2..16) in place and return the remainder.
// A 64-bit '/' would make GCC call __udivdi3 from libgcc, which the kernel
// does not link, so this is long division in 32-bit steps: the high word,
// then the low word 16 bits at a time. Each partial dividend is
// remainder * 2^16 + 16 bits < base * 2^16, so it fits in 32 bits and
// each partial quotient fits in 16.
unsigned divide_small(uint64_t *n, unsigned base)
{
	uint32_t hi = uint32_t(*n >> 32);
	uint32_t lo = uint32_t(*n);
	if (hi == 0) { // the common, 32-bit case
		*n = lo / base;
		return lo % base;
	}
	uint32_t q_hi = hi / base;
	uint32_t rem = hi % base;
	uint32_t part = (rem << 16) | (lo >> 16);
	uint32_t q_mid = part / base;
	rem = part % base;
	part = (rem << 16) | (lo & 0xffff);
	uint32_t q_lo = part / base;
	rem = part % base;
	*n = (uint64_t(q_hi) << 32) | (q_mid << 16) | q_lo;
	return rem;
}

// Print the magnitude num in base, after prefix ("-", "0x" or ""), padded
// to spec.width. Precision is a minimum digit count (C semantics: with a
// precision, '0' is ignored, and precision 0 prints no digits for 0).
void print_number(Sink &out, uint64_t num, unsigned base, bool upper, const char *prefix,
		  const Spec &spec)
{
	const char *digit_chars = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char digits[24]; // 64 bits in octal is 22 digits
	int ndigits = 0;
	if (!(num == 0 && spec.precision == 0)) {
		do
			digits[ndigits++] = digit_chars[divide_small(&num, base)];
		while (num != 0);
	}

	int zeros = spec.precision > ndigits ? spec.precision - ndigits : 0;
	int len = strlen(prefix) + zeros + ndigits;
	int fill = spec.width > len ? spec.width - len : 0;
	if (!spec.left && spec.zero && spec.precision < 0) {
		zeros += fill; // zeros go between prefix and digits
		fill = 0;
	}

	if (!spec.left)
		out.repeat(' ', fill);
	for (const char *p = prefix; *p; p++)
		out.put(*p);
	out.repeat('0', zeros);
	while (ndigits > 0)
		out.put(digits[--ndigits]);
	if (spec.left)
		out.repeat(' ', fill);
}

// Print at most len chars of s, padded with spaces to spec.width.
void print_chars(Sink &out, const char *s, int len, const Spec &spec)
{
	int fill = spec.width > len ? spec.width - len : 0;
	if (!spec.left)
		out.repeat(' ', fill);
	for (int i = 0; i < len; i++)
		out.put(s[i]);
	if (spec.left)
		out.repeat(' ', fill);
}

// Print a %s argument (null prints "(null)"); precision limits the length.
void print_string(Sink &out, const char *s, const Spec &spec)
{
	if (s == nullptr)
		s = "(null)";
	int len = spec.precision >= 0 ? strnlen(s, spec.precision) : strlen(s);
	print_chars(out, s, len, spec);
}

// Fetch a signed argument of the size spec.length says.
int64_t signed_arg(va_list *ap, const Spec &spec)
{
	if (spec.length >= 2)
		return va_arg(*ap, long long);
	if (spec.length == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

// Fetch an unsigned argument of the size spec.length says.
uint64_t unsigned_arg(va_list *ap, const Spec &spec)
{
	if (spec.length >= 2)
		return va_arg(*ap, unsigned long long);
	if (spec.length == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

// %d: a sign, then the magnitude (computed in unsigned arithmetic so the
// most negative value does not overflow).
void print_signed(Sink &out, int64_t value, const Spec &spec)
{
	if (value < 0)
		print_number(out, 0 - uint64_t(value), 10, false, "-", spec);
	else
		print_number(out, uint64_t(value), 10, false, "", spec);
}

// %e: the message for an E_* code (either sign), else "error <n>".
void print_error(Sink &out, int err, const Spec &spec)
{
	int64_t code = err < 0 ? -int64_t(err) : int64_t(err);
	if (code < MAXERROR && error_string[code] != nullptr) {
		print_string(out, error_string[code], spec);
		return;
	}
	for (const char *p = "error "; *p; p++)
		out.put(*p);
	print_signed(out, code, Spec{});
}

// The largest width or precision honoured: bigger ones (written out or
// passed for '*') are cut to it, so a field's length, prefix and digits
// included, cannot overflow an int.
constexpr int MAX_FIELD = 1000000;

// Parse a decimal number at *fmt (advancing it), at most MAX_FIELD.
int parse_decimal(const char **fmt)
{
	int n = 0;
	for (; **fmt >= '0' && **fmt <= '9'; (*fmt)++)
		if (n < MAX_FIELD)
			n = n * 10 + (**fmt - '0');
	return n < MAX_FIELD ? n : MAX_FIELD;
}

// Parse flags, width, precision and length after a '%' (advancing *fmt
// to the verb). A negative '*' width means '-' plus its magnitude; a
// negative '*' precision means none, as in C. Both are at most MAX_FIELD.
Spec parse_spec(const char **fmt, va_list *ap)
{
	Spec spec;
	for (;; (*fmt)++) {
		if (**fmt == '-')
			spec.left = true;
		else if (**fmt == '0')
			spec.zero = true;
		else
			break;
	}
	if (**fmt == '*') {
		(*fmt)++;
		int w = va_arg(*ap, int);
		if (w < 0) {
			spec.left = true;
			w = w < -MAX_FIELD ? MAX_FIELD : -w;
		}
		spec.width = w < MAX_FIELD ? w : MAX_FIELD;
	} else {
		spec.width = parse_decimal(fmt);
	}
	if (**fmt == '.') {
		(*fmt)++;
		if (**fmt == '*') {
			(*fmt)++;
			int p = va_arg(*ap, int);
			spec.precision = p < 0 ? -1 : p < MAX_FIELD ? p : MAX_FIELD;
		} else {
			spec.precision = parse_decimal(fmt);
		}
	}
	for (; **fmt == 'l' && spec.length < 2; (*fmt)++)
		spec.length++;
	return spec;
}

// Format one conversion with verb 'verb'. Returns false when the verb is
// unknown, so the caller can print it literally.
bool convert(Sink &out, char verb, const Spec &spec, va_list *ap)
{
	switch (verb) {
	case 'c': {
		char ch = char(va_arg(*ap, int));
		print_chars(out, &ch, 1, spec);
		return true;
	}
	case 's':
		print_string(out, va_arg(*ap, const char *), spec);
		return true;
	case 'd':
	case 'i':
		print_signed(out, signed_arg(ap, spec), spec);
		return true;
	case 'u':
		print_number(out, unsigned_arg(ap, spec), 10, false, "", spec);
		return true;
	case 'o':
		print_number(out, unsigned_arg(ap, spec), 8, false, "", spec);
		return true;
	case 'x':
	case 'X':
		print_number(out, unsigned_arg(ap, spec), 16, verb == 'X', "", spec);
		return true;
	case 'p':
		print_number(out, uintptr_t(va_arg(*ap, void *)), 16, false, "0x", spec);
		return true;
	case 'e':
		print_error(out, va_arg(*ap, int), spec);
		return true;
	case '%':
		out.put('%');
		return true;
	default:
		return false;
	}
}

// vsnprintf's sink: counts every character, stores while there is room
// (end is reserved for the terminating NUL).
struct StringBuf {
	char *pos;
	char *end;
	int count;
};

void string_putch(int ch, void *arg)
{
	StringBuf *b = static_cast<StringBuf *>(arg);
	b->count++;
	if (b->pos < b->end)
		*b->pos++ = char(ch);
}

} // namespace

// Format fmt with the arguments in ap, calling putch(ch, putdat) for each
// output character. An unknown verb (or a '%' at the very end) prints the
// '%' and then the rest of the conversion literally.
void vprintfmt(void (*putch)(int, void *), void *putdat, const char *fmt, va_list ap)
{
	Sink out{ putch, putdat };
	va_list args;
	va_copy(args, ap); // a local, so its address is a real va_list*

	for (;;) {
		while (*fmt != '\0' && *fmt != '%')
			out.put(*fmt++);
		if (*fmt == '\0')
			break;
		const char *conversion = ++fmt; // just after the '%'
		Spec spec = parse_spec(&fmt, &args);
		char verb = *fmt;
		if (verb != '\0' && convert(out, verb, spec, &args)) {
			fmt++;
		} else {
			out.put('%');
			fmt = conversion;
		}
	}
	va_end(args);
}

// printfmt: vprintfmt with a variable argument list.
void printfmt(void (*putch)(int, void *), void *putdat, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintfmt(putch, putdat, fmt, ap);
	va_end(ap);
}

// Format into buf (size bytes including the NUL). Output beyond size - 1
// characters is dropped; buf is always NUL-terminated. Returns the length
// the full output would have had (as C's vsnprintf), or -E_INVAL when buf
// is null or size < 1.
int vsnprintf(char *buf, int size, const char *fmt, va_list ap)
{
	if (buf == nullptr || size < 1)
		return -E_INVAL;
	StringBuf b{ buf, buf + size - 1, 0 };
	vprintfmt(string_putch, &b, fmt, ap);
	*b.pos = '\0';
	return b.count;
}

// snprintf: vsnprintf with a variable argument list.
int snprintf(char *buf, int size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
