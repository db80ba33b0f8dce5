/* forkcount: several copy-on-write children, one global.
 *
 * Before creating child i the parent stores 1000 + i in the global
 * 'snapshot', so every child must find the value of the moment it was
 * forked, not whatever the parent wrote later.  Each child then writes its
 * own number into 'snapshot', yields a few times so that the parent and the
 * other children run and write theirs, checks that its copy is untouched,
 * adds up the squares 1..10*(i+1) in a volatile counter and sends the sum
 * to the parent.  The parent collects the four sums (in whatever order the
 * children finish), checks them against n(n+1)(2n+1)/6 and checks that its
 * own 'snapshot' and counter were never touched by any child.
 *
 * Lines: "forkcount: child N saw snapshot S" and
 * "forkcount: child N sum of squares to K is V" from the children,
 * "forkcount: parent has child N sum V" for N = 0..3 in order, and
 * "forkcount: PASS". */

#include <inc/lib.h>

#define NCHILD		4
#define PROG		"forkcount"

int snapshot = 1;		/* .data: written by parent and every child */
volatile int counter;		/* .bss: each child counts in its own copy */
volatile int steps;		/* .bss: loop iterations, likewise */

static void
fail(const char *what, int got, int want)
{
	cprintf(PROG": FAIL %s: got %d, want %d\n", what, got, want);
	panic("%s", what);
}

static int
squares(int n)
{
	return n * (n + 1) * (2 * n + 1) / 6;
}

static void
child(int i)
{
	int k, n, mine;

	if (snapshot != 1000 + i)
		fail("child's snapshot at fork", snapshot, 1000 + i);
	cprintf("["PROG"] child %d running\n", i);
	cprintf(PROG": child %d saw snapshot %d\n", i, snapshot);

	mine = -(i + 1);
	snapshot = mine;
	for (k = 0; k < 5; k++)
		sys_yield();
	if (snapshot != mine)
		fail("child's own snapshot after yielding", snapshot, mine);

	n = 10 * (i + 1);
	for (k = 1; k <= n; k++) {
		counter += k * k;
		steps++;
		if ((k & 3) == 0)
			sys_yield();
	}
	if (snapshot != mine)
		fail("child's own snapshot after summing", snapshot, mine);
	if (steps != n)
		fail("child's steps", steps, n);
	cprintf(PROG": child %d sum of squares to %d is %d\n", i, n, counter);
	ipc_send(thisenv->env_parent_id, counter, NULL, 0);
}

void
umain(int argc, char **argv)
{
	envid_t kids[NCHILD], from;
	int sums[NCHILD], got[NCHILD];
	int i, j, value;

	for (i = 0; i < NCHILD; i++) {
		snapshot = 1000 + i;
		if ((kids[i] = fork()) < 0)
			panic("fork: %e", kids[i]);
		if (kids[i] == 0) {
			child(i);
			return;
		}
		got[i] = 0;
	}
	snapshot = 7;

	for (i = 0; i < NCHILD; i++) {
		value = ipc_recv(&from, NULL, NULL);
		for (j = 0; j < NCHILD; j++)
			if (kids[j] == from)
				break;
		if (j == NCHILD)
			fail("message from a stranger", from, kids[0]);
		if (got[j]++)
			fail("second message from one child", j, -1);
		sums[j] = value;
	}

	for (i = 0; i < NCHILD; i++) {
		cprintf(PROG": parent has child %d sum %d\n", i, sums[i]);
		if (sums[i] != squares(10 * (i + 1)))
			fail("child's sum", sums[i], squares(10 * (i + 1)));
	}
	if (snapshot != 7)
		fail("parent's snapshot", snapshot, 7);
	if (counter != 0 || steps != 0)
		fail("parent's counter", counter + steps, 0);
	cprintf(PROG": PASS\n");
}
