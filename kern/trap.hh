// kern/trap.hh: interrupt/exception handling (kern/trap.cc).
#ifndef JOS_KERN_TRAP_HH
#define JOS_KERN_TRAP_HH

#include <inc/trap.h>
#include <inc/mmu.h>

// Inter-processor interrupt that makes a CPU running user code enter the
// kernel, so it drops its user TLB entries (see tlb_invalidate).
#define T_TLB_SHOOTDOWN 49
// Inter-processor interrupt that wakes a CPU halted in sched_halt because
// an environment became runnable (see sched_yield).
#define T_RESCHED 50

// The IDT, shared by all CPUs.
extern Gatedesc idt[];

void trap_init(void);
void trap_init_percpu(void);
void print_trapframe(Trapframe *tf);
// The trap frame of this CPU's most recent trap (null before its first).
Trapframe *last_trapframe(void);
void print_regs(PushRegs *regs);
void page_fault_handler(Trapframe *tf);

// Entry from kern/trapentry.S with the frame it built.
extern "C" [[noreturn]] void trap(Trapframe *tf);

#endif // !JOS_KERN_TRAP_HH
