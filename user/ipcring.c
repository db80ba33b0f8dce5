/* ipcring: a token passed around a ring of five environments.
 *
 * The first environment (station 0) forks station 1, which forks station
 * 2, and so on up to station 4: every station sends to the one it forked,
 * and the last one sends back to station 0, whose id every station
 * inherited in 'first'.  The token is the number of hops made so far:
 * station 0 starts each of the three rounds by sending 5*r + 1; station k
 * must receive 5*r + k from its parent, station 0 must receive 5*(r + 1)
 * from the last station.  Only the holder of the token prints, so the
 * lines come out in ring order even with several CPUs:
 * "ipcring: round R station K got V", then "ipcring: PASS".  Every
 * station exits after its last round. */

#include <inc/lib.h>

#define NSTATION	5
#define NROUND		3
#define PROG		"ipcring"

envid_t first;			/* station 0, where the ring closes */
volatile int hops;		/* tokens this station has passed on */

static void
fail(const char *what, int got, int want)
{
	cprintf(PROG": FAIL %s: got %x, want %x\n", what, got, want);
	panic("%s", what);
}

void
umain(int argc, char **argv)
{
	envid_t next, prev, from, id;
	int station, round, value, want;

	first = sys_getenvid();
	station = 0;
	prev = 0;		/* station 0 learns it from the first token */
	for (;;) {
		if (station == NSTATION - 1) {
			next = first;
			break;
		}
		if ((id = fork()) < 0)
			panic("fork: %e", id);
		if (id != 0) {
			next = id;
			break;
		}
		station++;
		prev = thisenv->env_parent_id;
	}
	if (station == 0)
		cprintf(PROG": ring of %d stations, "PROG" starts at %08x\n",
			NSTATION, first);

	for (round = 0; round < NROUND; round++) {
		if (station == 0) {
			hops++;
			ipc_send(next, NSTATION * round + 1, NULL, 0);
		}
		value = ipc_recv(&from, NULL, NULL);
		want = station == 0 ? NSTATION * (round + 1)
			: NSTATION * round + station;
		if (prev == 0)
			prev = from;
		if (from != prev)
			fail("token from the wrong station", from, prev);
		if (value != want)
			fail("token value", value, want);
		cprintf(PROG": round %d station %d got %d\n", round, station, value);
		if (station != 0) {
			hops++;
			ipc_send(next, value + 1, NULL, 0);
		}
	}
	if (hops != NROUND)
		fail("hops", hops, NROUND);
	if (station == 0)
		cprintf(PROG": PASS\n");
}
