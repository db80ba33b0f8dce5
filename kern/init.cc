// kern/init.cc: kernel start-up on the boot CPU (i386_init) and on each
// application processor (boot_aps, mp_main), plus panic and warn.

#include <inc/stdio.h>
#include <inc/string.h>
#include <inc/assert.h>
#include <inc/x86.h>

#include <kern/init.hh>
#include <kern/monitor.hh>
#include <kern/console.hh>
#include <kern/pmap.hh>
#include <kern/kclock.hh>
#include <kern/env.hh>
#include <kern/trap.hh>
#include <kern/sched.hh>
#include <kern/picirq.hh>
#include <kern/cpu.hh>
#include <kern/spinlock.hh>
#include <kern/programs.hh>

// Kernel stacks of every CPU (mapped below KSTACKTOP by mem_init_mp).
alignas(PGSIZE) unsigned char percpu_kstacks[NCPU][KSTKSIZE];

// The stack top an AP's trampoline switches to (kern/mpentry.S reads it).
extern "C" {
void *volatile mpentry_kstack;
extern const unsigned char mpentry_start[], mpentry_end[];
extern char edata[], end[]; // linker: end of .data, end of .bss
}

namespace {

// Can boot_aps start the APs? Not without a local APIC (lapic_init could
// not map it). Checks the trampoline's page before boot_aps overwrites it.
bool aps_startable(void)
{
	if (!lapic) {
		if (ncpu > 1)
			cprintf("SMP: no local APIC: CPUs 1-%d not started\n", ncpu - 1);
		return false;
	}
	check_mpentry_page();
	return true;
}

// Start every AP: copy the trampoline to MPENTRY_PADDR, then for each AP
// in turn hand it a stack, send it INIT/STARTUP and wait until mp_main
// reports CPU_STARTED (so APs come up one at a time, each on its own
// stack). Called with the big kernel lock held: the APs wait on it in
// mp_main until the boot CPU first leaves the kernel.
void boot_aps(void)
{
	void *code = KADDR(MPENTRY_PADDR);
	memmove(code, mpentry_start, mpentry_end - mpentry_start);
	// From here on the lock's assertions hold, if this CPU took it (the
	// handout's tree runs unchecked until its exercise 5 does).
	kernel_lock_needed = holding(&kernel_lock);

	for (CpuInfo *c = cpus; c < cpus + ncpu; c++) {
		if (c == cpus + cpunum())
			continue;
		check_kstack(c - cpus);
		mpentry_kstack = percpu_kstacks[c - cpus] + KSTKSIZE;
		lapic_startap(c->cpu_id, PADDR(code));
		while (c->cpu_status != CPU_STARTED)
			pause_cpu();
	}
}

} // namespace

// The boot CPU's C entry point, called from kern/entry.S.
void i386_init(void)
{
	// The boot loader zeroes .bss; clear it again in case another loader
	// (e.g. a debugger's) did not.
	memset(edata, 0, end - edata);
	// Our GDT and %gs first: thiscpu reads through %gs, and mem_init's
	// checks already use it. (env_init loads them again.)
	env_init_percpu();

	cons_init();
	cprintf("\n6828 decimal is %o octal!\n", 6828);

	mem_init();
	env_init();
	trap_init();

	mp_init();
	lapic_init();

	pic_init();
	// The keyboard's IRQ (through the 8259A to the boot CPU).
	irq_setmask_8259A(irq_mask_8259A & ~(1 << IRQ_KBD));

	// LAB 4: solution
	lock_kernel();
	// LAB 4: end
	if (aps_startable())
		boot_aps();

	// `make run-<prog>` (or RUN=...) names the programs to start, at run
	// time; otherwise start these. Edit them as the handout does, e.g.
	// three lines ENV_CREATE(user_yield, ENV_TYPE_USER);
	if (!start_fwcfg_programs()) {
		ENV_CREATE(user_hello, ENV_TYPE_USER);
	}

	// Each CPU starts with an environment of its own (sched_start).
	sched_start();
}

// The C entry point of each AP, called from kern/mpentry.S on the stack
// boot_aps gave it: switch to the full kernel page table, set up this
// CPU's segments, LAPIC and TSS, tell boot_aps it started, then join the
// scheduler under the big kernel lock.
void mp_main(void)
{
	lcr3(PADDR(kern_pgdir));
	env_init_percpu(); // first: thiscpu and cpunum() read through %gs
	cprintf("SMP: CPU %d starting\n", cpunum());

	lapic_init();
	trap_init_percpu();
	xchg(&thiscpu->cpu_status, CPU_STARTED);

	// LAB 4: solution
	lock_kernel();
	sched_start();
	// LAB 4: stub
	//| // This CPU waits here (interrupts are off) until it can schedule.
	//| for (;;)
	//| 	__asm __volatile("hlt");
	// LAB 4: end
}

const char *volatile panicstr;

// Report an unrecoverable kernel error: "kernel panic on CPU n at
// file:line: message", a backtrace, then the monitor forever. Other CPUs
// stop at their next trap (trap() checks panicstr).
void _panic(const char *file, int line, const char *fmt, ...)
{
	__asm __volatile("cli; cld");
	if (!panicstr) {
		panicstr = fmt;
		// Not cpunum(): it would panic again if IF was somehow set.
		int id = lapic ? lapic[0x20 / 4] >> 24 : 0;
		va_list ap;
		va_start(ap, fmt);
		cprintf("kernel panic on CPU %d at %s:%d: ", id, file, line);
		vcprintf(fmt, ap);
		cprintf("\n");
		va_end(ap);
		mon_backtrace(0, nullptr, nullptr);
	}
	for (;;)
		monitor(nullptr);
}

// Print "kernel warning at file:line: message" and continue.
void _warn(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cprintf("kernel warning at %s:%d: ", file, line);
	vcprintf(fmt, ap);
	cprintf("\n");
	va_end(ap);
}
