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
#include <kern/trap.hh>

namespace {

// Bit k set: envs[k] is kept for CPU k until that CPU makes its first
// choice in sched_start (which also clears the bits of CPUs that do not
// exist, before any CPU schedules).
uint32_t first_env_kept = ~0u;
static_assert(NCPU <= 32);

// LAB 4: solution
// Is envs[idx] kept (bit idx of `kept`) for a CPU other than `self` that
// has not scheduled yet?
bool kept_for_other_cpu(uint32_t idx, uint32_t kept, uint32_t self)
{
	return idx < 32 && (kept >> idx & 1) && idx != self;
}
// LAB 4: end

// LAB 4: solution
// This CPU is about to run envs[chosen]. If another environment is still
// runnable and some CPU sleeps in sched_halt, wake that CPU (T_RESCHED) so
// the work spreads at once instead of at its next timer tick.
void wake_idle_cpu(uint32_t chosen)
{
	int idle = -1;
	for (int i = 0; i < ncpu && idle < 0; i++)
		if (cpus[i].cpu_status == CPU_HALTED)
			idle = i;
	if (idle < 0)
		return;
	for (uint32_t i = 1; i < env_high_water; i++)
		if (envs[(chosen + i) % env_high_water].env_status == ENV_RUNNABLE) {
			lapic_ipi_to(cpus[idle].cpu_id, T_RESCHED);
			return;
		}
}
// LAB 4: end

} // namespace

// Choose an environment and run it: the first ENV_RUNNABLE one after the
// current environment in circular envs[] order (from envs[0] if there is
// none) that is not running on another CPU (env_running_elsewhere: its
// status alone can say ENV_RUNNABLE while it still runs); else the current
// one again if it is still running on this CPU; else halt this CPU.
void sched_yield(void)
{
	// LAB 4: solution
	assert_kernel_locked();
	assert(thiscpu->cpu_locks_held == 0);
	Env *cur = curenv;
	uint32_t start = cur ? ENVX(cur->env_id) + 1 : 0;
	uint32_t kept = first_env_kept;
	uint32_t self = kept ? static_cast<uint32_t>(cpunum()) : 0; // boot only
	uint32_t idx = start;
	for (uint32_t i = 0; i < env_high_water; i++, idx++) {
		if (idx >= env_high_water)
			idx = 0;
		if (envs[idx].env_status == ENV_RUNNABLE &&
		    !env_running_elsewhere(&envs[idx]) &&
		    !(kept && kept_for_other_cpu(idx, kept, self))) {
			wake_idle_cpu(idx);
			env_run(&envs[idx]);
		}
	}
	if (cur && cur->env_status == ENV_RUNNING && cur->env_cpunum == cpunum())
		env_run(cur);
	sched_halt();
	// LAB 4: stub
	//| // Until then: go on with the current environment (say, after a
	//| // timer interrupt) if it can run, else halt this CPU.
	//| if (curenv && curenv->env_status == ENV_RUNNING)
	//| 	env_run(curenv);
	//| sched_halt();
	// LAB 4: end
}

// A CPU's first scheduling decision at boot (i386_init on the boot CPU,
// mp_main on each AP): run envs[k], k being this CPU's index in cpus[], if
// it is runnable, else choose as sched_yield does. The kernel creates its
// first environments in envs[0], envs[1], ... before any CPU schedules,
// and until CPU k gets here no other CPU runs envs[k]; so they spread over
// the CPUs one each, whatever order the host lets QEMU's CPU threads take
// the big kernel lock in (FIUBA's yield2 test wants both CPUs of CPUS=2 to
// run a yield environment, also on a busy host).
void sched_start(void)
{
	assert_kernel_locked();
	uint32_t k = static_cast<uint32_t>(cpunum());
	first_env_kept &= (ncpu < 32 ? (1u << ncpu) - 1 : ~0u) & ~(1u << k);
	if (k < env_high_water && envs[k].env_status == ENV_RUNNABLE &&
	    !env_running_elsewhere(&envs[k]))
		env_run(&envs[k]);
	sched_yield();
}

namespace {

// Is any environment runnable, running or waiting to be freed anywhere?
bool any_env_alive(void)
{
	for (uint32_t i = 0; i < env_high_water; i++) {
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
// trap() into the scheduler. Without a local APIC (a kernel whose
// mmio_map_region maps nothing) no such interrupt comes: the monitor.
void sched_halt(void)
{
	assert(thiscpu->cpu_locks_held == 0);
	if (!any_env_alive()) {
		cprintf("No runnable environments in the system!\n");
		for (;;)
			monitor(nullptr);
	}

	if (!lapic) {
		// No timer interrupt will ever wake this CPU, and no other CPU
		// runs (boot_aps needs the local APIC too): nothing would run.
		cprintf("sched_halt: environments left but no local APIC timer to wake this CPU\n");
		for (;;)
			monitor(nullptr);
	}

	curenv = nullptr;
	lcr3(PADDR(kern_pgdir));
	xchg(&thiscpu->cpu_status, CPU_HALTED);
	// LAB 4: solution
	unlock_kernel();
	// LAB 4: end

	// Reset the stack to this CPU's top (nothing on it is needed) and
	// wait. trap() re-takes the lock when the interrupt arrives.
	__asm __volatile("movl $0, %%ebp\n"
			 "movl %0, %%esp\n"
			 "pushl $0\n"
			 "pushl $0\n"
			 "sti\n"
			 "1:\n"
			 "hlt\n"
			 "jmp 1b\n"
			 :
			 : "a"(thiscpu->cpu_ts.ts_esp0));
	__builtin_unreachable();
}
