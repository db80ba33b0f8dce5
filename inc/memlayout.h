/* The virtual memory map shared by the kernel and user space, the GDT
 * selectors, and struct PageInfo. Valid C, C++ and assembly. */
#ifndef JOS_INC_MEMLAYOUT_H
#define JOS_INC_MEMLAYOUT_H

#ifndef __ASSEMBLER__
#include <inc/types.h>
#include <inc/mmu.h>
#endif

/* Global descriptor numbers (selectors). */
#define GD_KT     0x08     /* kernel text */
#define GD_KD     0x10     /* kernel data */
#define GD_UT     0x18     /* user text */
#define GD_UD     0x20     /* user data */
#define GD_TSS0   0x28     /* Task segment selector for CPU 0; CPU i uses GD_TSS0 + 8*i */

/*
 * Virtual memory map:                                Permissions
 *                                                    kernel/user
 *
 *    4 Gig -------->  +------------------------------+
 *                     :  Remapped physical memory    : RW/--
 *    KERNBASE, ---->  +------------------------------+ 0xf0000000  --+
 *    KSTACKTOP        |     CPU0's Kernel Stack      | RW/--  KSTKSIZE |
 *                     | - - - - - - - - - - - - - - -|                 |
 *                     |      Invalid Memory (*)      | --/--  KSTKGAP  |
 *                     +------------------------------+                 |
 *                     |     CPU1's Kernel Stack      | RW/--  KSTKSIZE |
 *                     | - - - - - - - - - - - - - - -|               PTSIZE
 *                     |      Invalid Memory (*)      | --/--  KSTKGAP  |
 *                     +------------------------------+                 |
 *                     :              .               :                 |
 *    MMIOLIM ------>  +------------------------------+ 0xefc00000    --+
 *                     |       Memory-mapped I/O      | RW/--  PTSIZE
 * ULIM, MMIOBASE -->  +------------------------------+ 0xef800000
 *                     |  Cur. Page Table (User R-)   | R-/R-  PTSIZE
 *    UVPT      ---->  +------------------------------+ 0xef400000
 *                     |          RO PAGES            | R-/R-  PTSIZE
 *    UPAGES    ---->  +------------------------------+ 0xef000000
 *                     |           RO ENVS            | R-/R-  PTSIZE
 * UTOP,UENVS ------>  +------------------------------+ 0xeec00000
 * UXSTACKTOP -/       |     User Exception Stack     | RW/RW  PGSIZE
 *                     +------------------------------+ 0xeebff000
 *                     |       Empty Memory (*)       | --/--  PGSIZE
 *    USTACKTOP  --->  +------------------------------+ 0xeebfe000
 *                     |      Normal User Stack       | RW/RW  PGSIZE
 *                     +------------------------------+ 0xeebfd000
 *                     .                              .
 *                     |     Program Data & Heap      |
 *    UTEXT -------->  +------------------------------+ 0x00800000
 *    PFTEMP ------->  |       Empty Memory (*)       |        PTSIZE
 *    UTEMP -------->  +------------------------------+ 0x00400000
 *                     |  User STAB Data (optional)   |
 *    USTABDATA ---->  +------------------------------+ 0x00200000
 *                     |       Empty Memory (*)       |
 *    0 ------------>  +------------------------------+
 *
 * (*) never mapped: a guard.
 */

/* All physical memory is mapped at this address. */
#define	KERNBASE	0xF0000000

/* The legacy I/O hole [IOPHYSMEM, EXTPHYSMEM) in physical memory. */
#define IOPHYSMEM	0x0A0000
#define EXTPHYSMEM	0x100000

/* Kernel stacks: CPU i's stack top is KSTACKTOP_CPU(i); below each stack
 * lies an unmapped guard of KSTKGAP bytes. */
#define KSTACKTOP	KERNBASE
#define KSTKSIZE	(8*PGSIZE)		/* size of a kernel stack */
#define KSTKGAP		(8*PGSIZE)		/* size of a kernel stack guard */
#define KSTACKTOP_CPU(i)	(KSTACKTOP - (i) * (KSTKSIZE + KSTKGAP))

/* Bytes of physical memory mapped at KERNBASE: all of the address space
 * above it (4 GiB - KERNBASE = 256 MiB), as a 64-bit constant. */
#define KERNBASE_WINDOW	(0x100000000ull - KERNBASE)

/* Memory-mapped I/O (mmio_map_region hands out pages from here). */
#define MMIOLIM		(KSTACKTOP - PTSIZE)
#define MMIOBASE	(MMIOLIM - PTSIZE)

#define ULIM		(MMIOBASE)

/* User read-only mappings. */
#define UVPT		(ULIM - PTSIZE)		/* the current page table, self-mapped */
#define UPAGES		(UVPT - PTSIZE)		/* read-only copy of the PageInfo array */
#define UENVS		(UPAGES - PTSIZE)	/* read-only copy of the Env array */

/* Top of user-accessible VM. */
#define UTOP		UENVS
#define UXSTACKTOP	UTOP			/* one-page user exception stack below */
#define USTACKTOP	(UTOP - 2*PGSIZE)	/* normal user stack, below a guard page */

/* Where user programs are linked. */
#define UTEXT		(2*PTSIZE)

/* Scratch pages for user-space page moves. */
#define UTEMP		((char *) PTSIZE)
#define PFTEMP		(UTEMP + PTSIZE - PGSIZE)
#define USTABDATA	(PTSIZE / 2)

/* Physical memory that kern/entry.S's entry_pgdir maps at KERNBASE (and,
 * for the first 4 MiB, at 0) until mem_init loads the full page table. */
#define KERN_EARLY_MAP	(8*PTSIZE)

/* Physical address where the AP start-up trampoline is copied. */
#define MPENTRY_PADDR	0x7000

#ifndef __ASSEMBLER__

#ifdef __cplusplus
extern "C" {
#endif

typedef uint32_t pte_t;
typedef uint32_t pde_t;

/* The current page table and directory, seen through the UVPT self-map
 * (user space: defined by lib/entry.S). uvpd is at 0xEF7BD000. */
extern volatile pte_t uvpt[];
extern volatile pde_t uvpd[];

/*
 * One PageInfo per physical page, in the 'pages' array (user-visible,
 * read-only, at UPAGES). The physical address of a page is
 * (pp - pages) << PGSHIFT; page2pa() in kern/pmap.hh computes it.
 */
struct PageInfo {
	/* Next page on the free list. */
	struct PageInfo *pp_link;

	/* Number of mappings (pointers) to this page; pages from
	 * boot_alloc have no valid count. */
	uint16_t pp_ref;
};

#ifdef __cplusplus
}
#endif

#endif /* !__ASSEMBLER__ */
#endif /* !JOS_INC_MEMLAYOUT_H */
