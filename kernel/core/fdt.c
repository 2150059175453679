/*
 * A minimal flattened-device-tree reader (devicetree spec v0.4, chapter 5): one
 * pass over the structure block, picking out the nodes the kernel cares about
 * by their compatible strings. Everything is bounds-checked against the
 * header's sizes so a damaged blob yields defaults, not a crash.
 */
#include "core/fdt.h"
#include "lib/string.h"
#include "wasmos/errors.h"

#define FDT_MAGIC 0xd00dfeedu
#define TOK_BEGIN_NODE 1
#define TOK_END_NODE 2
#define TOK_PROP 3
#define TOK_NOP 4
#define TOK_END 9
#define MAX_DEPTH 16

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* Reads a cells-wide number (1 or 2 cells; only the low 32 bits matter on rv32). */
static uint32_t read_cells(const uint8_t *p, uint32_t cells)
{
	return cells == 0 ? 0 : be32(p + 4 * (cells - 1));
}

static bool has_compat(const uint8_t *val, uint32_t len, const char *want)
{
	uint32_t i = 0;
	while (i < len) {
		const char *s = (const char *)val + i;
		uint32_t n = strnlen(s, len - i);
		if (n == strlen(want) && memcmp(s, want, n) == 0)
			return true;
		i += n + 1;
	}
	return false;
}

/* The blob fdt_parse accepted, for the queries (fdt_find_compatible...). */
static struct kept_blob {
	const uint8_t *h;
	uint32_t off_struct, size_struct, off_strings, size_strings;
} kept;
static uint32_t ram_base, ram_size;

enum node_kind { N_OTHER, N_MEMORY, N_CHOSEN, N_CPUS, N_UART, N_PLIC, N_CLINT, N_TEST, N_TRACE, N_VIRTIO, N_RESERVED_CHILD };

struct node {
	uint32_t addr_cells, size_cells; /* for this node's children */
	enum node_kind kind;
	uint32_t reg_base, reg_size;
	uint32_t irq;
	uint32_t ndev;
	bool in_reserved; /* a child of /reserved-memory */
	bool is_reserved_parent;
};

static void finish_node(struct fdt_info *out, const struct node *n)
{
	switch (n->kind) {
	case N_MEMORY:
		if (n->reg_size && !out->mem_size) {
			out->mem_base = n->reg_base;
			out->mem_size = n->reg_size;
		}
		break;
	case N_UART:
		if (n->reg_base && out->uart_irq == 0) {
			out->uart_base = n->reg_base;
			out->uart_irq = n->irq;
		}
		break;
	case N_PLIC:
		out->plic_base = n->reg_base;
		out->plic_size = n->reg_size;
		if (n->ndev)
			out->plic_ndev = n->ndev;
		break;
	case N_CLINT:
		out->clint_base = n->reg_base;
		break;
	case N_TEST:
		out->test_base = n->reg_base;
		break;
	case N_TRACE:
		out->trace_base = n->reg_base;
		out->trace_size = n->reg_size;
		break;
	case N_VIRTIO:
		if (out->n_virtio < FDT_MAX_VIRTIO) {
			out->virtio[out->n_virtio].base = n->reg_base;
			out->virtio[out->n_virtio].size = n->reg_size;
			out->virtio[out->n_virtio].irq = n->irq;
			out->n_virtio++;
		}
		break;
	case N_RESERVED_CHILD:
		if (n->reg_size && out->n_reserved < FDT_MAX_RESERVED) {
			out->reserved[out->n_reserved].base = n->reg_base;
			out->reserved[out->n_reserved].size = n->reg_size;
			out->n_reserved++;
		}
		break;
	default:
		break;
	}
}

static void defaults(struct fdt_info *out)
{
	memset(out, 0, sizeof *out);
	out->mem_base = 0x80000000u;
	out->mem_size = 128u << 20;
	out->timebase_hz = 10000000;
	out->uart_base = 0x10000000u;
	out->uart_irq = 10;
	out->plic_base = 0x0c000000u;
	out->plic_size = 0x600000u;
	out->plic_ndev = 95;
	out->clint_base = 0x02000000u;
	out->test_base = 0x00100000u;
}

void fdt_parse(uint32_t blob, struct fdt_info *out)
{
	defaults(out);
	const uint8_t *h = (const uint8_t *)blob;
	if (!blob || (blob & 3) || be32(h) != FDT_MAGIC)
		return;
	uint32_t total = be32(h + 4);
	uint32_t off_struct = be32(h + 8), off_strings = be32(h + 12), off_rsv = be32(h + 16);
	uint32_t size_strings = be32(h + 32), size_struct = be32(h + 36);
	if (total < 40 || total > (16u << 20) || off_struct + size_struct > total ||
	    off_strings + size_strings > total || off_rsv + 16 > total)
		return;
	out->valid = true;
	out->fdt_base = blob;
	out->fdt_size = total;
	kept = (struct kept_blob){ h, off_struct, size_struct, off_strings, size_strings };

	/* The memory reservation block: (u64 address, u64 size) pairs, ended by zeros. */
	for (uint32_t p = off_rsv; p + 16 <= total; p += 16) {
		uint32_t base = be32(h + p + 4), size = be32(h + p + 12);
		if (!base && !size)
			break;
		if (out->n_reserved < FDT_MAX_RESERVED) {
			out->reserved[out->n_reserved].base = base;
			out->reserved[out->n_reserved].size = size;
			out->n_reserved++;
		}
	}

	struct node stack[MAX_DEPTH];
	int depth = -1;
	const uint8_t *s = h + off_struct;
	uint32_t pos = 0;
	while (pos + 4 <= size_struct) {
		uint32_t tok = be32(s + pos);
		pos += 4;
		if (tok == TOK_BEGIN_NODE) {
			const char *name = (const char *)s + pos;
			uint32_t nlen = strnlen(name, size_struct - pos);
			pos += (nlen + 1 + 3) & ~3u;
			if (depth + 1 >= MAX_DEPTH)
				return;
			struct node *parent = depth >= 0 ? &stack[depth] : 0;
			struct node *n = &stack[++depth];
			memset(n, 0, sizeof *n);
			n->addr_cells = 2;
			n->size_cells = 1;
			if (parent && parent->is_reserved_parent)
				n->kind = N_RESERVED_CHILD;
			if (depth == 1) {
				if (strncmp(name, "memory", 6) == 0 && (name[6] == 0 || name[6] == '@'))
					n->kind = N_MEMORY;
				else if (strcmp(name, "chosen") == 0)
					n->kind = N_CHOSEN;
				else if (strcmp(name, "cpus") == 0)
					n->kind = N_CPUS;
				else if (strcmp(name, "reserved-memory") == 0)
					n->is_reserved_parent = true;
			}
		} else if (tok == TOK_END_NODE) {
			if (depth < 0)
				return;
			finish_node(out, &stack[depth]);
			depth--;
		} else if (tok == TOK_PROP) {
			if (pos + 8 > size_struct || depth < 0)
				return;
			uint32_t len = be32(s + pos), nameoff = be32(s + pos + 4);
			pos += 8;
			if (len > size_struct - pos || nameoff >= size_strings)
				return;
			const uint8_t *val = s + pos;
			pos += (len + 3) & ~3u;
			const char *pname = (const char *)h + off_strings + nameoff;
			struct node *n = &stack[depth];
			struct node *parent = depth > 0 ? &stack[depth - 1] : 0;
			uint32_t ac = parent ? parent->addr_cells : 2, sc = parent ? parent->size_cells : 1;
			if (strcmp(pname, "#address-cells") == 0 && len == 4)
				n->addr_cells = be32(val);
			else if (strcmp(pname, "#size-cells") == 0 && len == 4)
				n->size_cells = be32(val);
			else if (strcmp(pname, "reg") == 0 && ac <= 2 && sc <= 2 && len >= 4 * (ac + sc)) {
				n->reg_base = read_cells(val, ac);
				n->reg_size = read_cells(val + 4 * ac, sc);
			} else if (strcmp(pname, "interrupts") == 0 && len >= 4)
				n->irq = be32(val);
			else if (strcmp(pname, "riscv,ndev") == 0 && len == 4)
				n->ndev = be32(val);
			else if (strcmp(pname, "compatible") == 0) {
				if (has_compat(val, len, "ns16550a"))
					n->kind = N_UART;
				else if (has_compat(val, len, "riscv,plic0") || has_compat(val, len, "sifive,plic-1.0.0"))
					n->kind = N_PLIC;
				else if (has_compat(val, len, "riscv,clint0") || has_compat(val, len, "sifive,clint0"))
					n->kind = N_CLINT;
				else if (has_compat(val, len, "sifive,test0"))
					n->kind = N_TEST;
				else if (has_compat(val, len, "wasmos,trace"))
					n->kind = N_TRACE;
				else if (has_compat(val, len, "virtio,mmio"))
					n->kind = N_VIRTIO;
			} else if (n->kind == N_CHOSEN) {
				if (strcmp(pname, "bootargs") == 0) {
					uint32_t n = len < sizeof out->bootargs - 1 ? len : sizeof out->bootargs - 1;
					memcpy(out->bootargs, val, n);
					out->bootargs[n] = 0;
				}
				else if (strcmp(pname, "linux,initrd-start") == 0 && (len == 4 || len == 8))
					out->initrd_start = read_cells(val, len / 4);
				else if (strcmp(pname, "linux,initrd-end") == 0 && (len == 4 || len == 8))
					out->initrd_end = read_cells(val, len / 4);
			} else if (n->kind == N_CPUS && strcmp(pname, "timebase-frequency") == 0 && len == 4) {
				out->timebase_hz = be32(val);
			}
		} else if (tok == TOK_NOP) {
			continue;
		} else {
			break; /* TOK_END or garbage */
		}
	}
	if (out->initrd_end <= out->initrd_start)
		out->initrd_start = out->initrd_end = 0;
	if (!out->timebase_hz)
		out->timebase_hz = 10000000;
	ram_base = out->mem_base;
	ram_size = out->mem_size;
}

/* ---- queries on the kept blob ---- */

/* What a walk reports for each node, at its end (properties come in any order). */
struct walk_node {
	const uint8_t *compat; /* the compatible property (NUL-separated list), or NULL */
	uint32_t compat_len;
	bool has_reg;
	uint32_t reg_base, reg_size;
	int32_t irq;
	uint32_t addr_cells, size_cells; /* for the children */
};

/* Calls fn for every node of the kept blob; stops early when fn returns true. */
static void walk(bool (*fn)(const struct walk_node *n, void *ctx), void *ctx)
{
	const uint8_t *h = kept.h;
	if (!h)
		return;
	const uint8_t *s = h + kept.off_struct;
	struct walk_node stack[MAX_DEPTH];
	int depth = -1;
	uint32_t pos = 0, size = kept.size_struct;
	while (pos + 4 <= size) {
		uint32_t tok = be32(s + pos);
		pos += 4;
		if (tok == TOK_BEGIN_NODE) {
			pos += ((uint32_t)strnlen((const char *)s + pos, size - pos) + 1 + 3) & ~3u;
			if (depth + 1 >= MAX_DEPTH)
				return;
			struct walk_node *n = &stack[++depth];
			memset(n, 0, sizeof *n);
			n->addr_cells = 2;
			n->size_cells = 1;
		} else if (tok == TOK_END_NODE) {
			if (depth < 0 || fn(&stack[depth], ctx))
				return;
			depth--;
		} else if (tok == TOK_PROP) {
			if (pos + 8 > size || depth < 0)
				return;
			uint32_t len = be32(s + pos), nameoff = be32(s + pos + 4);
			pos += 8;
			if (len > size - pos || nameoff >= kept.size_strings)
				return;
			const uint8_t *val = s + pos;
			pos += (len + 3) & ~3u;
			const char *pname = (const char *)h + kept.off_strings + nameoff;
			struct walk_node *n = &stack[depth];
			uint32_t ac = depth > 0 ? stack[depth - 1].addr_cells : 2, sc = depth > 0 ? stack[depth - 1].size_cells : 1;
			if (strcmp(pname, "#address-cells") == 0 && len == 4)
				n->addr_cells = be32(val);
			else if (strcmp(pname, "#size-cells") == 0 && len == 4)
				n->size_cells = be32(val);
			else if (strcmp(pname, "reg") == 0 && ac >= 1 && ac <= 2 && sc <= 2 && len >= 4 * (ac + sc)) {
				n->has_reg = true;
				n->reg_base = read_cells(val, ac);
				n->reg_size = read_cells(val + 4 * ac, sc);
			} else if (strcmp(pname, "interrupts") == 0 && len >= 4)
				n->irq = (int32_t)be32(val);
			else if (strcmp(pname, "compatible") == 0) {
				n->compat = val;
				n->compat_len = len;
			}
		} else if (tok != TOK_NOP) {
			return;
		}
	}
}

struct find_ctx {
	const char *want;
	uint32_t n;
	struct fdt_device found[FDT_MATCH_MAX];
};

static bool find_one(const struct walk_node *n, void *ctx)
{
	struct find_ctx *c = ctx;
	if (!n->compat || !n->has_reg || !has_compat(n->compat, n->compat_len, c->want))
		return false;
	/* Insertion in address order; equal addresses keep the blob's order. */
	uint32_t i = c->n;
	while (i > 0 && c->found[i - 1].base > n->reg_base) {
		if (i < FDT_MATCH_MAX)
			c->found[i] = c->found[i - 1];
		i--;
	}
	if (i < FDT_MATCH_MAX)
		c->found[i] = (struct fdt_device){ n->reg_base, n->reg_size, n->irq };
	if (c->n < FDT_MATCH_MAX)
		c->n++;
	return false;
}

int fdt_find_compatible(const char *compat, uint32_t index, struct fdt_device *out)
{
	struct find_ctx c; /* ~400 bytes of stack: tasks may call this concurrently */
	c.want = compat;
	c.n = 0;
	walk(find_one, &c);
	if (index >= c.n)
		return E_NOT_FOUND;
	*out = c.found[index];
	return 0;
}

/* The kernel's own devices: never handed to a driver. */
static bool kernel_owned(const uint8_t *compat, uint32_t len)
{
	static const char *const own[] = { "riscv,plic0", "sifive,plic-1.0.0", "riscv,clint0", "sifive,clint0",
					   "sifive,test0", "sifive,test1", "syscon", "wasmos,trace",
					   "riscv,aclint-mswi", "riscv,aclint-mtimer", "riscv,aclint-sswi" };
	for (uint32_t i = 0; i < sizeof own / sizeof own[0]; i++)
		if (has_compat(compat, len, own[i]))
			return true;
	return false;
}

struct window_ctx {
	uint32_t pa, len;
	bool ok;
};

static bool window_one(const struct walk_node *n, void *ctx)
{
	struct window_ctx *c = ctx;
	if (!n->compat || !n->has_reg || !n->reg_size || kernel_owned(n->compat, n->compat_len))
		return false;
	if (c->pa < n->reg_base || (uint64_t)c->pa + c->len > (uint64_t)n->reg_base + n->reg_size)
		return false;
	c->ok = true;
	return true;
}

bool fdt_driver_window(uint32_t pa, uint32_t len)
{
	if ((uint64_t)pa + len > ram_base && pa < (uint64_t)ram_base + ram_size)
		return false;
	struct window_ctx c = { pa, len, false };
	walk(window_one, &c);
	return c.ok;
}
