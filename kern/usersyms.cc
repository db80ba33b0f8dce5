// kern/usersyms.cc: look up a user address in an embedded program's ELF
// symbol table (System V ABI, "Symbol Table"; inc/elf.h).

#include <inc/elf.h>
#include <inc/string.h>

#include <kern/usersyms.hh>

namespace {

// Is [off, off + len) inside an image of size bytes?
bool inside(size_t size, uint32_t off, uint32_t len)
{
	return off <= size && len <= size - off;
}

} // namespace

bool user_fn_at(const uint8_t *image, size_t size, uintptr_t va, UserFn *fn)
{
	if (size < sizeof(Elf))
		return false;
	Elf elf;
	memcpy(&elf, image, sizeof(elf));
	if (elf.e_magic != ELF_MAGIC || elf.e_shentsize != sizeof(Secthdr) ||
	    !inside(size, elf.e_shoff, elf.e_shnum * sizeof(Secthdr)))
		return false;
	const Secthdr *sh = (const Secthdr *) (image + elf.e_shoff);
	bool found = false;
	for (int i = 0; i < elf.e_shnum; i++) {
		if (sh[i].sh_type != ELF_SHT_SYMTAB || sh[i].sh_link >= elf.e_shnum)
			continue;
		const Secthdr &strtab = sh[sh[i].sh_link];
		if (!inside(size, sh[i].sh_offset, sh[i].sh_size) ||
		    !inside(size, strtab.sh_offset, strtab.sh_size))
			continue;
		const Elfsym *sym = (const Elfsym *) (image + sh[i].sh_offset);
		const char *names = (const char *) (image + strtab.sh_offset);
		for (size_t k = 0; k < sh[i].sh_size / sizeof(Elfsym); k++) {
			const Elfsym &s = sym[k];
			if (ELF_ST_TYPE(s.st_info) != ELF_STT_FUNC || s.st_value > va ||
			    (s.st_size && va - s.st_value >= s.st_size) ||
			    s.st_name >= strtab.sh_size ||
			    (found && s.st_value <= fn->addr))
				continue;
			fn->name = names + s.st_name;
			fn->namelen = (int) strnlen(fn->name, strtab.sh_size - s.st_name);
			fn->addr = s.st_value;
			found = true;
		}
	}
	return found;
}
