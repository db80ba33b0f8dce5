// User-space system call wrappers (inc/lib.h). The calling convention
// (docs/GRADERS.md section 4): int $T_SYSCALL with the call number in eax
// and up to five arguments in edx, ecx, ebx, edi, esi; the result comes
// back in eax (negative E_* code on error). sys_exofork is inline in inc/lib.h.

#include <inc/lib.h>

namespace {

// Make system call num with arguments a (up to five 32-bit values, in
// edx, ecx, ebx, edi, esi). Inline, and only the registers a call uses
// are loaded. The kernel may read and write user memory we passed
// pointers to, hence the "memory" clobber. Returns eax.
template <typename... A>
[[gnu::always_inline]] inline int32_t syscall(int num, A... a)
{
	static_assert(sizeof...(a) <= 5, "five arguments at most");
	const uint32_t v[] = { uint32_t(a)..., 0 };
	int32_t ret;
	if constexpr (sizeof...(a) == 0)
		asm volatile("int %1"
			     : "=a"(ret)
			     : "i"(T_SYSCALL), "a"(num)
			     : "cc", "memory");
	else if constexpr (sizeof...(a) == 1)
		asm volatile("int %1"
			     : "=a"(ret)
			     : "i"(T_SYSCALL), "a"(num), "d"(v[0])
			     : "cc", "memory");
	else if constexpr (sizeof...(a) == 2)
		asm volatile("int %1"
			     : "=a"(ret)
			     : "i"(T_SYSCALL), "a"(num), "d"(v[0]), "c"(v[1])
			     : "cc", "memory");
	else if constexpr (sizeof...(a) == 3)
		asm volatile("int %1"
			     : "=a"(ret)
			     : "i"(T_SYSCALL), "a"(num), "d"(v[0]), "c"(v[1]), "b"(v[2])
			     : "cc", "memory");
	else if constexpr (sizeof...(a) == 4)
		asm volatile("int %1"
			     : "=a"(ret)
			     : "i"(T_SYSCALL), "a"(num), "d"(v[0]), "c"(v[1]), "b"(v[2]),
			       "D"(v[3])
			     : "cc", "memory");
	else
		asm volatile("int %1"
			     : "=a"(ret)
			     : "i"(T_SYSCALL), "a"(num), "d"(v[0]), "c"(v[1]), "b"(v[2]),
			       "D"(v[3]), "S"(v[4])
			     : "cc", "memory");
	return ret;
}

[[noreturn, gnu::cold]] void positive_result(int num, int32_t ret)
{
	panic("syscall %d returned %d (> 0)", num, ret);
}

// syscall() for calls that never return a positive value: one would be a
// kernel bug, so panic.
template <typename... A>
[[gnu::always_inline]] inline int32_t checked_syscall(int num, A... a)
{
	int32_t ret = syscall(num, a...);
	if (ret > 0)
		positive_result(num, ret);
	return ret;
}

// Pointers are passed as 32-bit numbers.
inline uint32_t arg(const void *p)
{
	return uint32_t(uintptr_t(p));
}

} // namespace

void sys_cputs(const char *s, size_t len)
{
	syscall(SYS_cputs, arg(s), len);
}

int sys_cgetc(void)
{
	return syscall(SYS_cgetc);
}

envid_t sys_getenvid(void)
{
	return syscall(SYS_getenvid);
}

int sys_env_destroy(envid_t envid)
{
	return checked_syscall(SYS_env_destroy, envid);
}

void sys_yield(void)
{
	syscall(SYS_yield);
}

int sys_env_set_status(envid_t envid, int status)
{
	return checked_syscall(SYS_env_set_status, envid, status);
}

int sys_env_set_pgfault_upcall(envid_t envid, void *upcall)
{
	return checked_syscall(SYS_env_set_pgfault_upcall, envid, arg(upcall));
}

int sys_page_alloc(envid_t envid, void *va, int perm)
{
	return checked_syscall(SYS_page_alloc, envid, arg(va), perm);
}

int sys_page_map(envid_t src_env, void *src_va, envid_t dst_env, void *dst_va, int perm)
{
	return checked_syscall(SYS_page_map, src_env, arg(src_va), dst_env, arg(dst_va),
			       perm);
}

int sys_page_unmap(envid_t envid, void *va)
{
	return checked_syscall(SYS_page_unmap, envid, arg(va));
}

// Not checked: -E_IPC_NOT_RECV is an expected result (ipc_send retries).
int sys_ipc_try_send(envid_t to_env, uint32_t value, void *pg, int perm)
{
	return syscall(SYS_ipc_try_send, to_env, value, arg(pg), perm);
}

int sys_ipc_recv(void *rcv_pg)
{
	return checked_syscall(SYS_ipc_recv, arg(rcv_pg));
}

int sys_ipc_send(envid_t to_env, uint32_t value, void *pg, int perm)
{
	return checked_syscall(SYS_ipc_send, to_env, value, arg(pg), perm);
}
