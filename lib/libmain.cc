// libmain: the C++ side of user program start-up (called from _start in
// lib/entry.S). Owns the globals 'thisenv' and 'binaryname'.

#include <inc/lib.h>

// In a page of its own (user/user.ld), which sfork never shares.
__attribute__((section(".bss.thisenv"))) const volatile Env *thisenv = nullptr;
const char *binaryname = "<unknown>";

// Find this environment's Env in the read-only envs array, remember the
// program name for panic messages, run the program, then exit.
extern "C" void libmain(int argc, char **argv)
{
	thisenv = &envs[ENVX(sys_getenvid())];
	if (argc > 0)
		binaryname = argv[0];

	umain(argc, argv);
	exit();
}
