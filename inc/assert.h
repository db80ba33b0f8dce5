/* panic, warn and assert for kernel and user space. The kernel prints
 * "kernel panic on CPU %d at %s:%d: ", user space
 * "[%08x] user panic in %s at %s:%d: " (docs/GRADERS.md section 2). */
#ifndef JOS_INC_ASSERT_H
#define JOS_INC_ASSERT_H

#include <inc/stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

void _warn(const char *file, int line, const char *fmt, ...);
__attribute__((noreturn, cold))
void _panic(const char *file, int line, const char *fmt, ...);

#ifdef __cplusplus
}
#endif

#define warn(...) _warn(__FILE__, __LINE__, __VA_ARGS__)
#define panic(...) _panic(__FILE__, __LINE__, __VA_ARGS__)

#define assert(x)                                               \
	do {                                                    \
		if (!(x))                                       \
			panic("assertion failed: %s", #x);      \
	} while (0)

/* Two-operand assert that prints both values (as unsigned hex). */
#define assert_eq(a, b)                                                 \
	do {                                                            \
		uint32_t __ae_a = (uint32_t) (a), __ae_b = (uint32_t) (b); \
		if (__ae_a != __ae_b)                                   \
			panic("assertion failed: %s == %s (0x%x vs 0x%x)", \
			      #a, #b, __ae_a, __ae_b);                  \
	} while (0)

#ifndef __cplusplus
#define static_assert(x) _Static_assert(x, #x)
#endif

#endif /* !JOS_INC_ASSERT_H */
