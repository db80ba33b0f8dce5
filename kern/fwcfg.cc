// kern/fwcfg.cc: QEMU's firmware configuration device (fw_cfg), read
// through its x86 I/O ports as QEMU's docs/specs/fw_cfg.rst describes: write
// a 16-bit item key to the selector port, then read the item's bytes one at
// a time from the data port. Item FW_CFG_SIGNATURE holds "QEMU"; item
// FW_CFG_FILE_DIR lists the named files (the -fw_cfg name=... ones): a
// big-endian 32-bit count, then one 64-byte entry per file.

#include <inc/string.h>
#include <inc/x86.h>

#include <kern/fwcfg.hh>

namespace {

constexpr int FW_CFG_PORT_SEL = 0x510;  // selector (16-bit write)
constexpr int FW_CFG_PORT_DATA = 0x511; // data (8-bit read)
constexpr uint16_t FW_CFG_SIGNATURE = 0x00;
constexpr uint16_t FW_CFG_FILE_DIR = 0x19;
constexpr size_t FW_CFG_MAX_FILE_PATH = 56;

// One entry of the file directory; every number in it is big-endian.
struct FwCfgFile {
	uint8_t size[4];   // the file's length in bytes
	uint8_t select[2]; // its item key
	uint8_t reserved[2];
	char name[FW_CFG_MAX_FILE_PATH]; // NUL-terminated
};
static_assert(sizeof(FwCfgFile) == 64);

void select_item(uint16_t key)
{
	outw(FW_CFG_PORT_SEL, key);
}

// Read the next n bytes of the selected item.
void read_bytes(void *dst, size_t n)
{
	uint8_t *p = static_cast<uint8_t *>(dst);
	for (size_t i = 0; i < n; i++)
		p[i] = inb(FW_CFG_PORT_DATA);
}

uint32_t big_endian(const uint8_t *b, int n)
{
	uint32_t v = 0;
	for (int i = 0; i < n; i++)
		v = (v << 8) | b[i];
	return v;
}

bool device_present(void)
{
	char sig[4];
	select_item(FW_CFG_SIGNATURE);
	read_bytes(sig, sizeof sig);
	return memcmp(sig, "QEMU", sizeof sig) == 0;
}

} // namespace

int fwcfg_read_file(const char *name, char *buf, size_t size)
{
	if (!device_present())
		return -1;
	uint8_t count[4];
	select_item(FW_CFG_FILE_DIR);
	read_bytes(count, sizeof count);
	for (uint32_t i = big_endian(count, 4); i > 0; i--) {
		FwCfgFile f;
		read_bytes(&f, sizeof f);
		f.name[FW_CFG_MAX_FILE_PATH - 1] = '\0';
		if (strcmp(f.name, name) != 0)
			continue;
		uint32_t len = big_endian(f.size, 4);
		size_t n = len < size - 1 ? len : size - 1;
		select_item(static_cast<uint16_t>(big_endian(f.select, 2)));
		read_bytes(buf, n);
		buf[n] = '\0';
		return static_cast<int>(len);
	}
	return -1;
}
