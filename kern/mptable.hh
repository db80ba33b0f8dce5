// kern/mptable.hh: the processors the BIOS's MultiProcessor configuration
// table lists (kern/mptable.cc). mp_init (kern/mpconfig.cc) uses it next
// to the ACPI MADT (kern/acpi.hh).
#ifndef JOS_KERN_MPTABLE_HH
#define JOS_KERN_MPTABLE_HH

#include <inc/types.h>

// What the MP floating pointer and configuration table say.
struct MpCpus {
	int n;               // enabled processors listed
	uint8_t apicid[256]; // their local APIC ids, in table order
	int bsp;             // APIC id of the one flagged BSP, or -1
	physaddr_t lapic_pa; // physical address of the local APICs
	bool imcr;           // the floating pointer says an IMCR is present
};

// Find the MP floating pointer where MP spec 4 says it is and read the
// processor entries of its configuration table, through phys_bytes
// (kern/firmware.hh). out->imcr is set whenever a floating pointer is
// found. Returns true if the table is valid (signature, length, version,
// checksums, every entry known and inside the table); otherwise false with
// out->n == 0, and a warning line if a table was found but is damaged.
// Takes no locks; boot CPU only.
bool mp_find_cpus(MpCpus *out);

#endif // !JOS_KERN_MPTABLE_HH
