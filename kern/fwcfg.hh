// kern/fwcfg.hh: reading named files from QEMU's firmware configuration
// device (fw_cfg), through which `make run-<prog>` tells the kernel which
// programs to start (file opt/jos/run, QEMU option -fw_cfg).
#ifndef JOS_KERN_FWCFG_HH
#define JOS_KERN_FWCFG_HH

#include <inc/types.h>

// Copy fw_cfg file `name` (e.g. "opt/jos/run") into buf, at most size - 1
// bytes (size >= 1), and NUL-terminate it. Returns the file's full length
// in bytes (it was cut short if that is >= size), or -1 when there is no
// fw_cfg device (another emulator, real hardware) or no such file.
// Uses the I/O-port interface of QEMU's docs/specs/fw_cfg.rst; takes no
// locks, so call it on one CPU at a time (the boot CPU, at boot).
int fwcfg_read_file(const char *name, char *buf, size_t size);

#endif // !JOS_KERN_FWCFG_HH
