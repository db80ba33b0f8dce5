// sforktree: the forktree shape (user/forktree.hh) built with sfork: data
// pages shared with the child, only the stack copy-on-write. Each
// environment's name lives on its stack, so each keeps its own. Expected
// output has the shape of forktree's.

#include <user/forktree.hh>

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	forktree(sfork);
}
