// debuginfo_eip: look a kernel address up in the .kdebug tables that
// conf/kdebug-table.py generates from the linked kernel (see kdebug.hh).
// The tables are read-only and sorted by address, so a lookup is two
// binary searches and is safe from any context, including panic.
#include <inc/string.h>
#include <kern/kdebug.hh>

// Defined in the generated obj/kern/kdebug-table.S (.kdebug section).
extern "C" {
extern const uint32_t kdebug_nfuncs;
extern const KdebugFunc kdebug_funcs[];
extern const uint32_t kdebug_nlines;
extern const KdebugLine kdebug_lines[];
extern const uint32_t kdebug_nfiles;
extern const uint32_t kdebug_files[];
extern const char kdebug_strtab[];
}

namespace {

// Index of the last element of table[0, n) whose addr is <= addr, or -1
// if there is none. T has a uint32_t member addr; the table is sorted by
// it.
template <typename T>
int last_at_or_below(const T *table, uint32_t n, uintptr_t addr)
{
	uint32_t lo = 0, hi = n; // answer is in [lo, hi) + 1
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (table[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return static_cast<int>(lo) - 1;
}

constexpr const char UNKNOWN[] = "<unknown>";

} // namespace

int debuginfo_eip(uintptr_t addr, Eipdebuginfo *info)
{
	info->eip_file = UNKNOWN;
	info->eip_line = 0;
	info->eip_fn_name = UNKNOWN;
	info->eip_fn_namelen = sizeof(UNKNOWN) - 1;
	info->eip_fn_addr = addr;
	info->eip_fn_narg = 0;

	int l = last_at_or_below(kdebug_lines, kdebug_nlines, addr);
	if (l >= 0 && kdebug_lines[l].file < kdebug_nfiles) {
		info->eip_file = kdebug_strtab + kdebug_files[kdebug_lines[l].file];
		info->eip_line = kdebug_lines[l].line;
	}

	// An entry with an empty name marks the end of the function before
	// it: addr lies in no known function.
	int f = last_at_or_below(kdebug_funcs, kdebug_nfuncs, addr);
	if (f < 0 || kdebug_strtab[kdebug_funcs[f].name] == '\0')
		return -1;
	info->eip_fn_name = kdebug_strtab + kdebug_funcs[f].name;
	info->eip_fn_namelen = strlen(info->eip_fn_name);
	info->eip_fn_addr = kdebug_funcs[f].addr;
	return 0;
}
