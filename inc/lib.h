/* The user library's API: what every user program includes. Valid C and
 * C++. Implementations live in lib/ under the names used here. */
#ifndef JOS_INC_LIB_H
#define JOS_INC_LIB_H 1

#include <inc/types.h>
#include <inc/stdio.h>
#include <inc/stdarg.h>
#include <inc/string.h>
#include <inc/error.h>
#include <inc/assert.h>
#include <inc/env.h>
#include <inc/memlayout.h>
#include <inc/syscall.h>
#include <inc/trap.h>

#define USED(x)		(void)(x)

#ifdef __cplusplus
extern "C" {
#endif

/* main user program: defined by each program in user/ */
void umain(int argc, char **argv);

/* libmain.cc and entry.S */
extern const char *binaryname;		/* program name, for panic messages */
extern const volatile struct Env *thisenv; /* this environment's Env */
extern const volatile struct Env envs[NENV];
extern const volatile struct PageInfo pages[];

/* exit.cc: destroy the calling environment; never returns. */
__attribute__((noreturn)) void exit(void);

/* pgfault.cc: run handler on the exception stack for every page fault of
 * this environment (allocating that stack on the first call). Panics on
 * failure. */
void set_pgfault_handler(void (*handler)(struct UTrapframe *utf));

/* pfentry.S: the entry point the kernel calls for a page fault (register it
 * with sys_env_set_pgfault_upcall); it runs the handler set above. */
void _pgfault_upcall(void);

/* syscall.cc: thin wrappers; errors come back as negative E_* codes. */
void sys_cputs(const char *string, size_t len);
int sys_cgetc(void);
envid_t sys_getenvid(void);
int sys_env_destroy(envid_t);
void sys_yield(void);
int sys_env_set_status(envid_t env, int status);
int sys_env_set_pgfault_upcall(envid_t env, void *upcall);
int sys_page_alloc(envid_t env, void *pg, int perm);
int sys_page_map(envid_t src_env, void *src_pg, envid_t dst_env, void *dst_pg, int perm);
int sys_page_unmap(envid_t env, void *pg);
int sys_ipc_try_send(envid_t to_env, uint32_t value, void *pg, int perm);
int sys_ipc_recv(void *rcv_pg);
/* Blocking send: sleep until to_env receives (no busy waiting). Returns 0,
 * -E_BAD_ENV (no such env, or it was destroyed meanwhile), -E_INVAL,
 * -E_NO_MEM. */
int sys_ipc_send(envid_t to_env, uint32_t value, void *pg, int perm);

/* Create a child environment with a copy of this one's registers, not
 * runnable and with an empty address space. Returns the child's id in
 * the parent and 0 in the child, or -E_NO_FREE_ENV / -E_NO_MEM.
 * Inline because the child starts right after the int instruction, with
 * no stack frame of a wrapper to return through. */
static inline envid_t __attribute__((always_inline))
sys_exofork(void)
{
	envid_t ret;
	__asm __volatile("int %2"
			 : "=a" (ret)
			 : "a" (SYS_exofork), "i" (T_SYSCALL)
			 : "memory");
	return ret;
}

/* ipc.cc */
void ipc_send(envid_t to_env, uint32_t value, void *pg, int perm);
int32_t ipc_recv(envid_t *from_env_store, void *pg, int *perm_store);
envid_t ipc_find_env(enum EnvType type);

/* fork.cc */
#define PTE_SHARE	0x400	/* page is shared (not copied) by fork */
#define PTE_COW		0x800	/* copy-on-write (lib/fork.cc) */
envid_t fork(void);
envid_t sfork(void);
/* How often fork's copy-on-write fault handler copied a page, and how
 * often it only remapped one nobody else shared any more. */
extern unsigned fork_cow_copies, fork_cow_remaps;

#ifdef __cplusplus
}
#endif

#endif /* !JOS_INC_LIB_H */
