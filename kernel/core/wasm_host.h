/*
 * What every host function of Wasm tasks needs: checked access to the
 * instance's linear memory, trap messages, slot accessors, and tables of host
 * functions matched by name and exact signature. Shared by the import tables
 * (wasm_imports.c: env and wasmos; wasm_sys_imports.c: wasmos userland
 * extensions; wasi.c: wasi_snapshot_preview1).
 */
#ifndef CORE_WASM_HOST_H
#define CORE_WASM_HOST_H

#include <stddef.h>
#include <stdint.h>
#include "wasm/wasm.h"
#include "wasmos/msg.h"

/* ptr..ptr+len inside linear memory, or NULL. */
uint8_t *wasm_mem_range(wasm_instance *inst, uint32_t ptr, uint32_t len);
/* A whole MSG_MAX-byte, 4-byte aligned message at ptr, or NULL. */
struct msg *wasm_mem_msg(wasm_instance *inst, uint32_t ptr);
/* Copies the NUL-terminated string at ptr into out (max bytes with the NUL).
 * Returns its length, E_BAD_POINTER (not in memory) or E_INVALID (too long). */
int wasm_mem_str(wasm_instance *inst, uint32_t ptr, char *out, uint32_t max);
/* An optional string argument (ptr 0 = none: *res = NULL) into out; 0 or an
 * error of wasm_mem_str. */
int wasm_mem_opt_str(wasm_instance *inst, uint32_t ptr, char *out, uint32_t max, const char **res);
/* Sets the trap message (printf-style) and returns WASM_TRAP_HOST. */
wasm_status wasm_host_fail(wasm_instance *inst, const char *fmt, ...);

/* Argument slot k as i32/u32 (host functions are called with `slots`). */
#define I32(k) ((int32_t)(uint32_t)slots[k])
#define U32(k) ((uint32_t)slots[k])
/* Stores the i32 (RET) or i64 (RET64) result and returns WASM_OK. */
#define RET(v) (slots[0] = (uint64_t)(uint32_t)(int32_t)(v), WASM_OK)
#define RET64(v) (slots[0] = (uint64_t)(v), WASM_OK)

struct host_import {
	const char *module, *field;
	const char *params, *results; /* one letter per value: i = i32, I = i64 */
	wasm_host_fn fn;
};

enum host_match { HOST_BOUND, HOST_REFUSED, HOST_ABSENT };

/*
 * Looks (module, field) up in a table. HOST_BOUND: *out is filled (ctx = the
 * task). HOST_REFUSED: the name is there with another signature (err says
 * both). HOST_ABSENT: not in this table; *module_seen is set when the table
 * has other functions of that module.
 */
enum host_match wasm_host_match(const struct host_import *table, size_t n, void *ctx, const char *module,
				uint32_t module_len, const char *field, uint32_t field_len, const wasm_functype *type,
				wasm_host_binding *out, char *err, size_t errlen, int *module_seen);

#endif
