// kern/console.cc: the kernel console. Owns three devices and the input
// ring buffer they share:
//   - the COM1 serial port (8250/16550 UART at 0x3F8): output and input;
//     this is what QEMU -nographic and the graders see;
//   - the CGA (or MDA) text screen, 80x25, with a hardware cursor;
//   - the PC keyboard behind the 8042 controller, scan code set 1.
// Output: cputchar() writes to serial and screen. Input: kbd_intr() /
// serial_intr() poll their device into the ring; cons_getc() drains it.
// No lock of its own: callers hold the big kernel lock (or run before
// other CPUs start).

#include <inc/stdio.h>
#include <inc/x86.h>
#include <inc/string.h>
#include <inc/memlayout.h>
#include <kern/console.hh>

namespace {

// Wait roughly 1.2 us: a read of the unused POST diagnostic port 0x84
// takes about one ISA bus cycle.
void io_delay()
{
	for (int i = 0; i < 4; i++)
		inb(0x84);
}

// **** Serial port: 8250/16550 UART (National Semiconductor PC16550D
// **** data sheet, "Registers"). Register offsets from the base port. ****

constexpr int COM1 = 0x3F8;
constexpr int COM_RBR = 0; // in:  receive buffer (DLAB = 0)
constexpr int COM_THR = 0; // out: transmit holding (DLAB = 0)
constexpr int COM_DLL = 0; // out: divisor latch low (DLAB = 1)
constexpr int COM_DLM = 1; // out: divisor latch high (DLAB = 1)
constexpr int COM_IER = 1; // out: interrupt enable (DLAB = 0)
constexpr int COM_IIR = 2; // in:  interrupt identification
constexpr int COM_FCR = 2; // out: FIFO control
constexpr int COM_LCR = 3; // out: line control
constexpr int COM_MCR = 4; // out: modem control
constexpr int COM_LSR = 5; // in:  line status

constexpr uint8_t COM_IER_RDI = 0x01;  // interrupt on received data
constexpr uint8_t COM_LCR_DLAB = 0x80; // divisor latch access
constexpr uint8_t COM_LCR_8N1 = 0x03;  // 8 data bits, no parity, 1 stop
constexpr uint8_t COM_MCR_DTR = 0x01;
constexpr uint8_t COM_MCR_RTS = 0x02;
constexpr uint8_t COM_MCR_OUT2 = 0x08; // gates the UART's IRQ line on a PC
constexpr uint8_t COM_LSR_DR = 0x01;   // a received byte is waiting
constexpr uint8_t COM_LSR_THRE = 0x20; // transmit holding register empty

// The divisor latch divides the 1.8432 MHz clock / 16 = 115200 baud.
constexpr uint32_t COM_BASE_BAUD = 115200;
constexpr uint32_t COM_BAUD = 9600;
constexpr uint16_t COM_DIVISOR = COM_BASE_BAUD / COM_BAUD;

constinit bool serial_exists = false;

// Program COM1 for 9600 baud, 8N1, FIFOs off, receive interrupt on.
// The interrupt only reaches a CPU once IRQ_SERIAL is unmasked.
void serial_init()
{
	outb(COM1 + COM_FCR, 0); // FIFOs off: a plain 8250
	outb(COM1 + COM_LCR, COM_LCR_DLAB);
	outb(COM1 + COM_DLL, COM_DIVISOR & 0xFF);
	outb(COM1 + COM_DLM, COM_DIVISOR >> 8);
	outb(COM1 + COM_LCR, COM_LCR_8N1); // also clears DLAB
	outb(COM1 + COM_MCR, COM_MCR_DTR | COM_MCR_RTS | COM_MCR_OUT2);
	outb(COM1 + COM_IER, COM_IER_RDI);

	// With no UART at this address the bus floats and reads 0xFF.
	serial_exists = inb(COM1 + COM_LSR) != 0xFF;
	// Drop any interrupt condition and stale byte left from the BIOS.
	(void) inb(COM1 + COM_IIR);
	(void) inb(COM1 + COM_RBR);
}

// One received byte, or -1 if none is waiting.
int serial_proc_data()
{
	if (!(inb(COM1 + COM_LSR) & COM_LSR_DR))
		return -1;
	return inb(COM1 + COM_RBR);
}

// Wait for THRE, but give up after about 12800 polls (~15 ms, more than
// one character time at 9600 baud) so a missing or stuck UART cannot hang
// the kernel.
[[gnu::cold]] void serial_wait_thre()
{
	for (int i = 0; i < 12800 && !(inb(COM1 + COM_LSR) & COM_LSR_THRE); i++)
		io_delay();
}

// Send one byte, once the transmit holding register is empty.
[[gnu::always_inline]] inline void serial_putc(int c)
{
	if (!(inb(COM1 + COM_LSR) & COM_LSR_THRE))
		serial_wait_thre();
	outb(COM1 + COM_THR, c);
}

// **** Text screen: CGA colour text buffer, or MDA if no CGA answers.
// **** The 6845 CRT controller's index/data port pair holds, as cell
// **** indexes into the text buffer, the address of the first cell shown
// **** (start address, registers 12 high and 13 low) and the cursor
// **** address (registers 14 and 15). Scrolling moves the start address
// **** down one row instead of copying the screen; only when the buffer's
// **** end is reached is the screen copied back to its start. ****

constexpr uint32_t CGA_BUF = 0xB8000; // physical
constexpr int CGA_CRTC = 0x3D4;
constexpr uint32_t MDA_BUF = 0xB0000; // physical
constexpr int MDA_CRTC = 0x3B4;
constexpr uint8_t CRTC_START_HI = 12;
constexpr uint8_t CRTC_START_LO = 13;
constexpr uint8_t CRTC_CURSOR_HI = 14;
constexpr uint8_t CRTC_CURSOR_LO = 15;

constexpr unsigned CRT_COLS = 80;
constexpr unsigned CRT_ROWS = 25;
constexpr unsigned CRT_SIZE = CRT_COLS * CRT_ROWS; // character cells
// Cells of the text buffer used: 16 KiB, what a CGA has (a VGA has 32).
constexpr unsigned CRT_BUF_CELLS = 8192;
constexpr uint16_t CRT_ATTR_DEFAULT = 0x0700; // light grey on black
constexpr unsigned CRT_TABSTOP = 8;

// Null until cga_init: cputchar may run earlier (an early panic) and
// then only reaches the serial port.
constinit volatile uint16_t *crt_buf = nullptr;
constinit int crt_port = CGA_CRTC;
constinit unsigned crt_origin = 0; // buffer index of the top-left cell shown
constinit unsigned crt_pos = 0;    // buffer index of the cursor

// Find the text buffer (through the KERNBASE mapping of low memory, so
// this needs no KADDR) and pick up the cursor the BIOS left.
void cga_init()
{
	auto *cp = reinterpret_cast<volatile uint16_t *>(KERNBASE + CGA_BUF);
	uint16_t saved = *cp;
	*cp = 0xA55A;
	if (*cp != 0xA55A) {
		// Nothing stored there: monochrome adapter.
		cp = reinterpret_cast<volatile uint16_t *>(KERNBASE + MDA_BUF);
		crt_port = MDA_CRTC;
	} else {
		*cp = saved;
		crt_port = CGA_CRTC;
	}

	outb(crt_port, CRTC_CURSOR_HI);
	unsigned pos = inb(crt_port + 1) << 8;
	outb(crt_port, CRTC_CURSOR_LO);
	pos |= inb(crt_port + 1);
	crt_pos = pos < CRT_SIZE ? pos : 0;
	crt_buf = cp;
	crt_origin = 0;
	outb(crt_port, CRTC_START_HI);
	outb(crt_port + 1, 0);
	outb(crt_port, CRTC_START_LO);
	outb(crt_port + 1, 0);
}

// Set a 16-bit CRTC register pair (high index, then low index + 1).
void crtc_write16(uint8_t hi_index, unsigned value)
{
	outb(crt_port, hi_index);
	outb(crt_port + 1, (value >> 8) & 0xFF);
	outb(crt_port, hi_index + 1);
	outb(crt_port + 1, value & 0xFF);
}

void cga_move_cursor()
{
	crtc_write16(CRTC_CURSOR_HI, crt_pos);
}

// Fill n (even) cells at cells with blanks, two cells per 32-bit store.
void blank_cells(volatile uint16_t *cells, unsigned n)
{
	constexpr uint32_t TWO_BLANKS = (CRT_ATTR_DEFAULT | ' ') * 0x10001u;
	uint32_t words = n / 2;
	__asm __volatile("cld; rep stosl"
			 : "+D"(cells), "+c"(words)
			 : "a"(TWO_BLANKS)
			 : "memory");
}

// Scroll the screen up one row and blank the new bottom row: show the
// buffer from one row further, or, at the buffer's end, copy the rows
// still shown back to its start (once every CRT_BUF_CELLS / CRT_COLS - 25
// rows).
void cga_scroll()
{
	if (crt_origin + CRT_SIZE + CRT_COLS > CRT_BUF_CELLS) {
		// The text buffer is plain memory to the CPU: copy it as such
		// (the regions do not overlap: crt_origin >= CRT_SIZE here).
		memcpy(const_cast<uint16_t *>(crt_buf),
		       const_cast<const uint16_t *>(crt_buf + crt_origin + CRT_COLS),
		       (CRT_SIZE - CRT_COLS) * sizeof(uint16_t));
		crt_pos -= crt_origin + CRT_COLS;
		crt_origin = 0;
	} else {
		crt_origin += CRT_COLS;
	}
	blank_cells(&crt_buf[crt_origin + CRT_SIZE - CRT_COLS], CRT_COLS);
	crtc_write16(CRTC_START_HI, crt_origin);
}

// Put one character on the screen (the cursor is moved by the caller,
// once per string). Bits 8-15 of c, if any, are the cell attribute
// (colour); without them the default is used.
void cga_putc(int c)
{
	if (!crt_buf)
		return;
	uint16_t attr = (c & ~0xFF) ? (c & 0xFF00) : CRT_ATTR_DEFAULT;

	switch (c & 0xFF) {
	case '\b':
		if (crt_pos > crt_origin)
			crt_buf[--crt_pos] = attr | ' ';
		break;
	case '\n':
		// A newline also returns the carriage, as on a terminal
		// with onlcr: kernel strings end lines with a bare '\n'.
		crt_pos += CRT_COLS;
		crt_pos -= crt_pos % CRT_COLS;
		break;
	case '\r':
		crt_pos -= crt_pos % CRT_COLS;
		break;
	case '\t':
		do {
			crt_buf[crt_pos++] = attr | ' ';
			if (crt_pos >= crt_origin + CRT_SIZE)
				cga_scroll();
		} while (crt_pos % CRT_TABSTOP != 0);
		break;
	default:
		crt_buf[crt_pos++] = attr | (c & 0xFF);
		break;
	}
	if (crt_pos >= crt_origin + CRT_SIZE)
		cga_scroll();
}

// Put len bytes of s on the screen (as cga_putc each; the cursor is
// moved by the caller). Inline fast path for the common case, a byte
// that is not one of the control characters cga_putc interprets.
void cga_puts(const char *s, size_t len)
{
	volatile uint16_t *const buf = crt_buf;
	unsigned pos = crt_pos;
	unsigned end = crt_origin + CRT_SIZE;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = static_cast<unsigned char>(s[i]);
		if (c <= '\r' && (c == '\b' || c == '\n' || c == '\r' || c == '\t')) {
			crt_pos = pos;
			cga_putc(c);
			pos = crt_pos;
			end = crt_origin + CRT_SIZE;
			continue;
		}
		buf[pos++] = CRT_ATTR_DEFAULT | c;
		if (pos >= end) {
			crt_pos = pos;
			cga_scroll();
			pos = crt_pos;
			end = crt_origin + CRT_SIZE;
		}
	}
	crt_pos = pos;
}

// **** Keyboard: 8042 controller, PC scan code set 1 (make code = key
// **** number, break code = make | 0x80; 0xE0 prefixes the extended
// **** keys, 0xE1 starts the 6-byte Pause sequence). ****

constexpr int KBC_STATUS = 0x64;
constexpr int KBC_DATA = 0x60;
constexpr uint8_t KBC_ST_OBF = 0x01; // output buffer full: byte for us
constexpr uint8_t KBC_ST_AUX = 0x20; // that byte is from the mouse

constexpr uint8_t SC_PREFIX_E0 = 0xE0;
constexpr uint8_t SC_PREFIX_E1 = 0xE1;
constexpr uint8_t SC_BREAK = 0x80;

// Codes for keys with no ASCII meaning (JOS' kbdreg.h numbering).
constexpr uint8_t KEY_HOME = 0xE0;
constexpr uint8_t KEY_END = 0xE1;
constexpr uint8_t KEY_UP = 0xE2;
constexpr uint8_t KEY_DN = 0xE3;
constexpr uint8_t KEY_LF = 0xE4;
constexpr uint8_t KEY_RT = 0xE5;
constexpr uint8_t KEY_PGUP = 0xE6;
constexpr uint8_t KEY_PGDN = 0xE7;
constexpr uint8_t KEY_INS = 0xE8;
constexpr uint8_t KEY_DEL = 0xE9;

// Modifier and lock state bits.
enum : unsigned {
	MOD_LSHIFT = 1u << 0,
	MOD_RSHIFT = 1u << 1,
	MOD_CTRL = 1u << 2,
	MOD_ALT = 1u << 3,
	MOD_SHIFT = MOD_LSHIFT | MOD_RSHIFT,
	LOCK_CAPS = 1u << 4,
	LOCK_NUM = 1u << 5,
	LOCK_SCROLL = 1u << 6,
};

// Translation tables indexed by make code (0x00-0x7F). 0 = no character.
struct Keymaps {
	uint8_t normal[128];
	uint8_t shifted[128];
	uint8_t ctrl[128];
	uint8_t extended[128]; // after an 0xE0 prefix (shift-independent)
	uint8_t modifier[128]; // MOD_* held while the key is down
	uint8_t toggle[128];   // LOCK_* flipped on each press
};

constexpr void put_keys(uint8_t *map, unsigned code, const char *chars)
{
	for (; *chars; chars++)
		map[code++] = static_cast<uint8_t>(*chars);
}

// Build the tables from the physical layout of a US 101/102-key board.
constexpr Keymaps make_keymaps()
{
	Keymaps k{};

	put_keys(k.normal, 0x01,
		 "\x1b"
		 "1234567890-=\b\tqwertyuiop[]\n");
	put_keys(k.normal, 0x1E, "asdfghjkl;'`");
	put_keys(k.normal, 0x2B, "\\zxcvbnm,./");
	put_keys(k.normal, 0x37, "*");
	put_keys(k.normal, 0x39, " ");
	// Keypad 7 8 9 - 4 5 6 + 1 2 3 0 . (digits whatever Num Lock says).
	put_keys(k.normal, 0x47, "789-456+1230.");

	for (unsigned i = 0; i < 128; i++)
		k.shifted[i] = k.normal[i];
	put_keys(k.shifted, 0x02, "!@#$%^&*()_+");
	put_keys(k.shifted, 0x10, "QWERTYUIOP{}");
	put_keys(k.shifted, 0x1E, "ASDFGHJKL:\"~");
	put_keys(k.shifted, 0x2B, "|ZXCVBNM<>?");

	// Ctrl turns the characters 0x40-0x5F (and lower-case letters)
	// into the control codes 0x00-0x1F; ^@ is dropped since 0 means
	// "no character". Control keys keep their own code.
	for (unsigned i = 0; i < 128; i++) {
		unsigned c = k.normal[i], s = k.shifted[i];
		if (c >= 'a' && c <= 'z')
			k.ctrl[i] = c - 'a' + 1;
		else if (c >= 0x5B && c <= 0x5F) // [ \ ] (keys for ^[ ^\ ^])
			k.ctrl[i] = c & 0x1F;
		else if (s == '^' || s == '_') // ^^ and ^_
			k.ctrl[i] = s & 0x1F;
		else if (c == 0x1B || c == '\b' || c == '\t' || c == '\n')
			k.ctrl[i] = c;
	}

	k.extended[0x1C] = '\n'; // keypad Enter
	k.extended[0x35] = '/';  // keypad /
	k.extended[0x47] = KEY_HOME;
	k.extended[0x48] = KEY_UP;
	k.extended[0x49] = KEY_PGUP;
	k.extended[0x4B] = KEY_LF;
	k.extended[0x4D] = KEY_RT;
	k.extended[0x4F] = KEY_END;
	k.extended[0x50] = KEY_DN;
	k.extended[0x51] = KEY_PGDN;
	k.extended[0x52] = KEY_INS;
	k.extended[0x53] = KEY_DEL;

	// Right Ctrl/Alt are E0 1D / E0 38: same codes, looked up below.
	k.modifier[0x1D] = MOD_CTRL;
	k.modifier[0x2A] = MOD_LSHIFT;
	k.modifier[0x36] = MOD_RSHIFT;
	k.modifier[0x38] = MOD_ALT;
	k.toggle[0x3A] = LOCK_CAPS;
	k.toggle[0x45] = LOCK_NUM;
	k.toggle[0x46] = LOCK_SCROLL;
	return k;
}

constexpr Keymaps keymaps = make_keymaps();
static_assert(keymaps.normal[0x10] == 'q' && keymaps.shifted[0x2C] == 'Z');
static_assert(keymaps.ctrl[0x2E] == 0x03, "Ctrl-C");
static_assert(keymaps.normal[0x53] == '.' && keymaps.normal[0x1C] == '\n');

constinit unsigned kbd_mods = 0; // MOD_* | LOCK_*
constinit bool kbd_e0 = false;   // previous byte was 0xE0
constinit int kbd_skip = 0;      // bytes left of a Pause sequence

// Swallow the prefix bytes of a multi-byte scan code (E0, and the whole
// of Pause: E1 1D 45 E1 9D C5). Returns whether sc was one of them.
bool kbd_prefix(uint8_t sc)
{
	if (kbd_skip > 0) {
		kbd_skip--;
		return true;
	}
	if (sc == SC_PREFIX_E1) {
		kbd_skip = 5;
		return true;
	}
	if (sc == SC_PREFIX_E0) {
		kbd_e0 = true;
		return true;
	}
	return false;
}

// Track Shift, Ctrl, Alt and the locks for key code (e0: extended).
// Returns whether the key yields no character: a modifier, a lock, a
// release, or a fake shift.
bool kbd_no_char(unsigned code, bool e0, bool release)
{
	// E0 2A / E0 36 are fake shifts some keyboards wrap around the
	// extended keys; the real shift state is tracked separately.
	if (e0 && (code == 0x2A || code == 0x36))
		return true;

	if (unsigned m = keymaps.modifier[code]) {
		if (release)
			kbd_mods &= ~m;
		else
			kbd_mods |= m;
		return true;
	}
	if (release)
		return true;
	if (!e0 && keymaps.toggle[code]) {
		kbd_mods ^= keymaps.toggle[code];
		return true;
	}
	return false;
}

// The character key code (e0: extended) makes with the modifiers held.
int kbd_char(unsigned code, bool e0)
{
	int c;
	if (e0)
		c = keymaps.extended[code];
	else if (kbd_mods & MOD_CTRL)
		c = keymaps.ctrl[code];
	else if (kbd_mods & MOD_SHIFT)
		c = keymaps.shifted[code];
	else
		c = keymaps.normal[code];

	// Caps Lock inverts the case of letters only (so Shift undoes it).
	if (kbd_mods & LOCK_CAPS) {
		if (c >= 'a' && c <= 'z')
			c += 'A' - 'a';
		else if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
	}
	return c;
}

// Decode one byte from the keyboard. Returns -1 if the controller has
// nothing, 0 for a byte that yields no character (release, modifier,
// prefix, mouse data), else the character.
int kbd_proc_data()
{
	uint8_t st = inb(KBC_STATUS);
	if (!(st & KBC_ST_OBF))
		return -1;
	uint8_t sc = inb(KBC_DATA);
	if (st & KBC_ST_AUX)
		return 0; // a mouse byte: not ours
	if (kbd_prefix(sc))
		return 0;
	bool e0 = kbd_e0;
	kbd_e0 = false;

	unsigned code = sc & ~SC_BREAK;
	if (kbd_no_char(code, e0, sc & SC_BREAK))
		return 0;
	int c = kbd_char(code, e0);

	// Ctrl-Alt-Del: pulse the reset line through System Control
	// Port A (0x92), bit 0 "fast reset".
	if ((kbd_mods & (MOD_CTRL | MOD_ALT)) == (MOD_CTRL | MOD_ALT) && c == KEY_DEL) {
		cprintf("Rebooting!\n");
		outb(0x92, 0x03);
	}
	return c;
}

// **** The input ring buffer shared by keyboard and serial input. ****

constexpr unsigned CONSBUFSIZE = 512;

struct InputRing {
	uint8_t buf[CONSBUFSIZE];
	unsigned rpos; // next byte to hand out
	unsigned wpos; // next free slot; rpos == wpos: empty
};
constinit InputRing cons_in = {};

// Drain a device with `proc` (returns -1 when empty, 0 for nothing to
// store) into the ring. When the ring is full the oldest byte is lost.
void cons_intr(int (*proc)())
{
	int c;
	while ((c = proc()) != -1) {
		if (c == 0)
			continue;
		cons_in.buf[cons_in.wpos] = c;
		cons_in.wpos = (cons_in.wpos + 1) % CONSBUFSIZE;
		if (cons_in.wpos == cons_in.rpos)
			cons_in.rpos = (cons_in.rpos + 1) % CONSBUFSIZE;
	}
}

} // namespace

void serial_intr(void)
{
	if (serial_exists)
		cons_intr(serial_proc_data);
}

void kbd_intr(void)
{
	cons_intr(kbd_proc_data);
}

int cons_getc(void)
{
	// Poll as well, so input works with interrupts off (the monitor
	// runs that way).
	serial_intr();
	kbd_intr();

	if (cons_in.rpos == cons_in.wpos)
		return 0;
	int c = cons_in.buf[cons_in.rpos];
	cons_in.rpos = (cons_in.rpos + 1) % CONSBUFSIZE;
	return c;
}

void cons_init(void)
{
	cga_init();
	// The keyboard needs no set-up: the BIOS left the 8042 enabled;
	// drain whatever it buffered meanwhile.
	kbd_intr();
	serial_init();
	if (!serial_exists)
		cprintf("Serial port does not exist!\n");
}

// **** inc/stdio.h console interface. ****

// Output len bytes of s to the serial port and the screen, moving the
// screen's cursor once at the end.
void cputs(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		serial_putc(s[i]);
	if (crt_buf) {
		cga_puts(s, len);
		cga_move_cursor();
	}
}

// Output one character to the serial port and the screen.
void cputchar(int c)
{
	serial_putc(c);
	cga_putc(c);
	if (crt_buf)
		cga_move_cursor();
}

// Wait (polling) for a key and return it.
int getchar(void)
{
	int c;
	while ((c = cons_getc()) == 0)
		;
	return c;
}

// Every file descriptor is the console in the kernel.
int iscons(int fd)
{
	(void) fd;
	return 1;
}
