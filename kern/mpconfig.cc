// kern/mpconfig.cc: find the CPUs from the BIOS's MultiProcessor
// configuration tables (Intel MultiProcessor Specification v1.4,
// chapter 4): the processors, which one is the BSP, and where the local
// APICs live. Fills cpus[], ncpu, bootcpu and lapicaddr.

#include <inc/types.h>
#include <inc/string.h>
#include <inc/memlayout.h>
#include <inc/x86.h>
#include <inc/mmu.h>
#include <inc/env.h>
#include <inc/assert.h>

#include <kern/cpu.hh>
#include <kern/pmap.hh>

CpuInfo cpus[NCPU];
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

// Find and validate the MP configuration table. Returns it (and the
// floating pointer in *pmp), or null if there is none or it is damaged.
MpConf *mpconfig(MpFloat **pmp)
{
	MpFloat *mp = mpsearch();
	if (!mp)
		return nullptr;
	if (mp->physaddr == 0 || mp->type != 0) {
		cprintf("SMP: default configurations not implemented\n");
		return nullptr;
	}
	MpConf *conf = (MpConf *) KADDR(mp->physaddr);
	if (memcmp(conf->signature, "PCMP", 4) != 0) {
		cprintf("SMP: Incorrect MP configuration table signature\n");
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
	*pmp = mp;
	return conf;
}

} // namespace

// Read the MP tables: record every enabled processor in cpus[] (its index
// is its order in the table, expected to equal its local APIC id), the BSP
// and the local APIC address. Without usable tables, run on one CPU.
// Finally switch the interrupt mode configuration register (IMCR) from
// PIC mode to APIC mode if the BIOS left it in PIC mode (MP spec 3.6.2.1).
void mp_init(void)
{
	bootcpu = &cpus[0];
	MpFloat *mp;
	MpConf *conf = mpconfig(&mp);
	if (!conf) {
		ncpu = 1;
		bootcpu->cpu_status = CPU_STARTED;
		cprintf("SMP: no MP tables; CPU 0 found 1 CPU(s)\n");
		return;
	}
	lapicaddr = conf->lapicaddr;

	const uint8_t *p = conf->entries;
	for (int i = 0; i < conf->entry; i++) {
		switch (*p) {
		case MPPROC: {
			const MpProc *proc = (const MpProc *) p;
			if (!(proc->flags & MPPROC_ENABLED)) {
				p += sizeof(MpProc);
				continue;
			}
			if (proc->flags & MPPROC_BOOT)
				bootcpu = &cpus[ncpu];
			if (ncpu < NCPU) {
				cpus[ncpu].cpu_id = ncpu;
				ncpu++;
			} else {
				cprintf("SMP: too many CPUs, CPU %d disabled\n", proc->apicid);
			}
			p += sizeof(MpProc);
			continue;
		}
		case MPBUS:
		case MPIOAPIC:
		case MPIOINTR:
		case MPLINTR:
			p += 8;
			continue;
		default:
			cprintf("mpinit: unknown config type %x\n", *p);
			ncpu = 1;
			lapicaddr = 0;
			return;
		}
	}

	bootcpu->cpu_status = CPU_STARTED;
	if (ncpu == 0) {
		ncpu = 1;
		lapicaddr = 0;
		return;
	}
	cprintf("SMP: CPU %d found %d CPU(s)\n", bootcpu->cpu_id, ncpu);

	if (mp->imcrp & 0x80) {
		// Select the IMCR (port 0x22), then route the 8259A's INTR
		// through the local APICs instead of straight to the BSP.
		outb(0x22, 0x70);
		outb(0x23, inb(0x23) | 1);
	}
}
