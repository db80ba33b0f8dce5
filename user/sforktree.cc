/* sforktree: the forktree shape built with sfork (data pages shared
 * with the child, only the stack copy-on-write) instead of fork. Every
 * environment prints "%04x: I am '<name>'" for its name of up to three
 * binary digits, forks one child per digit, and exits: 15 environments.
 * The name and its length live on the stack, which is the part sfork
 * does not share, so each environment keeps its own. Not run by the
 * reference graders; expected output has the shape of forktree's. */

#include <inc/lib.h>


namespace {
constexpr int kDepth = 3;
}

void
umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	char name[kDepth + 1] = "";
	int len = 0;

	/* Each pass of this loop is one environment of the tree: a child
	 * leaves the inner loop with its longer name and goes around again;
	 * the parent falls out after forking both children and exits. */
	for (;;) {
		cprintf("%04x: I am '%s'\n", sys_getenvid(), name);
		if (len == kDepth)
			return;

		bool is_child = false;
		for (char digit = '0'; digit <= '1' && !is_child; digit++) {
			envid_t id = sfork();
			if (id < 0)
				panic("sfork: %e", id);
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
