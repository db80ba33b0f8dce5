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
#define NCPU 8

// Values of CpuInfo::cpu_status.
enum {
	CPU_UNUSED = 0,
	CPU_STARTED,
	CPU_HALTED,
};

// State of one CPU. Only the CPU itself writes its entry after boot, except
// cpu_status, which boot_aps polls while an AP starts.
struct CpuInfo {
	uint8_t cpu_id;                 // local APIC id (index into cpus[])
	volatile unsigned cpu_status;   // CPU_UNUSED, CPU_STARTED or CPU_HALTED
	Env *cpu_env;                   // the environment running here, or null
	Taskstate cpu_ts;               // this CPU's TSS: its kernel stack on traps
	// Nonzero from env_run's switch to cpu_env's page table until the
	// next kernel entry: only then can this CPU's TLB hold cpu_env's user
	// translations (tlb_invalidate's shootdown waits for it to clear).
	volatile uint32_t cpu_in_user;
};

// Filled by mp_init (kern/mpconfig.cc).
extern CpuInfo cpus[NCPU];
extern int ncpu;                        // number of CPUs found
extern CpuInfo *bootcpu;                // the boot processor (BSP)
extern physaddr_t lapicaddr;            // physical address of the local APIC

// Kernel stacks of every CPU (mapped by mem_init_mp below KSTACKTOP).
extern "C" unsigned char percpu_kstacks[NCPU][KSTKSIZE];

// The index in cpus[] of the CPU running this code (its local APIC id),
// read from the local APIC. Callers must have interrupts off.
int cpunum_from_lapic(void);
[[noreturn, gnu::cold]] void cpunum_panic_interrupts_on(void);

// The index in cpus[] of the CPU running this code (its local APIC id).
// Callers must have interrupts off, or the answer may be stale by the time
// they use it; the kernel always runs with interrupts off. Inline and
// without a memory access on the usual path: the kernel runs on CPU i's
// own stack, below KSTACKTOP - i * (KSTKSIZE + KSTKGAP) (the TSS's esp0)
// or, in an AP before its first trap, in percpu_kstacks[i], so the stack
// pointer tells i. Elsewhere (the boot CPU on its boot stack) it asks the
// local APIC, a memory-mapped read that is slow under emulation.
[[gnu::always_inline]] inline int cpunum(void)
{
	if (read_eflags() & FL_IF)
		cpunum_panic_interrupts_on();
	constexpr uintptr_t stride = KSTKSIZE + KSTKGAP;
	uintptr_t esp = read_esp();
	if (esp < KSTACKTOP && esp >= KSTACKTOP - NCPU * stride)
		return static_cast<int>((KSTACKTOP - 1 - esp) / stride);
	uintptr_t off = esp - reinterpret_cast<uintptr_t>(percpu_kstacks);
	if (off < sizeof(percpu_kstacks))
		return static_cast<int>(off / KSTKSIZE);
	return cpunum_from_lapic();
}
#define thiscpu (&cpus[cpunum()])
#define curenv (thiscpu->cpu_env)

// kern/mpconfig.cc
void mp_init(void);

// kern/lapic.cc
extern volatile uint32_t *lapic;
void lapic_init(void);
void lapic_startap(uint8_t apicid, uint32_t addr);
void lapic_eoi(void);
void lapic_ipi(int vector);
void lapic_ipi_to(uint8_t apicid, int vector);

#endif // !JOS_KERN_CPU_HH
