#include "core/wasm_module_info.h"

struct rd {
	const uint8_t *p, *end;
	bool bad;
};

static uint8_t rd_byte(struct rd *r)
{
	if (r->p >= r->end) {
		r->bad = true;
		return 0;
	}
	return *r->p++;
}

static uint32_t rd_leb(struct rd *r)
{
	uint32_t v = 0;
	for (int shift = 0; shift < 35; shift += 7) {
		uint8_t b = rd_byte(r);
		v |= (uint32_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
	r->bad = true;
	return 0;
}

static const char *rd_name(struct rd *r, uint32_t *len)
{
	uint32_t n = rd_leb(r);
	if (r->bad || n > (uint32_t)(r->end - r->p)) {
		r->bad = true;
		*len = 0;
		return "";
	}
	const char *s = (const char *)r->p;
	r->p += n;
	*len = n;
	return s;
}

static void skip_limits(struct rd *r)
{
	uint8_t flags = rd_byte(r);
	rd_leb(r);
	if (flags & 1)
		rd_leb(r);
}

static int scan_imports(struct rd *r, wasm_import_visit visit, void *ctx)
{
	uint32_t n = rd_leb(r);
	uint32_t funcs = 0;
	for (uint32_t i = 0; i < n && !r->bad; i++) {
		struct wasm_import_ref imp = { 0 };
		imp.module = rd_name(r, &imp.module_len);
		imp.field = rd_name(r, &imp.field_len);
		imp.kind = rd_byte(r);
		switch (imp.kind) {
		case 0:
			rd_leb(r);
			imp.func = funcs++;
			break;
		case 1:
			rd_byte(r);
			skip_limits(r);
			break;
		case 2:
			skip_limits(r);
			break;
		case 3:
			rd_byte(r);
			rd_byte(r);
			break;
		default:
			r->bad = true;
		}
		if (r->bad)
			return -1;
		int v = visit ? visit(ctx, &imp) : 0;
		if (v)
			return v;
	}
	return r->bad ? -1 : 0;
}

int wasm_module_scan(const uint8_t *bytes, uint32_t len, wasm_import_visit visit, void *ctx, bool *has_start)
{
	*has_start = false;
	if (len < 8)
		return -1;
	struct rd r = { bytes + 8, bytes + len, false };
	while (r.p < r.end) {
		uint8_t id = rd_byte(&r);
		uint32_t size = rd_leb(&r);
		if (r.bad || size > (uint32_t)(r.end - r.p))
			return -1;
		struct rd sec = { r.p, r.p + size, false };
		r.p += size;
		if (id == 2) {
			int v = scan_imports(&sec, visit, ctx);
			if (v)
				return v;
		} else if (id == 8) {
			*has_start = true;
		}
	}
	return 0;
}
