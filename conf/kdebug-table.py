#!/usr/bin/env python3
"""Build the kernel's backtrace lookup tables from its own debug information.

GCC 12 no longer emits STABS, so kern/kdebug.cc cannot read symbol and line
information the way the lab's original debuginfo_eip did.  Instead the build
links the kernel once (with empty tables), runs this script on that ELF, and
links again with the generated tables in section .kdebug.

Usage:
    kdebug-table.py KERNEL_ELF OUT.S   tables from KERNEL_ELF's symbol table
                                       and DWARF line programs
    kdebug-table.py --empty OUT.S      the same symbols with zero entries

The output is a GNU assembler file defining, all in section .kdebug:
    kdebug_nfuncs, kdebug_funcs   {uint32 addr; uint32 name}, sorted by addr:
                                  every FUNC symbol (C++ names demangled,
                                  parameter list dropped); an empty name
                                  (offset 0) marks where a function ends
                                  and no other follows at once
    kdebug_nlines, kdebug_lines   {uint32 addr; uint16 line; uint16 file},
                                  sorted by addr, one row per address
    kdebug_nfiles, kdebug_files   uint32 string offsets of source paths,
                                  relative to the repository top when inside it
    kdebug_strtab                 NUL-terminated strings
The layout must match KdebugFunc / KdebugLine in kern/kdebug.hh.

A line row whose file index is NO_FILE (0xffff, line 0) marks the end of a
DWARF sequence: addresses from there up to the next row have no line
information (code from files compiled without -g, padding).

File paths are made relative to the current directory (the build runs from
the repository top); --top DIR overrides that.
"""

import bisect
import os
import shutil
import subprocess
import sys

PROG = 'kdebug-table'
NO_FILE = 0xFFFF
MAX_LINE = 0xFFFF
USAGE = ('usage: kdebug-table.py [--top DIR] KERNEL_ELF OUT.S | '
         'kdebug-table.py --empty OUT.S')


def die(msg, code=1):
    """Print a one-line error and exit with code."""
    print('%s: %s' % (PROG, msg), file=sys.stderr)
    sys.exit(code)


def to_str(s):
    """pyelftools hands back names as bytes; decode them losslessly."""
    if isinstance(s, bytes):
        return s.decode('utf-8', 'surrogateescape')
    return s


# ---------------------------------------------------------------------------
# Function names

def strip_params(name):
    """Drop the parameter list (and anything after it) from a demangled name.

    'foo(int)' -> 'foo', '(anonymous namespace)::bar(char*) const' ->
    '(anonymous namespace)::bar', 'baz(int) [clone .constprop.0]' -> 'baz'.
    For a function template the demangler also prints the return type
    ('void f<int>(int)'); drop it too so only the qualified name is left.
    """
    # Trailing clone suffixes added by GCC's optimizers.
    while name.endswith(']'):
        i = name.rfind(' [')
        if i < 0:
            break
        name = name[:i]
    # Trailing qualifiers of member functions.
    changed = True
    while changed:
        changed = False
        for q in (' const', ' volatile', ' &&', ' &', ' noexcept'):
            if name.endswith(q):
                name = name[:-len(q)]
                changed = True
    if not name.endswith(')'):
        return name
    # Find the '(' matching the final ')'.
    depth = 0
    for i in range(len(name) - 1, -1, -1):
        c = name[i]
        if c == ')':
            depth += 1
        elif c == '(':
            depth -= 1
            if depth == 0:
                break
    else:
        return name                     # unbalanced: leave it alone
    if i == 0:
        return name
    base = name[:i]
    # Return type of a template function: the last space outside any
    # brackets separates it from the name (never for operators, whose
    # names contain spaces of their own).
    if base.endswith('>') and 'operator' not in base:
        depth = 0
        for j in range(len(base) - 1, -1, -1):
            c = base[j]
            if c in ')>':
                depth += 1
            elif c in '(<':
                depth -= 1
            elif c == ' ' and depth == 0:
                base = base[j + 1:]
                break
    return base


def demangle_all(names):
    """Map each C++ mangled name (leading _Z) to a short readable name.

    Runs c++filt (or $CXXFILT) once for all of them; without it the
    mangled names are kept.  Other names map to themselves.
    """
    result = {n: n for n in names}
    mangled = sorted(n for n in names if n.startswith('_Z') and '\n' not in n)
    if not mangled:
        return result
    tool = os.environ.get('CXXFILT') or shutil.which('c++filt')
    if not tool:
        return result
    try:
        proc = subprocess.run([tool], input='\n'.join(mangled) + '\n',
                              capture_output=True, text=True,
                              errors='surrogateescape', check=True)
    except (OSError, subprocess.CalledProcessError):
        return result
    out = proc.stdout.split('\n')
    if len(out) < len(mangled):
        return result
    for m, d in zip(mangled, out):
        d = strip_params(d.strip())
        if d:
            result[m] = d
    return result


def read_functions(elf):
    """[(addr, name)] for the FUNC symbols of elf, one per address, sorted,
    plus end markers: (addr + size, '') where a function with a known size
    ends and no other function starts or continues, so that an address
    past a function (padding, assembly without .type) is not blamed on it.

    Several symbols can share an address (aliases, C++ constructor
    variants); keep the global one if any, then the shortest name, then
    the first in alphabetical order, so the output is deterministic.
    """
    from elftools.elf.sections import SymbolTableSection
    syms = []
    for sec in elf.iter_sections():
        if not isinstance(sec, SymbolTableSection) or sec.name != '.symtab':
            continue
        for sym in sec.iter_symbols():
            if sym['st_info']['type'] != 'STT_FUNC':
                continue
            if sym['st_shndx'] == 'SHN_UNDEF' or not sym.name:
                continue
            syms.append((sym['st_value'], sym['st_size'],
                         sym['st_info']['bind'], to_str(sym.name)))
    names = demangle_all({s[3] for s in syms})
    best = {}
    for addr, _, bind, raw in syms:
        key = (0 if bind == 'STB_GLOBAL' else 1, len(names[raw]), names[raw])
        if addr not in best or key < best[addr]:
            best[addr] = key
    funcs = {addr: key[2] for addr, key in best.items()}

    # End markers. An end is covered if some function starts before it
    # and ends after it.
    extents = sorted((addr, addr + size) for addr, size, _, _ in syms)
    cands = sorted({e for _, e in extents if e not in funcs})
    i, max_end = 0, 0
    for x in cands:
        while i < len(extents) and extents[i][0] < x:
            max_end = max(max_end, extents[i][1])
            i += 1
        if max_end <= x:
            funcs[x] = ''
    for addr in funcs:
        check_u32(addr, 'function address')
    return sorted(funcs.items())


# ---------------------------------------------------------------------------
# Line rows

def check_u32(v, what):
    if not 0 <= v <= 0xFFFFFFFF:
        die('%s 0x%x does not fit in 32 bits' % (what, v))


def text_ranges(elf):
    """[(start, end)] of the allocated executable sections.  Line rows
    outside them come from code the linker discarded (their addresses
    were resolved to 0 or a tombstone) and are dropped."""
    ranges = []
    for sec in elf.iter_sections():
        flags = sec['sh_flags']
        if (flags & 0x2) and (flags & 0x4) and sec['sh_size'] > 0:
            # SHF_ALLOC and SHF_EXECINSTR
            ranges.append((sec['sh_addr'], sec['sh_addr'] + sec['sh_size']))
    return sorted(ranges)


def in_ranges(addr, ranges):
    return any(lo <= addr < hi for lo, hi in ranges)


def cu_file_path(lineprog, file_index, comp_dir):
    """The normalized path of file number file_index of a line program,
    or None if the index is out of range.

    DWARF 2-4: files are numbered from 1, directory 0 is the compilation
    directory.  DWARF 5: both tables are numbered from 0 and entry 0 of
    each is the compilation directory / primary source file."""
    version = lineprog.header['version']
    files = lineprog.header['file_entry']
    dirs = lineprog.header['include_directory']
    idx = file_index if version >= 5 else file_index - 1
    if not 0 <= idx < len(files):
        return None
    entry = files[idx]
    name = to_str(entry.name)
    dir_index = entry.dir_index
    if version >= 5:
        d = to_str(dirs[dir_index]) if 0 <= dir_index < len(dirs) else ''
    elif dir_index == 0:
        d = comp_dir
    else:
        d = (to_str(dirs[dir_index - 1])
             if 0 < dir_index <= len(dirs) else '')
    if not os.path.isabs(d):
        d = os.path.join(comp_dir, d)
    return os.path.normpath(os.path.join(d, name))


def relative_to_top(path, top):
    """path relative to top when it lies under top, else unchanged."""
    for p, t in ((path, top),
                 (os.path.realpath(path), os.path.realpath(top))):
        if p == t or p.startswith(t.rstrip('/') + '/'):
            return os.path.relpath(p, t)
    return path


def iter_sequences(dwarf, top):
    """Yield each DWARF line sequence as (start, end, rows): rows is a list
    of (addr, line, path) in program order, end the end_sequence address
    (one past the sequence's last byte)."""
    for cu in dwarf.iter_CUs():
        lineprog = dwarf.line_program_for_CU(cu)
        if lineprog is None:
            continue
        attr = cu.get_top_DIE().attributes.get('DW_AT_comp_dir')
        comp_dir = to_str(attr.value) if attr else top
        path_cache = {}         # file number -> path, for this CU
        rows = []
        for entry in lineprog.get_entries():
            st = entry.state
            if st is None:
                continue
            if st.end_sequence:
                if rows:
                    yield rows[0][0], st.address, rows
                rows = []
                continue
            if st.file not in path_cache:
                p = cu_file_path(lineprog, st.file, comp_dir)
                path_cache[st.file] = relative_to_top(p, top) if p else None
            if path_cache[st.file] is not None:
                rows.append((st.address, min(st.line, MAX_LINE),
                             path_cache[st.file]))


def read_lines(elf, top):
    """(rows, files): rows is a sorted list of (addr, line, file) with one
    row per address and no row that repeats the previous one's (line, file);
    files lists the source paths the rows index."""
    ranges = text_ranges(elf)
    if not elf.has_dwarf_info():
        return [], []
    dwarf = elf.get_dwarf_info()
    rows = {}           # addr -> (line, path)
    ends = set()        # end-of-sequence addresses
    taken = []          # sorted [start, end) of the sequences used
    for start, end, seq_rows in iter_sequences(dwarf, top):
        # Code the linker discarded has its rows at 0 or a tombstone:
        # outside the text.
        if not in_ranges(start, ranges):
            continue
        # ld points the debug information of a discarded duplicate COMDAT
        # copy (inline functions, templates) at the copy it kept, which
        # comes from the first object file that has it; so the first
        # sequence covering an address is the right one (as addr2line).
        i = bisect.bisect_right(taken, (start, end))
        if ((i > 0 and taken[i - 1][1] > start)
                or (i < len(taken) and taken[i][0] < end)):
            continue
        taken.insert(i, (start, end))
        # Within a sequence the last row for an address is the one that
        # applies; a row at the end address describes no bytes.
        for addr, line, path in seq_rows:
            if addr < end:
                rows[addr] = (line, path)
        ends.add(end)
    # After a sequence and up to the next one there is no line information
    # (code built without -g, padding).
    for a in ends:
        if a not in rows:
            rows[a] = (0, None)

    files = sorted({p for _, p in rows.values() if p is not None})
    if len(files) >= NO_FILE:
        die('too many source files (%d)' % len(files))
    findex = {p: i for i, p in enumerate(files)}
    out = []
    prev = None
    for addr in sorted(rows):
        check_u32(addr, 'line address')
        line, path = rows[addr]
        row = (line, findex[path] if path is not None else NO_FILE)
        if row == prev:
            continue                    # same answer as the row before
        out.append((addr, row[0], row[1]))
        prev = row
    # Leading end markers carry no information.
    while out and out[0][2] == NO_FILE:
        out.pop(0)
    return out, files


# ---------------------------------------------------------------------------
# Output

class Strtab:
    """A string table with each distinct string stored once; offset 0 is
    the empty string."""

    def __init__(self):
        self.strings = ['']
        self.offsets = {'': 0}
        self.size = 1

    def add(self, s):
        if s not in self.offsets:
            self.offsets[s] = self.size
            self.strings.append(s)
            self.size += len(s.encode('utf-8', 'surrogateescape')) + 1
        return self.offsets[s]


def asm_string(s):
    """s as a GNU as string literal (octal escapes for anything unusual)."""
    out = []
    for b in s.encode('utf-8', 'surrogateescape'):
        c = chr(b)
        if c in '"\\':
            out.append('\\' + c)
        elif 0x20 <= b < 0x7F:
            out.append(c)
        else:
            out.append('\\%03o' % b)
    return '"' + ''.join(out) + '"'


def emit(out_path, source, funcs, lines, files):
    """Write the .S file; funcs [(addr, name)], lines [(addr, line, file)]."""
    strtab = Strtab()
    func_rows = [(a, strtab.add(n)) for a, n in funcs]
    file_offs = [strtab.add(p) for p in files]

    o = []
    o.append('/* Generated by conf/kdebug-table.py from %s; do not edit.' % source)
    o.append(' * Read by kern/kdebug.cc; layout in kern/kdebug.hh. */')
    o.append('\t.section .kdebug, "a", @progbits')
    o.append('\t.balign 4')

    def header(sym, count):
        o.append('')
        o.append('\t.globl kdebug_n%s' % sym)
        o.append('\t.type kdebug_n%s, @object' % sym)
        o.append('\t.size kdebug_n%s, 4' % sym)
        o.append('kdebug_n%s:' % sym)
        o.append('\t.long %d' % count)
        o.append('\t.globl kdebug_%s' % sym)
        o.append('\t.type kdebug_%s, @object' % sym)
        o.append('kdebug_%s:' % sym)

    header('funcs', len(func_rows))
    for addr, name in func_rows:
        o.append('\t.long 0x%08x, %d' % (addr, name))
    o.append('\t.size kdebug_funcs, . - kdebug_funcs')

    header('lines', len(lines))
    for addr, line, f in lines:
        o.append('\t.long 0x%08x' % addr)
        o.append('\t.short %d, %d' % (line, f))
    o.append('\t.size kdebug_lines, . - kdebug_lines')

    header('files', len(file_offs))
    for off in file_offs:
        o.append('\t.long %d' % off)
    o.append('\t.size kdebug_files, . - kdebug_files')

    o.append('')
    o.append('\t.globl kdebug_strtab')
    o.append('\t.type kdebug_strtab, @object')
    o.append('kdebug_strtab:')
    for s in strtab.strings:
        o.append('\t.asciz %s' % asm_string(s))
    o.append('\t.size kdebug_strtab, . - kdebug_strtab')
    o.append('')
    o.append('\t.section .note.GNU-stack, "", @progbits')
    o.append('')

    tmp = out_path + '.tmp'
    try:
        with open(tmp, 'w', encoding='ascii') as f:
            f.write('\n'.join(o))
        os.replace(tmp, out_path)
    except OSError as e:
        die('cannot write %s: %s' % (out_path, e.strerror))


def main(argv):
    args = argv[1:]
    top = os.getcwd()
    if len(args) >= 2 and args[0] == '--top':
        top = os.path.abspath(args[1])
        args = args[2:]
    if len(args) != 2 or (args[0].startswith('-') and args[0] != '--empty'):
        die(USAGE, 2)
    src, out_path = args

    if src == '--empty':
        emit(out_path, '(--empty)', [], [], [])
        return 0

    try:
        from elftools.elf.elffile import ELFFile
        from elftools.common.exceptions import ELFError, DWARFError
    except ImportError:
        print('kdebug-table: python3-pyelftools is missing '
              '(apt-get install python3-pyelftools)', file=sys.stderr)
        return 1

    try:
        with open(src, 'rb') as f:
            elf = ELFFile(f)
            funcs = read_functions(elf)
            lines, files = read_lines(elf, top)
    except OSError as e:
        die('cannot read %s: %s' % (src, e.strerror))
    except (ELFError, DWARFError) as e:
        die('%s: %s' % (src, e))
    emit(out_path, src, funcs, lines, files)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
