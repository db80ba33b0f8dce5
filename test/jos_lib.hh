// test/jos_lib.hh: the kernel/user library functions under test, as the
// host build sees them. test/Makefrag compiles lib/printfmt.cc and
// lib/string.cc for the host and prefixes every symbol with jos_ (so they
// cannot clash with the host C library the test framework uses).
#ifndef JOS_TEST_JOS_LIB_HH
#define JOS_TEST_JOS_LIB_HH

#include <cstddef>
#include <cstdarg>
#include <cstdint>

extern "C" {
void jos_printfmt(void (*putch)(int, void *), void *putdat, const char *fmt, ...);
void jos_vprintfmt(void (*putch)(int, void *), void *putdat, const char *fmt, va_list ap);
int jos_snprintf(char *buf, int size, const char *fmt, ...);
int jos_vsnprintf(char *buf, int size, const char *fmt, va_list ap);
int jos_strlen(const char *s);
int jos_strnlen(const char *s, size_t size);
char *jos_strcpy(char *dst, const char *src);
char *jos_strncpy(char *dst, const char *src, size_t size);
char *jos_strcat(char *dst, const char *src);
size_t jos_strlcpy(char *dst, const char *src, size_t size);
int jos_strcmp(const char *a, const char *b);
int jos_strncmp(const char *a, const char *b, size_t size);
char *jos_strchr(const char *s, int c);
char *jos_strfind(const char *s, int c);
void *jos_memset(void *dst, int c, size_t len);
void *jos_memcpy(void *dst, const void *src, size_t len);
void *jos_memmove(void *dst, const void *src, size_t len);
int jos_memcmp(const void *a, const void *b, size_t len);
void *jos_memfind(const void *s, int c, size_t len);
size_t jos_find_nonzero_word(const uint32_t *words, size_t n);
long jos_strtol(const char *s, char **endptr, int base);
}

#endif // !JOS_TEST_JOS_LIB_HH
