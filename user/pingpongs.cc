// pingpongs: pingpong over sfork, where all data pages are shared and
// only the stack is copy-on-write. The number being passed lives in the
// shared global 'val': a sender stores the new value there and sends the
// same value as the IPC word, so a receiver whose 'val' disagrees with
// the message proves the memory is not shared. Each side also checks that
// thisenv still names itself (the library must keep thisenv per
// environment even though sfork shares globals). Lines:
// "send 0 from %x to %x", then "%x got %d from %x (thisenv is %08x)"
// until 10. Not run by the reference graders.

#include <inc/lib.h>


namespace {

constexpr uint32_t LAST = 10;
void *const NO_PAGE = (void *) UTOP; // the message carries no page

volatile uint32_t val; // shared with the sfork child

void check_thisenv(envid_t me)
{
	if (thisenv->env_id != me)
		panic("thisenv names %08x, but I am %08x", thisenv->env_id, me);
}

} // namespace

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	envid_t peer = sfork();
	if (peer < 0)
		panic("sfork: %e", peer);
	envid_t me = sys_getenvid();
	check_thisenv(me);

	if (peer != 0) {
		val = 0;
		cprintf("send 0 from %x to %x\n", me, peer);
		ipc_send(peer, 0, NO_PAGE, 0);
	}

	for (;;) {
		envid_t from;
		uint32_t got = ipc_recv(&from, NO_PAGE, nullptr);
		if (val != got)
			panic("message says %u but shared val is %u: not shared", got,
			      val);
		check_thisenv(me);
		cprintf("%x got %u from %x (thisenv is %08x)\n", me, got, from,
			thisenv->env_id);
		if (got >= LAST)
			return;
		val = got + 1;
		ipc_send(from, got + 1, NO_PAGE, 0);
		if (got + 1 >= LAST)
			return;
	}
}
