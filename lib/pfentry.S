/* lib/pfentry.S: _pgfault_upcall, where the kernel resumes an environment
 * after a page fault (sys_env_set_pgfault_upcall). %esp points at the
 * struct UTrapframe the kernel pushed on the exception stack:
 *
 *	trap-time esp		<- UTF_ESP
 *	trap-time eflags	<- UTF_EFLAGS
 *	trap-time eip		<- UTF_EIP
 *	trap-time registers	<- UTF_REGS (struct PushRegs)
 *	error code
 *	fault va		<- %esp
 *
 * It calls the C handler, then returns to the faulting instruction
 * without entering the kernel: it stores the trap-time eip just below
 * the trap-time esp (on the normal stack, or in the 4-byte gap the
 * kernel leaves on a nested fault), restores every register and eflags,
 * switches to the trap-time stack, and `ret`s through that word, so the
 * stack switch and the jump happen at once. */

#include <inc/mmu.h>
#include <inc/memlayout.h>
#include <inc/trap.h>

.text
	.globl	_pgfault_upcall
	.type	_pgfault_upcall, @function
_pgfault_upcall:
	pushl	%esp			/* argument: the UTrapframe */
	movl	_pgfault_handler, %eax
	call	*%eax
	addl	$4, %esp

	// LAB 4: solution
	/* Push the trap-time eip onto the trap-time stack. eax and ebx are
	 * free: popal restores them below. */
	movl	UTF_ESP(%esp), %eax
	subl	$4, %eax
	movl	UTF_EIP(%esp), %ebx
	movl	%ebx, (%eax)
	movl	%eax, UTF_ESP(%esp)

	/* Restore the general registers (skipping fault va and error). */
	addl	$UTF_REGS, %esp
	popal

	/* Skip eip, restore eflags: no arithmetic may follow. */
	addl	$4, %esp
	popfl

	/* Back to the trap-time stack, now holding eip on top. */
	popl	%esp
	ret
	// LAB 4: end
	.size	_pgfault_upcall, . - _pgfault_upcall

	.section .note.GNU-stack,"",@progbits
