// boot/main.cc: the second half of the boot sector. boot/boot.S enters
// bootmain() in 32-bit protected mode with flat segments and paging off.
// bootmain() reads the kernel, an ELF32 executable stored on the first
// IDE disk right after this boot sector (sector 1 onward), into physical
// memory at the addresses its program headers ask for, and jumps to its
// entry point.
//
// Everything here plus boot.S must fit in 510 bytes, so the code favours
// size over checks: no timeouts, no error register reads. Nothing clears
// .bss for us, so there are no globals at all.

#include <inc/x86.h>
#include <inc/elf.h>

namespace {

constexpr uint32_t SECTSIZE = 512; // bytes per disk sector
// The kernel starts at this sector (sector 0 is this boot block).
constexpr uint32_t KERNEL_FIRST_SECTOR = 1;
// Scratch space for the kernel's ELF header and program headers.
Elf *const ELFHDR = reinterpret_cast<Elf *>(0x10000);

// Primary ATA/IDE controller command block registers (PIO mode).
constexpr int ATA_DATA = 0x1F0;
constexpr int ATA_SECCOUNT = 0x1F2;
constexpr int ATA_LBA_LOW = 0x1F3;
constexpr int ATA_LBA_MID = 0x1F4;
constexpr int ATA_LBA_HIGH = 0x1F5;
constexpr int ATA_DEVICE = 0x1F6;
constexpr int ATA_STATUS_CMD = 0x1F7; // status on read, command on write

constexpr uint8_t ATA_ST_BSY = 0x80;
constexpr uint8_t ATA_ST_DRDY = 0x40;
// Device register: bits 7 and 5 are obsolete-but-set, bit 6 selects
// LBA addressing, bit 4 = 0 selects device 0 (the master).
constexpr uint8_t ATA_DEV_LBA_MASTER = 0xE0;
constexpr uint8_t ATA_CMD_READ_SECTORS = 0x20;

// Spin until the drive is idle (BSY clear) and ready (DRDY set).
inline void wait_disk()
{
	while ((inb(ATA_STATUS_CMD) & (ATA_ST_BSY | ATA_ST_DRDY)) != ATA_ST_DRDY)
		;
}

// Read disk sector `lba` (LBA28) into the 512 bytes at physical `dst`
// with the READ SECTOR(S) command, PIO data-in protocol: write the
// count, LBA and device registers, then the command; when the drive
// drops BSY the sector sits in its buffer and is drained from the
// 16-bit data register. ATA/ATAPI-6 (T13/1410D), clause 8 "Command
// descriptions", READ SECTOR(S) (20h), and clause 9, PIO data-in.
void read_sector(void *dst, uint32_t lba)
{
	wait_disk();
	outb(ATA_SECCOUNT, 1);
	outb(ATA_LBA_LOW, lba);
	outb(ATA_LBA_MID, lba >> 8);
	outb(ATA_LBA_HIGH, lba >> 16);
	outb(ATA_DEVICE, ATA_DEV_LBA_MASTER | ((lba >> 24) & 0xF));
	outb(ATA_STATUS_CMD, ATA_CMD_READ_SECTORS);
	wait_disk();
	insl(ATA_DATA, dst, SECTSIZE / 4);
}

// Copy `count` bytes at byte `offset` of the kernel image to physical
// address `pa`. Whole sectors are read, so up to one sector before `pa`
// (offset rounded down to a sector) and the tail of the last sector
// after pa + count are overwritten too.
void read_kernel(uint32_t pa, uint32_t count, uint32_t offset)
{
	uint32_t end = pa + count;
	pa -= offset % SECTSIZE;
	uint32_t lba = offset / SECTSIZE + KERNEL_FIRST_SECTOR;
	for (; pa < end; pa += SECTSIZE, lba++)
		read_sector(reinterpret_cast<void *>(pa), lba);
}

} // namespace

// Load the kernel and jump to it; returns only on a bad image.
extern "C" void bootmain(void)
{
	// The ELF header and program headers fit in the first page.
	read_kernel(reinterpret_cast<uint32_t>(ELFHDR), 4096, 0);
	if (ELFHDR->e_magic == ELF_MAGIC) {
		auto *ph = reinterpret_cast<Proghdr *>(
			reinterpret_cast<uint8_t *>(ELFHDR) + ELFHDR->e_phoff);
		for (auto *eph = ph + ELFHDR->e_phnum; ph < eph; ph++) {
			if (ph->p_type != ELF_PROG_LOAD)
				continue;
			read_kernel(ph->p_pa, ph->p_filesz, ph->p_offset);
			// Zero the part of the segment not in the file (.bss),
			// which also wipes what read_kernel's last sector
			// dragged in past p_filesz.
			void *tail = reinterpret_cast<void *>(ph->p_pa + ph->p_filesz);
			uint32_t n = ph->p_memsz - ph->p_filesz;
			__asm __volatile("rep stosb"
					 : "+D"(tail), "+c"(n)
					 : "a"(0)
					 : "memory");
		}
		// The kernel links its entry symbol at its physical
		// (load) address, so e_entry is directly callable with
		// paging off.
		reinterpret_cast<void (*)(void)>(ELFHDR->e_entry)();
	}

	// Bad image (or the kernel returned): tell Bochs/QEMU's debug
	// port, then spin.
	outw(0x8A00, 0x8A00);
	outw(0x8A00, 0x8E00);
	for (;;)
		;
}
