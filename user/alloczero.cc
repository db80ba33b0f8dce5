// alloczero: sys_page_alloc must hand out zeroed pages, even when the
// physical page was just freed with data in it. We map a page at UTEMP,
// scribble 0x7508 in it, unmap it (freeing it), allocate again and check
// that every word of the new page is zero. FIUBA's grader expects "The
// allocated memory is initialized to zero".

#include <inc/lib.h>


namespace {

constexpr int PERM = PTE_P | PTE_U | PTE_W;

}

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	volatile uint32_t *words = (volatile uint32_t *) UTEMP;
	int r;

	if ((r = sys_page_alloc(0, UTEMP, PERM)) < 0)
		panic("sys_page_alloc: %e", r);
	words[0] = 0x7508;
	if ((r = sys_page_unmap(0, UTEMP)) < 0)
		panic("sys_page_unmap: %e", r);

	if ((r = sys_page_alloc(0, UTEMP, PERM)) < 0)
		panic("sys_page_alloc: %e", r);
	for (uint32_t i = 0; i < PGSIZE / sizeof(uint32_t); i++)
		if (words[i] != 0)
			panic("word %u of a fresh page is %08x", i, words[i]);
	cprintf("The allocated memory is initialized to zero\n");
}
