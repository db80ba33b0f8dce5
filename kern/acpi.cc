// kern/acpi.cc: find the processors in the ACPI Multiple APIC Description
// Table (MADT). Only reads firmware tables: RSDP -> RSDT/XSDT -> "APIC".
// Section numbers are those of the ACPI Specification 6.x, chapter 5.2.
//
// Everything the firmware wrote is untrusted: all memory comes through
// phys_bytes (kern/firmware.hh), so every structure is checked to lie
// inside mapped RAM before it is read; every length is checked before the
// bytes it covers are, every loop is bounded by a length that was
// checked, and a table whose checksum fails is ignored.

#include <inc/types.h>
#include <inc/string.h>
#include <inc/stdio.h>

#include <kern/acpi.hh>
#include <kern/firmware.hh>

namespace {

// Root System Description Pointer (5.2.5.3). Revision 0 (ACPI 1.0) ends
// after rsdt_addr (20 bytes); revision >= 2 has the rest.
struct Rsdp {
	char signature[8]; // "RSD PTR "
	uint8_t checksum;  // the first 20 bytes add up to 0
	char oemid[6];
	uint8_t revision;   // 0 for ACPI 1.0, 2 for ACPI 2.0 and later
	uint32_t rsdt_addr; // physical address of the RSDT
	uint32_t length;    // length of the whole structure (rev >= 2)
	uint64_t xsdt_addr; // physical address of the XSDT (rev >= 2)
	uint8_t xchecksum;  // the whole structure adds up to 0 (rev >= 2)
	uint8_t reserved[3];
} __attribute__((packed));
static_assert(sizeof(Rsdp) == 36);
constexpr size_t RSDP_V1_LEN = 20;

// System Description Table header, shared by RSDT, XSDT and MADT (5.2.6).
struct SdtHeader {
	char signature[4];
	uint32_t length; // whole table in bytes, header included
	uint8_t revision;
	uint8_t checksum; // the whole table adds up to 0
	char oemid[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __attribute__((packed));
static_assert(sizeof(SdtHeader) == 36);

// MADT (5.2.12): the header, then these two fields, then variable-length
// interrupt controller structures, each starting with type and length.
struct Madt {
	SdtHeader h;
	uint32_t lapic_addr; // 32-bit physical address of the local APICs
	uint32_t flags;      // bit 0: PC-AT compatible dual 8259s present
} __attribute__((packed));
static_assert(sizeof(Madt) == 44);

struct MadtEntry {
	uint8_t type;
	uint8_t length; // of this entry, these two bytes included
} __attribute__((packed));

// Interrupt controller structure types (5.2.12, table "Interrupt
// Controller Structure Types").
enum : uint8_t {
	MADT_LAPIC = 0,          // Processor Local APIC (5.2.12.2)
	MADT_LAPIC_OVERRIDE = 5, // Local APIC Address Override (5.2.12.8)
	MADT_X2APIC = 9,         // Processor Local x2APIC (5.2.12.12)
};

// Processor Local APIC structure (5.2.12.2).
struct MadtLapic {
	MadtEntry e;           // type 0, length 8
	uint8_t processor_uid; // ACPI processor UID
	uint8_t apic_id;       // the processor's local APIC id
	uint32_t flags;        // LAPIC_ENABLED, LAPIC_ONLINE_CAPABLE
} __attribute__((packed));
static_assert(sizeof(MadtLapic) == 8);

// Local APIC Address Override structure (5.2.12.8).
struct MadtLapicOverride {
	MadtEntry e; // type 5, length 12
	uint16_t reserved;
	uint64_t lapic_addr; // 64-bit physical address of the local APICs
} __attribute__((packed));
static_assert(sizeof(MadtLapicOverride) == 12);

// Processor Local x2APIC structure (5.2.12.12); firmware uses it for ids
// that do not fit the 8-bit field of type 0, but may use it for any.
struct MadtX2apic {
	MadtEntry e; // type 9, length 16
	uint16_t reserved;
	uint32_t x2apic_id;
	uint32_t flags; // as MadtLapic::flags
	uint32_t processor_uid;
} __attribute__((packed));
static_assert(sizeof(MadtX2apic) == 16);

// Local APIC flags (5.2.12.2, table "Local APIC Flags").
constexpr uint32_t LAPIC_ENABLED = 1u << 0;        // usable now
constexpr uint32_t LAPIC_ONLINE_CAPABLE = 1u << 1; // may be enabled later

// Sanity bound on the length of an RSDT, XSDT or MADT: a real one is a
// few hundred bytes; a larger value is garbage and would only make the
// checksum loop long.
constexpr uint32_t MAX_TABLE_LEN = 64 * 1024;

// Check the RSDP candidate at p (with len readable bytes from p):
// signature, checksum of the first 20 bytes and, for revision
// >= 2, the length and the extended checksum (5.2.5.3).
bool rsdp_valid(const uint8_t *p, size_t len)
{
	const Rsdp *r = (const Rsdp *) p;
	if (len < RSDP_V1_LEN || memcmp(r->signature, "RSD PTR ", 8) != 0)
		return false;
	if (checksum(p, RSDP_V1_LEN) != 0)
		return false;
	if (r->revision < 2)
		return true;
	if (len < sizeof(Rsdp) || r->length < sizeof(Rsdp) || r->length > len)
		return false;
	return checksum(p, r->length) == 0;
}

// Scan len bytes at physical address pa, on 16-byte boundaries, for a
// valid RSDP (5.2.5.1). Returns it or null.
const Rsdp *rsdp_scan(physaddr_t pa, size_t len)
{
	const uint8_t *base = phys_bytes(pa, len);
	if (!base)
		return nullptr;
	for (size_t off = 0; off + RSDP_V1_LEN <= len; off += 16)
		if (rsdp_valid(base + off, len - off))
			return (const Rsdp *) (base + off);
	return nullptr;
}

// Find the RSDP where 5.2.5.1 says IA-PC firmware puts it: in the first
// KiB of the Extended BIOS Data Area (its real-mode segment is the 16-bit
// word at physical 0x40E), else in the BIOS ROM at 0xE0000-0xFFFFF.
const Rsdp *rsdp_find(void)
{
	physaddr_t ebda = bda_ebda();
	const Rsdp *r;
	if (ebda && (r = rsdp_scan(ebda, 1024)))
		return r;
	return rsdp_scan(0xE0000, 0x20000);
}

// Map and validate the system description table at physical address pa:
// its header must be readable, its length between the header size and
// MAX_TABLE_LEN, all of it readable, and its checksum zero. If sig is not
// null the signature must match too; a damaged table with that signature
// is reported. Returns the table or null.
const SdtHeader *sdt_map(uint64_t pa, const char *sig)
{
	const SdtHeader *h = (const SdtHeader *) phys_bytes(pa, sizeof(SdtHeader));
	if (!h)
		return nullptr;
	if (sig && memcmp(h->signature, sig, 4) != 0)
		return nullptr;
	uint32_t length = h->length;
	const uint8_t *all = length >= sizeof(SdtHeader) && length <= MAX_TABLE_LEN
				     ? phys_bytes(pa, length)
				     : nullptr;
	if (!all || checksum(all, length) != 0) {
		cprintf("ACPI: bad %.4s table at 0x%llx, ignored\n", h->signature,
			(unsigned long long) pa);
		return nullptr;
	}
	return (const SdtHeader *) all;
}

// Find a valid MADT ("APIC") among the tables that root table root lists
// (entsize: 4 for the RSDT, 8 for the XSDT). Returns it or null.
const Madt *madt_in(const SdtHeader *root, size_t entsize)
{
	const uint8_t *ents = (const uint8_t *) (root + 1);
	size_t n = (root->length - sizeof(SdtHeader)) / entsize;
	for (size_t i = 0; i < n; i++) {
		uint64_t pa = 0;
		memcpy(&pa, ents + i * entsize, entsize); // little-endian
		const SdtHeader *h = sdt_map(pa, "APIC");
		if (h && h->length >= sizeof(Madt))
			return (const Madt *) h;
	}
	return nullptr;
}

// Find the MADT through the root tables (5.2.7, 5.2.8): the XSDT first if
// the RSDP has revision >= 2 and the XSDT is valid and in mapped RAM (so
// below 4 GiB), then the RSDT, which ACPI 1.0 firmware has alone and
// later firmware usually has too. Returns it or null.
const Madt *madt_find(const Rsdp *rsdp)
{
	const SdtHeader *root;
	const Madt *madt;
	if (rsdp->revision >= 2 && rsdp->xsdt_addr != 0 &&
	    (root = sdt_map(rsdp->xsdt_addr, "XSDT")) && (madt = madt_in(root, 8)))
		return madt;
	if (rsdp->rsdt_addr != 0 && (root = sdt_map(rsdp->rsdt_addr, "RSDT")))
		return madt_in(root, 4);
	return nullptr;
}

// Record an enabled processor's APIC id (< 0xFF) in out, once: at most
// 255 distinct ids, so apicid[] cannot overflow.
void add_cpu(AcpiCpus *out, uint8_t apicid)
{
	for (int i = 0; i < out->nenabled; i++)
		if (out->apicid[i] == apicid)
			return;
	out->apicid[out->nenabled++] = apicid;
}

// Count a processor entry with the given flags and APIC id.
void note_cpu(AcpiCpus *out, uint32_t flags, uint32_t apicid)
{
	if (flags & LAPIC_ENABLED) {
		// 0xFF is the broadcast id; it cannot name one xAPIC.
		if (apicid < 0xFF)
			add_cpu(out, (uint8_t) apicid);
		else
			cprintf("ACPI: CPU with APIC id %u needs x2APIC mode, ignored\n",
				apicid);
	} else if (flags & LAPIC_ONLINE_CAPABLE) {
		out->nonline_capable++;
	}
}

} // namespace

bool acpi_find_cpus(AcpiCpus *out)
{
	memset(out, 0, sizeof(*out));
	const Rsdp *rsdp = rsdp_find();
	if (!rsdp)
		return false;
	const Madt *madt = madt_find(rsdp);
	if (!madt)
		return false;

	uint64_t lapic_pa = madt->lapic_addr;
	const uint8_t *p = (const uint8_t *) madt + sizeof(Madt);
	const uint8_t *end = (const uint8_t *) madt + madt->h.length;
	// Each step advances by at least 2 bytes, so at most length/2 steps.
	while (end - p >= (ptrdiff_t) sizeof(MadtEntry)) {
		const MadtEntry *e = (const MadtEntry *) p;
		if (e->length < sizeof(MadtEntry) || e->length > end - p) {
			cprintf("ACPI: bad MADT entry length %u, rest ignored\n",
				e->length);
			break;
		}
		if (e->type == MADT_LAPIC && e->length >= sizeof(MadtLapic)) {
			const MadtLapic *l = (const MadtLapic *) p;
			note_cpu(out, l->flags, l->apic_id);
		} else if (e->type == MADT_X2APIC && e->length >= sizeof(MadtX2apic)) {
			const MadtX2apic *x = (const MadtX2apic *) p;
			note_cpu(out, x->flags, x->x2apic_id);
		} else if (e->type == MADT_LAPIC_OVERRIDE &&
			   e->length >= sizeof(MadtLapicOverride)) {
			const MadtLapicOverride *o = (const MadtLapicOverride *) p;
			// The kernel has 32-bit physical addresses only.
			if (o->lapic_addr != 0 && o->lapic_addr <= 0xFFFFF000ull)
				lapic_pa = o->lapic_addr;
		}
		p += e->length;
	}

	if (lapic_pa == 0) {
		cprintf("ACPI: MADT gives no local APIC address, ignored\n");
		memset(out, 0, sizeof(*out));
		return false;
	}
	out->lapic_pa = (physaddr_t) lapic_pa;
	return true;
}
