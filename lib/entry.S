/* User-space entry point and the addresses of the kernel's read-only
 * mappings every environment sees (docs/GRADERS.md section 4;
 * inc/memlayout.h). */

#include <inc/mmu.h>
#include <inc/memlayout.h>

/* The read-only views, as absolute symbols: C code declares them as
 * arrays (inc/lib.h, inc/memlayout.h). uvpd is the page directory seen
 * through the UVPT self-map: the page table that maps UVPT itself, i.e.
 * page number UVPT >> PGSHIFT of the UVPT region. */
	.globl	envs
	.set	envs, UENVS
	.globl	pages
	.set	pages, UPAGES
	.globl	uvpt
	.set	uvpt, UVPT
	.globl	uvpd
	.set	uvpd, (UVPT + (UVPT >> 12) * 4)

/* _start: the kernel starts a new environment here with esp = USTACKTOP
 * and nothing on the stack; then libmain gets argc = 0, argv = null. A
 * program started some other way (with arguments already pushed) has a
 * lower esp and keeps them. libmain does not return; if it did, spin. */
	.text
	.globl	_start
_start:
	cmpl	$USTACKTOP, %esp
	jne	have_args
	pushl	$0			/* argv */
	pushl	$0			/* argc */
have_args:
	call	libmain
spin:
	jmp	spin

/* No executable stack needed (silences ld's warning about the missing note). */
	.section .note.GNU-stack,"",@progbits
