/* User-space system call wrappers (inc/lib.h). The calling convention
 * (docs/GRADERS.md section 4): int $T_SYSCALL with the call number in eax
 * and up to five arguments in edx, ecx, ebx, edi, esi; the result comes
 * back in eax (negative E_* code on error). sys_exofork is inline in inc/lib.h. */

#include <inc/lib.h>

namespace {

/* Make system call num with arguments a1..a5. The kernel may read and
 * write user memory we passed pointers to, hence the "memory" clobber.
 * When check is true, a positive result is a kernel bug for this call
 * and panics. Returns eax. */
int32_t syscall(int num, bool check, uint32_t a1, uint32_t a2, uint32_t a3,
		uint32_t a4, uint32_t a5)
{
	int32_t ret;
	asm volatile("int %1"
		     : "=a" (ret)
		     : "i" (T_SYSCALL), "a" (num), "d" (a1), "c" (a2),
		       "b" (a3), "D" (a4), "S" (a5)
		     : "cc", "memory");
	if (check && ret > 0)
		panic("syscall %d returned %d (> 0)", num, ret);
	return ret;
}

/* Pointers are passed as 32-bit numbers. */
inline uint32_t arg(const void *p) { return uint32_t(uintptr_t(p)); }

} // namespace

void sys_cputs(const char *s, size_t len)
{
	syscall(SYS_cputs, false, arg(s), len, 0, 0, 0);
}

int sys_cgetc(void)
{
	return syscall(SYS_cgetc, false, 0, 0, 0, 0, 0);
}

envid_t sys_getenvid(void)
{
	return syscall(SYS_getenvid, false, 0, 0, 0, 0, 0);
}

int sys_env_destroy(envid_t envid)
{
	return syscall(SYS_env_destroy, true, envid, 0, 0, 0, 0);
}

void sys_yield(void)
{
	syscall(SYS_yield, false, 0, 0, 0, 0, 0);
}

int sys_env_set_status(envid_t envid, int status)
{
	return syscall(SYS_env_set_status, true, envid, status, 0, 0, 0);
}

int sys_env_set_pgfault_upcall(envid_t envid, void *upcall)
{
	return syscall(SYS_env_set_pgfault_upcall, true, envid, arg(upcall), 0, 0, 0);
}

int sys_page_alloc(envid_t envid, void *va, int perm)
{
	return syscall(SYS_page_alloc, true, envid, arg(va), perm, 0, 0);
}

int sys_page_map(envid_t src_env, void *src_va, envid_t dst_env, void *dst_va, int perm)
{
	return syscall(SYS_page_map, true, src_env, arg(src_va), dst_env, arg(dst_va), perm);
}

int sys_page_unmap(envid_t envid, void *va)
{
	return syscall(SYS_page_unmap, true, envid, arg(va), 0, 0, 0);
}

/* Not checked: -E_IPC_NOT_RECV is an expected result (ipc_send retries). */
int sys_ipc_try_send(envid_t to_env, uint32_t value, void *pg, int perm)
{
	return syscall(SYS_ipc_try_send, false, to_env, value, arg(pg), perm, 0);
}

int sys_ipc_recv(void *rcv_pg)
{
	return syscall(SYS_ipc_recv, true, arg(rcv_pg), 0, 0, 0, 0);
}

int sys_ipc_send(envid_t to_env, uint32_t value, void *pg, int perm)
{
	return syscall(SYS_ipc_send, true, to_env, value, arg(pg), perm, 0);
}
