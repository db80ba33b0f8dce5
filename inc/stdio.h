/* Console output and formatted printing, for kernel and user space. */
#ifndef JOS_INC_STDIO_H
#define JOS_INC_STDIO_H

#include <inc/stdarg.h>
#include <inc/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Console character I/O (kernel: kern/console.cc; user: lib/console.cc). */
void cputchar(int c);
int getchar(void);
int iscons(int fd);

/* No format(printf) attributes: %e takes an int error code here, which
 * GCC's printf checking would reject.
 *
 * lib/printfmt.cc: the formatting engine. putch(ch, putdat) is called once
 * per output character. Supports %c %s %d %i %u %o %x %X %p %e %%,
 * '-', '0', width, precision, 'l' and 'll'. %e prints an error code's text. */
void printfmt(void (*putch)(int, void *), void *putdat, const char *fmt, ...);
void vprintfmt(void (*putch)(int, void *), void *putdat, const char *fmt, va_list ap);
/* Format into buf (size bytes, always NUL-terminated when size > 0).
 * Returns the length written, or -E_INVAL when buf is null or size < 1. */
int snprintf(char *buf, int size, const char *fmt, ...);
int vsnprintf(char *buf, int size, const char *fmt, va_list ap);

/* Print to the console; returns the number of characters printed.
 * Kernel: kern/printf.cc. User: lib/printf.cc (one sys_cputs per call). */
int cprintf(const char *fmt, ...);
int vcprintf(const char *fmt, va_list ap);

/* lib/readline.cc: print prompt (if non-null), read a line with echo and
 * backspace; returns a static buffer without the newline, or NULL on error. */
char *readline(const char *prompt);

#ifdef __cplusplus
}
#endif

#endif /* !JOS_INC_STDIO_H */
