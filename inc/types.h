/* Basic integer types and arithmetic helpers shared by the kernel, the user
 * library, user programs and (guarded) assembly. Valid C and C++. */
#ifndef JOS_INC_TYPES_H
#define JOS_INC_TYPES_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stddef.h>

#ifndef __cplusplus
typedef _Bool bool;
enum { false, true };
#endif

typedef int32_t ssize_t;
typedef int32_t off_t;

/* Physical addresses are plain 32-bit numbers: never dereference one. */
typedef uint32_t physaddr_t;

#define MIN(_a, _b)                                             \
	({                                                      \
		__typeof__(_a) __a = (_a);                      \
		__typeof__(_b) __b = (_b);                      \
		__a <= __b ? __a : __b;                         \
	})
#define MAX(_a, _b)                                             \
	({                                                      \
		__typeof__(_a) __a = (_a);                      \
		__typeof__(_b) __b = (_b);                      \
		__a >= __b ? __a : __b;                         \
	})

/* Round down / up to a multiple of n (n need not be a power of 2). */
#define ROUNDDOWN(a, n)                                         \
	({                                                      \
		uint32_t __a = (uint32_t) (a);                  \
		(__typeof__(a)) (__a - __a % (n));              \
	})
#define ROUNDUP(a, n)                                                   \
	({                                                              \
		uint32_t __n = (uint32_t) (n);                          \
		(__typeof__(a)) (ROUNDDOWN((uint32_t) (a) + __n - 1, __n)); \
	})

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#ifndef offsetof
#define offsetof(type, member) __builtin_offsetof(type, member)
#endif

#endif /* !__ASSEMBLER__ */
#endif /* !JOS_INC_TYPES_H */
