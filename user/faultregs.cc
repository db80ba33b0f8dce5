// faultregs: the page-fault upcall must hand the handler the exact
// registers of the faulting instruction and, after the handler returns,
// resume with every register, the flags and the stack pointer intact
// (lib/pfentry.S). One inline-asm block loads known values into all
// general registers and the arithmetic flags, records them (with esp,
// eflags and the faulting eip) using only instructions that leave the
// flags alone, stores to the unmapped UTEMP, and records the registers
// again once the store has gone through. The handler compares the
// UTrapframe with the first record and maps UTEMP so the store can be
// retried; umain then compares the second record. Graders expect
// "Registers in UTrapframe OK" and "Registers after page-fault OK" and
// forbid "Registers ... MISMATCH".

#include <inc/lib.h>


namespace {

// What a UTrapframe says about the interrupted code.
struct Snapshot {
	PushRegs regs;
	uint32_t eip;
	uint32_t eflags;
	uint32_t esp;
};

Snapshot before; // just before the faulting store
Snapshot in_utf; // as the kernel reported it to the handler
Snapshot after;  // once the store has completed
bool handler_ran;

// Distinct values, so a swapped or stale register shows.
constexpr uint32_t EDI = 0xd1d1d101, ESI = 0x51515102, EBP = 0xebebeb03, EBX = 0xb0b0b004,
		   EDX = 0xd0d0d005, ECX = 0xc0c0c006, EAX = 0xa0a0a007;
// Arithmetic flags only: DF, TF or AC would change how the handler's
// C code behaves.
constexpr uint32_t FLAGS = FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF;

bool same(const char *name, uint32_t want, uint32_t got)
{
	if (want == got)
		return true;
	cprintf("  %-6s expected %08x, got %08x\n", name, want, got);
	return false;
}

// Compare two records and print the verdict. reg_oesp is skipped: it is
// the kernel's esp at its pusha, not a user register. RF is ignored: the
// CPU may set it in the EFLAGS image it saves for a fault (Intel SDM
// vol. 3A, 17.3.1.1).
void compare(const char *when, const Snapshot &want, const Snapshot &got, bool with_eip)
{
	bool ok = true;

	ok &= same("edi", want.regs.reg_edi, got.regs.reg_edi);
	ok &= same("esi", want.regs.reg_esi, got.regs.reg_esi);
	ok &= same("ebp", want.regs.reg_ebp, got.regs.reg_ebp);
	ok &= same("ebx", want.regs.reg_ebx, got.regs.reg_ebx);
	ok &= same("edx", want.regs.reg_edx, got.regs.reg_edx);
	ok &= same("ecx", want.regs.reg_ecx, got.regs.reg_ecx);
	ok &= same("eax", want.regs.reg_eax, got.regs.reg_eax);
	if (with_eip)
		ok &= same("eip", want.eip, got.eip);
	ok &= same("eflags", want.eflags & ~FL_RF, got.eflags & ~FL_RF);
	ok &= same("esp", want.esp, got.esp);
	cprintf("Registers %s %s\n", when, ok ? "OK" : "MISMATCH");
}

void on_fault(UTrapframe *utf)
{
	if (utf->utf_fault_va != (uintptr_t) UTEMP)
		panic("unexpected fault at va %08x, eip %08x", utf->utf_fault_va,
		      utf->utf_eip);
	handler_ran = true;
	in_utf.regs = utf->utf_regs;
	in_utf.eip = utf->utf_eip;
	in_utf.eflags = utf->utf_eflags;
	in_utf.esp = utf->utf_esp;
	compare("in UTrapframe", before, in_utf, true);

	int r = sys_page_alloc(0, UTEMP, PTE_P | PTE_U | PTE_W);
	if (r < 0)
		panic("sys_page_alloc at UTEMP: %e", r);
}

} // namespace

void umain(int argc, char **argv)
{
	USED(argc);
	USED(argv);
	set_pgfault_handler(on_fault);

	// %ebp is the frame pointer, so it is saved by hand rather than
	// listed as clobbered; every other register is clobbered, which is
	// why all operands are link-time constants.
	asm volatile("pushl %%ebp\n\t"
		     "movl %[edi], %%edi\n\t"
		     "movl %[esi], %%esi\n\t"
		     "movl %[ebp], %%ebp\n\t"
		     "movl %[ebx], %%ebx\n\t"
		     "movl %[edx], %%edx\n\t"
		     "movl %[ecx], %%ecx\n\t"
		     "movl %[eax], %%eax\n\t"
		     "pushl %[flags]\n\t"
		     "popfl\n\t"
		     // From here to the store, nothing may change a flag.
		     "movl %%edi, %c[b]+%c[o_edi]\n\t"
		     "movl %%esi, %c[b]+%c[o_esi]\n\t"
		     "movl %%ebp, %c[b]+%c[o_ebp]\n\t"
		     "movl %%ebx, %c[b]+%c[o_ebx]\n\t"
		     "movl %%edx, %c[b]+%c[o_edx]\n\t"
		     "movl %%ecx, %c[b]+%c[o_ecx]\n\t"
		     "movl %%eax, %c[b]+%c[o_eax]\n\t"
		     "movl %%esp, %c[b]+%c[o_esp]\n\t"
		     "pushfl\n\t"
		     "popl %c[b]+%c[o_eflags]\n\t"
		     "movl $.Lfaultregs_store%=, %c[b]+%c[o_eip]\n"
		     ".Lfaultregs_store%=:\n\t"
		     "movl $0x5eed, %c[utemp]\n\t"
		     // Back from the upcall: record what it restored.
		     "movl %%edi, %c[a]+%c[o_edi]\n\t"
		     "movl %%esi, %c[a]+%c[o_esi]\n\t"
		     "movl %%ebp, %c[a]+%c[o_ebp]\n\t"
		     "movl %%ebx, %c[a]+%c[o_ebx]\n\t"
		     "movl %%edx, %c[a]+%c[o_edx]\n\t"
		     "movl %%ecx, %c[a]+%c[o_ecx]\n\t"
		     "movl %%eax, %c[a]+%c[o_eax]\n\t"
		     "movl %%esp, %c[a]+%c[o_esp]\n\t"
		     "pushfl\n\t"
		     "popl %c[a]+%c[o_eflags]\n\t"
		     "popl %%ebp"
		     :
		     : [b] "i"(&before), [a] "i"(&after), [utemp] "i"(UTEMP),
		       [o_edi] "i"(offsetof(Snapshot, regs.reg_edi)),
		       [o_esi] "i"(offsetof(Snapshot, regs.reg_esi)),
		       [o_ebp] "i"(offsetof(Snapshot, regs.reg_ebp)),
		       [o_ebx] "i"(offsetof(Snapshot, regs.reg_ebx)),
		       [o_edx] "i"(offsetof(Snapshot, regs.reg_edx)),
		       [o_ecx] "i"(offsetof(Snapshot, regs.reg_ecx)),
		       [o_eax] "i"(offsetof(Snapshot, regs.reg_eax)),
		       [o_eip] "i"(offsetof(Snapshot, eip)),
		       [o_eflags] "i"(offsetof(Snapshot, eflags)),
		       [o_esp] "i"(offsetof(Snapshot, esp)), [edi] "i"(EDI),
		       [esi] "i"(ESI), [ebp] "i"(EBP), [ebx] "i"(EBX), [edx] "i"(EDX),
		       [ecx] "i"(ECX), [eax] "i"(EAX), [flags] "i"(FLAGS)
		     : "eax", "ebx", "ecx", "edx", "esi", "edi", "cc", "memory");

	if (!handler_ran)
		panic("the store to UTEMP did not fault");
	compare("after page-fault", before, after, false);
}
