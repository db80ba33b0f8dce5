// kern/elfcheck.hh: whether an ELF image is one load_icode can load. Pure
// checks on bytes in memory, so the host unit tests build them too
// (test/elfcheck_test.cc).
#ifndef JOS_KERN_ELFCHECK_HH
#define JOS_KERN_ELFCHECK_HH

#include <stddef.h>
#include <stdint.h>

// The first thing wrong with an image, in the order elf_check looks.
enum class ElfProblem : uint8_t {
	none,
	not_elf,           // shorter than an ELF header, or no ELF magic
	phdrs_outside,     // program headers of another size, or not all in the image
	entry_above_limit, // entry point at or above the limit
	segment_outside,   // a segment's file bytes outside the image, or filesz > memsz
	segment_above_limit, // a segment's memory reaches the limit (or wraps)
};

struct ElfCheck {
	ElfProblem problem;
	int segment; // index of the program header at fault, else -1
};

// Check the size-byte ELF image at image (any alignment): the header and
// every program header lie inside it, the entry point is below limit, and
// every loadable segment has its file bytes inside the image, filesz <=
// memsz, and memory [p_va, p_va + p_memsz) below limit. load_icode passes
// UTOP. All arithmetic is overflow-free, so hostile values cannot wrap.
ElfCheck elf_check(const uint8_t *image, size_t size, uint32_t limit);

#endif // !JOS_KERN_ELFCHECK_HH
