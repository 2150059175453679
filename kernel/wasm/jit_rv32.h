/*
 * RV32IMFD instruction encoding for the native tier (jit.c): one function per instruction
 * format, appending 32-bit words to a buffer that only counts once it is full (so a first
 * pass can measure).
 */
#ifndef WASMOS_WASM_JIT_RV32_H
#define WASMOS_WASM_JIT_RV32_H

#include <stdint.h>

typedef struct jbuf {
  uint8_t *buf;
  uint32_t n, cap;
} jbuf;

/* Integer registers by ABI name. */
enum { ZERO = 0, RA = 1, T0 = 5, T1 = 6, T2 = 7, A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15, A6 = 16, A7 = 17,
       T3 = 28, T4 = 29, T5 = 30, T6 = 31 };
/* Float registers: ft0..ft2, fa0. */
enum { FT0 = 0, FT1 = 1, FT2 = 2, FA0 = 10 };

/* buf is word-aligned (rv32 is little-endian, like the instruction encoding). */
static inline void e32(jbuf *b, uint32_t w) {
  if (b->n + 4 <= b->cap) *(uint32_t *)(void *)(b->buf + b->n) = w;
  b->n += 4;
}
static inline bool fits12(int32_t v) { return v >= -2048 && v <= 2047; }

static inline void rv_r(jbuf *b, uint32_t f7, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t op) {
  e32(b, f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op);
}
static inline void rv_i(jbuf *b, int32_t imm, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t op) {
  e32(b, ((uint32_t)imm & 0xFFFu) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op);
}
static inline void rv_s(jbuf *b, int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t op) {
  uint32_t u = (uint32_t)imm;
  e32(b, ((u >> 5) & 0x7Fu) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (u & 0x1Fu) << 7 | op);
}
static inline uint32_t rv_benc(int32_t off, uint32_t rs2, uint32_t rs1, uint32_t f3) {
  uint32_t u = (uint32_t)off;
  return ((u >> 12) & 1u) << 31 | ((u >> 5) & 0x3Fu) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | ((u >> 1) & 0xFu) << 8 |
         ((u >> 11) & 1u) << 7 | 0x63u;
}
static inline uint32_t rv_jenc(int32_t off, uint32_t rd) {
  uint32_t u = (uint32_t)off;
  return ((u >> 20) & 1u) << 31 | ((u >> 1) & 0x3FFu) << 21 | ((u >> 11) & 1u) << 20 | ((u >> 12) & 0xFFu) << 12 | rd << 7 |
         0x6Fu;
}

/* Integer ALU, register forms (funct7, funct3). */
#define RV_ADD 0x00, 0
#define RV_SUB 0x20, 0
#define RV_SLL 0x00, 1
#define RV_SLT 0x00, 2
#define RV_SLTU 0x00, 3
#define RV_XOR 0x00, 4
#define RV_SRL 0x00, 5
#define RV_SRA 0x20, 5
#define RV_OR 0x00, 6
#define RV_AND 0x00, 7
#define RV_MUL 0x01, 0
static inline void rv_op(jbuf *b, uint32_t f7, uint32_t f3, uint32_t rd, uint32_t rs1, uint32_t rs2) {
  rv_r(b, f7, rs2, rs1, f3, rd, 0x33);
}
#define ALU(b, OPN, rd, rs1, rs2) rv_op((b), OPN, (rd), (rs1), (rs2))
static inline void rv_addi(jbuf *b, uint32_t rd, uint32_t rs1, int32_t imm) { rv_i(b, imm, rs1, 0, rd, 0x13); }
static inline void rv_opi(jbuf *b, uint32_t f3, uint32_t rd, uint32_t rs1, int32_t imm) { rv_i(b, imm, rs1, f3, rd, 0x13); }
static inline void rv_lui(jbuf *b, uint32_t rd, uint32_t hi20) { e32(b, (hi20 << 12) | rd << 7 | 0x37u); }
static inline void rv_li(jbuf *b, uint32_t rd, uint32_t v) {
  int32_t s = (int32_t)v;
  if (fits12(s)) {
    rv_addi(b, rd, ZERO, s);
    return;
  }
  uint32_t hi = (v + 0x800u) >> 12, lo = v & 0xFFFu;
  rv_lui(b, rd, hi & 0xFFFFFu);
  if (lo) rv_addi(b, rd, rd, (int32_t)(lo << 20) >> 20);
}
/* Loads (funct3): lb 0, lh 1, lw 2, lbu 4, lhu 5; stores: sb 0, sh 1, sw 2. */
static inline void rv_load(jbuf *b, uint32_t f3, uint32_t rd, uint32_t rs1, int32_t off) { rv_i(b, off, rs1, f3, rd, 0x03); }
static inline void rv_store(jbuf *b, uint32_t f3, uint32_t rs2, uint32_t rs1, int32_t off) { rv_s(b, off, rs2, rs1, f3, 0x23); }
static inline void rv_fld(jbuf *b, uint32_t fd, uint32_t rs1, int32_t off) { rv_i(b, off, rs1, 3, fd, 0x07); }
static inline void rv_fsd(jbuf *b, uint32_t fs, uint32_t rs1, int32_t off) { rv_s(b, off, fs, rs1, 3, 0x27); }
static inline void rv_jalr(jbuf *b, uint32_t rd, uint32_t rs1, int32_t off) { rv_i(b, off, rs1, 0, rd, 0x67); }
/* Double-precision operations (funct7; rounding mode: dynamic, as compiled C uses). */
#define RV_FADD_D 0x01
#define RV_FSUB_D 0x05
#define RV_FMUL_D 0x09
#define RV_FDIV_D 0x0D
static inline void rv_fop(jbuf *b, uint32_t f7, uint32_t fd, uint32_t fs1, uint32_t fs2) { rv_r(b, f7, fs2, fs1, 7, fd, 0x53); }
/* Comparisons to an integer register: feq 2, flt 1, fle 0. */
static inline void rv_fcmp(jbuf *b, uint32_t f3, uint32_t rd, uint32_t fs1, uint32_t fs2) { rv_r(b, 0x51, fs2, fs1, f3, rd, 0x53); }
static inline void rv_fmv_d(jbuf *b, uint32_t fd, uint32_t fs) { rv_r(b, 0x11, fs, fs, 0, fd, 0x53); }
/* fcvt.d.w / fcvt.d.wu (exact). */
static inline void rv_fcvt_d_w(jbuf *b, uint32_t fd, uint32_t rs, bool is_unsigned) { rv_r(b, 0x69, is_unsigned ? 1 : 0, rs, 0, fd, 0x53); }

#endif
