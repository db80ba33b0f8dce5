// kern/console.hh: the kernel console (kern/console.cc): CGA/MDA text
// screen, COM1 serial port and PC keyboard. Output goes through
// cputchar() (inc/stdio.h); input is polled or interrupt-driven into one
// ring buffer that cons_getc() drains.
#ifndef JOS_KERN_CONSOLE_HH
#define JOS_KERN_CONSOLE_HH

#include <inc/types.h>

extern "C" {

// Initialize the text screen, the serial port and the keyboard. Call
// once on the boot CPU after the KERNBASE mapping of low memory exists.
void cons_init(void);

// Print len bytes of s on the serial port and the screen; cheaper than a
// cputchar() per byte (the screen's cursor moves once). No lock.
void cputs(const char *s, size_t len);

// Return the next buffered input character (polling both devices
// first), or 0 if there is none. Never blocks.
int cons_getc(void);

// Move every byte the keyboard / serial port has ready into the input
// buffer. Called by the trap handler on IRQ_KBD / IRQ_SERIAL and by
// cons_getc().
void kbd_intr(void);
void serial_intr(void);
}

#endif // !JOS_KERN_CONSOLE_HH
