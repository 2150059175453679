/* Freestanding replacements for the few libc string routines the runtime needs. */
#include "internal.h"

/*
 * Copies and fills go to the environment's memcpy/memmove/memset (the kernel's
 * kernel/lib/string.c, or the C library of a native build), which the compiler
 * may call anyway (wasm.mk): one tuned implementation, word-wise even when the
 * two pointers are offset within a word, as memory.copy's often are.
 */
/* (n == 0 may come with a null pointer, which the C functions do not allow.) */
void wu_memcpy(void *dst, const void *src, size_t n) {
  if (n) __builtin_memcpy(dst, src, n);
}

void wu_memmove(void *dst, const void *src, size_t n) {
  if (n) __builtin_memmove(dst, src, n);
}

void wu_memset(void *dst, int v, size_t n) {
  if (n) __builtin_memset(dst, v, n);
}

int wu_memcmp(const void *a, const void *b, size_t n) {
  const uint8_t *x = a, *y = b;
  for (size_t i = 0; i < n; i++)
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

size_t wu_strlen(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

typedef struct wout {
  char *buf;
  size_t n, len;
} wout;

static void out_c(wout *o, char c) {
  if (o->len + 1 < o->n) o->buf[o->len++] = c;
}

static void out_s(wout *o, const char *s, size_t max) {
  for (size_t i = 0; i < max && s[i]; i++) out_c(o, s[i]);
}

static void out_u(wout *o, uint32_t v, uint32_t base) {
  char tmp[12];
  int i = 0;
  do {
    uint32_t d = v % base;
    tmp[i++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
    v /= base;
  } while (v);
  while (i) out_c(o, tmp[--i]);
}

void wu_fmtv(char *buf, size_t n, const char *fmt, va_list ap) {
  wout o = {buf, n, 0};
  if (n == 0) return;
  for (const char *f = fmt; *f; f++) {
    if (*f != '%') {
      out_c(&o, *f);
      continue;
    }
    f++;
    if (*f == '.' && f[1] == '*' && f[2] == 's') {
      int len = va_arg(ap, int);
      const char *s = va_arg(ap, const char *);
      /* Names from modules may hold any byte: print controls as '?'. */
      for (int i = 0; i < len && s; i++) out_c(&o, (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?');
      f += 2;
      continue;
    }
    switch (*f) {
    case 's': {
      const char *s = va_arg(ap, const char *);
      out_s(&o, s ? s : "(null)", (size_t)-1);
      break;
    }
    case 'u': out_u(&o, va_arg(ap, uint32_t), 10); break;
    case 'x': out_u(&o, va_arg(ap, uint32_t), 16); break;
    case 'd': {
      int32_t v = va_arg(ap, int32_t);
      if (v < 0) {
        out_c(&o, '-');
        out_u(&o, 0u - (uint32_t)v, 10);
      } else {
        out_u(&o, (uint32_t)v, 10);
      }
      break;
    }
    case 'c': out_c(&o, (char)va_arg(ap, int)); break;
    case '%': out_c(&o, '%'); break;
    case 0: f--; break;
    default: out_c(&o, '%'); out_c(&o, *f); break;
    }
  }
  o.buf[o.len] = 0;
}

void wu_fmt(char *buf, size_t n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  wu_fmtv(buf, n, fmt, ap);
  va_end(ap);
}
