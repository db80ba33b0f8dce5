/* i386 memory-management definitions: paging (Intel SDM vol. 3A, ch. 4),
 * segmentation and descriptors (ch. 3, 5), the TSS (ch. 7), control
 * registers and EFLAGS (ch. 2). Valid C, C++ and assembly. */
#ifndef JOS_INC_MMU_H
#define JOS_INC_MMU_H

/*
 * A linear address 'la' splits into three parts:
 *
 * +--------10------+-------10-------+---------12----------+
 * | Page Directory |   Page Table   | Offset within Page  |
 * |      Index     |      Index     |                     |
 * +----------------+----------------+---------------------+
 *  \--- PDX(la) --/ \--- PTX(la) --/ \---- PGOFF(la) ----/
 *  \---------- PGNUM(la) ----------/
 */
#define PGNUM(la)	(((uintptr_t) (la)) >> PTXSHIFT)
#define PDX(la)		((((uintptr_t) (la)) >> PDXSHIFT) & 0x3FF)
#define PTX(la)		((((uintptr_t) (la)) >> PTXSHIFT) & 0x3FF)
#define PGOFF(la)	(((uintptr_t) (la)) & 0xFFF)
/* Build a linear address from its directory index, table index, offset. */
#define PGADDR(d, t, o)	((void *) ((d) << PDXSHIFT | (t) << PTXSHIFT | (o)))

#define NPDENTRIES	1024		/* entries per page directory */
#define NPTENTRIES	1024		/* entries per page table */

#define PGSIZE		4096		/* bytes mapped by a page */
#define PGSHIFT		12		/* log2(PGSIZE) */
#define PTSIZE		(PGSIZE*NPTENTRIES) /* bytes mapped by a page directory entry */
#define PTSHIFT		22		/* log2(PTSIZE) */
#define PTXSHIFT	12
#define PDXSHIFT	22

/* Page table / directory entry flags (SDM vol. 3A, 4.3). */
#define PTE_P		0x001	/* Present */
#define PTE_W		0x002	/* Writeable */
#define PTE_U		0x004	/* User */
#define PTE_PWT		0x008	/* Write-Through */
#define PTE_PCD		0x010	/* Cache-Disable */
#define PTE_A		0x020	/* Accessed */
#define PTE_D		0x040	/* Dirty */
#define PTE_PS		0x080	/* Page Size (4 MiB pages, in a PDE) */
#define PTE_G		0x100	/* Global */

/* Bits 9-11 are free for software (the user library uses them). */
#define PTE_AVAIL	0xE00
/* Flags a user may pass to sys_page_alloc / sys_page_map. */
#define PTE_SYSCALL	(PTE_AVAIL | PTE_P | PTE_W | PTE_U)

/* Physical address held in a page table or directory entry. */
#define PTE_ADDR(pte)	((physaddr_t) (pte) & ~0xFFF)

/* Control register flags (SDM vol. 3A, 2.5). */
#define CR0_PE		0x00000001	/* Protection Enable */
#define CR0_MP		0x00000002	/* Monitor coProcessor */
#define CR0_EM		0x00000004	/* Emulation */
#define CR0_TS		0x00000008	/* Task Switched */
#define CR0_ET		0x00000010	/* Extension Type */
#define CR0_NE		0x00000020	/* Numeric Error */
#define CR0_WP		0x00010000	/* Write Protect */
#define CR0_AM		0x00040000	/* Alignment Mask */
#define CR0_NW		0x20000000	/* Not Writethrough */
#define CR0_CD		0x40000000	/* Cache Disable */
#define CR0_PG		0x80000000	/* Paging */

#define CR4_PSE		0x00000010	/* Page Size Extensions */

/* EFLAGS register (SDM vol. 1, 3.4.3). */
#define FL_CF		0x00000001	/* Carry Flag */
#define FL_PF		0x00000004	/* Parity Flag */
#define FL_AF		0x00000010	/* Auxiliary carry Flag */
#define FL_ZF		0x00000040	/* Zero Flag */
#define FL_SF		0x00000080	/* Sign Flag */
#define FL_TF		0x00000100	/* Trap Flag */
#define FL_IF		0x00000200	/* Interrupt Flag */
#define FL_DF		0x00000400	/* Direction Flag */
#define FL_OF		0x00000800	/* Overflow Flag */
#define FL_IOPL_MASK	0x00003000	/* I/O Privilege Level bitmask */
#define FL_IOPL_0	0x00000000
#define FL_IOPL_3	0x00003000
#define FL_NT		0x00004000	/* Nested Task */
#define FL_RF		0x00010000	/* Resume Flag */
#define FL_VM		0x00020000	/* Virtual 8086 mode */
#define FL_AC		0x00040000	/* Alignment Check */
#define FL_ID		0x00200000	/* ID flag */

/* Page fault error code bits (SDM vol. 3A, 4.7). */
#define FEC_PR		0x1	/* fault caused by a protection violation */
#define FEC_WR		0x2	/* fault caused by a write */
#define FEC_U		0x4	/* fault occurred in user mode */

/* Segment type bits (SDM vol. 3A, 3.4.5.1). */
#define STA_X		0x8	/* Executable segment */
#define STA_E		0x4	/* Expand down (non-executable segments) */
#define STA_C		0x4	/* Conforming code segment (executable only) */
#define STA_W		0x2	/* Writeable (non-executable segments) */
#define STA_R		0x2	/* Readable (executable segments) */
#define STA_A		0x1	/* Accessed */

/* System segment and gate types (SDM vol. 3A, 3.5). */
#define STS_T16A	0x1	/* Available 16-bit TSS */
#define STS_LDT		0x2	/* Local Descriptor Table */
#define STS_T16B	0x3	/* Busy 16-bit TSS */
#define STS_CG16	0x4	/* 16-bit Call Gate */
#define STS_TG		0x5	/* Task Gate */
#define STS_IG16	0x6	/* 16-bit Interrupt Gate */
#define STS_TG16	0x7	/* 16-bit Trap Gate */
#define STS_T32A	0x9	/* Available 32-bit TSS */
#define STS_T32B	0xB	/* Busy 32-bit TSS */
#define STS_CG32	0xC	/* 32-bit Call Gate */
#define STS_IG32	0xE	/* 32-bit Interrupt Gate */
#define STS_TG32	0xF	/* 32-bit Trap Gate */

#ifdef __ASSEMBLER__

/* Segment descriptors for a GDT in assembly: 4 KiB granularity, 32-bit. */
#define SEG_NULL						\
	.word 0, 0;						\
	.byte 0, 0, 0, 0
#define SEG(type,base,lim)					\
	.word (((lim) >> 12) & 0xffff), ((base) & 0xffff);	\
	.byte (((base) >> 16) & 0xff), (0x90 | (type)),		\
		(0xC0 | (((lim) >> 28) & 0xf)), (((base) >> 24) & 0xff)

#else /* !__ASSEMBLER__ */

#include <inc/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Segment descriptor (SDM vol. 3A, 3.4.5). */
struct Segdesc {
	unsigned sd_lim_15_0 : 16;  /* Low bits of segment limit */
	unsigned sd_base_15_0 : 16; /* Low bits of segment base address */
	unsigned sd_base_23_16 : 8; /* Middle bits of segment base address */
	unsigned sd_type : 4;       /* Segment type (see STS_ constants) */
	unsigned sd_s : 1;          /* 0 = system, 1 = application */
	unsigned sd_dpl : 2;        /* Descriptor Privilege Level */
	unsigned sd_p : 1;          /* Present */
	unsigned sd_lim_19_16 : 4;  /* High bits of segment limit */
	unsigned sd_avl : 1;        /* Unused (available for software use) */
	unsigned sd_rsv1 : 1;       /* Reserved */
	unsigned sd_db : 1;         /* 0 = 16-bit segment, 1 = 32-bit segment */
	unsigned sd_g : 1;          /* Granularity: limit scaled by 4K when set */
	unsigned sd_base_31_24 : 8; /* High bits of segment base address */
};

/* Task state segment (SDM vol. 3A, 7.2.1). */
struct Taskstate {
	uint32_t ts_link;	/* Old ts selector */
	uintptr_t ts_esp0;	/* Stack pointer and segment selector */
	uint16_t ts_ss0;	/*   after an increase in privilege level */
	uint16_t ts_padding1;
	uintptr_t ts_esp1;
	uint16_t ts_ss1;
	uint16_t ts_padding2;
	uintptr_t ts_esp2;
	uint16_t ts_ss2;
	uint16_t ts_padding3;
	physaddr_t ts_cr3;	/* Page directory base */
	uintptr_t ts_eip;	/* Saved state from last task switch */
	uint32_t ts_eflags;
	uint32_t ts_eax;	/* More saved state (registers) */
	uint32_t ts_ecx;
	uint32_t ts_edx;
	uint32_t ts_ebx;
	uintptr_t ts_esp;
	uintptr_t ts_ebp;
	uint32_t ts_esi;
	uint32_t ts_edi;
	uint16_t ts_es;		/* Even more saved state (segment selectors) */
	uint16_t ts_padding4;
	uint16_t ts_cs;
	uint16_t ts_padding5;
	uint16_t ts_ss;
	uint16_t ts_padding6;
	uint16_t ts_ds;
	uint16_t ts_padding7;
	uint16_t ts_fs;
	uint16_t ts_padding8;
	uint16_t ts_gs;
	uint16_t ts_padding9;
	uint16_t ts_ldt;
	uint16_t ts_padding10;
	uint16_t ts_t;		/* Trap on task switch */
	uint16_t ts_iomb;	/* I/O map base address */
};

/* Interrupt and trap gate descriptor (SDM vol. 3A, 6.11). */
struct Gatedesc {
	unsigned gd_off_15_0 : 16;  /* low 16 bits of offset in segment */
	unsigned gd_sel : 16;       /* segment selector */
	unsigned gd_args : 5;       /* # args, 0 for interrupt/trap gates */
	unsigned gd_rsv1 : 3;       /* reserved, zero */
	unsigned gd_type : 4;       /* type (STS_{IG32,TG32}) */
	unsigned gd_s : 1;          /* must be 0 (system) */
	unsigned gd_dpl : 2;        /* descriptor privilege level */
	unsigned gd_p : 1;          /* Present */
	unsigned gd_off_31_16 : 16; /* high bits of offset in segment */
};

/* Operand of lgdt / lidt (SDM vol. 3A, 3.5.1). */
struct Pseudodesc {
	uint16_t pd_lim;	/* Limit */
	uint32_t pd_base;	/* Base address */
} __attribute__((packed));

#ifdef __cplusplus
} /* extern "C" */

static_assert(sizeof(Segdesc) == 8, "Segdesc is one 8-byte descriptor");
static_assert(sizeof(Gatedesc) == 8, "Gatedesc is one 8-byte descriptor");
static_assert(sizeof(Taskstate) == 104, "Taskstate is the 104-byte 32-bit TSS");
static_assert(sizeof(Pseudodesc) == 6, "Pseudodesc is limit:16 + base:32");

/* A 4 KiB-granular, 32-bit application segment descriptor. */
constexpr Segdesc seg_desc(unsigned type, uint32_t base, uint32_t lim, unsigned dpl)
{
	return Segdesc{(lim >> 12) & 0xffff, base & 0xffff, (base >> 16) & 0xff,
		       type, 1, dpl, 1, lim >> 28, 0, 0, 1, 1, base >> 24};
}
/* A byte-granular code or data segment descriptor (a small per-CPU area). */
constexpr Segdesc seg_desc_bytes(unsigned type, uint32_t base, uint32_t lim, unsigned dpl)
{
	return Segdesc{lim & 0xffff, base & 0xffff, (base >> 16) & 0xff,
		       type, 1, dpl, 1, (lim >> 16) & 0xf, 0, 0, 1, 0, base >> 24};
}
/* A byte-granular system segment descriptor (used for TSSs). */
constexpr Segdesc seg_desc_sys(unsigned type, uint32_t base, uint32_t lim, unsigned dpl)
{
	return Segdesc{lim & 0xffff, base & 0xffff, (base >> 16) & 0xff,
		       type, 0, dpl, 1, (lim >> 16) & 0xf, 0, 0, 1, 0, base >> 24};
}
constexpr Segdesc seg_null() { return Segdesc{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}; }

/* An interrupt (istrap false: IF cleared on entry) or trap gate to
 * sel:off, callable by software at privilege dpl and above. */
constexpr Gatedesc gate_desc(bool istrap, uint16_t sel, uint32_t off, unsigned dpl)
{
	return Gatedesc{off & 0xffff, sel, 0, 0,
			istrap ? unsigned(STS_TG32) : unsigned(STS_IG32), 0, dpl, 1,
			off >> 16};
}
#endif /* __cplusplus */

#endif /* !__ASSEMBLER__ */

#endif /* !JOS_INC_MMU_H */
