/* printf-style formatting: %d %i %u %x %X %p %s %c %%, flags '-' '0', width,
 * precision (for %s, also '*'), length modifiers l, ll, z. No floating point. */
#ifndef LIB_FORMAT_H
#define LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*format_sink)(void *ctx, char c);

int vformat(format_sink sink, void *ctx, const char *fmt, va_list ap);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
__attribute__((format(printf, 3, 4))) int snprintf(char *buf, size_t size, const char *fmt, ...);

#endif
