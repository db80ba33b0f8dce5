// kern/sched.hh: the round-robin scheduler (kern/sched.cc).
#ifndef JOS_KERN_SCHED_HH
#define JOS_KERN_SCHED_HH

// Run the next runnable environment. Never returns.
[[noreturn]] void sched_yield(void);
// A CPU's first choice at boot: envs[its cpus[] index] if runnable, so the
// first environments spread one per CPU. Never returns.
[[noreturn]] void sched_start(void);
// Halt this CPU until an interrupt arrives. Never returns.
[[noreturn]] void sched_halt(void);

#endif // !JOS_KERN_SCHED_HH
