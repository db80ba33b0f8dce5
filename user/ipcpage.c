/* ipcpage: pages and permission bits over IPC.
 *
 * 1. The parent fills a fresh page at OUTBOX with a text and a byte
 *    pattern and sends it (value 42, perm P|U|W) to its child, which
 *    receives it at INBOX: the value, the perm and the contents must
 *    arrive as sent.  The child writes its answer into the same page
 *    (it is the same physical page, not a copy) and sends it back
 *    read-only (value 43, perm P|U); the parent receives it at REPLY,
 *    checks the perm, that the mapping there is not writable, and that
 *    the answer shows both at REPLY and in its own OUTBOX mapping.
 * 2. The parent sends value 44 with no page to the child, which asked
 *    for one: the perm must be 0 and nothing may appear at SPARE.
 * 3. The child sends value 45 with a page to the parent, which did not
 *    ask for one: again perm 0 and nothing mapped.
 * Lines: "ipcpage: child got value 42 perm 7", "ipcpage: child read
 * <text>", "ipcpage: parent got value 43 perm 5", "ipcpage: parent read
 * <answer>", "ipcpage: child got value 44 perm 0", "ipcpage: parent got
 * value 45 perm 0", "ipcpage: PASS". */

#include <inc/lib.h>

#define PROG		"ipcpage"
#define OUTBOX		((char *) 0x00a00000)	/* parent's page */
#define REPLY		((char *) 0x00a01000)	/* parent: the answer */
#define INBOX		((char *) 0x00b00000)	/* child: the parent's page */
#define SPARE		((char *) 0x00b01000)	/* child: nothing may land */
#define PATTERN		512			/* pattern starts here */

static const char question[] = "what is six times seven?";
static const char answer[] = "forty-two, said the child";

static void
fail(const char *what, int got, int want)
{
	cprintf(PROG": FAIL %s: got %x, want %x\n", what, got, want);
	panic("%s", what);
}

static int
mapped(void *va)
{
	return (uvpd[PDX(va)] & PTE_P) && (uvpt[PGNUM(va)] & PTE_P);
}

static unsigned char
pattern(int i)
{
	return (unsigned char) (i * 7 + 3);
}

static void
child(void)
{
	envid_t parent, from;
	int value, perm, i;

	value = ipc_recv(&parent, INBOX, &perm);
	cprintf(PROG": child got value %d perm %x\n", value, perm);
	if (value != 42)
		fail("first value", value, 42);
	if (perm != (PTE_P | PTE_U | PTE_W))
		fail("first perm", perm, PTE_P | PTE_U | PTE_W);
	if (parent != thisenv->env_parent_id)
		fail("first sender", parent, thisenv->env_parent_id);
	if (!mapped(INBOX) || !(uvpt[PGNUM(INBOX)] & PTE_W))
		fail("inbox mapping", uvpt[PGNUM(INBOX)], PTE_P | PTE_U | PTE_W);
	if (strcmp(INBOX, question) != 0)
		fail("question text", INBOX[0], question[0]);
	for (i = PATTERN; i < PGSIZE; i++)
		if ((unsigned char) INBOX[i] != pattern(i))
			fail("question pattern", i, PGSIZE);
	cprintf(PROG": child read %s\n", INBOX);

	strcpy(INBOX, answer);
	ipc_send(parent, 43, INBOX, PTE_P | PTE_U);

	value = ipc_recv(&from, SPARE, &perm);
	cprintf(PROG": child got value %d perm %x\n", value, perm);
	if (value != 44 || from != parent)
		fail("second value", value, 44);
	if (perm != 0)
		fail("second perm", perm, 0);
	if (mapped(SPARE))
		fail("spare mapped", uvpt[PGNUM(SPARE)], 0);

	ipc_send(parent, 45, INBOX, PTE_P | PTE_U);
}

void
umain(int argc, char **argv)
{
	envid_t kid, from;
	int r, value, perm, i;

	if ((kid = fork()) < 0)
		panic("fork: %e", kid);
	if (kid == 0) {
		child();
		return;
	}

	if ((r = sys_page_alloc(0, OUTBOX, PTE_P | PTE_U | PTE_W)) < 0)
		panic("sys_page_alloc: %e", r);
	strcpy(OUTBOX, question);
	for (i = PATTERN; i < PGSIZE; i++)
		OUTBOX[i] = pattern(i);
	ipc_send(kid, 42, OUTBOX, PTE_P | PTE_U | PTE_W);

	value = ipc_recv(&from, REPLY, &perm);
	cprintf(PROG": parent got value %d perm %x\n", value, perm);
	if (value != 43 || from != kid)
		fail("reply value", value, 43);
	if (perm != (PTE_P | PTE_U))
		fail("reply perm", perm, PTE_P | PTE_U);
	if (!mapped(REPLY) || (uvpt[PGNUM(REPLY)] & PTE_W))
		fail("reply mapping", uvpt[PGNUM(REPLY)] & 0xfff, PTE_P | PTE_U);
	if (PTE_ADDR(uvpt[PGNUM(REPLY)]) != PTE_ADDR(uvpt[PGNUM(OUTBOX)]))
		fail("reply is another page", PTE_ADDR(uvpt[PGNUM(REPLY)]),
		     PTE_ADDR(uvpt[PGNUM(OUTBOX)]));
	if (strcmp(REPLY, answer) != 0 || strcmp(OUTBOX, answer) != 0)
		fail("answer text", REPLY[0], answer[0]);
	for (i = PATTERN; i < PGSIZE; i++)
		if ((unsigned char) REPLY[i] != pattern(i))
			fail("answer pattern", i, PGSIZE);
	cprintf(PROG": parent read %s\n", REPLY);

	ipc_send(kid, 44, NULL, 0);

	value = ipc_recv(&from, NULL, &perm);
	cprintf(PROG": parent got value %d perm %x\n", value, perm);
	if (value != 45 || from != kid)
		fail("last value", value, 45);
	if (perm != 0)
		fail("last perm", perm, 0);
	cprintf(PROG": PASS\n");
}
