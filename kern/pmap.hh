// kern/pmap.hh: physical page allocation, page tables, address conversion
// and user-pointer checks (kern/pmap.cc).
#ifndef JOS_KERN_PMAP_HH
#define JOS_KERN_PMAP_HH

#include <inc/memlayout.h>
#include <inc/assert.h>

struct Env;

extern "C" char bootstacktop[], bootstack[];

extern PageInfo *pages;   // one entry per physical page
extern size_t npages;     // number of physical pages
extern pde_t *kern_pgdir; // the kernel's page directory (kernel va)

// Physical address of kernel virtual address kva; panics (naming the
// caller's file and line) if kva is below KERNBASE.
inline physaddr_t _paddr(const char *file, int line, const void *kva)
{
	if ((uintptr_t) kva < KERNBASE)
		_panic(file, line, "PADDR called with invalid kva %08lx",
		       (unsigned long) kva);
	return (physaddr_t) kva - KERNBASE;
}
#define PADDR(kva) _paddr(__FILE__, __LINE__, kva)

// Kernel virtual address of physical address pa; panics if pa is not a
// physical page of this machine.
inline void *_kaddr(const char *file, int line, physaddr_t pa)
{
	if ((pa >> PGSHIFT) >= npages)
		_panic(file, line, "KADDR called with invalid pa %08lx",
		       (unsigned long) pa);
	return (void *) (pa + KERNBASE);
}
#define KADDR(pa) _kaddr(__FILE__, __LINE__, pa)

enum {
	// page_alloc: fill the returned page with zeros.
	ALLOC_ZERO = 1 << 0,
};

void mem_init(void);
void page_init(void);
PageInfo *page_alloc(int alloc_flags);
void page_free(PageInfo *pp);
void page_decref(PageInfo *pp);
[[nodiscard]] pte_t *pgdir_walk(pde_t *pgdir, const void *va, int create);
[[nodiscard]] int page_insert(pde_t *pgdir, PageInfo *pp, void *va, int perm);
void page_remove(pde_t *pgdir, void *va);
PageInfo *page_lookup(pde_t *pgdir, void *va, pte_t **pte_store);
void tlb_invalidate(pde_t *pgdir, void *va);
void *mmio_map_region(physaddr_t pa, size_t size);
[[nodiscard]] int user_mem_check(Env *env, const void *va, size_t len, int perm);
void user_mem_assert(Env *env, const void *va, size_t len, int perm);
size_t page_free_count(void);
// Boot checks of the AP start-up's memory (exercises 2 and 3 of lab 4),
// made by boot_aps: each panics saying what is wrong.
void check_mpentry_page(void);
void check_kstack(int cpu);

inline physaddr_t page2pa(const PageInfo *pp)
{
	return (physaddr_t) (pp - pages) << PGSHIFT;
}

inline PageInfo *pa2page(physaddr_t pa)
{
	if (PGNUM(pa) >= npages)
		panic("pa2page called with invalid pa %08x", pa);
	return &pages[PGNUM(pa)];
}

inline void *page2kva(const PageInfo *pp)
{
	return KADDR(page2pa(pp));
}

#endif // !JOS_KERN_PMAP_HH
