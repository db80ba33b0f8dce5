// kern/mptable.cc: read the processors from the BIOS's MultiProcessor
// configuration tables (Intel MultiProcessor Specification v1.4, chapter
// 4). Everything the firmware wrote is untrusted: all memory comes
// through phys_bytes (kern/firmware.hh), every structure is checked to be
// there before it is read, and the entries to lie inside the table.

#include <inc/string.h>
#include <inc/stdio.h>

#include <kern/firmware.hh>
#include <kern/mptable.hh>

namespace {

// MP floating pointer structure (MP spec 4.1).
struct MpFloat {
	uint8_t signature[4]; // "_MP_"
	physaddr_t physaddr;  // physical address of the configuration table
	uint8_t length;       // structure length in 16-byte paragraphs (1)
	uint8_t specrev;      // MP spec revision
	uint8_t checksum;     // all bytes add up to 0
	uint8_t type;         // default configuration type (0: use table)
	uint8_t imcrp;        // bit 7: IMCR present (PIC mode)
	uint8_t reserved[3];
} __attribute__((packed));
static_assert(sizeof(MpFloat) == 16);

// MP configuration table header (MP spec 4.2).
struct MpConf {
	uint8_t signature[4]; // "PCMP"
	uint16_t length;      // base table length in bytes, header included
	uint8_t version;      // 1 (spec 1.1) or 4 (spec 1.4)
	uint8_t checksum;     // all bytes of the base table add up to 0
	uint8_t product[20];  // OEM and product id
	physaddr_t oemtable;  // OEM table pointer
	uint16_t oemlength;   // OEM table length
	uint16_t entry;       // number of entries after the header
	physaddr_t lapicaddr; // address of every local APIC
	uint16_t xlength;     // extended table length
	uint8_t xchecksum;    // extended table checksum
	uint8_t reserved;
	uint8_t entries[]; // the entries
} __attribute__((packed));
static_assert(sizeof(MpConf) == 44);

// Processor entry (MP spec 4.3.1).
struct MpProc {
	uint8_t type;         // entry type (0)
	uint8_t apicid;       // local APIC id
	uint8_t version;      // local APIC version
	uint8_t flags;        // CPU flags
	uint8_t signature[4]; // CPU signature
	uint32_t feature;     // feature flags from CPUID
	uint8_t reserved[8];
} __attribute__((packed));
static_assert(sizeof(MpProc) == 20);

constexpr uint8_t MPPROC_ENABLED = 0x01; // usable processor
constexpr uint8_t MPPROC_BOOT = 0x02;    // this is the bootstrap processor

// Entry types and their sizes (MP spec table 4-3).
enum : uint8_t {
	MPPROC = 0x00,
	MPBUS = 0x01,
	MPIOAPIC = 0x02,
	MPIOINTR = 0x03,
	MPLINTR = 0x04,
};

// Look for an MP floating pointer structure in the len bytes at physical
// address a (16-byte aligned, as the spec places it).
const MpFloat *mpsearch1(physaddr_t a, size_t len)
{
	const uint8_t *base = phys_bytes(a, len);
	if (!base)
		return nullptr;
	for (size_t off = 0; off + sizeof(MpFloat) <= len; off += sizeof(MpFloat)) {
		const MpFloat *mp = (const MpFloat *) (base + off);
		if (memcmp(mp->signature, "_MP_", 4) == 0 &&
		    checksum(base + off, sizeof(MpFloat)) == 0)
			return mp;
	}
	return nullptr;
}

// Find the MP floating pointer structure where MP spec 4 says it is: in
// the first KiB of the EBDA, else the last KiB of base memory, else the
// BIOS ROM between 0xF0000 and 0xFFFFF.
const MpFloat *mpsearch(void)
{
	const MpFloat *mp;
	physaddr_t ebda = bda_ebda();
	if (ebda && (mp = mpsearch1(ebda, 1024)))
		return mp;
	physaddr_t basemem = bda_base_memory_end();
	if (basemem >= 1024 && (mp = mpsearch1(basemem - 1024, 1024)))
		return mp;
	return mpsearch1(0xF0000, 0x10000);
}

// Find and validate the MP configuration table that floating pointer mp
// names. Returns it (all of its base and extended tables readable), or
// null if there is none or it is damaged.
const MpConf *mpconfig(const MpFloat *mp)
{
	if (mp->physaddr == 0 || mp->type != 0) {
		cprintf("SMP: default configurations not implemented\n");
		return nullptr;
	}
	const MpConf *conf = (const MpConf *) phys_bytes(mp->physaddr, sizeof(MpConf));
	if (!conf) {
		cprintf("SMP: MP configuration table outside RAM\n");
		return nullptr;
	}
	if (memcmp(conf->signature, "PCMP", 4) != 0) {
		cprintf("SMP: Incorrect MP configuration table signature\n");
		return nullptr;
	}
	size_t length = conf->length, xlength = conf->xlength;
	const uint8_t *all = phys_bytes(mp->physaddr, length + xlength);
	if (length < sizeof(MpConf) || !all) {
		cprintf("SMP: Bad MP configuration table length\n");
		return nullptr;
	}
	conf = (const MpConf *) all;
	if (checksum(all, length) != 0) {
		cprintf("SMP: Bad MP configuration checksum\n");
		return nullptr;
	}
	if (conf->version != 1 && conf->version != 4) {
		cprintf("SMP: Unsupported MP version %d\n", conf->version);
		return nullptr;
	}
	if (uint8_t(checksum(all + length, xlength) + conf->xchecksum) != 0) {
		cprintf("SMP: Bad MP configuration extended checksum\n");
		return nullptr;
	}
	return conf;
}

// Read the processor entries of MP configuration table conf into *out
// (MP spec 4.3). Every entry must lie inside the base table. Returns
// false, with out->n == 0, if an entry is unknown or overruns the table.
bool mp_read_cpus(const MpConf *conf, MpCpus *out)
{
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

} // namespace

bool mp_find_cpus(MpCpus *out)
{
	out->n = 0;
	out->bsp = -1;
	out->lapic_pa = 0;
	out->imcr = false;
	const MpFloat *mp = mpsearch();
	if (!mp)
		return false;
	out->imcr = mp->imcrp & 0x80;
	const MpConf *conf = mpconfig(mp);
	return conf && mp_read_cpus(conf, out);
}
