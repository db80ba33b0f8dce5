// kern/kclock.cc: access to the MC146818 RTC/NVRAM registers. The chip
// is addressed indirectly: a write to the address port selects one of
// its 64 bytes, then the data port reads or writes it (Motorola
// MC146818A data sheet, "Address map"; on the PC the address port is
// 0x70 and the data port 0x71). Not locked: callers run on the boot CPU
// or under the big kernel lock, since the select-then-access pair must
// not be interleaved.

#include <inc/x86.h>
#include <kern/kclock.hh>

unsigned mc146818_read(unsigned reg)
{
	outb(IO_RTC, reg);
	return inb(IO_RTC + 1);
}

void mc146818_write(unsigned reg, unsigned datum)
{
	outb(IO_RTC, reg);
	outb(IO_RTC + 1, datum);
}
