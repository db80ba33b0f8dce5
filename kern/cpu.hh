// kern/cpu.hh: per-CPU state (cpus[], thiscpu, curenv) and the local APIC
// and MP-table interfaces that fill it in.
#ifndef JOS_KERN_CPU_HH
#define JOS_KERN_CPU_HH

#include <inc/types.h>
#include <inc/memlayout.h>
#include <inc/mmu.h>
#include <inc/env.h>
#include <inc/x86.h>

// Maximum number of CPUs the kernel supports.
#define NCPU 32

// Values of CpuInfo::cpu_status.
enum {
	CPU_UNUSED = 0,
	CPU_STARTED,
	CPU_HALTED,
};

// State of one CPU. Only the CPU itself writes its entry after boot, except
// cpu_status, which boot_aps polls while an AP starts.
struct CpuInfo {
	uint8_t cpu_id;               // local APIC id (IPIs address it)
	volatile unsigned cpu_status; // CPU_UNUSED, CPU_STARTED or CPU_HALTED
	Env *cpu_env;                 // the environment running here, or null
	Taskstate cpu_ts;             // this CPU's TSS: its kernel stack on traps
	// Nonzero from env_run's switch to cpu_env's page table until the
	// next kernel entry: only then can this CPU's TLB hold cpu_env's user
	// translations (tlb_invalidate's shootdown waits for it to clear).
	volatile uint32_t cpu_in_user;
	// Set (under the big kernel lock) by tlb_invalidate on another CPU
	// that changed a mapping of cpu_env's page directory: this CPU's TLB
	// may hold the old translation, so it flushes before touching user
	// memory again (trap(), right after taking the lock; env_run).
	bool cpu_tlb_stale;
	uint32_t cpu_runs; // env_run calls here (the monitor's `cpus`)
	// Spinlocks this CPU holds other than the big kernel lock: none may
	// be held across env_run, sched_yield or sched_halt (they never
	// return), which assert it.
	uint32_t cpu_locks_held;
};

// Filled by mp_init (kern/mpconfig.cc).
extern CpuInfo cpus[NCPU];
extern int ncpu; // number of CPUs found
// Index in cpus[] of the CPU with local APIC id i, or -1 (no such CPU).
extern int8_t cpu_index_of_apic[256];
extern CpuInfo *bootcpu;     // the boot processor (BSP)
extern physaddr_t lapicaddr; // physical address of the local APIC

// Kernel stacks of every CPU (mapped by mem_init_mp below KSTACKTOP).
extern "C" unsigned char percpu_kstacks[NCPU][KSTKSIZE];

// What %gs addresses on each CPU while it runs the kernel: CPU i's %gs
// selects GDT slot GD_CPULOCAL0/8 + i, a data segment whose base is
// &cpu_local[i] (Intel SDM vol. 3A, 3.4.5), so thiscpu and cpunum() are
// one load each. Set up by env_init_percpu; trap() reloads %gs on every
// kernel entry, because user code may have changed it.
struct CpuLocal {
	CpuInfo *cpu; // &cpus[index]
	int index;    // this CPU's index in cpus[]
};
extern CpuLocal cpu_local[NCPU];

// GDT selector of CPU 0's CpuLocal segment; CPU i uses GD_CPULOCAL0 + 8*i.
// They follow the NCPU TSS slots, so CPU i's is its task register (the
// selector GD_TSS0 + 8*i that trap_init_percpu loaded) plus 8 * NCPU.
#define GD_CPULOCAL0 (GD_TSS0 + 8 * NCPU)

// This CPU's entry in cpus[]: one load through %gs. No interrupts-off
// check here (it is on every kernel path): the kernel always runs with
// interrupts off (interrupt gates clear IF, and trap() asserts it on
// entry); cpunum() below checks.
[[gnu::always_inline]] inline CpuInfo *this_cpu(void)
{
	CpuInfo *c;
	__asm __volatile("movl %%gs:%c1, %0"
			 : "=r"(c)
			 : "i"(__builtin_offsetof(CpuLocal, cpu)));
	return c;
}

// Point %gs at this CPU's CpuLocal after a kernel entry: the selector is
// the task register plus 8 * NCPU (see GD_CPULOCAL0). Needs the task
// register loaded (trap_init_percpu), as it is whenever a trap can occur.
[[gnu::always_inline]] inline void load_cpu_local_from_tr(void)
{
	uint16_t sel;
	__asm __volatile("str %0\n\taddw %1, %0\n\tmovw %0, %%gs"
			 : "=&r"(sel)
			 : "i"(GD_CPULOCAL0 - GD_TSS0));
}

// This CPU's index in cpus[] (0 is the boot CPU), from its APIC id read
// in the local APIC: for boot code that runs before %gs is set up, and
// to check it. Callers must have interrupts off.
int cpunum_from_lapic(void);
[[noreturn, gnu::cold]] void cpunum_panic_interrupts_on(void);

// cpunum() without its interrupts-off check, for hot paths that run only
// with interrupts off by construction (env_run).
[[gnu::always_inline]] inline int this_cpu_index(void)
{
	int i;
	__asm __volatile("movl %%gs:%c1, %0"
			 : "=r"(i)
			 : "i"(__builtin_offsetof(CpuLocal, index)));
	return i;
}

// This CPU's index in cpus[] (0 is the boot CPU). Callers must have
// interrupts off, or the answer may be stale by the time they use it; the
// kernel always runs with interrupts off, and this checks it.
[[gnu::always_inline]] inline int cpunum(void)
{
	if (read_eflags() & FL_IF)
		cpunum_panic_interrupts_on();
	return this_cpu_index();
}
#define thiscpu (this_cpu())
#define curenv  (thiscpu->cpu_env)

// kern/mpconfig.cc
void mp_init(void);

// kern/lapic.cc
extern volatile uint32_t *lapic;
void lapic_init(void);
void lapic_startap(uint8_t apicid, uint32_t addr);
void lapic_eoi(void);
void lapic_ipi_to(uint8_t apicid, int vector);

#endif // !JOS_KERN_CPU_HH
