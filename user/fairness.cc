// fairness: scheduler fairness under IPC load. We fork two senders that
// send to us forever; we receive forever, count messages per sender and
// every 1000 messages print the counts, which should grow at about the
// same rate if the scheduler and IPC treat both senders alike. Runs until
// killed; not graded.

#include <inc/lib.h>


namespace {

constexpr int SENDERS = 2;
void *const NO_PAGE = (void *) UTOP; // IPC carries a value only

} // namespace

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	envid_t receiver = sys_getenvid();
	envid_t senders[SENDERS];

	for (int i = 0; i < SENDERS; i++) {
		envid_t id = fork();
		if (id < 0)
			panic("fork: %e", id);
		if (id == 0)
			for (;;)
				ipc_send(receiver, i, NO_PAGE, 0);
		senders[i] = id;
	}

	unsigned counts[SENDERS] = {};
	for (unsigned total = 1;; total++) {
		envid_t from;
		int32_t i = ipc_recv(&from, NO_PAGE, nullptr);
		if (i < 0 || i >= SENDERS || senders[i] != from)
			panic("unexpected message %d from %08x", i, from);
		counts[i]++;
		if (total % 1000 == 0)
			cprintf("%08x: %u from %08x, %u from %08x\n", receiver, counts[0],
				senders[0], counts[1], senders[1]);
	}
}
