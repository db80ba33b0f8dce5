// kern/picirq.hh: the two cascaded 8259A programmable interrupt
// controllers of the PC (kern/picirq.cc). In this kernel they only
// forward the legacy IRQs left unmasked (the keyboard) to the boot
// CPU's local APIC; everything else stays masked here.
#ifndef JOS_KERN_PICIRQ_HH
#define JOS_KERN_PICIRQ_HH

#include <inc/types.h>

constexpr int MAX_IRQS = 16; // IRQs 0-7 on the master, 8-15 on the slave

// I/O ports: command port, and data port (base + 1).
constexpr int IO_PIC1 = 0x20; // master
constexpr int IO_PIC2 = 0xA0; // slave

// The master IRQ line the slave's INT output is wired to.
constexpr int IRQ_SLAVE = 2;

// The interrupt mask with every IRQ masked except the cascade line.
constexpr uint16_t IRQ_MASK_BOOT = 0xFFFF & ~(1u << IRQ_SLAVE);

extern "C" {

// Current mask: bit i set = IRQ i masked. Change it only through
// irq_setmask_8259A.
extern uint16_t irq_mask_8259A;

// Initialize both PICs (interrupts must be off). Vectors are
// IRQ_OFFSET + irq; the PICs run in auto-EOI mode, so the trap handler
// never sends the PIC an EOI. Prints nothing unless irq_mask_8259A was
// already changed from IRQ_MASK_BOOT.
void pic_init(void);

// Set the mask (bit i set = IRQ i masked). After pic_init this programs
// both PICs and prints "enabled interrupts:" and " %d" per unmasked IRQ;
// before it, the mask is only recorded for pic_init to apply.
void irq_setmask_8259A(uint16_t mask);
}

#endif // !JOS_KERN_PICIRQ_HH
