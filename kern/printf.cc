/*
 * kern/printf.cc: the kernel's cprintf()/vcprintf() (declared in
 * inc/stdio.h). Formatting is lib/printfmt.cc's vprintfmt(); each
 * character goes straight to the console through cputchar(). No lock:
 * output of CPUs printing at once may interleave by character.
 */

#include <inc/stdio.h>
#include <inc/stdarg.h>

namespace {

// vprintfmt callback: print one character and count it in *count (int).
void putch(int ch, void *count)
{
	cputchar(ch);
	++*static_cast<int *>(count);
}

} // namespace

// Print the formatted string; returns the number of characters printed.
int vcprintf(const char *fmt, va_list ap)
{
	int count = 0;
	vprintfmt(putch, &count, fmt, ap);
	return count;
}

int cprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int count = vcprintf(fmt, ap);
	va_end(ap);
	return count;
}
