/* lazysum: demand-zero memory from a user-level page fault handler.
 *
 * A 64 MiB region at REGION starts out unmapped; the handler (installed
 * with set_pgfault_handler) maps a zeroed page wherever the program
 * touches the region and refuses faults anywhere else.  The program
 *  1. reads one word from each of NSPOT pages scattered over the whole
 *     region (16 page tables): every read faults once and finds 0;
 *  2. writes 3*i + 1 into those words: no new faults; sums them;
 *  3. reads a run of NRUN consecutive fresh pages byte by byte (one fault
 *     per page) and sums the bytes, which must be 0;
 *  4. stores one 32-bit word that straddles two fresh pages: the one
 *     instruction faults on both pages before it completes, and the
 *     bytes land on both sides of the boundary.
 * The handler counts faults and remembers the last two fault addresses.
 * Lines: "lazysum: N sparse reads, N faults, sum 0", "lazysum: sparse sum
 * S, N faults", "lazysum: run of R pages, R faults, sum 0", "lazysum:
 * straddling store, 2 faults, bytes ef be ad de", "lazysum: PASS". */

#include <inc/lib.h>

#define PROG		"lazysum"
#define REGION		0x10000000
#define REGIONSIZE	(16 * PTSIZE)
#define NSPOT		48
#define SPOTSTRIDE	(REGIONSIZE / NSPOT)	/* 1.33 MiB: not page aligned */
#define RUN		(REGION + 8 * PTSIZE + 5 * PGSIZE)
#define NRUN		24
#define EDGE		(REGION + 12 * PTSIZE + 64 * PGSIZE) /* a page boundary */

volatile int nfault;
volatile uintptr_t lastfault[2];

static void
fail(const char *what, int got, int want)
{
	cprintf(PROG": FAIL %s: got %d, want %d\n", what, got, want);
	panic("%s", what);
}

static void
handler(struct UTrapframe *utf)
{
	uintptr_t va = utf->utf_fault_va;
	int r;

	if (va < REGION || va >= REGION + REGIONSIZE)
		panic("fault at %08x (eip %08x) outside the region", va,
		      utf->utf_eip);
	if (utf->utf_err & FEC_PR)
		panic("protection fault at %08x", va);
	if ((r = sys_page_alloc(0, (void *) ROUNDDOWN(va, PGSIZE),
				PTE_P | PTE_U | PTE_W)) < 0)
		panic("sys_page_alloc at %08x: %e", va, r);
	lastfault[nfault & 1] = va;
	nfault++;
}

static volatile uint32_t *
spot(int i)
{
	return (volatile uint32_t *) ROUNDDOWN(REGION + i * SPOTSTRIDE, 4);
}

void
umain(int argc, char **argv)
{
	volatile unsigned char *p;
	uint32_t sum, want;
	unsigned char b[4];
	int i, before;

	set_pgfault_handler(handler);

	/* 1: reads of untouched pages fault and see zeros */
	sum = 0;
	for (i = 0; i < NSPOT; i++) {
		before = nfault;
		sum += *spot(i);
		if (nfault != before + 1)
			fail("faults for one sparse read", nfault - before, 1);
	}
	cprintf(PROG": %d sparse reads, %d faults, sum %d\n", NSPOT, nfault, sum);
	if (sum != 0)
		fail("sum of fresh pages", sum, 0);

	/* 2: the pages stay; writing them does not fault */
	for (i = 0; i < NSPOT; i++)
		*spot(i) = 3 * i + 1;
	sum = 0;
	want = 0;
	for (i = 0; i < NSPOT; i++) {
		sum += *spot(i);
		want += 3 * i + 1;
	}
	cprintf(PROG": sparse sum %d, %d faults\n", sum, nfault);
	if (sum != want)
		fail("sparse sum", sum, want);
	if (nfault != NSPOT)
		fail("faults after writing", nfault, NSPOT);

	/* 3: a run of consecutive fresh pages, every byte read */
	sum = 0;
	before = nfault;
	for (p = (volatile unsigned char *) RUN;
	     p < (volatile unsigned char *) (RUN + NRUN * PGSIZE); p++)
		sum += *p;
	cprintf(PROG": run of %d pages, %d faults, sum %d\n", NRUN,
		nfault - before, sum);
	if (nfault - before != NRUN)
		fail("faults in the run", nfault - before, NRUN);
	if (sum != 0)
		fail("sum of the run", sum, 0);

	/* 4: one store across a page boundary, both pages fresh */
	before = nfault;
	*(volatile uint32_t *) (EDGE - 2) = 0xdeadbeef;
	if (nfault - before != 2)
		fail("faults for the straddling store", nfault - before, 2);
	if (ROUNDDOWN(lastfault[0], PGSIZE) == ROUNDDOWN(lastfault[1], PGSIZE) ||
	    ROUNDDOWN(lastfault[0] < lastfault[1] ? lastfault[0] : lastfault[1],
		      PGSIZE) != EDGE - PGSIZE ||
	    ROUNDDOWN(lastfault[0] > lastfault[1] ? lastfault[0] : lastfault[1],
		      PGSIZE) != EDGE)
		fail("straddling fault pages", lastfault[0], EDGE);
	for (i = 0; i < 4; i++)
		b[i] = ((volatile unsigned char *) (EDGE - 2))[i];
	cprintf(PROG": straddling store, %d faults, bytes %02x %02x %02x %02x\n",
		nfault - before, b[0], b[1], b[2], b[3]);
	if (b[0] != 0xef || b[1] != 0xbe || b[2] != 0xad || b[3] != 0xde)
		fail("straddling bytes", b[0], 0xef);
	if (((volatile unsigned char *) EDGE)[-3] != 0 ||
	    ((volatile unsigned char *) EDGE)[2] != 0)
		fail("bytes beside the store", 1, 0);

	cprintf(PROG": PASS\n");
}
