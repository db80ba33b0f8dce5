// kern/programs.cc: finding embedded user programs by name and starting
// them, from a spec such as "yield*3 hello" (make run-<prog>, through
// fw_cfg) or from the monitor's `run`.

#include <inc/stdio.h>
#include <inc/string.h>

#include <kern/env.hh>
#include <kern/fwcfg.hh>
#include <kern/programs.hh>

namespace {

constexpr char FWCFG_RUN_FILE[] = "opt/jos/run";
constexpr size_t SPEC_MAX = 256; // bytes of a spec, NUL included
constexpr size_t NAME_MAX = 64;  // bytes of a program name, NUL included

// Check that `copies` copies of program `name` can start now, beyond
// `already` environments asked for earlier in the same spec. Prints one
// line starting with who and returns null if not.
const UserProgram *check_start(const char *name, int copies, int already, const char *who)
{
	const UserProgram *p = find_user_program(name);
	if (p == nullptr) {
		cprintf("%s: no program '%s'; ", who, name);
		print_user_programs();
		return nullptr;
	}
	if (copies < 1 || copies > NENV) {
		cprintf("%s: '%s': the number of copies must be 1 to %d\n", who, name,
			NENV);
		return nullptr;
	}
	int free = env_free_count();
	if (already + copies > free) {
		cprintf("%s: %d environments asked for, %d free\n", who, already + copies,
			free);
		return nullptr;
	}
	return p;
}

bool is_separator(char c)
{
	return c == ' ' || c == ',' || c == '\t' || c == '\r' || c == '\n';
}

// Split the spec word at *pos ("name" or "name*copies") into name (NUL-
// terminated, at most NAME_MAX - 1 bytes) and copies (-1 if the count is
// not a decimal number); advance *pos past it. Returns false at the end.
bool next_word(const char **pos, char name[NAME_MAX], int *copies)
{
	const char *s = *pos;
	while (is_separator(*s))
		s++;
	if (*s == '\0')
		return false;
	size_t n = 0;
	for (; *s != '\0' && *s != '*' && !is_separator(*s); s++)
		if (n < NAME_MAX - 1)
			name[n++] = *s;
	name[n] = '\0';
	*copies = 1;
	if (*s == '*') {
		char *end;
		long v = strtol(++s, &end, 10);
		bool number = end != s && (*end == '\0' || is_separator(*end));
		*copies = number && v <= NENV ? static_cast<int>(v) : -1;
		while (*s != '\0' && !is_separator(*s))
			s++;
	}
	*pos = s;
	return true;
}

void create(const UserProgram *p, int copies)
{
	for (int i = 0; i < copies; i++)
		env_create(p->start, p->end - p->start, ENV_TYPE_USER);
}

} // namespace

const UserProgram *find_user_program(const char *name)
{
	if (strncmp(name, "user_", 5) == 0)
		name += 5;
	for (const UserProgram *p = user_programs; p->name != nullptr; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return nullptr;
}

void print_user_programs(void)
{
	cprintf("embedded programs:");
	for (const UserProgram *p = user_programs; p->name != nullptr; p++)
		cprintf(" %s", p->name);
	cprintf("\n");
}

int start_user_program(const char *name, int copies, const char *who)
{
	const UserProgram *p = check_start(name, copies, 0, who);
	if (p == nullptr)
		return -1;
	create(p, copies);
	return 0;
}

int start_user_programs(const char *spec, const char *who)
{
	char name[NAME_MAX];
	int copies, total = 0;
	for (const char *s = spec; next_word(&s, name, &copies); total += copies)
		if (check_start(name, copies, total, who) == nullptr)
			return -1;
	if (total == 0) {
		cprintf("%s: names no program; ", who);
		print_user_programs();
		return -1;
	}
	for (const char *s = spec; next_word(&s, name, &copies);)
		create(find_user_program(name), copies);
	return total;
}

bool start_fwcfg_programs(void)
{
	char spec[SPEC_MAX];
	int len = fwcfg_read_file(FWCFG_RUN_FILE, spec, sizeof spec);
	if (len < 0)
		return false;
	if (static_cast<size_t>(len) >= sizeof spec)
		cprintf("%s: longer than %u bytes\n", FWCFG_RUN_FILE,
			(unsigned) sizeof spec - 1);
	else
		start_user_programs(spec, FWCFG_RUN_FILE);
	return true;
}
