// divzero: a real integer division by zero from user mode must reach the
// kernel as vector 0; the trap frame shows "trap 0x00000000 Divide error"
// and the environment is destroyed. Both operands are volatile: with a
// known-zero divisor GCC 12 folds 1/0 at compile time (docs/GRADERS.md
// section 1), and with only the divisor volatile it still rewrites 1/x as
// a compare (x in -1..1 ? x : 0) and never divides. The result line ("1/0 is ...")
// is printed only if the division did not trap; the graders forbid it.

#include <inc/lib.h>

namespace {
volatile int one;
volatile int zero;
} // namespace

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	one = 1;
	zero = 0;
	int quotient = one / zero;
	cprintf("1/0 is %08x!\n", quotient);
}
