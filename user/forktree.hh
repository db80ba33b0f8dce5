// user/forktree.hh: the body forktree and sforktree share.
#ifndef JOS_USER_FORKTREE_HH
#define JOS_USER_FORKTREE_HH

#include <inc/lib.h>

// Grow a binary tree of environments with forker (fork or sfork): every
// environment has a name of up to three binary digits (the root's is
// empty); it prints "%04x: I am '<name>'", creates one child per digit
// '0' and '1' (each child takes the name plus its digit and starts over),
// and returns; names of length three create nothing. 15 environments.
inline void forktree(envid_t (*forker)(void))
{
	constexpr int DEPTH = 3;
	char name[DEPTH + 1] = ""; // on the stack: private even under sfork
	int len = 0;

	// Each pass of this loop is one environment of the tree: a child
	// leaves the inner loop with its longer name and goes around again;
	// the parent falls out after creating both children.
	for (;;) {
		cprintf("%04x: I am '%s'\n", sys_getenvid(), name);
		if (len == DEPTH)
			return;

		bool is_child = false;
		for (char digit = '0'; digit <= '1' && !is_child; digit++) {
			envid_t id = forker();
			if (id < 0)
				panic("fork: %e", id);
			if (id == 0) {
				name[len++] = digit;
				name[len] = '\0';
				is_child = true;
			}
		}
		if (!is_child)
			return;
	}
}

#endif // !JOS_USER_FORKTREE_HH
