// Kernel debug information: map a kernel text address to its function,
// source file and line, for backtraces. The data comes from tables that
// conf/kdebug-table.py builds from the kernel's own symbol table and DWARF
// line programs and that the second link pass places in section .kdebug
// (the first pass links empty tables).
#ifndef JOS_KERN_KDEBUG_HH
#define JOS_KERN_KDEBUG_HH

#include <inc/types.h>

// What debuginfo_eip found out about an instruction address.
struct Eipdebuginfo {
	const char *eip_file; // Source file, relative to the repo top
	int eip_line;         // Source line (0 if unknown)

	const char *eip_fn_name; // Function name (not NUL-terminated
				 // as far as eip_fn_namelen goes)
	int eip_fn_namelen;      // Length of the function name
	uintptr_t eip_fn_addr;   // Start address of the function
	int eip_fn_narg;         // Number of arguments (always 0: the
				 // tables do not record them)
};

// Fill *info for the instruction at virtual address addr. Returns 0 if a
// function containing addr was found, -1 if not (info then holds the
// defaults "<unknown>", line 0). Allocates nothing, takes no locks.
int debuginfo_eip(uintptr_t addr, Eipdebuginfo *info);

// Table layouts shared with conf/kdebug-table.py (which emits them with
// .long/.short). Offsets index kdebug_strtab.
struct KdebugFunc {
	uint32_t addr; // First byte of the function
	uint32_t name; // Offset of its name; an empty name
		       // marks the end of the function
		       // before (no function here)
};

// No file: the row ends a DWARF sequence; addresses from it up to the
// next row have no line information.
constexpr uint16_t KDEBUG_NO_FILE = 0xFFFF;

struct KdebugLine {
	uint32_t addr; // First byte the row describes
	uint16_t line; // 0 if unknown
	uint16_t file; // Index into kdebug_files, or
		       // KDEBUG_NO_FILE
};

static_assert(sizeof(KdebugFunc) == 8, "must match kdebug-table.py");
static_assert(sizeof(KdebugLine) == 8, "must match kdebug-table.py");
static_assert(__builtin_offsetof(KdebugLine, file) == 6, "must match kdebug-table.py");

#endif // !JOS_KERN_KDEBUG_HH
