// test/jos_inc.hh: the inc/ and kern/ headers host tests include.
// inc/types.h defines ssize_t and off_t as the kernel's 32-bit types,
// which collide with the host's (GoogleTest includes <sys/types.h>), so
// they get other names while the headers are read. (inc/mmu.h and what includes it
// assert i386 layouts and cannot be built for a 64-bit host.)
#ifndef JOS_TEST_JOS_INC_HH
#define JOS_TEST_JOS_INC_HH

#include <sys/types.h>

#define ssize_t jos_ssize_t
#define off_t   jos_off_t
#include <inc/elf.h>
#include <inc/error.h>
#include <kern/acpi.hh>
#include <kern/firmware.hh>
#include <kern/mptable.hh>
#include <kern/usersyms.hh>
#include <kern/kdebug.hh>
#undef ssize_t
#undef off_t

#endif // !JOS_TEST_JOS_INC_HH
