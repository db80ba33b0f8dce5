/* Kernel and library error codes. Functions return them negated (-E_INVAL);
 * printfmt's %e prints the matching message. */
#ifndef JOS_INC_ERROR_H
#define JOS_INC_ERROR_H

enum {
	E_UNSPECIFIED = 1, /* unspecified or unknown problem */
	E_BAD_ENV = 2,     /* environment doesn't exist or caller may not touch it */
	E_INVAL = 3,       /* invalid parameter */
	E_NO_MEM = 4,      /* out of memory */
	E_NO_FREE_ENV = 5, /* out of environments */
	E_FAULT = 6,       /* memory fault */
	E_IPC_NOT_RECV = 7, /* target env is not receiving */
	E_EOF = 8,         /* unexpected end of file */
	MAXERROR
};

#endif /* !JOS_INC_ERROR_H */
