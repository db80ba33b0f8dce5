/*
 * boot/boot.S: the first stage of the boot loader. The BIOS loads this
 * sector (with boot/main.cc linked behind it) at physical 0x7C00 and
 * jumps to `start` in 16-bit real mode with CS:IP = 0:0x7C00 (or an
 * equivalent segment:offset). This code turns on the A20 line, switches
 * to 32-bit protected mode with flat segments, sets up a stack below
 * 0x7C00 and calls bootmain() (boot/main.cc), which loads the kernel.
 */

#include <inc/mmu.h>

	.set PROT_CODE_SEL, 0x08	/* GDT entry 1: flat code */
	.set PROT_DATA_SEL, 0x10	/* GDT entry 2: flat data */

	/* 8042 keyboard controller: status/command port and data port. */
	.set KBC_STATUS, 0x64
	.set KBC_DATA, 0x60
	.set KBC_STAT_IBF, 0x02		/* input buffer full: controller busy */
	.set KBC_CMD_WRITE_OUTPORT, 0xD1 /* next data byte -> output port */
	.set KBC_OUTPORT_A20_ON, 0xDF	/* output port value with A20 gate set */

.globl start
start:
	.code16
	cli			/* the BIOS may have left interrupts on */
	cld			/* string instructions count upward */

	/* Real-mode data segments: the BIOS makes no promise about them. */
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss

	/*
	 * Turn on address line 20. PCs start with it forced low so that
	 * addresses wrap at 1 MiB like on the 8086; the gate is bit 1 of
	 * the 8042 controller's output port. Command 0xD1 makes the
	 * controller take the next byte on port 0x60 as the new output
	 * port value; each write waits for the input buffer to drain.
	 */
1:	inb	$KBC_STATUS, %al
	testb	$KBC_STAT_IBF, %al
	jnz	1b
	movb	$KBC_CMD_WRITE_OUTPORT, %al
	outb	%al, $KBC_STATUS

2:	inb	$KBC_STATUS, %al
	testb	$KBC_STAT_IBF, %al
	jnz	2b
	movb	$KBC_OUTPORT_A20_ON, %al
	outb	%al, $KBC_DATA

	/*
	 * Enter protected mode (Intel SDM vol. 3A, 9.9.1 "Switching to
	 * Protected Mode"): load the GDT, set CR0.PE, then immediately
	 * far-jump so CS is reloaded from the GDT and the prefetched
	 * real-mode instructions are discarded. Our segments are flat
	 * (base 0, limit 4 GiB), so linear address = offset and the code
	 * keeps running at the same addresses.
	 */
	lgdt	gdtdesc
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmp	$PROT_CODE_SEL, $protmode

	.code32
protmode:
	/* Step 9 of 9.9.1: reload every data segment register. */
	movw	$PROT_DATA_SEL, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %fs
	movw	%ax, %gs
	movw	%ax, %ss

	/* The stack grows down from just below this code; memory from
	 * 0x500 to 0x7C00 is free conventional RAM at this point. */
	movl	$start, %esp
	call	bootmain

	/* bootmain only returns if something went wrong; stay put. */
spin:
	hlt
	jmp	spin

	/* The GDT: null descriptor, then flat code and data (SDM 3.4.5). */
	.p2align 2
gdt:
	SEG_NULL
	SEG(STA_X|STA_R, 0x0, 0xffffffff)	/* 0x08: code */
	SEG(STA_W, 0x0, 0xffffffff)		/* 0x10: data */

gdtdesc:
	.word	(gdtdesc - gdt - 1)	/* limit: size of the GDT - 1 */
	.long	gdt			/* linear base address */

	/* No executable stack needed (keeps ld from warning). */
	.section .note.GNU-stack, "", @progbits
