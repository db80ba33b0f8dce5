// kern/env.hh: environments (user processes) in the kernel (kern/env.cc).
#ifndef JOS_KERN_ENV_HH
#define JOS_KERN_ENV_HH

#include <inc/env.h>
#include <inc/mmu.h>
#include <kern/cpu.hh>

extern Env *envs; // all environments (NENV of them)
// One past the highest envs[] index ever allocated: slots from here on
// have always been free, so scans over envs[] can stop here.
extern uint32_t env_high_water;
extern Segdesc gdt[]; // null, kernel/user code+data, one TSS per CPU

void env_init(void);
void env_init_percpu(void);
[[nodiscard]] int env_alloc(Env **newenv_store, envid_t parent_id);
void env_free(Env *e);
int env_free_count(void);
void env_create(const uint8_t *binary, size_t size, EnvType type);

// The embedded ELF image e runs (for its symbols), or null if unknown.
// env_create records it; a child made by sys_exofork runs its parent's.
struct EnvImage {
	const uint8_t *start;
	size_t size;
};
const EnvImage *env_image(const Env *e);
void env_inherit_image(Env *child, const Env *parent);
void env_destroy(Env *e);
[[nodiscard]] int envid2env(envid_t envid, Env **env_store, bool checkperm);
bool env_running_elsewhere(const Env *e);
[[noreturn]] void env_run(Env *e);
[[noreturn]] void env_pop_tf(Trapframe *tf);

// Create an environment of the given type running user program x (a name
// such as user_hello) from the ELF image the build embedded as
// obj/user/hello; a statement, as the lab handout writes it:
//	ENV_CREATE(user_yield, ENV_TYPE_USER);
// It declares the linker's symbols for the image itself (by their assembler
// names, so it works in any scope). Two expansion levels let x be a macro.
// Panics, as env_create does, if no environment or memory is left.
#define ENV_CREATE(x, type) ENV_CREATE_(x, type)
#define ENV_CREATE_(x, type)                                                       \
	do {                                                                       \
		extern const uint8_t env_create_start_[] __asm__("_binary_obj_" #x \
								 "_start");        \
		extern const uint8_t env_create_end_[] __asm__("_binary_obj_" #x   \
							       "_end");            \
		env_create(env_create_start_, env_create_end_ - env_create_start_, \
			   type);                                                  \
	} while (0)

#endif // !JOS_KERN_ENV_HH
