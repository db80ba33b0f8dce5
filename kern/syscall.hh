// kern/syscall.hh: the system call dispatcher (kern/syscall.cc).
#ifndef JOS_KERN_SYSCALL_HH
#define JOS_KERN_SYSCALL_HH

#include <inc/syscall.h>
#include <inc/types.h>

// Run system call syscallno (SYS_*) for curenv with arguments a1..a5
// (from edx, ecx, ebx, edi, esi). Returns the call's result (eax), or
// -E_INVAL for an unknown number. Some calls do not return.
int32_t syscall(uint32_t syscallno, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4,
		uint32_t a5);

struct Env;

// Called by env_free: cancel e's pending blocking send and wake, with
// -E_BAD_ENV, every sender blocked on a send to e.
void ipc_env_freed(Env *e);
// Is e blocked in sys_ipc_recv or sys_ipc_send?
bool ipc_blocked(const Env *e);

#endif // !JOS_KERN_SYSCALL_HH
