// kern/trap.hh: interrupt/exception handling (kern/trap.cc).
#ifndef JOS_KERN_TRAP_HH
#define JOS_KERN_TRAP_HH

#include <inc/trap.h>
#include <inc/mmu.h>

// Inter-processor interrupt asking a CPU to flush its TLB (kern/pmap.cc,
// tlb_shootdown). Above the device vectors; its gate has DPL 0, so user
// code cannot raise it.
constexpr int T_TLBSHOOT = 0xf1;

// The IDT, shared by all CPUs.
extern Gatedesc idt[];

void trap_init(void);
void trap_init_percpu(void);
void print_trapframe(Trapframe *tf);
void print_regs(PushRegs *regs);
void page_fault_handler(Trapframe *tf);

// Entry from kern/trapentry.S with the frame it built.
extern "C" [[noreturn]] void trap(Trapframe *tf);

#endif // !JOS_KERN_TRAP_HH
