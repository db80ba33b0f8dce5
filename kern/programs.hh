// kern/programs.hh: the user programs embedded in the kernel image (every
// user/<name>.c and user/<name>.cc; kern/Makefrag generates the table) and
// starting them by name, for `make run-<prog>` and the monitor's `run`.
#ifndef JOS_KERN_PROGRAMS_HH
#define JOS_KERN_PROGRAMS_HH

#include <inc/types.h>

struct UserProgram {
	const char *name;     // "hello" for user/hello.c or .cc
	const uint8_t *start; // its ELF image (obj/user/<name>)
	const uint8_t *end;   // one past the image's last byte
};

// Every embedded program, sorted by name, then an entry with a null name.
extern "C" const UserProgram user_programs[];

// The program called name ("hello"; "user_hello" too), or null.
const UserProgram *find_user_program(const char *name);

// Print one line: "embedded programs: hello yield ...".
void print_user_programs(void);

// Create `copies` environments (1..NENV) running program `name`, made
// runnable for the scheduler. On an unknown name, a bad count or too few
// free environments, prints one line starting with `who` (and the list of
// programs for an unknown name), creates nothing and returns -1; else 0.
// Panics, as env_create does, if physical memory runs out. Expects the big
// kernel lock (or the boot CPU alone).
int start_user_program(const char *name, int copies, const char *who);

// Start the programs a spec lists: words "name" or "name*copies" separated
// by spaces or commas, e.g. "yield*3 hello". Every word is checked before
// anything is created; errors and the lock as for start_user_program.
// Returns the number of environments created, or -1.
int start_user_programs(const char *spec, const char *who);

// `make run-<prog>` passes the spec in QEMU's fw_cfg file opt/jos/run.
// Starts what it lists and returns true (after an error line if the spec
// is bad, starting nothing, so the kernel ends in the monitor); returns
// false if there is no such file (make qemu, or no fw_cfg device). Boot
// CPU, at boot.
bool start_fwcfg_programs(void);

#endif // !JOS_KERN_PROGRAMS_HH
