// kern/printf.cc: the kernel's cprintf()/vcprintf() (declared in
// inc/stdio.h). Formatting is lib/printfmt.cc's vprintfmt(); the
// characters go to the console (cputs) 64 at a time and at the end of
// each call. No lock: output of CPUs printing at once may interleave.

#include <inc/stdio.h>
#include <inc/stdarg.h>

#include <kern/console.hh>

namespace {

// Characters formatted but not yet printed: vcprintf hands the console a
// string at a time (cputs), not a character at a time.
struct PrintBuffer {
	char buf[64];
	size_t len;  // characters in buf
	int flushed; // characters printed before them
};

// vprintfmt callback: add one character to the PrintBuffer at b.
void putch(int ch, void *b)
{
	PrintBuffer *pb = static_cast<PrintBuffer *>(b);
	pb->buf[pb->len++] = static_cast<char>(ch);
	if (pb->len == sizeof pb->buf) {
		cputs(pb->buf, pb->len);
		pb->flushed += pb->len;
		pb->len = 0;
	}
}

} // namespace

// Print the formatted string; returns the number of characters printed.
int vcprintf(const char *fmt, va_list ap)
{
	PrintBuffer pb;
	pb.len = 0;
	pb.flushed = 0;
	vprintfmt(putch, &pb, fmt, ap);
	cputs(pb.buf, pb.len);
	return pb.flushed + static_cast<int>(pb.len);
}

int cprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int count = vcprintf(fmt, ap);
	va_end(ap);
	return count;
}
