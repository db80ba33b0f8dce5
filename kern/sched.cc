// kern/sched.cc: round-robin scheduling over envs[], and halting a CPU
// that has nothing to run.
//
// Locking: called with the big kernel lock held; sched_yield releases it
// through env_run, sched_halt releases it itself.

#include <inc/assert.h>
#include <inc/x86.h>

#include <kern/env.hh>
#include <kern/pmap.hh>
#include <kern/monitor.hh>
#include <kern/sched.hh>
#include <kern/spinlock.hh>
#include <kern/cpu.hh>

namespace {

// Is e the current environment of another CPU? Then that CPU may still be
// executing it in user mode even if its status says ENV_RUNNABLE (a
// parent may set a running child's status to ENV_NOT_RUNNABLE and back
// with sys_env_set_status): running it here too would run one environment
// on two CPUs at once, on one saved register set.
bool current_elsewhere(const Env *e)
{
	int self = cpunum();
	for (int i = 0; i < ncpu; i++)
		if (i != self && cpus[i].cpu_env == e)
			return true;
	return false;
}

} // namespace

// Choose an environment and run it: the first ENV_RUNNABLE one after the
// current environment in circular envs[] order (from envs[0] if there is
// none) that is not another CPU's current environment; else the current
// one again if it is still running on this CPU; else halt this CPU.
void sched_yield(void)
{
	assert_kernel_locked();
	Env *cur = curenv;
	uint32_t start = cur ? ENVX(cur->env_id) + 1 : 0;
	for (uint32_t i = 0; i < NENV; i++) {
		Env *e = &envs[(start + i) % NENV];
		if (e->env_status == ENV_RUNNABLE && !current_elsewhere(e))
			env_run(e);
	}
	if (cur && cur->env_status == ENV_RUNNING && cur->env_cpunum == cpunum())
		env_run(cur);
	sched_halt();
}

namespace {

// Is any environment runnable, running or waiting to be freed anywhere?
bool any_env_alive(void)
{
	for (int i = 0; i < NENV; i++) {
		unsigned s = envs[i].env_status;
		if (s == ENV_RUNNABLE || s == ENV_RUNNING || s == ENV_DYING)
			return true;
	}
	return false;
}

} // namespace

// Nothing to run on this CPU. If nothing can ever run again anywhere,
// say so and enter the monitor (holding the lock: other CPUs stay out).
// Otherwise release the big kernel lock and halt with interrupts enabled
// until the next interrupt (the LAPIC timer) brings this CPU back through
// trap() into the scheduler.
void sched_halt(void)
{
	if (!any_env_alive()) {
		cprintf("No runnable environments in the system!\n");
		for (;;)
			monitor(nullptr);
	}

	curenv = nullptr;
	lcr3(PADDR(kern_pgdir));
	xchg(&thiscpu->cpu_status, CPU_HALTED);
	unlock_kernel();

	// Reset the stack to this CPU's top (nothing on it is needed) and
	// wait. trap() re-takes the lock when the interrupt arrives.
	__asm __volatile(
		"movl $0, %%ebp\n"
		"movl %0, %%esp\n"
		"pushl $0\n"
		"pushl $0\n"
		"sti\n"
		"1:\n"
		"hlt\n"
		"jmp 1b\n"
		: : "a" (thiscpu->cpu_ts.ts_esp0));
	__builtin_unreachable();
}
