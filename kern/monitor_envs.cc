// kern/monitor_envs.cc: the monitor's lab-4 commands: the embedded
// programs (progs), starting one (run), the live environments (envs) and
// the CPUs (cpus). Like every monitor command they run with the big kernel
// lock held (or after a panic) and take no locks.

#include <inc/stdio.h>
#include <inc/string.h>

#include <kern/cpu.hh>
#include <kern/env.hh>
#include <kern/init.hh>
#include <kern/monitor.hh>
#include <kern/pmap.hh>
#include <kern/programs.hh>
#include <kern/sched.hh>

namespace {

const char *status_name(unsigned status)
{
	switch (status) {
	case ENV_FREE:
		return "free";
	case ENV_DYING:
		return "dying";
	case ENV_RUNNABLE:
		return "runnable";
	case ENV_RUNNING:
		return "running";
	case ENV_NOT_RUNNABLE:
		return "not-runnable";
	default:
		return "?";
	}
}

// User pages e maps below UTOP (present PTEs in its page directory's
// tables, reached through KADDR).
unsigned pages_mapped(const Env *e)
{
	unsigned n = 0;
	for (uint32_t pdx = 0; pdx < PDX(UTOP); pdx++) {
		pde_t pde = e->env_pgdir[pdx];
		if (!(pde & PTE_P))
			continue;
		const pte_t *pt = static_cast<const pte_t *>(KADDR(PTE_ADDR(pde)));
		for (int i = 0; i < NPTENTRIES; i++)
			n += pt[i] & PTE_P;
	}
	return n;
}

const char *cpu_status_name(unsigned status)
{
	switch (status) {
	case CPU_UNUSED:
		return "unused";
	case CPU_STARTED:
		return "started";
	case CPU_HALTED:
		return "halted";
	default:
		return "?";
	}
}

} // namespace

// progs: every embedded program with its ELF image's size in bytes.
int mon_progs(int, char **, struct Trapframe *)
{
	int n = 0;
	for (const UserProgram *p = user_programs; p->name != nullptr; p++, n++)
		cprintf("  %-20s %6u bytes\n", p->name, (unsigned) (p->end - p->start));
	cprintf("%d programs\n", n);
	return 0;
}

// run <prog> [copies]: create copies (default 1) of an embedded program
// and enter the scheduler, leaving the monitor for good; on a bad name or
// count, say so and stay in the monitor.
int mon_run(int argc, char **argv, struct Trapframe *)
{
	if (argc < 2 || argc > 3) {
		cprintf("usage: run <prog> [copies]\n");
		return 0;
	}
	if (panicstr) {
		cprintf("run: not after a kernel panic\n");
		return 0;
	}
	int copies = 1;
	if (argc == 3) {
		char *end;
		long v = strtol(argv[2], &end, 10);
		if (*end != '\0' || v < 1 || v > NENV) {
			cprintf("run: '%s' is not a number of copies from 1 to %d\n",
				argv[2], NENV);
			return 0;
		}
		copies = static_cast<int>(v);
	}
	if (start_user_program(argv[1], copies, "run") < 0)
		return 0;
	sched_yield();
}

// envs: every environment that is not free: id, parent, status, the CPU
// it ran on last, how often it ran, and the user pages it maps.
int mon_envs(int, char **, struct Trapframe *)
{
	cprintf("  id       parent   status        cpu     runs  pages\n");
	int n = 0;
	for (uint32_t i = 0; i < env_high_water; i++) {
		const Env *e = &envs[i];
		if (e->env_status == ENV_FREE)
			continue;
		cprintf("  %08x %08x %-12s %4d %8u %6u%s\n", e->env_id, e->env_parent_id,
			status_name(e->env_status), e->env_cpunum, e->env_runs,
			pages_mapped(e), e->env_ipc_recving ? "  (in ipc_recv)" : "");
		n++;
	}
	cprintf("%d environments\n", n);
	return 0;
}

// cpus: each CPU's index, local APIC id, status, number of env_run calls
// and current environment.
int mon_cpus(int, char **, struct Trapframe *)
{
	cprintf("  cpu apic status       runs env\n");
	int self = panicstr ? -1 : cpunum();
	for (int i = 0; i < ncpu; i++) {
		const CpuInfo *c = &cpus[i];
		cprintf("  %3d %4d %-8s %8u ", i, c->cpu_id,
			cpu_status_name(c->cpu_status), c->cpu_runs);
		if (c->cpu_env != nullptr)
			cprintf("%08x", c->cpu_env->env_id);
		else
			cprintf("-       ");
		cprintf("%s\n", i == self ? "  (this CPU, in the monitor)" : "");
	}
	return 0;
}
