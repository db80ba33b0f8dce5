// User-space console character I/O, through the kernel's console system
// calls (inc/stdio.h).

#include <inc/lib.h>

// Print one character (one sys_cputs of one byte).
void cputchar(int c)
{
	char ch = char(c);
	sys_cputs(&ch, 1);
}

// Wait for a console character, yielding the CPU between polls (sys_cgetc
// returns 0 while no input is pending). Returns the character, or a
// negative E_* code from the kernel.
int getchar(void)
{
	int c;
	while ((c = sys_cgetc()) == 0)
		sys_yield();
	return c;
}

// User space has only the console: every fd is one.
int iscons(int fd)
{
	(void) fd;
	return 1;
}
