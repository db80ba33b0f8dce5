// test/firmware_test.cc: host unit tests of the firmware table readers,
// the MP table (kern/mptable.cc) and the ACPI MADT (kern/acpi.cc), and
// what they share (kern/firmware.cc), on tables crafted in a fake
// physical memory.
//
// This file defines the readers' seam, phys_bytes, over that memory: each
// call returns a fresh heap copy of exactly the bytes asked for, so
// AddressSanitizer reports any read past what a reader checked. It also
// defines cprintf, to record the readers' warnings.

#include <gtest/gtest.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "jos_inc.hh"

namespace {

std::vector<uint8_t> memory;                        // the fake RAM, from 0
std::vector<std::unique_ptr<uint8_t[]>> handed_out; // phys_bytes' copies
std::string console;                                // what cprintf printed

} // namespace

const uint8_t *phys_bytes(uint64_t pa, uint64_t len)
{
	if (!phys_range_ok(pa, len, memory.size()))
		return nullptr;
	handed_out.emplace_back(new uint8_t[len]);
	std::memcpy(handed_out.back().get(), memory.data() + pa, len);
	return handed_out.back().get();
}

extern "C" int cprintf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = std::vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	console += buf;
	return n;
}

namespace {

// Little-endian bytes of a structure being built.
struct Bytes {
	std::vector<uint8_t> b;
	Bytes &u8(uint32_t v)
	{
		b.push_back(uint8_t(v));
		return *this;
	}
	Bytes &u16(uint32_t v)
	{
		return u8(v).u8(v >> 8);
	}
	Bytes &u32(uint32_t v)
	{
		return u16(v).u16(v >> 16);
	}
	Bytes &u64(uint64_t v)
	{
		return u32(uint32_t(v)).u32(uint32_t(v >> 32));
	}
	Bytes &str(const char *s, size_t n)
	{
		for (size_t i = 0; i < n; i++)
			u8(s[i]);
		return *this;
	}
	Bytes &add(const Bytes &o)
	{
		b.insert(b.end(), o.b.begin(), o.b.end());
		return *this;
	}
	size_t size() const
	{
		return b.size();
	}
	// Make bytes [from, from + len) sum to 0 by setting the one at at.
	Bytes &fix_sum(size_t at, size_t from = 0, size_t len = SIZE_MAX)
	{
		len = std::min(len, b.size() - from);
		b[at] = 0;
		uint8_t s = 0;
		for (size_t i = from; i < from + len; i++)
			s += b[i];
		b[at] = uint8_t(-s);
		return *this;
	}
};

void put(uint64_t pa, const Bytes &bytes)
{
	ASSERT_LE(pa + bytes.size(), memory.size());
	std::memcpy(memory.data() + pa, bytes.b.data(), bytes.size());
}

void put16(uint64_t pa, uint16_t v)
{
	put(pa, Bytes().u16(v));
}

constexpr uint32_t EBDA = 0x9fc00; // SeaBIOS's, as QEMU boots it
constexpr uint32_t LAPIC = 0xfee00000;

class Firmware : public ::testing::Test {
      protected:
	void SetUp() override
	{
		memory.assign(0x120000, 0); // 1 MiB + 128 KiB of RAM
		handed_out.clear();
		console.clear();
		put16(0x40e, EBDA >> 4);   // BDA: EBDA segment
		put16(0x413, EBDA / 1024); // BDA: base memory in KiB
	}
};

// ---- shared pieces (kern/firmware.cc) ----

TEST(FirmwareShared, RangeCheck)
{
	EXPECT_TRUE(phys_range_ok(0, 1, 1));
	EXPECT_TRUE(phys_range_ok(0xfff, 1, 0x1000));
	EXPECT_FALSE(phys_range_ok(0x1000, 1, 0x1000));
	EXPECT_FALSE(phys_range_ok(0, 0, 0x1000)); // empty is not a range
	EXPECT_FALSE(phys_range_ok(0x800, 0x801, 0x1000));
	EXPECT_FALSE(phys_range_ok(UINT64_MAX, 2, UINT64_MAX)); // would wrap
	EXPECT_FALSE(phys_range_ok(1, UINT64_MAX, UINT64_MAX));
	EXPECT_TRUE(phys_range_ok(0, UINT64_MAX, UINT64_MAX));
	EXPECT_FALSE(phys_range_ok(0x100000000ull, 4, 0x10000000));
}

TEST(FirmwareShared, Checksum)
{
	const uint8_t bytes[] = { 0x10, 0xf0, 0x80, 0x80, 0x01 };
	EXPECT_EQ(checksum(bytes, 0), 0);
	EXPECT_EQ(checksum(bytes, 2), 0); // wraps modulo 256
	EXPECT_EQ(checksum(bytes, 4), 0);
	EXPECT_EQ(checksum(bytes, 5), 1);
}

TEST_F(Firmware, BiosDataArea)
{
	EXPECT_EQ(bda_ebda(), EBDA);
	EXPECT_EQ(bda_base_memory_end(), EBDA);
	put16(0x40e, 0);
	EXPECT_EQ(bda_ebda(), 0u);
	memory.resize(0x40f); // the word at 0x40E is cut in half
	EXPECT_EQ(bda_ebda(), 0u);
	EXPECT_EQ(bda_base_memory_end(), 0u);
}

// ---- ACPI (kern/acpi.cc) ----

Bytes rsdp(uint32_t rsdt, int revision = 0, uint64_t xsdt = 0)
{
	Bytes r;
	r.str("RSD PTR ", 8).u8(0).str("BOCHS ", 6).u8(revision).u32(rsdt);
	if (revision >= 2)
		r.u32(36).u64(xsdt).u8(0).u8(0).u8(0).u8(0);
	r.fix_sum(8, 0, 20);
	if (revision >= 2)
		r.fix_sum(32);
	return r;
}

// A system description table: header (checksum fixed), then body.
Bytes sdt(const char *sig, const Bytes &body)
{
	Bytes t;
	t.str(sig, 4)
		.u32(uint32_t(36 + body.size()))
		.u8(1)
		.u8(0)
		.str("BOCHS ", 6)
		.str("BXPC    ", 8)
		.u32(1)
		.u32(0)
		.u32(1);
	t.add(body);
	return t.fix_sum(9);
}

Bytes lapic(uint8_t id, uint32_t flags = 1)
{
	return Bytes().u8(0).u8(8).u8(id).u8(id).u32(flags);
}

Bytes x2apic(uint32_t id, uint32_t flags = 1)
{
	return Bytes().u8(9).u8(16).u16(0).u32(id).u32(flags).u32(id);
}

Bytes madt(const Bytes &entries, uint32_t lapic_pa = LAPIC)
{
	return sdt("APIC", Bytes().u32(lapic_pa).u32(1).add(entries));
}

// RSDP (v1) in the EBDA -> RSDT at 0x100000 -> the tables at 0x101000,
// 0x102000, ...
void acpi_tables(const std::vector<Bytes> &tables, uint32_t rsdp_at = EBDA + 0x20)
{
	Bytes rsdt_body;
	for (size_t i = 0; i < tables.size(); i++) {
		rsdt_body.u32(uint32_t(0x101000 + 0x1000 * i));
		put(0x101000 + 0x1000 * i, tables[i]);
	}
	put(0x100000, sdt("RSDT", rsdt_body));
	put(rsdp_at, rsdp(0x100000));
}

std::vector<int> ids(const AcpiCpus &c)
{
	return std::vector<int>(c.apicid, c.apicid + c.nenabled);
}

TEST_F(Firmware, AcpiGoodMadt)
{
	Bytes entries;
	entries.add(lapic(0))
		.add(lapic(1))
		.add(lapic(2, 2)) // 2: online capable
		.add(lapic(3, 0)) // 3: disabled
		.add(Bytes().u8(1).u8(12).u8(0).u8(0).u32(0xfec00000).u32(0)) // I/O APIC
		.add(x2apic(4));
	acpi_tables({ sdt("FACP", Bytes().u32(0)), madt(entries) });
	AcpiCpus out;
	ASSERT_TRUE(acpi_find_cpus(&out)) << console;
	EXPECT_EQ(ids(out), (std::vector<int>{ 0, 1, 4 }));
	EXPECT_EQ(out.nonline_capable, 1);
	EXPECT_EQ(out.lapic_pa, LAPIC);
	EXPECT_EQ(console, "");
}

TEST_F(Firmware, AcpiRsdpInBiosRom)
{
	put16(0x40e, 0); // no EBDA
	acpi_tables({ madt(lapic(0)) }, 0xe0010);
	AcpiCpus out;
	EXPECT_TRUE(acpi_find_cpus(&out));
	EXPECT_EQ(out.nenabled, 1);

	SetUp();
	acpi_tables({ madt(lapic(0)) }, 0xfffe0); // the last paragraph of the ROM
	put16(0x40e, 0);
	EXPECT_TRUE(acpi_find_cpus(&out));

	SetUp();
	acpi_tables({ madt(lapic(0)) }, 0xe0008); // not on a 16-byte boundary
	put16(0x40e, 0);
	EXPECT_FALSE(acpi_find_cpus(&out));
}

TEST_F(Firmware, AcpiBadRsdp)
{
	acpi_tables({ madt(lapic(0)) });
	memory[EBDA + 0x20 + 9] ^= 1; // an OEM id byte: checksum off
	AcpiCpus out;
	EXPECT_FALSE(acpi_find_cpus(&out));
	EXPECT_EQ(out.nenabled, 0);

	SetUp();
	put(0x101000, madt(lapic(0)));
	Bytes r = rsdp(0, 2, 0x101000);
	r.b[33] ^= 1; // a reserved byte: extended checksum off
	put(EBDA, r);
	EXPECT_FALSE(acpi_find_cpus(&out));
}

// XSDT first (revision 2), the RSDT when the XSDT is damaged or lists
// tables outside RAM (above 4 GiB).
TEST_F(Firmware, AcpiXsdtThenRsdt)
{
	put(0x101000, madt(lapic(0).add(lapic(1)))); // through the XSDT
	put(0x102000, madt(lapic(0)));               // through the RSDT
	put(0x100000, sdt("RSDT", Bytes().u32(0x102000)));
	put(0x103000, sdt("XSDT", Bytes().u64(0x101000)));
	put(EBDA, rsdp(0x100000, 2, 0x103000));
	AcpiCpus out;
	ASSERT_TRUE(acpi_find_cpus(&out));
	EXPECT_EQ(out.nenabled, 2);

	put(0x103000, sdt("XSDT", Bytes().u64(0x100101000ull)));
	ASSERT_TRUE(acpi_find_cpus(&out));
	EXPECT_EQ(out.nenabled, 1);

	memory[0x103000 + 20] ^= 1; // the XSDT's checksum fails
	ASSERT_TRUE(acpi_find_cpus(&out));
	EXPECT_EQ(out.nenabled, 1);
	EXPECT_NE(console.find("ACPI: bad XSDT table at 0x103000, ignored"),
		  std::string::npos)
		<< console;
}

TEST_F(Firmware, AcpiBadMadtChecksum)
{
	Bytes m = madt(lapic(0));
	m.b[40] ^= 0x80; // the flags
	acpi_tables({ m });
	AcpiCpus out;
	EXPECT_FALSE(acpi_find_cpus(&out));
	EXPECT_EQ(console, "ACPI: bad APIC table at 0x101000, ignored\n");
}

// A table whose length runs past RAM, past the 64 KiB sanity bound, or is
// shorter than its header is ignored (and none of it past RAM is read).
TEST_F(Firmware, AcpiTruncatedTables)
{
	AcpiCpus out;
	for (uint32_t len : { 0u, 35u, 0x10001u, 0xffffffffu }) {
		SetUp();
		Bytes m = madt(lapic(0));
		m.b[4] = uint8_t(len), m.b[5] = uint8_t(len >> 8);
		m.b[6] = uint8_t(len >> 16), m.b[7] = uint8_t(len >> 24);
		acpi_tables({ m });
		EXPECT_FALSE(acpi_find_cpus(&out)) << len;
		EXPECT_NE(console.find("bad APIC table"), std::string::npos) << len;
	}
	// A valid MADT at the very end of RAM, then the same one cut short.
	SetUp();
	Bytes m = madt(lapic(0).add(lapic(1)));
	uint32_t at = uint32_t(memory.size() - m.size());
	put(at, m);
	put(0x100000, sdt("RSDT", Bytes().u32(at)));
	put(EBDA, rsdp(0x100000));
	EXPECT_TRUE(acpi_find_cpus(&out));
	memory.resize(memory.size() - 1);
	EXPECT_FALSE(acpi_find_cpus(&out));
	memory.resize(at + 10); // not even the header
	EXPECT_FALSE(acpi_find_cpus(&out));
	// An RSDT entry pointing outside RAM.
	put(0x100000, sdt("RSDT", Bytes().u32(0xfffffff0)));
	EXPECT_FALSE(acpi_find_cpus(&out));
}

// An entry longer than what is left of the MADT stops the walk (the
// entries before it count); so do lengths 0 and 1, which would never
// advance. Entries too short for their type are skipped.
TEST_F(Firmware, AcpiEntriesOverrunningTheMadt)
{
	AcpiCpus out;
	for (uint8_t bad_len : { uint8_t(0), uint8_t(1), uint8_t(9), uint8_t(255) }) {
		SetUp();
		Bytes entries = lapic(0);
		entries.add(Bytes().u8(0).u8(bad_len).u8(7).u8(7).u32(1)); // 8 bytes left
		acpi_tables({ madt(entries) });
		ASSERT_TRUE(acpi_find_cpus(&out)) << int(bad_len);
		EXPECT_EQ(ids(out), std::vector<int>{ 0 }) << int(bad_len);
		EXPECT_NE(console.find("bad MADT entry length"), std::string::npos);
	}
	SetUp();
	Bytes entries = lapic(0);
	entries.add(Bytes().u8(0).u8(6).u8(5).u8(5).u16(1)) // type 0, 6 bytes
		.add(Bytes().u8(9).u8(8).u16(0).u32(6))     // type 9, 8 bytes
		.add(lapic(1))
		.u8(0); // one stray byte
	acpi_tables({ madt(entries) });
	ASSERT_TRUE(acpi_find_cpus(&out));
	EXPECT_EQ(ids(out), (std::vector<int>{ 0, 1 }));
	EXPECT_EQ(console, "");
}

// APIC id 0xFF (broadcast) and x2APIC ids above it cannot be used, and
// each id counts once however often it is listed; 255 usable ids at most.
TEST_F(Firmware, AcpiApicIdsOutOfRangeAndDuplicates)
{
	Bytes entries;
	entries.add(lapic(1))
		.add(lapic(0xff))
		.add(x2apic(0x100))
		.add(lapic(1))
		.add(x2apic(1))
		.add(x2apic(0xffffffff))
		.add(lapic(0));
	acpi_tables({ madt(entries) });
	AcpiCpus out;
	ASSERT_TRUE(acpi_find_cpus(&out));
	EXPECT_EQ(ids(out), (std::vector<int>{ 1, 0 }));
	EXPECT_NE(console.find("APIC id 255 needs x2APIC"), std::string::npos);
	EXPECT_NE(console.find("APIC id 256 needs x2APIC"), std::string::npos);

	SetUp();
	entries = Bytes();
	for (uint32_t id = 0; id < 300; id++)
		entries.add(x2apic(id));
	acpi_tables({ madt(entries) });
	auto many = std::make_unique<AcpiCpus>();
	ASSERT_TRUE(acpi_find_cpus(many.get()));
	EXPECT_EQ(many->nenabled, 255);
	EXPECT_EQ(many->apicid[254], 254);
}

TEST_F(Firmware, AcpiLocalApicAddress)
{
	Bytes over = Bytes().u8(5).u8(12).u16(0).u64(0xfee10000);
	acpi_tables({ madt(lapic(0).add(over)) });
	AcpiCpus out;
	ASSERT_TRUE(acpi_find_cpus(&out));
	EXPECT_EQ(out.lapic_pa, 0xfee10000u);

	SetUp();
	over = Bytes().u8(5).u8(12).u16(0).u64(0x1fee00000ull); // above 4 GiB
	acpi_tables({ madt(lapic(0).add(over)) });
	ASSERT_TRUE(acpi_find_cpus(&out));
	EXPECT_EQ(out.lapic_pa, LAPIC);

	SetUp();
	acpi_tables({ madt(lapic(0), 0) });
	EXPECT_FALSE(acpi_find_cpus(&out));
	EXPECT_EQ(out.nenabled, 0); // zeroed on failure
	EXPECT_NE(console.find("no local APIC address"), std::string::npos);
}

TEST_F(Firmware, AcpiNoTables)
{
	AcpiCpus out;
	EXPECT_FALSE(acpi_find_cpus(&out));
	memory.resize(0x300); // not even the BIOS data area
	EXPECT_FALSE(acpi_find_cpus(&out));
}

// ---- MP configuration table (kern/mptable.cc) ----

Bytes mp_float(uint32_t conf, uint8_t type = 0, uint8_t imcrp = 0)
{
	Bytes f;
	f.str("_MP_", 4).u32(conf).u8(1).u8(4).u8(0).u8(type).u8(imcrp).u8(0).u8(0).u8(0);
	return f.fix_sum(10);
}

Bytes mp_proc(uint8_t id, uint8_t flags)
{
	return Bytes().u8(0).u8(id).u8(0x14).u8(flags).u32(0x600).u32(0x201).u32(0).u32(
		0);
}

Bytes mp_other(uint8_t type)
{
	return Bytes().u8(type).u8(0).u8(0).u8(0).u32(0);
}

// The configuration table: header (entry count given, or counted), then
// entries, then ext as the extended table; both checksums fixed.
Bytes mp_conf(const Bytes &entries, int count, const Bytes &ext = Bytes(),
	      uint8_t version = 4)
{
	Bytes c;
	c.str("PCMP", 4)
		.u16(uint32_t(44 + entries.size()))
		.u8(version)
		.u8(0)
		.str("BOCHSCPU0.1         ", 20)
		.u32(0)
		.u16(0)
		.u16(count)
		.u32(LAPIC)
		.u16(uint32_t(ext.size()))
		.u8(0)
		.u8(0);
	c.add(entries).fix_sum(7);
	Bytes x = ext;
	uint8_t s = x.size() ? uint8_t(-checksum(x.b.data(), x.size())) : 0;
	c.b[42] = s;
	c.fix_sum(7, 0, 44 + entries.size());
	return c.add(x);
}

// QEMU's table, more or less: BSP 0, AP 1, a disabled CPU 2, a bus, an
// I/O APIC and interrupt entries.
Bytes qemu_entries()
{
	Bytes e;
	e.add(mp_proc(0, 3))
		.add(mp_proc(1, 1))
		.add(mp_proc(2, 0))
		.add(mp_other(1))
		.add(mp_other(2))
		.add(mp_other(3))
		.add(mp_other(4));
	return e;
}

void mp_tables(const Bytes &conf, uint32_t float_at = EBDA, uint8_t imcrp = 0x80)
{
	put(0x100000, conf);
	put(float_at, mp_float(0x100000, 0, imcrp));
}

std::vector<int> ids(const MpCpus &c)
{
	return std::vector<int>(c.apicid, c.apicid + c.n);
}

TEST_F(Firmware, MpGoodTable)
{
	mp_tables(mp_conf(qemu_entries(), 7));
	MpCpus out;
	ASSERT_TRUE(mp_find_cpus(&out)) << console;
	EXPECT_EQ(ids(out), (std::vector<int>{ 0, 1 }));
	EXPECT_EQ(out.bsp, 0);
	EXPECT_EQ(out.lapic_pa, LAPIC);
	EXPECT_TRUE(out.imcr);
	EXPECT_EQ(console, "");
}

// Where MP spec 4 says to look: the EBDA's first KiB, base memory's last
// KiB, the BIOS ROM; 16-byte aligned, checksum right.
TEST_F(Firmware, MpFloatingPointerPlaces)
{
	MpCpus out;
	for (uint32_t at : { EBDA, EBDA + 0x3f0, 0x9fff0u, 0xf0000u, 0xffff0u }) {
		SetUp();
		if (at != EBDA && at != EBDA + 0x3f0)
			put16(0x40e, 0x9000); // an EBDA elsewhere, without it
		mp_tables(mp_conf(qemu_entries(), 7), at, 0);
		EXPECT_TRUE(mp_find_cpus(&out)) << std::hex << at;
		EXPECT_FALSE(out.imcr);
	}
	SetUp();
	mp_tables(mp_conf(qemu_entries(), 7), 0xf0008); // misaligned
	EXPECT_FALSE(mp_find_cpus(&out));
	EXPECT_FALSE(out.imcr);

	SetUp();
	mp_tables(mp_conf(qemu_entries(), 7));
	memory[EBDA + 8] ^= 1; // the floating pointer's checksum fails
	EXPECT_FALSE(mp_find_cpus(&out));
	EXPECT_EQ(console, "");
}

TEST_F(Firmware, MpDamagedTables)
{
	struct Case {
		const char *message;
		void (*damage)(Bytes &conf, uint32_t &float_conf);
	};
	const Case cases[] = {
		{ "SMP: default configurations not implemented\n",
		  [](Bytes &, uint32_t &pa) { pa = 0; } },
		{ "SMP: MP configuration table outside RAM\n",
		  [](Bytes &, uint32_t &pa) {
			  pa = 0x11ffd8;
		  } }, // header cut by RAM's end
		{ "SMP: Incorrect MP configuration table signature\n",
		  [](Bytes &c, uint32_t &) { c.b[3] = 'N'; } },
		{ "SMP: Bad MP configuration table length\n",
		  [](Bytes &c, uint32_t &) {
			  c.b[4] = 43;
			  c.b[5] = 0;
		  } },
		{ "SMP: Bad MP configuration table length\n",
		  [](Bytes &c, uint32_t &) { // 64 KiB, past the end of RAM
			  c.b[4] = 0xff, c.b[5] = 0xff;
			  memory.resize(0x108000);
		  } },
		{ "SMP: Bad MP configuration checksum\n",
		  [](Bytes &c, uint32_t &) { c.b[8] ^= 1; } },
		{ "SMP: Unsupported MP version 2\n",
		  [](Bytes &c, uint32_t &) {
			  c.b[6] = 2;
			  c.fix_sum(7, 0, 44 + 92);
		  } },
		{ "SMP: Bad MP configuration extended checksum\n",
		  [](Bytes &c, uint32_t &) {
			  c.b[42] ^= 1;
			  c.fix_sum(7, 0, 44 + 92);
		  } },
		{ "SMP: MP configuration entries overrun the table\n",
		  [](Bytes &c, uint32_t &) {
			  c.b[34] = 8;
			  c.fix_sum(7, 0, 44 + 92);
		  } },
		{ "mpinit: unknown config type 7\n",
		  [](Bytes &c, uint32_t &) {
			  c.b[44 + 60] = 7;
			  c.fix_sum(7, 0, 44 + 92);
		  } },
	};
	for (const Case &k : cases) {
		SetUp();
		Bytes conf =
			mp_conf(qemu_entries(), 7, Bytes().u8(0x80).u8(8).u16(0).u32(0));
		ASSERT_EQ(conf.size(), 44u + 92 + 8);
		uint32_t pa = 0x100000;
		k.damage(conf, pa);
		put(0x100000, conf);
		put(EBDA, mp_float(pa, 0, 0x80));
		MpCpus out;
		EXPECT_FALSE(mp_find_cpus(&out)) << k.message;
		EXPECT_EQ(out.n, 0) << k.message;
		EXPECT_TRUE(out.imcr) << "the floating pointer still says so";
		EXPECT_EQ(console, k.message);
	}
	SetUp();
	put(EBDA, mp_float(0x100000, 5)); // a default configuration
	MpCpus out;
	EXPECT_FALSE(mp_find_cpus(&out));
	EXPECT_EQ(console, "SMP: default configurations not implemented\n");
}

// A processor entry cut by the end of the base table, or more entries
// counted than the table holds, is an overrun, never a read past it.
TEST_F(Firmware, MpEntriesOverrunningTheTable)
{
	MpCpus out;
	Bytes half = mp_proc(0, 3);
	half.b.resize(12);
	mp_tables(mp_conf(mp_other(1).add(half), 2));
	EXPECT_FALSE(mp_find_cpus(&out));
	EXPECT_EQ(console, "SMP: MP configuration entries overrun the table\n");

	SetUp();
	mp_tables(mp_conf(qemu_entries(), 0xffff));
	EXPECT_FALSE(mp_find_cpus(&out));
	EXPECT_EQ(out.n, 0);

	SetUp();
	mp_tables(mp_conf(qemu_entries(), 3)); // fewer counted: the rest ignored
	EXPECT_TRUE(mp_find_cpus(&out));
	EXPECT_EQ(ids(out), (std::vector<int>{ 0, 1 }));
}

// Up to 256 enabled processors are kept, whatever their ids (duplicates
// and 0xFF are number_cpus's to drop); the last BSP flag wins.
TEST_F(Firmware, MpManyProcessors)
{
	Bytes entries;
	for (int i = 0; i < 300; i++)
		entries.add(mp_proc(uint8_t(i), i == 7 || i == 9 ? 3 : 1));
	memory.resize(0x200000);
	mp_tables(mp_conf(entries, 300));
	auto out = std::make_unique<MpCpus>();
	ASSERT_TRUE(mp_find_cpus(out.get())) << console;
	EXPECT_EQ(out->n, 256);
	EXPECT_EQ(out->apicid[255], 255);
	EXPECT_EQ(out->bsp, 9);
}

} // namespace
