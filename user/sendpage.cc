// sendpage: passing a page over IPC. The parent (first env) forks, writes
// a greeting in a fresh page at 0xa00000 and sends that page (perm
// P|W|U); the child receives it at 0xb00000, checks it, overwrites it with
// a reply and sends the same page back, which the parent receives at
// 0xa00000. Each receiver prints the message in two forms:
// "%x got message: %s" (sender; MIT's grader) and "%x got message from
// %x: %s" (receiver, sender; FIUBA's), then "child/parent received
// correct message" when the text matches.

#include <inc/lib.h>


namespace {

char *const PARENT_PAGE = (char *) 0xa00000;
char *const CHILD_PAGE = (char *) 0xb00000;
constexpr int PERM = PTE_P | PTE_W | PTE_U;

const char TO_CHILD[] = "hello child environment! how are you?";
const char TO_PARENT[] = "hello parent environment! I'm good.";

// Wait for a page at va, print it both ways and check it against want.
envid_t receive(char *va, const char *want, const char *who)
{
	envid_t from;
	int perm;

	ipc_recv(&from, va, &perm);
	if (!(perm & PTE_P))
		panic("%s: message came without a page", who);
	cprintf("%x got message: %s\n", from, va);
	cprintf("%x got message from %x: %s\n", sys_getenvid(), from, va);
	if (strcmp(va, want) == 0)
		cprintf("%s received correct message\n", who);
	else
		cprintf("%s received WRONG message\n", who);
	return from;
}

} // namespace

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	envid_t child = fork();
	if (child < 0)
		panic("fork: %e", child);

	if (child == 0) {
		envid_t parent = receive(CHILD_PAGE, TO_CHILD, "child");
		memcpy(CHILD_PAGE, TO_PARENT, sizeof(TO_PARENT));
		ipc_send(parent, 0, CHILD_PAGE, PERM);
		return;
	}

	int r = sys_page_alloc(0, PARENT_PAGE, PERM);
	if (r < 0)
		panic("sys_page_alloc: %e", r);
	memcpy(PARENT_PAGE, TO_CHILD, sizeof(TO_CHILD));
	ipc_send(child, 0, PARENT_PAGE, PERM);
	receive(PARENT_PAGE, TO_PARENT, "parent");
}
