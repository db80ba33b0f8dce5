// The kernel monitor: a tiny interactive command loop on the console,
// entered when there is nothing left to run, on a kernel panic and on a
// user breakpoint. Commands follow the lab's mon_X signature.
#ifndef JOS_KERN_MONITOR_HH
#define JOS_KERN_MONITOR_HH

struct Trapframe;

// Run the monitor. If tf is non-null the monitor was entered from a trap
// and prints that frame first. Returns when a command returns < 0.
void monitor(struct Trapframe *tf);

// Commands: argv[0..argc) are the words of the command line (argc may be 0
// and argv null when the kernel calls one directly, as panic does with
// mon_backtrace). tf is the trap frame or null. Return < 0 to leave the
// monitor, anything else to keep reading commands.
int mon_help(int argc, char **argv, struct Trapframe *tf);
int mon_kerninfo(int argc, char **argv, struct Trapframe *tf);
int mon_backtrace(int argc, char **argv, struct Trapframe *tf);
int mon_meminfo(int argc, char **argv, struct Trapframe *tf);
// kern/monitor_envs.cc: progs, run <prog> [copies], envs, cpus.
int mon_progs(int argc, char **argv, struct Trapframe *tf);
int mon_run(int argc, char **argv, struct Trapframe *tf);
int mon_envs(int argc, char **argv, struct Trapframe *tf);
int mon_cpus(int argc, char **argv, struct Trapframe *tf);

#endif // !JOS_KERN_MONITOR_HH
