/* kern/mpentry.S: the AP start-up trampoline.
 *
 * boot_aps copies the code between mpentry_start and mpentry_end to
 * physical MPENTRY_PADDR (0x7000) and sends each AP a STARTUP IPI with
 * vector 0x07: the AP begins here in real mode with CS:IP = 0700:0000
 * (Intel SDM vol. 3A, 8.4.4.1). Like boot/boot.S it enables protected
 * mode, then paging with entry_pgdir, and calls mp_main on the stack
 * boot_aps left in mpentry_kstack. */

#include <inc/mmu.h>
#include <inc/memlayout.h>

#define RELOC(x) ((x) - KERNBASE)
#define MPBOOTPHYS(s) ((s) - mpentry_start + MPENTRY_PADDR)

#define PROT_MODE_CSEG 0x8	/* code segment selector of the GDT below */
#define PROT_MODE_DSEG 0x10	/* data segment selector */

.code16
	.globl	mpentry_start
mpentry_start:
	cli
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss

	/* Enter protected mode (SDM vol. 3A, 9.9.1) with a flat GDT. */
	lgdt	MPBOOTPHYS(mpentry_gdtdesc)
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	$(PROT_MODE_CSEG), $(MPBOOTPHYS(mpentry_start32))

.code32
	.globl	mpentry_start32
mpentry_start32:
	movw	$(PROT_MODE_DSEG), %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	$0, %ax
	movw	%ax, %fs
	movw	%ax, %gs

	/* Paging with entry_pgdir (4 MiB pages), as kern/entry.S does. */
	movl	$(RELOC(entry_pgdir)), %eax
	movl	%eax, %cr3
	movl	%cr4, %eax
	orl	$(CR4_PSE), %eax
	movl	%eax, %cr4
	movl	%cr0, %eax
	orl	$(CR0_PE|CR0_PG|CR0_WP), %eax
	movl	%eax, %cr0

	/* Switch to the stack boot_aps allocated and enter the kernel
	 * proper; the indirect call leaves the low-address copy. */
	movl	mpentry_kstack, %esp
	movl	$0x0, %ebp
	movl	$mp_main, %eax
	call	*%eax

	/* mp_main does not return. */
1:	hlt
	jmp	1b

	.p2align 2
mpentry_gdt:
	SEG_NULL
	SEG(STA_X|STA_R, 0x0, 0xffffffff)	/* PROT_MODE_CSEG */
	SEG(STA_W, 0x0, 0xffffffff)		/* PROT_MODE_DSEG */

mpentry_gdtdesc:
	.word	0x17			/* sizeof(mpentry_gdt) - 1 */
	.long	MPBOOTPHYS(mpentry_gdt)

	.globl	mpentry_end
mpentry_end:
	nop

	.section .note.GNU-stack,"",@progbits

// LAB 4: answer
/* Why MPBOOTPHYS: this code is linked at kernel addresses (above
 * KERNBASE) but runs at 0x7000 with paging off, so every absolute
 * address it uses before paging is on must be translated to where the
 * copy lives. boot/boot.S needs no such macro: it is linked at 0x7C00,
 * exactly where the BIOS loads it. */
// LAB 4: end
