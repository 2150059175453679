#include <stdarg.h>
#include <stdbool.h>
#include "core/wasm_host.h"
#include "lib/format.h"
#include "lib/string.h"
#include "wasmos/errors.h"


uint8_t *wasm_mem_range(wasm_instance *inst, uint32_t ptr, uint32_t len)
{
	uint32_t size;
	uint8_t *m = wasm_memory(inst, &size);
	if (!m || ptr > size || len > size - ptr)
		return NULL;
	return m + ptr;
}

struct msg *wasm_mem_msg(wasm_instance *inst, uint32_t ptr)
{
	uint8_t *p = wasm_mem_range(inst, ptr, MSG_MAX);
	return p && !((uintptr_t)p & 3) ? (struct msg *)p : NULL;
}

/* Copies the NUL-terminated string at ptr into out (max bytes with the NUL).
 * Returns its length, E_BAD_POINTER (not in memory) or E_INVALID (too long). */
int wasm_mem_str(wasm_instance *inst, uint32_t ptr, char *out, uint32_t max)
{
	uint32_t size;
	uint8_t *m = wasm_memory(inst, &size);
	if (!m || ptr >= size)
		return E_BAD_POINTER;
	uint32_t avail = size - ptr;
	for (uint32_t i = 0; i < max; i++) {
		if (i == avail)
			return E_BAD_POINTER;
		out[i] = (char)m[ptr + i];
		if (!out[i])
			return (int)i;
	}
	return E_INVALID;
}

int wasm_mem_opt_str(wasm_instance *inst, uint32_t ptr, char *out, uint32_t max, const char **res)
{
	*res = NULL;
	if (!ptr)
		return 0;
	int n = wasm_mem_str(inst, ptr, out, max);
	if (n < 0)
		return n;
	*res = out;
	return 0;
}

wasm_status wasm_host_fail(wasm_instance *inst, const char *fmt, ...)
{
	char buf[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	wasm_set_trap_message(inst, buf);
	return WASM_TRAP_HOST;
}


static bool name_is(const char *s, uint32_t n, const char *want)
{
	return strlen(want) == n && memcmp(s, want, n) == 0;
}

static uint8_t type_code(char c) { return c == 'I' ? WASM_I64 : WASM_I32; }

static bool types_match(const char *want, uint32_t n, const uint8_t *got)
{
	if (strlen(want) != n)
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (got[i] != type_code(want[i]))
			return false;
	return true;
}

static const char *type_name(uint8_t t)
{
	switch (t) {
	case WASM_I32: return "i32";
	case WASM_I64: return "i64";
	case WASM_F32: return "f32";
	case WASM_F64: return "f64";
	case WASM_FUNCREF: return "funcref";
	case WASM_EXTERNREF: return "externref";
	default: return "?";
	}
}

/* "(i32, i32) -> i32" for a table entry (codes == NULL) or a module's type. */
static int sig_text(char *buf, size_t size, const char *params, const char *results, const wasm_functype *t)
{
	int n = snprintf(buf, size, "(");
	uint32_t np = t ? t->nparams : (uint32_t)strlen(params);
	for (uint32_t i = 0; i < np && (size_t)n < size; i++)
		n += snprintf(buf + n, size - (size_t)n, "%s%s", i ? ", " : "", type_name(t ? t->params[i] : type_code(params[i])));
	uint32_t nr = t ? t->nresults : (uint32_t)strlen(results);
	if ((size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, ") -> %s", nr == 0 ? "()" : "");
	for (uint32_t i = 0; i < nr && (size_t)n < size; i++)
		n += snprintf(buf + n, size - (size_t)n, "%s%s", i ? ", " : "", type_name(t ? t->results[i] : type_code(results[i])));
	return n;
}

enum host_match wasm_host_match(const struct host_import *table, size_t n, void *ctx, const char *module,
				uint32_t module_len, const char *field, uint32_t field_len, const wasm_functype *type,
				wasm_host_binding *out, char *err, size_t errlen, int *module_seen)
{
	for (size_t i = 0; i < n; i++) {
		const struct host_import *h = &table[i];
		if (!name_is(module, module_len, h->module))
			continue;
		*module_seen = 1;
		if (!name_is(field, field_len, h->field))
			continue;
		if (!types_match(h->params, type->nparams, type->params) || !types_match(h->results, type->nresults, type->results)) {
			char want[64], got[96];
			sig_text(want, sizeof want, h->params, h->results, NULL);
			sig_text(got, sizeof got, NULL, NULL, type);
			snprintf(err, errlen, "wrong signature: expected %s, got %s", want, got);
			return HOST_REFUSED;
		}
		out->fn = h->fn;
		out->ctx = ctx;
		return HOST_BOUND;
	}
	return HOST_ABSENT;
}
