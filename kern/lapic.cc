// kern/lapic.cc: the local APIC of each CPU: identification (cpunum),
// the periodic timer that drives preemption, end-of-interrupt, and the
// INIT/STARTUP inter-processor interrupts that start the APs.
// Register map and semantics: Intel SDM vol. 3A, chapter 10.

#include <inc/types.h>
#include <inc/memlayout.h>
#include <inc/trap.h>
#include <inc/mmu.h>
#include <inc/x86.h>
#include <inc/assert.h>

#include <kern/pmap.hh>
#include <kern/cpu.hh>
#include <kern/kclock.hh>

namespace {

// Local APIC registers, as indices of 32-bit words (SDM vol. 3A, table
// 10-1 gives byte offsets; each register is 16-byte aligned).
enum LapicReg : uint32_t {
	ID = 0x020 / 4,    // local APIC ID (bits 31:24)
	VER = 0x030 / 4,   // version (bits 7:0), max LVT entry (bits 23:16)
	TPR = 0x080 / 4,   // task priority
	EOI = 0x0B0 / 4,   // end of interrupt
	SVR = 0x0F0 / 4,   // spurious interrupt vector
	ESR = 0x280 / 4,   // error status
	ICRLO = 0x300 / 4, // interrupt command, low half
	ICRHI = 0x310 / 4, // interrupt command, high half (destination)
	TIMER = 0x320 / 4, // LVT timer
	PCINT = 0x340 / 4, // LVT performance counter
	LINT0 = 0x350 / 4, // LVT local interrupt 0
	LINT1 = 0x360 / 4, // LVT local interrupt 1
	ERROR = 0x370 / 4, // LVT error
	TICR = 0x380 / 4,  // timer initial count
	TCCR = 0x390 / 4,  // timer current count
	TDCR = 0x3E0 / 4,  // timer divide configuration
};

// Register bits.
constexpr uint32_t SVR_ENABLE = 0x00000100;     // APIC software enable
constexpr uint32_t ICR_INIT = 0x00000500;       // delivery mode INIT
constexpr uint32_t ICR_STARTUP = 0x00000600;    // delivery mode start-up
constexpr uint32_t ICR_DELIVS = 0x00001000;     // delivery status: send pending
constexpr uint32_t ICR_ASSERT = 0x00004000;     // level assert
constexpr uint32_t ICR_DEASSERT = 0x00000000;   // level de-assert
constexpr uint32_t ICR_LEVEL = 0x00008000;      // level-triggered
constexpr uint32_t ICR_BCAST = 0x00080000;      // to all including self
constexpr uint32_t LVT_MASKED = 0x00010000;     // interrupt masked
constexpr uint32_t TIMER_PERIODIC = 0x00020000; // periodic mode
constexpr uint32_t TDCR_X1 = 0x0000000B;        // divide counts by 1

// Timer ticks between preemptions. QEMU's APIC timer counts at 1 GHz, so
// this is about 10 ms of virtual time.
constexpr uint32_t TIMER_INITIAL_COUNT = 10000000;

void lapicw(LapicReg reg, uint32_t value)
{
	lapic[reg] = value;
	(void) lapic[ID]; // wait for the write to finish by reading
}

// Busy-wait about us microseconds. QEMU needs no real delay between the
// start-up IPIs, so this only keeps the order of the algorithm visible.
void microdelay(int us)
{
	(void) us;
}

} // namespace

volatile uint32_t *lapic; // mapped by lapic_init (mmio_map_region)

// Map and enable this CPU's local APIC: spurious vector, the periodic
// timer on IRQ_OFFSET + IRQ_TIMER, LINT0/LINT1 masked (except LINT0 on the
// BSP, where the 8259A's ExtINT arrives), the error vector; clear errors
// and any pending interrupt, and accept all priorities.
void lapic_init(void)
{
	if (!lapicaddr)
		return;
	if (!lapic)
		lapic = (volatile uint32_t *) mmio_map_region(lapicaddr, 4096);
	if (!lapic) {
		// mmio_map_region not written yet (the handout's tree): no
		// timer and no other CPUs, the boot CPU goes on alone.
		cprintf("lapic_init: mmio_map_region gave no mapping: no local APIC\n");
		lapicaddr = 0;
		return;
	}

	lapicw(SVR, SVR_ENABLE | (IRQ_OFFSET + IRQ_SPURIOUS));

	lapicw(TDCR, TDCR_X1);
	lapicw(TIMER, TIMER_PERIODIC | (IRQ_OFFSET + IRQ_TIMER));
	lapicw(TICR, TIMER_INITIAL_COUNT);

	if (thiscpu != bootcpu)
		lapicw(LINT0, LVT_MASKED);
	lapicw(LINT1, LVT_MASKED);

	// The performance counter LVT exists from version 4 on.
	if (((lapic[VER] >> 16) & 0xFF) >= 4)
		lapicw(PCINT, LVT_MASKED);

	lapicw(ERROR, IRQ_OFFSET + IRQ_ERROR);

	// The ESR must be written before it is read (SDM vol. 3A, 10.5.3).
	lapicw(ESR, 0);
	lapicw(ESR, 0);

	lapicw(EOI, 0);

	// Synchronize arbitration IDs: broadcast INIT level de-assert
	// (needed on older APICs, harmless on newer ones).
	lapicw(ICRHI, 0);
	lapicw(ICRLO, ICR_BCAST | ICR_INIT | ICR_LEVEL);
	while (lapic[ICRLO] & ICR_DELIVS)
		;

	lapicw(TPR, 0);
}

// This CPU's index in cpus[], from the local APIC id in its ID register
// (SDM vol. 3A, 10.4.6); 0 before the local APIC is mapped (only the boot
// CPU, cpus[0], runs then). For checking cpunum(), which is faster.
int cpunum_from_lapic(void)
{
	if (!lapic)
		return 0;
	int i = cpu_index_of_apic[lapic[ID] >> 24];
	if (i < 0)
		panic("local APIC id %u is no CPU in cpus[]", lapic[ID] >> 24);
	return i;
}

// cpunum() with interrupts on: the answer could be stale by the time it is
// used (no migration happens in this kernel, but a caller holding it
// across an enabled-interrupt window is a bug to catch).
void cpunum_panic_interrupts_on(void)
{
	panic("cpunum called with interrupts enabled");
}

// Acknowledge the current interrupt (required for LAPIC-delivered ones).
void lapic_eoi(void)
{
	if (lapic)
		lapicw(EOI, 0);
}

// Start the AP with local APIC id apicid at physical address addr (page
// aligned, below 1 MiB), following the MP spec's universal start-up
// algorithm (MP spec v1.4, appendix B.4): set the BIOS warm-reset vector
// and CMOS shutdown code, send INIT (assert, then de-assert), wait 10 ms,
// then send STARTUP twice with vector addr >> 12.
void lapic_startap(uint8_t apicid, uint32_t addr)
{
	// CMOS shutdown code 0x0A: jump through the warm-reset vector at
	// 40:67 (MP spec B.4), set to addr in segment:offset form.
	constexpr unsigned CMOS_SHUTDOWN_CODE = 0xF;
	outb(IO_RTC, CMOS_SHUTDOWN_CODE);
	outb(IO_RTC + 1, 0x0A);
	volatile uint16_t *wrv = (volatile uint16_t *) KADDR((0x40 << 4) | 0x67);
	wrv[0] = 0;
	wrv[1] = addr >> 4;

	lapicw(ICRHI, apicid << 24);
	lapicw(ICRLO, ICR_INIT | ICR_LEVEL | ICR_ASSERT);
	microdelay(200);
	lapicw(ICRLO, ICR_INIT | ICR_LEVEL | ICR_DEASSERT);
	microdelay(10000);

	// Intel's algorithm sends STARTUP twice; a CPU that started on the
	// first one ignores the second.
	for (int i = 0; i < 2; i++) {
		lapicw(ICRHI, apicid << 24);
		lapicw(ICRLO, ICR_STARTUP | (addr >> 12));
		microdelay(200);
	}
}

// Send interrupt vector (fixed delivery) to the CPU with local APIC id
// apicid (SDM vol. 3A, 10.6.1).
void lapic_ipi_to(uint8_t apicid, int vector)
{
	lapicw(ICRHI, (uint32_t) apicid << 24);
	lapicw(ICRLO, vector);
	while (lapic[ICRLO] & ICR_DELIVS)
		;
}
