/* Inline wrappers for i386 instructions the kernel and boot loader use. */
#ifndef JOS_INC_X86_H
#define JOS_INC_X86_H

#include <inc/types.h>

#define X86_INLINE static inline __attribute__((always_inline))

X86_INLINE void breakpoint(void) { __asm __volatile("int3"); }

X86_INLINE uint8_t inb(int port)
{
	uint8_t data;
	__asm __volatile("inb %w1,%0" : "=a" (data) : "d" (port));
	return data;
}

/* Read cnt 32-bit words from port into addr. */
X86_INLINE void insl(int port, void *addr, int cnt)
{
	__asm __volatile("cld\n\trepne\n\tinsl"
			 : "=D" (addr), "=c" (cnt)
			 : "d" (port), "0" (addr), "1" (cnt)
			 : "memory", "cc");
}

X86_INLINE uint16_t inw(int port)
{
	uint16_t data;
	__asm __volatile("inw %w1,%0" : "=a" (data) : "d" (port));
	return data;
}

X86_INLINE uint32_t inl(int port)
{
	uint32_t data;
	__asm __volatile("inl %w1,%0" : "=a" (data) : "d" (port));
	return data;
}

X86_INLINE void outb(int port, uint8_t data)
{
	__asm __volatile("outb %0,%w1" : : "a" (data), "d" (port));
}

X86_INLINE void outw(int port, uint16_t data)
{
	__asm __volatile("outw %0,%w1" : : "a" (data), "d" (port));
}

X86_INLINE void outl(int port, uint32_t data)
{
	__asm __volatile("outl %0,%w1" : : "a" (data), "d" (port));
}

X86_INLINE void invlpg(const void *addr)
{
	__asm __volatile("invlpg (%0)" : : "r" (addr) : "memory");
}

/* The "memory" clobbers make the compiler finish writing the 6-byte
 * descriptor at p before the instruction reads it. */
X86_INLINE void lidt(const void *p)
{
	__asm __volatile("lidt (%0)" : : "r" (p) : "memory");
}

X86_INLINE void lgdt(const void *p)
{
	__asm __volatile("lgdt (%0)" : : "r" (p) : "memory");
}

X86_INLINE void lldt(uint16_t sel)
{
	__asm __volatile("lldt %0" : : "r" (sel));
}

X86_INLINE void ltr(uint16_t sel)
{
	__asm __volatile("ltr %0" : : "r" (sel));
}

X86_INLINE void lcr0(uint32_t val)
{
	__asm __volatile("movl %0,%%cr0" : : "r" (val));
}

X86_INLINE uint32_t rcr0(void)
{
	uint32_t val;
	__asm __volatile("movl %%cr0,%0" : "=r" (val));
	return val;
}

X86_INLINE uint32_t rcr2(void)
{
	uint32_t val;
	__asm __volatile("movl %%cr2,%0" : "=r" (val));
	return val;
}

X86_INLINE void lcr3(uint32_t val)
{
	__asm __volatile("movl %0,%%cr3" : : "r" (val) : "memory");
}

X86_INLINE uint32_t rcr3(void)
{
	uint32_t val;
	__asm __volatile("movl %%cr3,%0" : "=r" (val));
	return val;
}

X86_INLINE void lcr4(uint32_t val)
{
	__asm __volatile("movl %0,%%cr4" : : "r" (val));
}

X86_INLINE uint32_t rcr4(void)
{
	uint32_t cr4;
	__asm __volatile("movl %%cr4,%0" : "=r" (cr4));
	return cr4;
}

X86_INLINE void tlbflush(void)
{
	lcr3(rcr3());
}

X86_INLINE uint32_t read_eflags(void)
{
	uint32_t eflags;
	__asm __volatile("pushfl; popl %0" : "=r" (eflags));
	return eflags;
}

X86_INLINE void write_eflags(uint32_t eflags)
{
	__asm __volatile("pushl %0; popfl" : : "r" (eflags) : "cc");
}

X86_INLINE uint32_t read_ebp(void)
{
	uint32_t ebp;
	__asm __volatile("movl %%ebp,%0" : "=r" (ebp));
	return ebp;
}

X86_INLINE uint32_t read_esp(void)
{
	uint32_t esp;
	__asm __volatile("movl %%esp,%0" : "=r" (esp));
	return esp;
}

X86_INLINE void cpuid(uint32_t info, uint32_t *eaxp, uint32_t *ebxp,
		      uint32_t *ecxp, uint32_t *edxp)
{
	uint32_t eax, ebx, ecx, edx;
	__asm __volatile("cpuid"
			 : "=a" (eax), "=b" (ebx), "=c" (ecx), "=d" (edx)
			 : "a" (info));
	if (eaxp) *eaxp = eax;
	if (ebxp) *ebxp = ebx;
	if (ecxp) *ecxp = ecx;
	if (edxp) *edxp = edx;
}

X86_INLINE uint64_t read_tsc(void)
{
	uint64_t tsc;
	__asm __volatile("rdtsc" : "=A" (tsc));
	return tsc;
}

/* Atomically store newval at *addr and return the old value; a full
 * memory barrier (SDM vol. 3A, 8.1.2.1: xchg with memory is locked). */
X86_INLINE uint32_t xchg(volatile uint32_t *addr, uint32_t newval)
{
	uint32_t result;
	__asm __volatile("lock; xchgl %0, %1"
			 : "+m" (*addr), "=a" (result)
			 : "1" (newval)
			 : "cc");
	return result;
}

X86_INLINE void pause_cpu(void) { __asm __volatile("pause"); }

#endif /* !JOS_INC_X86_H */
