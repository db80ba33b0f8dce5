// The kernel monitor: reads command lines from the console and runs the
// commands in the table below (help, kerninfo, backtrace, meminfo here; the
// lab-4 ones in kern/monitor_envs.cc). Entered with the big kernel lock held
// or after a panic, so it takes no locks.
#include <inc/stdio.h>
#include <inc/string.h>
#include <inc/memlayout.h>
#include <inc/x86.h>
#include <inc/trap.h>

#include <kern/monitor.hh>
#include <kern/kdebug.hh>
#include <kern/pmap.hh>
#include <kern/env.hh>
#include <kern/trap.hh>
#include <kern/usersyms.hh>

// Linker-script and kern/entry.S symbols. _start is the physical entry
// point (an absolute symbol); the others are link-time virtual addresses.
extern "C" char _start[], entry[], etext[], edata[], end[];

namespace {

struct Command {
	const char *name;
	const char *desc;
	// Returns < 0 to leave the monitor.
	int (*func)(int argc, char **argv, struct Trapframe *tf);
};

constexpr Command commands[] = {
	{ "help", "List the monitor's commands", mon_help },
	{ "kerninfo", "Show where the kernel is linked and its size", mon_kerninfo },
	{ "backtrace", "Show the kernel call stack with source lines", mon_backtrace },
	{ "meminfo", "Show how many physical pages and environments are free",
	  mon_meminfo },
	{ "progs", "List the embedded user programs", mon_progs },
	{ "run", "run <prog> [copies]: start a program and enter the scheduler",
	  mon_run },
	{ "envs", "List the live environments", mon_envs },
	{ "cpus", "List the CPUs and what each runs", mon_cpus },
};

constexpr int MAXARGS = 16;

bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// True if the page holding kernel virtual address va is present in the
// current page directory, so reading va cannot fault. Walks the two-level
// table the hardware uses (Intel SDM vol. 3A, 4.3), reaching the page
// directory and page tables through the KERNBASE map of physical memory.
// Addresses below ULIM are treated as unmapped: backtraces only follow
// kernel stacks.
bool kva_mapped(uintptr_t va)
{
	if (va < ULIM)
		return false;
	physaddr_t pd = PTE_ADDR(rcr3());
	if (pd >= KERNBASE_WINDOW)
		return false;
	pde_t pde = reinterpret_cast<const pde_t *>(KERNBASE + pd)[PDX(va)];
	if (!(pde & PTE_P))
		return false;
	if (pde & PTE_PS) // 4 MiB page (SDM 4.3, table 4-5)
		return true;
	physaddr_t pt = PTE_ADDR(pde);
	if (pt >= KERNBASE_WINDOW)
		return false;
	pte_t pte = reinterpret_cast<const pte_t *>(KERNBASE + pt)[PTX(va)];
	return pte & PTE_P;
}

// True if va may be read as part of a kernel stack. Every kernel stack
// lies at or above MMIOLIM (the per-CPU stacks below KSTACKTOP, the boot
// stack inside the kernel image), so the device registers in
// [MMIOBASE, MMIOLIM) are never touched by a corrupted frame pointer.
bool stack_word_readable(uintptr_t va)
{
	return va >= MMIOLIM && kva_mapped(va);
}

// A plausible i386 frame pointer: a 4-byte aligned kernel stack address
// whose saved ebp and return address (the two words at ebp) can be read.
bool frame_readable(uint32_t ebp)
{
	return ebp % 4 == 0 && ebp <= 0xFFFFFFFFu - 7 && stack_word_readable(ebp) &&
	       stack_word_readable(ebp + 4);
}

// Split line (modified in place) into at most MAXARGS words and run the
// command the first word names. Returns the command's result; 0 for an
// empty line, an unknown command or too many words.
int runcmd(char *line, struct Trapframe *tf)
{
	char *argv[MAXARGS + 1];
	int argc = 0;

	char *p = line;
	for (;;) {
		while (is_space(*p))
			*p++ = '\0';
		if (*p == '\0')
			break;
		if (argc == MAXARGS) {
			cprintf("Too many arguments (max %d)\n", MAXARGS);
			return 0;
		}
		argv[argc++] = p;
		while (*p != '\0' && !is_space(*p))
			p++;
	}
	argv[argc] = nullptr;
	if (argc == 0)
		return 0;

	for (const Command &c : commands)
		if (strcmp(argv[0], c.name) == 0)
			return c.func(argc, argv, tf);
	cprintf("Unknown command '%s'\n", argv[0]);
	return 0;
}

} // namespace

int mon_help(int, char **, struct Trapframe *)
{
	for (const Command &c : commands)
		cprintf("%s - %s\n", c.name, c.desc);
	return 0;
}

// Link addresses of the kernel's sections (virtual, and physical =
// virtual - KERNBASE) and its size in memory in KiB, rounded up.
int mon_kerninfo(int, char **, struct Trapframe *)
{
	auto va = [](const char *sym) { return reinterpret_cast<uint32_t>(sym); };

	cprintf("Special kernel symbols:\n");
	cprintf("  _start                  %08x (phys)\n", va(_start));
	cprintf("  entry  %08x (virt)  %08x (phys)\n", va(entry), va(entry) - KERNBASE);
	cprintf("  etext  %08x (virt)  %08x (phys)\n", va(etext), va(etext) - KERNBASE);
	cprintf("  edata  %08x (virt)  %08x (phys)\n", va(edata), va(edata) - KERNBASE);
	cprintf("  end    %08x (virt)  %08x (phys)\n", va(end), va(end) - KERNBASE);
	cprintf("Kernel executable memory footprint: %dKB\n",
		static_cast<int>(ROUNDUP(va(end) - va(entry), 1024u) / 1024));
	return 0;
}

namespace {

// Print one user frame: ebp, eip and the function of the environment's
// program containing eip (looked up at eip - 1 for a return address, as
// for kernel frames).
void print_user_frame(uint32_t ebp, uint32_t eip, const EnvImage *img,
		      bool return_address)
{
	cprintf("  ebp %08x  eip %08x", ebp, eip);
	UserFn fn;
	if (img && user_fn_at(img->start, img->size, eip - return_address, &fn))
		cprintf("  %.*s+%d", fn.namelen, fn.name,
			static_cast<int>(eip - fn.addr));
	cprintf("\n");
}

// The user part of a backtrace: if tf came from user mode, walk the
// current environment's stack from tf's ebp and eip, naming each eip from
// the program the environment runs (env_image). Reads only what
// user_mem_check allows, and only while the environment's page directory
// is loaded (as it is in the monitor after its trap, or in a panic in a
// system call).
void user_backtrace(const Trapframe *tf)
{
	Env *e = curenv;
	if (!tf || (tf->tf_cs & 3) != 3 || !e || !e->env_pgdir ||
	    PTE_ADDR(rcr3()) != PADDR(e->env_pgdir))
		return;
	const EnvImage *img = env_image(e);
	cprintf("User stack backtrace (env %08x):\n", e->env_id);
	uint32_t ebp = tf->tf_regs.reg_ebp, eip = tf->tf_eip, prev = 0;
	for (int depth = 0; depth < 64; depth++) {
		print_user_frame(ebp, eip, img, depth > 0);
		if (ebp == 0 || (prev && ebp <= prev) ||
		    user_mem_check(e, reinterpret_cast<const void *>(ebp), 8, PTE_U) < 0)
			break;
		const uint32_t *frame = reinterpret_cast<const uint32_t *>(ebp);
		prev = ebp;
		eip = frame[1];
		ebp = frame[0];
	}
}

} // namespace

// Walk the chain of saved frame pointers from this function's frame to
// the outermost one (kern/entry.S and kern/mpentry.S start with ebp = 0).
// Each frame is [ebp] = caller's ebp, [ebp+4] = return address, then the
// first five argument words. The chain stops early at a frame pointer
// that is not a readable kernel address or does not move up the stack,
// so a corrupted stack cannot cause a fault here. If the trap that
// entered the kernel (tf, or this CPU's last one: panic calls this as
// mon_backtrace(0, 0, 0)) came from user mode, the user stack follows
// (user_backtrace). argc/argv are unused.
int mon_backtrace(int, char **, struct Trapframe *tf)
{
	cprintf("Stack backtrace:\n");
	uint32_t prev = 0;
	for (uint32_t ebp = read_ebp(); ebp != 0;) {
		if (!frame_readable(ebp)) {
			cprintf("  ebp %08x  (not a kernel stack frame, stopping)\n",
				ebp);
			break;
		}
		if (prev != 0 && ebp <= prev) {
			cprintf("  ebp %08x  (does not move up the stack, stopping)\n",
				ebp);
			break;
		}
		const uint32_t *frame = reinterpret_cast<const uint32_t *>(ebp);
		uint32_t eip = frame[1];

		cprintf("  ebp %08x  eip %08x  args", ebp, eip);
		// The words above the outermost frame may be a guard gap.
		for (int i = 2; i < 7; i++) {
			if (stack_word_readable(ebp + 4 * i))
				cprintf(" %08x", frame[i]);
			else
				cprintf(" --------");
		}
		cprintf("\n");

		// eip is a return address: look up eip - 1, which lies in the
		// call instruction, so a call that ends a function (to a
		// noreturn function such as _panic) is not attributed to the
		// next function in memory.
		Eipdebuginfo info;
		int off = 0;
		if (debuginfo_eip(eip - 1, &info) == 0)
			off = static_cast<int>(eip - info.eip_fn_addr);
		cprintf("         %s:%d: %.*s+%d\n", info.eip_file, info.eip_line,
			info.eip_fn_namelen, info.eip_fn_name, off);

		prev = ebp;
		ebp = frame[0];
	}
	user_backtrace(tf ? tf : last_trapframe());
	return 0;
}

// Free physical pages (on the page free list) out of all npages, and free
// environment slots (ENV_FREE) out of NENV: after every environment has
// been freed both should be back to their values right after boot, or
// something leaked.
int mon_meminfo(int, char **, struct Trapframe *)
{
	cprintf("free pages: %u of %u\n", (unsigned) page_free_count(),
		(unsigned) npages);
	cprintf("free envs: %d of %d\n", env_free_count(), NENV);
	return 0;
}

void monitor(struct Trapframe *tf)
{
	cprintf("Welcome to the JOS kernel monitor!\n");
	cprintf("Type 'help' for a list of commands.\n");

	if (tf != nullptr)
		print_trapframe(tf);

	for (;;) {
		char *line = readline("K> ");
		if (line != nullptr && runcmd(line, tf) < 0)
			return;
	}
}
