// buggyhello2: a valid string pointer with a length of 1 MiB, so the range
// runs past the end of our image. user_mem_check must reject the whole
// call before anything is printed: graders expect an assertion failure
// for the first unmapped page after the string (va 00803000-style) and
// that "hello, world" never appears.

#include <inc/lib.h>

namespace {
const char greeting[] = "hello, world";
}

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	sys_cputs(greeting, 1024 * 1024);
}
