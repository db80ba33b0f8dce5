/* String and memory functions (lib/string.cc), for kernel and user space. */
#ifndef JOS_INC_STRING_H
#define JOS_INC_STRING_H

#include <inc/types.h>

#ifdef __cplusplus
extern "C" {
#endif

int strlen(const char *s);
int strnlen(const char *s, size_t size);
char *strcpy(char *dst, const char *src);
char *strncpy(char *dst, const char *src, size_t size);
char *strcat(char *dst, const char *src);
size_t strlcpy(char *dst, const char *src, size_t size);
int strcmp(const char *s1, const char *s2);
int strncmp(const char *s1, const char *s2, size_t size);
char *strchr(const char *s, int c);
char *strfind(const char *s, int c);

void *memset(void *dst, int c, size_t len);
void *memcpy(void *dst, const void *src, size_t len);
void *memmove(void *dst, const void *src, size_t len);
int memcmp(const void *s1, const void *s2, size_t len);
void *memfind(const void *s, int c, size_t len);
/* Index of the first nonzero word among words[0..n), or n if none. For
 * scanning page tables, where most entries are 0 (user code passes
 * uvpt/uvpd cast to non-volatile: the scan runs between system calls,
 * whose "memory" clobber makes the compiler read the tables afresh). */
size_t find_nonzero_word(const uint32_t *words, size_t n);

long strtol(const char *s, char **endptr, int base);

#ifdef __cplusplus
}
#endif

#endif /* !JOS_INC_STRING_H */
