/* sforkturn: parent and sfork child take turns through shared memory.
 *
 * After sfork every global is shared, so the two environments can hand a
 * turn back and forth in 'turn' by polling it (with sys_yield, so that
 * one CPU is enough).  Whoever holds the turn bumps the shared counter,
 * records itself in the shared list of moves and passes the turn on;
 * each side makes NTURN moves.  The stack is not shared: 'mine', a local at the
 * same address in both, holds 111 in the parent and 222 in the child
 * all along, and the child finally sends its value and the address to the
 * parent over IPC.  The parent checks the counter, the moves (strict
 * alternation, parent first) and the values.  Only the holder of the turn
 * prints, so the lines come out in order: "sforkturn: move M by parent",
 * "sforkturn: move M by child" (M = 1..2*NTURN), "sforkturn: child's
 * stack value 222, parent's 111", "sforkturn: PASS". */

#include <inc/lib.h>

#define PROG		"sforkturn"
#define NTURN		6
#define PARENT		0
#define CHILD		1

volatile int turn = PARENT;
volatile int counter;
volatile int moves[2 * NTURN + 1];
volatile int child_done;
volatile uintptr_t child_local_va;

static const char *const who[] = { "parent", "child" };

static void
fail(const char *what, int got, int want)
{
	cprintf(PROG": FAIL %s: got %d, want %d\n", what, got, want);
	panic("%s", what);
}

static void
play(int me)
{
	int n;

	for (n = 0; n < NTURN; n++) {
		while (turn != me)
			sys_yield();
		counter++;
		moves[counter] = me;
		cprintf(PROG": move %d by %s\n", counter, who[me]);
		turn = !me;
	}
}

void
umain(int argc, char **argv)
{
	volatile int mine = 0;
	envid_t kid, from;
	int i, value;

	if ((kid = sfork()) < 0)
		panic("sfork: %e", kid);
	if (thisenv->env_id != sys_getenvid())
		fail("thisenv", thisenv->env_id, sys_getenvid());

	if (kid == 0) {
		mine = 222;
		play(CHILD);
		if (mine != 222)
			fail("child's stack value", mine, 222);
		child_local_va = (uintptr_t) &mine;
		child_done = 1;
		ipc_send(thisenv->env_parent_id, mine, NULL, 0);
		return;
	}

	mine = 111;
	play(PARENT);
	value = ipc_recv(&from, NULL, NULL);
	if (from != kid)
		fail("message from", from, kid);
	if (!child_done || child_local_va != (uintptr_t) &mine)
		fail("child's flag and address", child_done, 1);
	cprintf(PROG": child's stack value %d, parent's %d\n", value, mine);
	if (value != 222 || mine != 111)
		fail("stack values", value, 222);
	if (counter != 2 * NTURN)
		fail("counter", counter, 2 * NTURN);
	for (i = 1; i <= 2 * NTURN; i++)
		if (moves[i] != ((i - 1) & 1))
			fail("log entry", moves[i], (i - 1) & 1);
	if (turn != PARENT)
		fail("final turn", turn, PARENT);
	cprintf(PROG": PASS\n");
}
