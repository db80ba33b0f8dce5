/* kern/entry.S: the kernel's first instructions (the boot loader jumps to
 * _start, the physical address of entry) and the entry page directory
 * that both the BSP here and every AP in kern/mpentry.S start paging with. */
#include <inc/mmu.h>
#include <inc/memlayout.h>

/* The kernel is linked at KERNBASE + 1 MiB but runs at 1 MiB until paging
 * is on: RELOC gives the physical address of a kernel symbol. */
#define RELOC(x) ((x) - KERNBASE)

.text

.globl _start
_start = RELOC(entry)

.globl entry
.type entry, @function
entry:
	/* Map the kernel with 4 MiB pages (CR4.PSE, SDM vol. 3A 4.3) through
	 * entry_pgdir, then turn paging on (SDM vol. 3A 9.9.1). */
	movl	$(RELOC(entry_pgdir)), %eax
	movl	%eax, %cr3
	movl	%cr4, %eax
	orl	$(CR4_PSE), %eax
	movl	%eax, %cr4
	movl	%cr0, %eax
	orl	$(CR0_PE|CR0_PG|CR0_WP), %eax
	movl	%eax, %cr0

	/* Still running at the low address: jump up to KERNBASE. */
	mov	$relocated, %eax
	jmp	*%eax
relocated:
	/* A zero frame pointer ends mon_backtrace's walk. */
	movl	$0x0, %ebp
	movl	$(bootstacktop), %esp
	call	i386_init
1:	hlt
	jmp	1b
.size entry, . - entry

.data

/* The boot CPU's stack until it switches to its percpu stack in
 * mem_init_mp's mapping (it keeps using this memory: percpu_kstacks[0]
 * is separate). */
	.p2align PGSHIFT
	.globl	bootstack
bootstack:
	.space	KSTKSIZE
	.globl	bootstacktop
bootstacktop:

/* entry_pgdir: identity-maps [0, 4 MiB) so the instructions right after
 * enabling paging still run, and maps [KERNBASE, KERNBASE + KERN_EARLY_MAP)
 * to physical [0, KERN_EARLY_MAP), both with 4 MiB pages. */
	.p2align PGSHIFT
	.globl	entry_pgdir
entry_pgdir:
	.long	0 | PTE_P | PTE_W | PTE_PS
	.fill	(KERNBASE >> PDXSHIFT) - 1, 4, 0
	.set	early_pde, 0
	.rept	KERN_EARLY_MAP / PTSIZE
	.long	(early_pde << PDXSHIFT) | PTE_P | PTE_W | PTE_PS
	.set	early_pde, early_pde + 1
	.endr
	.fill	NPDENTRIES - (KERNBASE >> PDXSHIFT) - KERN_EARLY_MAP / PTSIZE, 4, 0

	.section .note.GNU-stack,"",@progbits
