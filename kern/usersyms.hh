// kern/usersyms.hh: function names for user code addresses, from the
// symbol table of the embedded program an environment runs (the
// backtrace of a trapped user environment).
#ifndef JOS_KERN_USERSYMS_HH
#define JOS_KERN_USERSYMS_HH

#include <inc/types.h>

struct UserFn {
	const char *name; // not NUL-terminated: namelen bytes
	int namelen;
	uintptr_t addr; // the function's first instruction
};

// Find the function of the ELF image at image (size bytes) that contains
// user virtual address va: the ELF_STT_FUNC symbol with the highest
// address <= va (and va inside it when its size is known). Returns true
// and fills *fn, or false (no symbol table, no such function, or a damaged
// image: every offset is checked against size).
bool user_fn_at(const uint8_t *image, size_t size, uintptr_t va, UserFn *fn);

#endif // !JOS_KERN_USERSYMS_HH
