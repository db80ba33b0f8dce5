// kern/picirq.cc: set-up and masking of the master/slave 8259A PIC pair
// (Intel 8259A Programmable Interrupt Controller data sheet, order no.
// 231468: "Initialization Command Words" and "Operation Command Words").
// Called on the boot CPU with interrupts off, or under the big kernel
// lock.

#include <inc/stdio.h>
#include <inc/trap.h>
#include <inc/x86.h>
#include <kern/picirq.hh>

static_assert(IRQ_OFFSET % 8 == 0, "8259A vector bases are multiples of 8");

uint16_t irq_mask_8259A = IRQ_MASK_BOOT;

namespace {

constinit bool pic_ready = false;

// ICW1: bit 4 marks ICW1, bit 0 (IC4) says ICW4 follows. Bits left 0:
// cascade mode (SNGL = 0) and edge-triggered inputs (LTIM = 0), as the
// PC/AT ISA bus wires them.
constexpr uint8_t ICW1_INIT = 0x10;
constexpr uint8_t ICW1_IC4 = 0x01;
// ICW4: bit 0 (uPM) 8086/8088 mode (vector numbers, not CALLs); bit 1
// (AEOI) automatic end of interrupt: the in-service bit is cleared at
// the second INTA pulse. We choose AEOI because interrupts reach the
// CPU through the local APIC, whose handler acknowledges only the APIC;
// without AEOI the PIC would block the IRQ (and lower-priority ones)
// after the first one.
constexpr uint8_t ICW4_8086 = 0x01;
constexpr uint8_t ICW4_AEOI = 0x02;
// OCW3: bit 3 marks OCW3; RR (bit 1) = 1, RIS (bit 0) = 0 selects the
// Interrupt Request Register for the next read of the command port.
constexpr uint8_t OCW3_READ_IRR = 0x08 | 0x02;

// OCW1: the interrupt mask register of both chips.
void write_masks(uint16_t mask)
{
	outb(IO_PIC1 + 1, mask & 0xFF);
	outb(IO_PIC2 + 1, mask >> 8);
}

} // namespace

void pic_init(void)
{
	// Mask everything while the chips are reprogrammed.
	write_masks(0xFFFF);

	// Master: ICW1 on the command port, ICW2-ICW4 on the data port.
	outb(IO_PIC1, ICW1_INIT | ICW1_IC4);
	outb(IO_PIC1 + 1, IRQ_OFFSET);      // ICW2: vectors IRQ_OFFSET..+7
	outb(IO_PIC1 + 1, 1u << IRQ_SLAVE); // ICW3: slave on this line
	outb(IO_PIC1 + 1, ICW4_8086 | ICW4_AEOI);

	// Slave: the same, vectors IRQ_OFFSET+8..+15; its ICW3 is the
	// master line it answers to (its cascade identity).
	outb(IO_PIC2, ICW1_INIT | ICW1_IC4);
	outb(IO_PIC2 + 1, IRQ_OFFSET + 8);
	outb(IO_PIC2 + 1, IRQ_SLAVE);
	outb(IO_PIC2 + 1, ICW4_8086 | ICW4_AEOI);

	outb(IO_PIC1, OCW3_READ_IRR);
	outb(IO_PIC2, OCW3_READ_IRR);

	// ICW1 cleared the mask registers: apply the current mask.
	pic_ready = true;
	if (irq_mask_8259A != IRQ_MASK_BOOT)
		irq_setmask_8259A(irq_mask_8259A);
	else
		write_masks(irq_mask_8259A);
}

void irq_setmask_8259A(uint16_t mask)
{
	irq_mask_8259A = mask;
	if (!pic_ready)
		return;
	write_masks(mask);
	cprintf("enabled interrupts:");
	for (int irq = 0; irq < MAX_IRQS; irq++)
		if (!(mask & (1u << irq)))
			cprintf(" %d", irq);
	cprintf("\n");
}
