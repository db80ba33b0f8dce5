/* System call numbers: eax at int $T_SYSCALL (docs/GRADERS.md section 4).
 *
 * SYSCALL_LIST is the one list of system calls: it applies X to each name,
 * in number order, so the SYS_* enum and the names printed by tests cannot
 * drift apart. The order is the ABI (SYS_cputs is 0): new calls go at the
 * end, never in between. To make a table, define X(name) and expand
 * SYSCALL_LIST(X); C++ code can use syscall_names below. */
#ifndef JOS_INC_SYSCALL_H
#define JOS_INC_SYSCALL_H

#define SYSCALL_LIST(X)							\
	X(cputs)							\
	X(cgetc)							\
	X(getenvid)							\
	X(env_destroy)							\
	X(page_alloc)							\
	X(page_map)							\
	X(page_unmap)							\
	X(exofork)							\
	X(env_set_status)						\
	X(env_set_pgfault_upcall)					\
	X(yield)							\
	X(ipc_try_send)							\
	X(ipc_recv)							\
	X(ipc_send)		/* blocking send (lab 4 challenge) */

#ifndef __ASSEMBLER__

#define SYSCALL_ENUM_ENTRY(name)	SYS_##name,
enum {
	SYSCALL_LIST(SYSCALL_ENUM_ENTRY)
	NSYSCALLS
};
#undef SYSCALL_ENUM_ENTRY

#ifdef __cplusplus
/* Indexed by SYS_* number. An inline variable: one constant-initialized
 * copy for the whole program, however many files include this. (C has no
 * such thing; C code expands SYSCALL_LIST itself.) */
#define SYSCALL_NAME_ENTRY(name)	#name,
inline constexpr const char *syscall_names[] = {SYSCALL_LIST(SYSCALL_NAME_ENTRY)};
#undef SYSCALL_NAME_ENTRY
static_assert(sizeof(syscall_names) / sizeof(syscall_names[0]) == NSYSCALLS,
	      "one name per system call");
#endif /* __cplusplus */

#endif /* !__ASSEMBLER__ */

#endif /* !JOS_INC_SYSCALL_H */
