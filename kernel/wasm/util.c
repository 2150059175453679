/* Freestanding replacements for the few libc string routines the runtime needs. */
#include "internal.h"

/* Word moves when both pointers are aligned: the runtime copies code, segments and memory. */
typedef uint32_t __attribute__((may_alias)) wword;

void wu_memcpy(void *dst, const void *src, size_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  if ((((uintptr_t)d | (uintptr_t)s) & 3u) == 0) {
    /* Four words per step: translated code is copied once per function at every spawn. */
    for (; n >= 16; n -= 16, d += 16, s += 16) {
      wword a = ((const wword *)(const void *)s)[0], b = ((const wword *)(const void *)s)[1];
      wword c = ((const wword *)(const void *)s)[2], e = ((const wword *)(const void *)s)[3];
      ((wword *)(void *)d)[0] = a;
      ((wword *)(void *)d)[1] = b;
      ((wword *)(void *)d)[2] = c;
      ((wword *)(void *)d)[3] = e;
    }
    for (; n >= 4; n -= 4, d += 4, s += 4) *(wword *)(void *)d = *(const wword *)(const void *)s;
  }
  while (n--) *d++ = *s++;
}

void wu_memmove(void *dst, const void *src, size_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  if (d == s || n == 0) return;
  if (d < s || d >= s + n) {
    wu_memcpy(dst, src, n);
    return;
  }
  /* Overlapping, destination above the source: copy downwards. */
  d += n;
  s += n;
  if ((((uintptr_t)d | (uintptr_t)s) & 3u) == 0) {
    for (; n >= 4; n -= 4) {
      d -= 4;
      s -= 4;
      *(wword *)(void *)d = *(const wword *)(const void *)s;
    }
  }
  while (n--) *--d = *--s;
}

void wu_memset(void *dst, int v, size_t n) {
  uint8_t *d = dst;
  uint32_t w = (uint8_t)v * 0x01010101u;
  while (n && ((uintptr_t)d & 3u)) {
    *d++ = (uint8_t)v;
    n--;
  }
  /* Four words per step: instantiation clears the value stack and linear memory. */
  for (; n >= 16; n -= 16, d += 16) {
    ((wword *)(void *)d)[0] = w;
    ((wword *)(void *)d)[1] = w;
    ((wword *)(void *)d)[2] = w;
    ((wword *)(void *)d)[3] = w;
  }
  for (; n >= 4; n -= 4, d += 4) *(wword *)(void *)d = w;
  while (n--) *d++ = (uint8_t)v;
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
