// forktree: copy-on-write fork, recursively (see user/forktree.hh): 15
// environments named by up to three binary digits. Exiting environments
// free slots that later forks reuse. Graders expect the lines for '0',
// '1', '000', '001', '011', '100', '110', '111', the first two envs
// exiting gracefully, and "[0000200x] exiting gracefully" /
// "free env 0000200x" from a reused slot.

#include <user/forktree.hh>

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	forktree(fork);
}
