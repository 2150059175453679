/* Bounds-checked reading of the binary format: bytes, LEB128 integers, names. */
#include "internal.h"

bool rd_fail(wreader *r, const uint8_t *at, const char *fmt, ...) {
  if (r->failed) return false;
  r->failed = true;
  char rule[200];
  va_list ap;
  va_start(ap, fmt);
  wu_fmtv(rule, sizeof rule, fmt, ap);
  va_end(ap);
  if (at < r->base) at = r->base;
  wu_fmt(r->err, r->errlen, "%s section at offset 0x%x: %s", r->section ? r->section : "module",
       (uint32_t)(at - r->base), rule);
  return false;
}

bool rd_u8_slow(wreader *r, uint8_t *out) {
  if (r->p >= r->end) return rd_fail(r, r->p, "unexpected end");
  *out = *r->p++;
  return true;
}

bool rd_u32_slow(wreader *r, uint32_t *out) {
  const uint8_t *start = r->p;
  uint32_t v = 0;
  for (int i = 0; i < 5; i++) {
    if (r->p >= r->end) return rd_fail(r, start, "unexpected end of LEB128 integer");
    uint8_t b = *r->p++;
    if (i == 4 && (b & 0xF0)) {
      return rd_fail(r, start, (b & 0x80) ? "integer representation too long" : "integer too large");
    }
    v |= (uint32_t)(b & 0x7F) << (7 * i);
    if (!(b & 0x80)) {
      *out = v;
      return true;
    }
  }
  return false;
}

/* Signed LEB128 of `bits` bits (32, 33 or 64). */
static bool rd_sleb(wreader *r, unsigned bits, int64_t *out) {
  const uint8_t *start = r->p;
  unsigned maxbytes = (bits + 6) / 7;
  uint64_t v = 0;
  unsigned shift = 0;
  for (unsigned i = 0; i < maxbytes; i++) {
    if (r->p >= r->end) return rd_fail(r, start, "unexpected end of LEB128 integer");
    uint8_t b = *r->p++;
    if (i == maxbytes - 1) {
      if (b & 0x80) return rd_fail(r, start, "integer representation too long");
      /* The unused high bits of the last byte must all equal the sign bit. */
      unsigned used = bits - 7 * i;       /* value bits taken from this byte */
      int8_t sb = (int8_t)(b << 1) >> 1;  /* sign-extend the 7-bit payload */
      int8_t top = (int8_t)(sb >> (used - 1));
      if (top != 0 && top != -1) return rd_fail(r, start, "integer too large");
    }
    v |= (uint64_t)(b & 0x7F) << shift;
    shift += 7;
    if (!(b & 0x80)) {
      if (shift < 64 && (b & 0x40)) v |= ~(uint64_t)0 << shift;
      *out = (int64_t)v;
      return true;
    }
  }
  return false;
}

/* rd_sleb(32) in 32-bit arithmetic (64-bit shifts are calls-free but long on rv32); same rules and messages. */
bool rd_s32_slow(wreader *r, int32_t *out) {
  const uint8_t *start = r->p;
  uint32_t v = 0;
  for (unsigned i = 0; i < 5; i++) {
    if (r->p >= r->end) return rd_fail(r, start, "unexpected end of LEB128 integer");
    uint8_t b = *r->p++;
    if (i == 4) {
      if (b & 0x80) return rd_fail(r, start, "integer representation too long");
      int8_t top = (int8_t)((int8_t)(b << 1) >> 4); /* the payload's bits 3..6 must repeat bit 3 */
      if (top != 0 && top != -1) return rd_fail(r, start, "integer too large");
      *out = (int32_t)(v | (uint32_t)b << 28);
      return true;
    }
    v |= (uint32_t)(b & 0x7F) << (7 * i);
    if (!(b & 0x80)) {
      if (b & 0x40) v |= ~0u << (7 * i + 7);
      *out = (int32_t)v;
      return true;
    }
  }
  return false;
}

bool rd_s33(wreader *r, int64_t *out) { return rd_sleb(r, 33, out); }
bool rd_s64(wreader *r, int64_t *out) { return rd_sleb(r, 64, out); }

bool rd_bytes(wreader *r, uint32_t n, const uint8_t **out) {
  if ((size_t)(r->end - r->p) < n) return rd_fail(r, r->p, "unexpected end (length %u out of bounds)", n);
  *out = r->p;
  r->p += n;
  return true;
}

static bool utf8_valid(const uint8_t *s, uint32_t n) {
  uint32_t i = 0;
  while (i < n) {
    uint8_t c = s[i];
    uint32_t len, cp;
    if (c < 0x80) { i++; continue; }
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return false;
    if (n - i < len) return false;
    for (uint32_t k = 1; k < len; k++) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

bool rd_name(wreader *r, const uint8_t **out, uint32_t *len) {
  const uint8_t *start = r->p;
  if (!rd_u32(r, len) || !rd_bytes(r, *len, out)) return false;
  if (!utf8_valid(*out, *len)) return rd_fail(r, start, "malformed UTF-8 encoding in name");
  return true;
}
