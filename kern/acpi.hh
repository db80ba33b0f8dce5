// kern/acpi.hh: the little of ACPI this kernel reads: the processors and
// the local APIC address listed in the MADT (kern/acpi.cc). mp_init uses
// it next to the MP tables (kern/mpconfig.cc).
#ifndef JOS_KERN_ACPI_HH
#define JOS_KERN_ACPI_HH

#include <inc/types.h>

// What the MADT says about the processors.
struct AcpiCpus {
	int nenabled;        // enabled processors (distinct APIC ids)
	int nonline_capable; // entries not enabled but Online Capable
	uint8_t apicid[255]; // the nenabled APIC ids, in table order
	physaddr_t lapic_pa; // physical address of every local APIC
};

// Find the ACPI tables (RSDP, then RSDT or XSDT, then the MADT) in low
// physical memory, read through phys_bytes (kern/firmware.hh; the
// kernel's uses KADDR, so call it only after mem_init).
// Tables with a bad signature, length or checksum are ignored (a warning
// line says so); nothing outside the mapped RAM is read. Returns true and
// fills *out if a valid MADT with a local APIC address was found, false
// otherwise (*out is then zeroed). Takes no locks; boot CPU only.
bool acpi_find_cpus(AcpiCpus *out);

#endif // !JOS_KERN_ACPI_HH
