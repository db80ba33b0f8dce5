// kern/mpconfig.cc: find the CPUs: the processors, which one is the BSP,
// and where the local APICs live. Two sources: the BIOS's MultiProcessor
// configuration tables (Intel MultiProcessor Specification v1.4, chapter
// 4), read here, and the ACPI MADT (kern/acpi.cc). Fills cpus[], ncpu,
// bootcpu and lapicaddr, and switches the IMCR to APIC mode.

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

CpuInfo cpus[NCPU];
int8_t cpu_index_of_apic[256];
CpuInfo *bootcpu;
int ncpu;
physaddr_t lapicaddr;

namespace {

// MP floating pointer structure (MP spec 4.1).
struct MpFloat {
	uint8_t signature[4];   // "_MP_"
	physaddr_t physaddr;    // physical address of the configuration table
	uint8_t length;         // structure length in 16-byte paragraphs (1)
	uint8_t specrev;        // MP spec revision
	uint8_t checksum;       // all bytes add up to 0
	uint8_t type;           // default configuration type (0: use table)
	uint8_t imcrp;          // bit 7: IMCR present (PIC mode)
	uint8_t reserved[3];
} __attribute__((packed));
static_assert(sizeof(MpFloat) == 16);

// MP configuration table header (MP spec 4.2).
struct MpConf {
	uint8_t signature[4];   // "PCMP"
	uint16_t length;        // base table length in bytes, header included
	uint8_t version;        // 1 (spec 1.1) or 4 (spec 1.4)
	uint8_t checksum;       // all bytes of the base table add up to 0
	uint8_t product[20];    // OEM and product id
	physaddr_t oemtable;    // OEM table pointer
	uint16_t oemlength;     // OEM table length
	uint16_t entry;         // number of entries after the header
	physaddr_t lapicaddr;   // address of every local APIC
	uint16_t xlength;       // extended table length
	uint8_t xchecksum;      // extended table checksum
	uint8_t reserved;
	uint8_t entries[];      // the entries
} __attribute__((packed));
static_assert(sizeof(MpConf) == 44);

// Processor entry (MP spec 4.3.1).
struct MpProc {
	uint8_t type;           // entry type (0)
	uint8_t apicid;         // local APIC id
	uint8_t version;        // local APIC version
	uint8_t flags;          // CPU flags
	uint8_t signature[4];   // CPU signature
	uint32_t feature;       // feature flags from CPUID
	uint8_t reserved[8];
} __attribute__((packed));
static_assert(sizeof(MpProc) == 20);

constexpr uint8_t MPPROC_ENABLED = 0x01;   // usable processor
constexpr uint8_t MPPROC_BOOT = 0x02;      // this is the bootstrap processor

// Entry types and their sizes (MP spec table 4-3).
enum : uint8_t {
	MPPROC = 0x00,
	MPBUS = 0x01,
	MPIOAPIC = 0x02,
	MPIOINTR = 0x03,
	MPLINTR = 0x04,
};

uint8_t sum(const void *addr, size_t len)
{
	uint8_t s = 0;
	for (size_t i = 0; i < len; i++)
		s += ((const uint8_t *) addr)[i];
	return s;
}

// Look for an MP floating pointer structure in the len bytes at physical
// address a (16-byte aligned, as the spec places it).
MpFloat *mpsearch1(physaddr_t a, size_t len)
{
	MpFloat *mp = (MpFloat *) KADDR(a), *end = (MpFloat *) KADDR(a + len);
	for (; mp < end; mp++)
		if (memcmp(mp->signature, "_MP_", 4) == 0 && sum(mp, sizeof(*mp)) == 0)
			return mp;
	return nullptr;
}

// Find the MP floating pointer structure where MP spec 4 says it is: in
// the first KiB of the EBDA, else the last KiB of base memory, else the
// BIOS ROM between 0xF0000 and 0xFFFFF.
MpFloat *mpsearch(void)
{
	const uint8_t *bda = (const uint8_t *) KADDR(0x400);   // BIOS data area
	MpFloat *mp;

	// Segment of the EBDA at 40:0E.
	physaddr_t ebda = *(const uint16_t *) (bda + 0x0E) << 4;
	if (ebda && (mp = mpsearch1(ebda, 1024)))
		return mp;
	// Base memory size in KiB at 40:13.
	physaddr_t basemem = *(const uint16_t *) (bda + 0x13) * 1024;
	if ((mp = mpsearch1(basemem - 1024, 1024)))
		return mp;
	return mpsearch1(0xF0000, 0x10000);
}

// True if the len bytes at physical address pa are RAM that KADDR maps.
bool phys_ok(physaddr_t pa, size_t len)
{
	uint64_t limit = (uint64_t) npages * PGSIZE;
	return (uint64_t) pa + len <= limit;
}

// Find and validate the MP configuration table that floating pointer mp
// names. Returns it, or null if there is none or it is damaged.
MpConf *mpconfig(const MpFloat *mp)
{
	if (mp->physaddr == 0 || mp->type != 0) {
		cprintf("SMP: default configurations not implemented\n");
		return nullptr;
	}
	if (!phys_ok(mp->physaddr, sizeof(MpConf))) {
		cprintf("SMP: MP configuration table outside RAM\n");
		return nullptr;
	}
	MpConf *conf = (MpConf *) KADDR(mp->physaddr);
	if (memcmp(conf->signature, "PCMP", 4) != 0) {
		cprintf("SMP: Incorrect MP configuration table signature\n");
		return nullptr;
	}
	if (conf->length < sizeof(MpConf) ||
	    !phys_ok(mp->physaddr, conf->length + conf->xlength)) {
		cprintf("SMP: Bad MP configuration table length\n");
		return nullptr;
	}
	if (sum(conf, conf->length) != 0) {
		cprintf("SMP: Bad MP configuration checksum\n");
		return nullptr;
	}
	if (conf->version != 1 && conf->version != 4) {
		cprintf("SMP: Unsupported MP version %d\n", conf->version);
		return nullptr;
	}
	if ((sum((uint8_t *) conf + conf->length, conf->xlength) + conf->xchecksum) & 0xff) {
		cprintf("SMP: Bad MP configuration extended checksum\n");
		return nullptr;
	}
	return conf;
}

// The processors one table lists.
struct TableCpus {
	int n;                  // enabled processors listed
	uint8_t apicid[256];    // their local APIC ids, in table order
	int bsp;                // APIC id of the one flagged BSP, or -1
	physaddr_t lapic_pa;    // physical address of the local APICs
};

// Read the processor entries of MP configuration table conf into *out
// (MP spec 4.3). Every entry must lie inside the base table. Returns
// false, with out->n == 0, if an entry is unknown or overruns the table.
bool mp_read_cpus(const MpConf *conf, TableCpus *out)
{
	out->n = 0;
	out->bsp = -1;
	out->lapic_pa = conf->lapicaddr;

	const uint8_t *p = conf->entries;
	const uint8_t *end = (const uint8_t *) conf + conf->length;
	for (int i = 0; i < conf->entry; i++) {
		size_t size = p < end && *p == MPPROC ? sizeof(MpProc) : 8;
		if (p >= end || size > (size_t) (end - p)) {
			cprintf("SMP: MP configuration entries overrun the table\n");
			out->n = 0;
			return false;
		}
		switch (*p) {
		case MPPROC: {
			const MpProc *proc = (const MpProc *) p;
			if (!(proc->flags & MPPROC_ENABLED))
				break;
			if (proc->flags & MPPROC_BOOT)
				out->bsp = proc->apicid;
			if (out->n < 256)
				out->apicid[out->n++] = proc->apicid;
			break;
		}
		case MPBUS:
		case MPIOAPIC:
		case MPIOINTR:
		case MPLINTR:
			break;
		default:
			cprintf("mpinit: unknown config type %x\n", *p);
			out->n = 0;
			return false;
		}
		p += size;
	}
	return true;
}

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
	MpFloat *mp = mpsearch();
	MpConf *conf = mp ? mpconfig(mp) : nullptr;
	static TableCpus mpcpus;   // static: 268 bytes, boot CPU only, once
	bool have_mp = conf && mp_read_cpus(conf, &mpcpus) && mpcpus.n > 0;
	static AcpiCpus madt;      // likewise
	bool have_madt = acpi_find_cpus(&madt) && madt.nenabled > 0;

	const uint8_t *ids;
	int nids;
	const char *source;
	int bsp = boot_apic_id();
	if (have_madt && madt.nenabled > (have_mp ? mpcpus.n : 0)) {
		ids = madt.apicid;
		nids = madt.nenabled;
		lapicaddr = madt.lapic_pa;
		source = "ACPI MADT";
		if (bsp < 0)
			bsp = 0;
	} else if (have_mp) {
		ids = mpcpus.apicid;
		nids = mpcpus.n;
		lapicaddr = mpcpus.lapic_pa;
		source = "MP table";
		if (bsp < 0)
			bsp = mpcpus.bsp >= 0 ? mpcpus.bsp : 0;
		else if (mpcpus.bsp >= 0 && mpcpus.bsp != bsp)
			cprintf("SMP: MP table says BSP is APIC id %d, CPUID says %d\n",
				mpcpus.bsp, bsp);
	} else {
		ids = nullptr;
		nids = 0;
		source = "no MP or ACPI tables";
	}

	number_cpus(ids, nids, bsp);
	if (nids > 0 && ncpu == 0) {
		cprintf("SMP: boot CPU (APIC id %d) is not listed in the %s\n",
			bsp, source);
		source = "boot CPU unlisted";
	}

	if (ncpu == 0) {
		// One CPU and no local APIC, so cpunum() stays 0 (and there is
		// no LAPIC timer).
		ncpu = 1;
		lapicaddr = 0;
		bootcpu = &cpus[0];
		bootcpu->cpu_id = 0;
		bootcpu->cpu_status = CPU_STARTED;
		cprintf("SMP: CPU 0 found 1 CPU(s) (%s)\n", source);
		return;
	}

	bootcpu = &cpus[0];
	bootcpu->cpu_status = CPU_STARTED;
	cprintf("SMP: CPU %d found %d CPU(s) (%s)\n", cpunum(), ncpu, source);

	if (mp && (mp->imcrp & 0x80)) {
		// Select the IMCR (port 0x22), then route the 8259A's INTR
		// through the local APICs instead of straight to the BSP.
		outb(0x22, 0x70);
		outb(0x23, inb(0x23) | 1);
	}
}
