// kern/elfcheck.cc: the checks load_icode makes on an embedded ELF image
// before copying it (kern/elfcheck.hh). No kernel state, no panics: the
// caller reports the problem.

#include <inc/elf.h>
#include <inc/string.h>

#include <kern/elfcheck.hh>

// Headers are copied out rather than read in place: e_phoff may be odd,
// and a misaligned Proghdr pointer would be undefined behaviour.
ElfCheck elf_check(const uint8_t *image, size_t size, uint32_t limit)
{
	Elf elf;
	if (size < sizeof(Elf))
		return { ElfProblem::not_elf, -1 };
	memcpy(&elf, image, sizeof elf);
	if (elf.e_magic != ELF_MAGIC)
		return { ElfProblem::not_elf, -1 };
	// Subtractions only of what is known smaller, so nothing wraps.
	if (elf.e_phentsize != sizeof(Proghdr) || elf.e_phoff > size ||
	    elf.e_phnum > (size - elf.e_phoff) / sizeof(Proghdr))
		return { ElfProblem::phdrs_outside, -1 };
	if (elf.e_entry >= limit)
		return { ElfProblem::entry_above_limit, -1 };
	for (int i = 0; i < elf.e_phnum; i++) {
		Proghdr ph;
		memcpy(&ph, image + elf.e_phoff + i * sizeof(Proghdr), sizeof ph);
		if (ph.p_type != ELF_PROG_LOAD)
			continue;
		if (ph.p_filesz > ph.p_memsz || ph.p_offset > size ||
		    ph.p_filesz > size - ph.p_offset)
			return { ElfProblem::segment_outside, i };
		if (ph.p_va >= limit || ph.p_memsz > limit - ph.p_va)
			return { ElfProblem::segment_above_limit, i };
	}
	return { ElfProblem::none, -1 };
}
