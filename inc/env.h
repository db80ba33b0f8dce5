/* The environment (process) structure, visible read-only to user space
 * through 'envs' at UENVS. Offsets are part of the ABI (docs/GRADERS.md
 * section 4). */
#ifndef JOS_INC_ENV_H
#define JOS_INC_ENV_H

#include <inc/types.h>
#include <inc/trap.h>
#include <inc/memlayout.h>
#include <inc/envid.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Values of env_status in struct Env. */
enum {
	ENV_FREE = 0,
	ENV_DYING,
	ENV_RUNNABLE,
	ENV_RUNNING,
	ENV_NOT_RUNNABLE
};

/* Special environment types. */
enum EnvType {
	ENV_TYPE_USER = 0,
};

struct Env {
	struct Trapframe env_tf;	/* Saved registers */
	struct Env *env_link;		/* Next free Env */
	envid_t env_id;			/* Unique environment identifier */
	envid_t env_parent_id;		/* env_id of this env's parent */
	enum EnvType env_type;		/* Indicates special system environments */
	unsigned env_status;		/* Status of the environment */
	uint32_t env_runs;		/* Number of times environment has run */
	int env_cpunum;			/* The CPU that the env ran on last */

	/* Address space */
	pde_t *env_pgdir;		/* Kernel virtual address of page dir */

	/* Exception handling */
	void *env_pgfault_upcall;	/* Page fault upcall entry point */

	/* Lab 4 IPC */
	bool env_ipc_recving;		/* Env is blocked receiving */
	void *env_ipc_dstva;		/* VA at which to map received page */
	uint32_t env_ipc_value;		/* Data value sent to us */
	envid_t env_ipc_from;		/* envid of the sender */
	int env_ipc_perm;		/* Perm of page mapping received */
};

#ifdef __cplusplus
} /* extern "C" */

static_assert(__builtin_offsetof(Env, env_link) == 0x44);
static_assert(__builtin_offsetof(Env, env_id) == 0x48);
static_assert(__builtin_offsetof(Env, env_status) == 0x54);
static_assert(__builtin_offsetof(Env, env_cpunum) == 0x5c);
static_assert(__builtin_offsetof(Env, env_pgdir) == 0x60);
static_assert(__builtin_offsetof(Env, env_ipc_recving) == 0x68);
static_assert(__builtin_offsetof(Env, env_ipc_perm) == 0x78);
static_assert(sizeof(Env) == 0x7c, "struct Env is read by user space through envs");
#endif

#endif /* !JOS_INC_ENV_H */
