// kern/env.hh: environments (user processes) in the kernel (kern/env.cc).
#ifndef JOS_KERN_ENV_HH
#define JOS_KERN_ENV_HH

#include <inc/env.h>
#include <inc/mmu.h>
#include <kern/cpu.hh>

extern Env *envs;               // all environments (NENV of them)
// One past the highest envs[] index ever allocated: slots from here on
// have always been free, so scans over envs[] can stop here.
extern uint32_t env_high_water;
extern Segdesc gdt[];           // null, kernel/user code+data, one TSS per CPU

void env_init(void);
void env_init_percpu(void);
int env_alloc(Env **newenv_store, envid_t parent_id);
void env_free(Env *e);
void env_create(const uint8_t *binary, size_t size, EnvType type);
void env_destroy(Env *e);
int envid2env(envid_t envid, Env **env_store, bool checkperm);
bool env_running_elsewhere(const Env *e);
[[noreturn]] void env_run(Env *e);
[[noreturn]] void env_pop_tf(Trapframe *tf);

// Create an environment running user program x (a name such as user_hello)
// from the ELF image the build embedded as obj/user/hello. Two expansion
// levels let x be a macro such as TEST.
#define USER_BINARY_START(x) _binary_obj_##x##_start
#define USER_BINARY_END(x) _binary_obj_##x##_end
#define DECLARE_USER_BINARY(x) DECLARE_USER_BINARY_(x)
#define DECLARE_USER_BINARY_(x) \
	extern "C" const uint8_t USER_BINARY_START(x)[], USER_BINARY_END(x)[]
#define ENV_CREATE(x, type) ENV_CREATE_(x, type)
#define ENV_CREATE_(x, type) \
	env_create(USER_BINARY_START(x), \
		   USER_BINARY_END(x) - USER_BINARY_START(x), type)

#endif // !JOS_KERN_ENV_HH
