// kern/mpconfig.cc: find the CPUs: the processors, which one is the BSP,
// and where the local APICs live. Two sources: the BIOS's MultiProcessor
// configuration tables (Intel MultiProcessor Specification v1.4, chapter
// 4; kern/mptable.cc) and the ACPI MADT (kern/acpi.cc), both read through
// phys_bytes, defined here. Fills cpus[], ncpu, bootcpu and lapicaddr, and
// switches the IMCR to APIC mode.

#include <inc/types.h>
#include <inc/string.h>
#include <inc/memlayout.h>
#include <inc/x86.h>
#include <inc/mmu.h>
#include <inc/env.h>
#include <inc/assert.h>

#include <kern/cpu.hh>
#include <kern/pmap.hh>
#include <kern/acpi.hh>
#include <kern/firmware.hh>
#include <kern/mptable.hh>

CpuInfo cpus[NCPU];
int8_t cpu_index_of_apic[256];
CpuInfo *bootcpu;
int ncpu;
physaddr_t lapicaddr;

// The kernel's side of the firmware readers' seam (kern/firmware.hh):
// RAM that KADDR maps, which is all RAM up to 4 GiB - KERNBASE.
const uint8_t *phys_bytes(uint64_t pa, uint64_t len)
{
	uint64_t ram = (uint64_t) npages * PGSIZE;
	uint64_t window = KERNBASE_WINDOW;
	if (!phys_range_ok(pa, len, ram < window ? ram : window))
		return nullptr;
	return (const uint8_t *) KADDR((physaddr_t) pa);
}

namespace {

// The initial local APIC id of the CPU running this code: CPUID leaf 1,
// EBX bits 31:24 (Intel SDM vol. 2A, CPUID; vol. 3A 10.4.6), or -1 if
// the CPU has no CPUID instruction (EFLAGS.ID cannot be toggled, SDM vol.
// 1 3.4.3.3), no leaf 1, or no APIC (CPUID.1:EDX bit 9). Needs no mapping
// of the local APIC, unlike its ID register. It equals the ID register
// unless firmware rewrote that register, which neither QEMU nor SeaBIOS
// does.
int boot_apic_id(void)
{
	uint32_t eflags = read_eflags();
	write_eflags(eflags ^ FL_ID);
	bool has_cpuid = (read_eflags() ^ eflags) & FL_ID;
	write_eflags(eflags);
	if (!has_cpuid)
		return -1;

	uint32_t maxleaf, ebx, edx;
	cpuid(0, &maxleaf, nullptr, nullptr, nullptr);
	if (maxleaf < 1)
		return -1;
	cpuid(1, nullptr, &ebx, nullptr, &edx);
	if (!(edx & (1u << 9)))
		return -1;
	return ebx >> 24;
}

// Give the nids CPUs with APIC ids ids[] their places in cpus[]: the
// boot CPU (APIC id bsp) first, then the others in table order, skipping
// duplicates and id 0xFF (the broadcast id, never a CPU's). Sets ncpu and
// cpu_index_of_apic; ncpu is 0 if bsp is not among ids.
void number_cpus(const uint8_t *ids, int nids, int bsp)
{
	memset(cpu_index_of_apic, -1, sizeof(cpu_index_of_apic));
	ncpu = 0;
	bool listed = false;
	for (int i = 0; i < nids; i++)
		listed |= ids[i] == bsp;
	if (!listed)
		return;
	cpus[0].cpu_id = bsp;
	cpu_index_of_apic[bsp] = 0;
	ncpu = 1;
	for (int i = 0; i < nids; i++) {
		uint8_t id = ids[i];
		if (id == 0xFF || cpu_index_of_apic[id] >= 0)
			continue;
		if (ncpu == NCPU) {
			cprintf("SMP: too many CPUs, CPU %d disabled\n", id);
			continue;
		}
		cpus[ncpu].cpu_id = id;
		cpu_index_of_apic[id] = static_cast<int8_t>(ncpu);
		ncpu++;
	}
}

// The CPU list mp_init numbers: its APIC ids, the table's name for the
// boot line, and the boot CPU's APIC id.
struct CpuSource {
	const uint8_t *ids;
	int nids;
	const char *name;
	int bsp;
};

// Choose between the MP table's CPUs mp and the MADT's madt (null if the
// table is missing or lists none) as mp_init's comment says, and set
// lapicaddr from the chosen one.
CpuSource choose_cpu_source(const MpCpus *mp, const AcpiCpus *madt)
{
	CpuSource src = { nullptr, 0, "no MP or ACPI tables", boot_apic_id() };
	if (madt && madt->nenabled > (mp ? mp->n : 0)) {
		src.ids = madt->apicid;
		src.nids = madt->nenabled;
		src.name = "ACPI MADT";
		lapicaddr = madt->lapic_pa;
		if (src.bsp < 0)
			src.bsp = 0;
	} else if (mp) {
		src.ids = mp->apicid;
		src.nids = mp->n;
		src.name = "MP table";
		lapicaddr = mp->lapic_pa;
		if (src.bsp < 0)
			src.bsp = mp->bsp >= 0 ? mp->bsp : 0;
		else if (mp->bsp >= 0 && mp->bsp != src.bsp)
			cprintf("SMP: MP table says BSP is APIC id %d, CPUID says %d\n",
				mp->bsp, src.bsp);
	}
	return src;
}

// One CPU and no local APIC, so cpunum() stays 0 (and there is no LAPIC
// timer). source names why, for the boot line.
void run_on_one_cpu(const char *source)
{
	ncpu = 1;
	lapicaddr = 0;
	bootcpu = &cpus[0];
	bootcpu->cpu_id = 0;
	bootcpu->cpu_status = CPU_STARTED;
	cprintf("SMP: CPU 0 found 1 CPU(s) (%s)\n", source);
}

// Select the IMCR (port 0x22), then route the 8259A's INTR through the
// local APICs instead of straight to the BSP (MP spec 3.6.2.1).
void route_pic_through_lapics(void)
{
	outb(0x22, 0x70);
	outb(0x23, inb(0x23) | 1);
}

} // namespace

// Find the CPUs and fill cpus[], ncpu, bootcpu and lapicaddr.
//
// Source: the MP table and the ACPI MADT are both read; the MADT is used
// if it lists more enabled processors than the MP table (QEMU 7.2 with a
// plain `-smp N` puts all N CPUs in the MADT but, preferring cores over
// sockets, only one in SeaBIOS's MP table), otherwise the MP table (the
// reference behaviour). The boot line names the table used.
//
// BSP: the CPU running mp_init, its APIC id from CPUID (boot_apic_id);
// without CPUID, the MP table's BP flag, or 0 for the MADT.
//
// Numbering: the boot CPU is cpus[0]; the other CPUs follow in table
// order, whatever their APIC ids (0-254, with gaps: QEMU's
// `-smp 6,sockets=2,cores=3` gives ids 0,1,2,4,5,6). cpus[i].cpu_id keeps
// the APIC id, which IPIs address; cpu_index_of_apic maps it back. CPUs
// beyond NCPU stay unused, and a warning line says so.
//
// Without either table, or if the boot CPU is not listed in it, run on
// one CPU without local APICs (lapicaddr 0). Finally, if the MP
// floating pointer says an IMCR is present and the local APICs are used,
// route the 8259A's INTR through them (MP spec 3.6.2.1).
void mp_init(void)
{
	static MpCpus mpcpus; // static: 272 bytes, boot CPU only, once
	bool have_mp = mp_find_cpus(&mpcpus) && mpcpus.n > 0;
	static AcpiCpus madt; // likewise
	bool have_madt = acpi_find_cpus(&madt) && madt.nenabled > 0;

	CpuSource src = choose_cpu_source(have_mp ? &mpcpus : nullptr,
					  have_madt ? &madt : nullptr);
	number_cpus(src.ids, src.nids, src.bsp);
	if (src.nids > 0 && ncpu == 0) {
		cprintf("SMP: boot CPU (APIC id %d) is not listed in the %s\n", src.bsp,
			src.name);
		src.name = "boot CPU unlisted";
	}

	if (ncpu == 0) {
		run_on_one_cpu(src.name);
		return;
	}

	bootcpu = &cpus[0];
	bootcpu->cpu_status = CPU_STARTED;
	cprintf("SMP: CPU %d found %d CPU(s) (%s)\n", cpunum(), ncpu, src.name);

	if (mpcpus.imcr)
		route_pic_through_lapics();
}
