/* Environment ids: their layout and the envs[] size. Apart from inc/env.h
 * so code without the i386 structures (the host unit tests) can use them.
 * Valid C and C++; macros and a typedef only. */
#ifndef JOS_INC_ENVID_H
#define JOS_INC_ENVID_H

#include <stdint.h>

typedef int32_t envid_t;

/*
 * An environment id, bit 31 down to bit 0:
 *
 *   | 0 | generation (19 bits) | 0 0 | index in envs[] (10 bits) |
 *    31   30                 12 11 10  9                       0
 *
 * ENVX(id) is the index. The generation (kern/envid.hh, ENVGENSHIFT)
 * tells apart environments that used the same slot at different times;
 * it is never 0, so ids are always positive and 0 can mean "the current
 * environment".
 */
#define LOG2NENV		10
#define NENV			(1 << LOG2NENV)
#define ENVX(envid)		((envid) & (NENV - 1))

#endif /* !JOS_INC_ENVID_H */
