// User-space cprintf/vcprintf. Each call is formatted into a buffer on
// the stack and handed to the kernel with one sys_cputs, so a line from
// one environment is not split among other CPUs' output, and output
// without a newline appears at once (docs/GRADERS.md section 3).

#include <inc/lib.h>

namespace {

// Output collected for one vcprintf call.
struct PrintBuf {
	int used;  // bytes in buf
	int count; // characters printed so far
	char buf[256];
};

// vprintfmt's sink: append ch; hand the buffer to the kernel only when
// it is full (a call longer than 256 characters takes several sys_cputs).
void buffer_putch(int ch, void *arg)
{
	PrintBuf *b = static_cast<PrintBuf *>(arg);
	b->buf[b->used++] = char(ch);
	b->count++;
	if (b->used == int(sizeof(b->buf))) {
		sys_cputs(b->buf, b->used);
		b->used = 0;
	}
}

} // namespace

// Print fmt with ap on the console. Returns the number of characters.
int vcprintf(const char *fmt, va_list ap)
{
	PrintBuf b;
	b.used = 0;
	b.count = 0;
	vprintfmt(buffer_putch, &b, fmt, ap);
	if (b.used > 0)
		sys_cputs(b.buf, b.used);
	return b.count;
}

// vcprintf with a variable argument list.
int cprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vcprintf(fmt, ap);
	va_end(ap);
	return n;
}
