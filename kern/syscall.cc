// kern/syscall.cc: the system calls. Every argument comes from user space
// and is checked here: a bad one gets the documented -E_* code, or (for a
// bad pointer the kernel must read) the caller is destroyed with the
// user_mem_check message. Envids follow envid2env: 0 means the caller.
//
// Locking: runs under the big kernel lock (taken in trap()).

#include <inc/x86.h>
#include <inc/error.h>
#include <inc/string.h>
#include <inc/assert.h>

#include <kern/env.hh>
#include <kern/pmap.hh>
#include <kern/trap.hh>
#include <kern/syscall.hh>
#include <kern/console.hh>
#include <kern/sched.hh>
#include <kern/cpu.hh>
#include <kern/spinlock.hh>

namespace {

// Indexed like envs[]: set when an environment blocked in an IPC call is
// made ENV_NOT_RUNNABLE. It then stays stopped when its wait ends (wake),
// until it is made runnable again. Kernel-private (struct Env is user ABI).
bool stop_when_woken[NENV];

// LAB 4: solution
// Is va a page-aligned user address below UTOP?
bool user_page_va(uintptr_t va)
{
	return va < UTOP && va % PGSIZE == 0;
}

// Are perm valid permissions for a user mapping: PTE_U and PTE_P set, and
// nothing outside PTE_SYSCALL?
bool user_perm_ok(int perm)
{
	return (perm & (PTE_U | PTE_P)) == (PTE_U | PTE_P) && (perm & ~PTE_SYSCALL) == 0;
}
// LAB 4: end

// Print len bytes at user address s on the console. Destroys the caller if
// the memory is not readable user memory.
void sys_cputs(const char *s, size_t len)
{
	user_mem_assert(curenv, s, len, PTE_U);
	cputs(s, len);
}

// Read a character from the console without waiting: 0 if none.
int sys_cgetc(void)
{
	return cons_getc();
}

// The caller's env id.
envid_t sys_getenvid(void)
{
	return curenv->env_id;
}

// Destroy envid (the caller or its child). Returns 0, or -E_BAD_ENV. Does
// not return when the caller destroys itself.
int sys_env_destroy(envid_t envid)
{
	Env *e;
	int r = envid2env(envid, &e, true);
	if (r < 0)
		return r;
	if (e == curenv)
		cprintf("[%08x] exiting gracefully\n", curenv->env_id);
	else
		cprintf("[%08x] destroying %08x\n", curenv->env_id, e->env_id);
	env_destroy(e);
	return 0;
}

// Give up the CPU. Does not return.
[[noreturn]] void sys_yield(void)
{
	sched_yield();
}

// Create a child with the caller's registers (it returns 0 from this call),
// an empty address space, and status ENV_NOT_RUNNABLE. Returns the child's
// id, -E_NO_FREE_ENV or -E_NO_MEM.
envid_t sys_exofork(void)
{
	// LAB 4: solution
	Env *child;
	int r = env_alloc(&child, curenv->env_id);
	if (r < 0)
		return r;
	child->env_status = ENV_NOT_RUNNABLE;
	env_inherit_image(child, curenv);
	child->env_tf = curenv->env_tf;
	child->env_tf.tf_regs.reg_eax = 0;
	return child->env_id;
	// LAB 4: stub
	//| panic("sys_exofork not implemented");
	// LAB 4: end
}

// Set envid's status to ENV_RUNNABLE or ENV_NOT_RUNNABLE. Returns 0,
// -E_BAD_ENV (no such env, no permission, or the env is being destroyed)
// or -E_INVAL (any other status, or making runnable an env blocked in an
// IPC call: it wakes when its message moves). An env running on another
// CPU keeps running when made runnable (it is never scheduled twice), and
// stops at its next kernel entry when made not runnable. An env blocked in
// an IPC call that is made not runnable stays blocked and, once its message
// moves, stopped (its call has returned) until it is made runnable; making
// it runnable while it is still blocked only cancels that stop.
int sys_env_set_status(envid_t envid, int status)
{
	// LAB 4: solution
	if (status != ENV_RUNNABLE && status != ENV_NOT_RUNNABLE)
		return -E_INVAL;
	Env *e;
	int r = envid2env(envid, &e, true);
	if (r < 0)
		return r;
	if (e->env_status == ENV_DYING)
		return -E_BAD_ENV;
	if (e->env_status == ENV_RUNNING && e != curenv && status == ENV_RUNNABLE)
		return 0;
	if (ipc_blocked(e)) {
		if (status == ENV_NOT_RUNNABLE || stop_when_woken[ENVX(e->env_id)]) {
			stop_when_woken[ENVX(e->env_id)] = status == ENV_NOT_RUNNABLE;
			return 0;
		}
		return -E_INVAL;
	}
	e->env_status = status;
	return 0;
	// LAB 4: stub
	//| (void) envid;
	//| (void) status;
	//| panic("sys_env_set_status not implemented");
	// LAB 4: end
}

// Set envid's page fault upcall entry point (user address; not checked
// here: a bad one makes the env fault when it is used). Returns 0 or
// -E_BAD_ENV.
int sys_env_set_pgfault_upcall(envid_t envid, void *func)
{
	// LAB 4: solution
	Env *e;
	int r = envid2env(envid, &e, true);
	if (r < 0)
		return r;
	e->env_pgfault_upcall = func;
	return 0;
	// LAB 4: stub
	//| (void) envid;
	//| (void) func;
	//| panic("sys_env_set_pgfault_upcall not implemented");
	// LAB 4: end
}

// Map a new zeroed page at va in envid's address space with permissions
// perm (PTE_U|PTE_P required, others from PTE_SYSCALL), replacing any page
// there. Returns 0, -E_BAD_ENV, -E_INVAL (va not a page-aligned address
// below UTOP, bad perm) or -E_NO_MEM (no page, or no page table).
int sys_page_alloc(envid_t envid, void *va, int perm)
{
	// LAB 4: solution
	Env *e;
	int r = envid2env(envid, &e, true);
	if (r < 0)
		return r;
	if (!user_page_va((uintptr_t) va) || !user_perm_ok(perm))
		return -E_INVAL;
	PageInfo *pp = page_alloc(ALLOC_ZERO);
	if (!pp)
		return -E_NO_MEM;
	r = page_insert(e->env_pgdir, pp, va, perm);
	if (r < 0) {
		page_free(pp);
		return r;
	}
	return 0;
	// LAB 4: stub
	//| (void) envid;
	//| (void) va;
	//| (void) perm;
	//| panic("sys_page_alloc not implemented");
	// LAB 4: end
}

// LAB 4: solution
// Would remapping pp from srcva in src to dstva in dst replace the only
// mapping of the page by itself? Then it may become writable: nobody else
// can see the page, so nothing is shared that a write could corrupt. This
// is what lets fork's copy-on-write handler keep a page nobody else maps
// any more without copying it.
bool sole_mapping_in_place(Env *src, void *srcva, Env *dst, void *dstva, PageInfo *pp)
{
	return src == dst && srcva == dstva && pp->pp_ref == 1;
}
// LAB 4: end

// Map the page at srcva in srcenvid's address space at dstva in
// dstenvid's with permissions perm. Returns 0, -E_BAD_ENV, -E_INVAL (an
// address not page-aligned or not below UTOP, nothing mapped at srcva, bad
// perm, or PTE_W asked for a read-only page -- unless this remaps the
// page's sole mapping in place, see sole_mapping_in_place) or -E_NO_MEM.
int sys_page_map(envid_t srcenvid, void *srcva, envid_t dstenvid, void *dstva, int perm)
{
	// LAB 4: solution
	Env *src, *dst;
	int r;
	if ((r = envid2env(srcenvid, &src, true)) < 0 ||
	    (r = envid2env(dstenvid, &dst, true)) < 0)
		return r;
	if (!user_page_va((uintptr_t) srcva) || !user_page_va((uintptr_t) dstva) ||
	    !user_perm_ok(perm))
		return -E_INVAL;
	pte_t *pte;
	PageInfo *pp = page_lookup(src->env_pgdir, srcva, &pte);
	if (!pp)
		return -E_INVAL;
	if ((perm & PTE_W) && !(*pte & PTE_W) &&
	    !sole_mapping_in_place(src, srcva, dst, dstva, pp))
		return -E_INVAL;
	return page_insert(dst->env_pgdir, pp, dstva, perm);
	// LAB 4: stub
	//| (void) srcenvid;
	//| (void) srcva;
	//| (void) dstenvid;
	//| (void) dstva;
	//| (void) perm;
	//| panic("sys_page_map not implemented");
	// LAB 4: end
}

// Unmap the page at va in envid's address space (nothing mapped: no-op).
// Returns 0, -E_BAD_ENV or -E_INVAL (va not page-aligned below UTOP).
int sys_page_unmap(envid_t envid, void *va)
{
	// LAB 4: solution
	Env *e;
	int r = envid2env(envid, &e, true);
	if (r < 0)
		return r;
	if (!user_page_va((uintptr_t) va))
		return -E_INVAL;
	page_remove(e->env_pgdir, va);
	return 0;
	// LAB 4: stub
	//| (void) envid;
	//| (void) va;
	//| panic("sys_page_unmap not implemented");
	// LAB 4: end
}

// ---------------------------------------------------------------------------
// IPC. Invariant: an environment blocked in sys_ipc_recv (env_ipc_recving)
// or in sys_ipc_send (blocked_sends[] entry) is ENV_NOT_RUNNABLE until the
// message moves or the wait is cancelled by the other side's destruction;
// sys_env_set_status refuses to make it runnable meanwhile.

// A sender sleeping in sys_ipc_send (lab 4 challenge "blocking send").
// Kernel-private, indexed like envs[]: struct Env's layout is user ABI.
struct BlockedSend {
	envid_t to; // the receiver's id; 0: not blocked
	uint32_t value;
	void *srcva; // page to send, or >= UTOP for none
	unsigned perm;
	uint32_t seq; // when it blocked: senders are served FIFO
};
BlockedSend blocked_sends[NENV];
// LAB 4 CHALLENGE: solution
uint32_t blocked_send_seq;
// LAB 4: end
uint32_t blocked_send_count; // entries with a receiver (skips scans at 0)

// Forget envs[i]'s blocked send, if any.
void clear_blocked_send(uint32_t i)
{
	if (blocked_sends[i].to != 0)
		blocked_send_count--;
	blocked_sends[i] = BlockedSend{};
}

// LAB 4: solution
// Check that sender may send the page at srcva (< UTOP) with perm:
// page-aligned, valid perm, mapped, and not PTE_W on a read-only page.
// Returns 0 or -E_INVAL.
int check_send_page(Env *sender, void *srcva, unsigned perm)
{
	if ((uintptr_t) srcva % PGSIZE != 0 || !user_perm_ok(perm))
		return -E_INVAL;
	pte_t *pte;
	PageInfo *pp = page_lookup(sender->env_pgdir, srcva, &pte);
	if (!pp || ((perm & PTE_W) && !(*pte & PTE_W)))
		return -E_INVAL;
	return 0;
}

// Move a message from sender to receiver, which is waiting in
// sys_ipc_recv: map the page at srcva (if srcva < UTOP, checked again
// here, and the receiver asked for a page) at the receiver's dstva, and
// set the receiver's env_ipc_* fields; it stops receiving. Does not change
// either side's status or registers. Returns 0, -E_INVAL (the page is no
// longer sendable) or -E_NO_MEM (no page table in the receiver); on error
// the receiver is still waiting.
int ipc_deliver(Env *sender, Env *receiver, uint32_t value, void *srcva, unsigned perm)
{
	int sent_perm = 0;
	if ((uintptr_t) srcva < UTOP) {
		int r = check_send_page(sender, srcva, perm);
		if (r < 0)
			return r;
		if ((uintptr_t) receiver->env_ipc_dstva < UTOP) {
			PageInfo *pp = page_lookup(sender->env_pgdir, srcva, nullptr);
			r = page_insert(receiver->env_pgdir, pp, receiver->env_ipc_dstva,
					perm);
			if (r < 0)
				return r;
			sent_perm = perm;
		}
	}
	receiver->env_ipc_recving = false;
	receiver->env_ipc_from = sender->env_id;
	receiver->env_ipc_value = value;
	receiver->env_ipc_perm = sent_perm;
	return 0;
}
// LAB 4: end

// End a blocked environment's wait with result r from its syscall: it
// becomes runnable, or stays stopped if it was stopped while it waited.
void wake(Env *e, int32_t r)
{
	e->env_tf.tf_regs.reg_eax = r;
	bool &stop = stop_when_woken[ENVX(e->env_id)];
	e->env_status = stop ? ENV_NOT_RUNNABLE : ENV_RUNNABLE;
	stop = false;
}

// Try to send value (and, if srcva < UTOP, the page mapped there with
// permissions perm) to envid, which may be any environment. Succeeds only
// if the target is blocked in sys_ipc_recv; the page is transferred only
// if the receiver asked for one (dstva < UTOP). The receiver becomes
// runnable, returning 0 from its sys_ipc_recv, with env_ipc_from,
// env_ipc_value and env_ipc_perm (0 if no page was transferred) set.
// Returns 0, -E_BAD_ENV, -E_IPC_NOT_RECV (target not receiving),
// -E_INVAL (srcva < UTOP but unaligned or unmapped, bad perm, PTE_W on a
// read-only page) or -E_NO_MEM (no page table in the receiver).
int sys_ipc_try_send(envid_t envid, uint32_t value, void *srcva, unsigned perm)
{
	// LAB 4: solution
	Env *e;
	int r = envid2env(envid, &e, false);
	if (r < 0)
		return r;
	if (!e->env_ipc_recving)
		return -E_IPC_NOT_RECV;
	if ((r = ipc_deliver(curenv, e, value, srcva, perm)) < 0)
		return r;
	wake(e, 0);
	return 0;
	// LAB 4: stub
	//| (void) envid;
	//| (void) value;
	//| (void) srcva;
	//| (void) perm;
	//| panic("sys_ipc_try_send not implemented");
	// LAB 4: end
}

// Blocking send (lab 4 challenge). Like sys_ipc_try_send, but if envid is
// not receiving, the caller sleeps (ENV_NOT_RUNNABLE, using no CPU) until
// envid calls sys_ipc_recv, which takes the message. If envid is already
// receiving, the message is delivered and this CPU switches straight to
// the receiver. Returns 0 once delivered; -E_BAD_ENV (no such env, or it
// was destroyed while the caller slept); -E_INVAL (sending to itself,
// bad page or perm as for sys_ipc_try_send, or the page was unmapped while
// the caller slept); -E_NO_MEM. (The handout tree, where this challenge
// is cut, returns -E_INVAL.)
int sys_ipc_send(envid_t envid, uint32_t value, void *srcva, unsigned perm)
{
	// LAB 4 CHALLENGE: solution
	Env *e;
	int r = envid2env(envid, &e, false);
	if (r < 0)
		return r;
	if (e == curenv)
		return -E_INVAL; // it would wait for itself forever
	if ((uintptr_t) srcva < UTOP && (r = check_send_page(curenv, srcva, perm)) < 0)
		return r;

	if (e->env_ipc_recving) {
		if ((r = ipc_deliver(curenv, e, value, srcva, perm)) < 0)
			return r;
		wake(e, 0);
		curenv->env_tf.tf_regs.reg_eax = 0;
		if (e->env_status == ENV_RUNNABLE)
			env_run(e);
		return 0;
	}

	blocked_sends[ENVX(curenv->env_id)] =
		BlockedSend{ e->env_id, value, srcva, perm, ++blocked_send_seq };
	blocked_send_count++;
	curenv->env_status = ENV_NOT_RUNNABLE;
	sched_yield();
	// LAB 4: stub
	//| (void) envid;
	//| (void) value;
	//| (void) srcva;
	//| (void) perm;
	//| // The blocking send is a challenge, not part of the handout.
	//| return -E_INVAL;
	// LAB 4: end
}

// LAB 4: solution
// The sender blocked longest on a send to receiver, or null.
Env *first_blocked_sender(const Env *receiver)
{
	Env *first = nullptr;
	for (uint32_t i = 0; i < env_high_water && blocked_send_count; i++) {
		const BlockedSend &b = blocked_sends[i];
		if (b.to == receiver->env_id &&
		    (!first ||
		     (int32_t) (b.seq - blocked_sends[ENVX(first->env_id)].seq) < 0))
			first = &envs[i];
	}
	return first;
}
// LAB 4: end

// Block until a message arrives. If dstva < UTOP, a page sent along is
// mapped there. If a sender is already sleeping in sys_ipc_send to us, its
// message is taken at once (the sender wakes with 0, or with the error if
// its page could not be delivered) and this returns 0. Returns -E_INVAL
// for dstva < UTOP not page-aligned; otherwise the caller sleeps and
// resumes with 0 in eax when a sender delivers.
int sys_ipc_recv(void *dstva)
{
	// LAB 4: solution
	if ((uintptr_t) dstva < UTOP && (uintptr_t) dstva % PGSIZE != 0)
		return -E_INVAL;
	curenv->env_ipc_recving = true;
	curenv->env_ipc_dstva = dstva;

	while (Env *sender = first_blocked_sender(curenv)) {
		const BlockedSend &b = blocked_sends[ENVX(sender->env_id)];
		int r = ipc_deliver(sender, curenv, b.value, b.srcva, b.perm);
		clear_blocked_send(ENVX(sender->env_id));
		wake(sender, r);
		if (r == 0)
			return 0;
	}

	curenv->env_status = ENV_NOT_RUNNABLE;
	sched_yield();
	// LAB 4: stub
	//| (void) dstva;
	//| panic("sys_ipc_recv not implemented");
	// LAB 4: end
}

} // namespace

// e is being freed: forget its pending send, and wake every sender
// sleeping on a send to it with -E_BAD_ENV (no wait is left dangling).
void ipc_env_freed(Env *e)
{
	clear_blocked_send(ENVX(e->env_id));
	stop_when_woken[ENVX(e->env_id)] = false;
	for (uint32_t i = 0; i < env_high_water && blocked_send_count; i++)
		if (blocked_sends[i].to == e->env_id) {
			clear_blocked_send(i);
			wake(&envs[i], -E_BAD_ENV);
		}
}

// Is e blocked in sys_ipc_recv or sys_ipc_send?
bool ipc_blocked(const Env *e)
{
	return e->env_ipc_recving || blocked_sends[ENVX(e->env_id)].to != 0;
}

int32_t syscall(uint32_t syscallno, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4,
		uint32_t a5)
{
	assert_kernel_locked();
	switch (syscallno) {
	case SYS_cputs:
		sys_cputs((const char *) a1, a2);
		return 0;
	case SYS_cgetc:
		return sys_cgetc();
	case SYS_getenvid:
		return sys_getenvid();
	case SYS_env_destroy:
		return sys_env_destroy(a1);
	case SYS_page_alloc:
		return sys_page_alloc(a1, (void *) a2, a3);
	case SYS_page_map:
		return sys_page_map(a1, (void *) a2, a3, (void *) a4, a5);
	case SYS_page_unmap:
		return sys_page_unmap(a1, (void *) a2);
	case SYS_exofork:
		return sys_exofork();
	case SYS_env_set_status:
		return sys_env_set_status(a1, a2);
	case SYS_env_set_pgfault_upcall:
		return sys_env_set_pgfault_upcall(a1, (void *) a2);
	case SYS_yield:
		sys_yield();
	case SYS_ipc_try_send:
		return sys_ipc_try_send(a1, a2, (void *) a3, a4);
	case SYS_ipc_recv:
		return sys_ipc_recv((void *) a1);
	case SYS_ipc_send:
		return sys_ipc_send(a1, a2, (void *) a3, a4);
	default:
		return -E_INVAL;
	}
}
