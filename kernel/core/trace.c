#include "core/trace.h"
#include "core/task.h"
#include "core/pmm.h"
#include "core/timeout.h"
#include "core/console.h"
#include "core/wasm_task.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/irq.h"
#include "lib/format.h"
#include "lib/string.h"
#include "wasmos/errors.h"

#define RING_DATA_SIZE (256u * 1024)
#define STATS_PERIOD_MS 100

volatile struct trace_header *trace_ring;
static uint8_t *ring_data;
static uint32_t ring_mask;
static uint64_t next_stats;
static volatile struct trace_header *parked; /* the ring while recording is switched off */

static inline void mmio_w32(uint32_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint32_t mmio_r32(uint32_t a) { return *(volatile uint32_t *)a; }

void trace_init(const struct fdt_info *info)
{
	if (!info->trace_base)
		return;
	if (mmio_r32(info->trace_base + TRACE_REG_MAGIC) != TRACE_MAGIC) {
		kprintf("trace: no device at %p\n", (void *)info->trace_base);
		return;
	}
	uint32_t bytes = TRACE_HEADER_SIZE + RING_DATA_SIZE;
	uintptr_t pa = pmm_alloc_contig((bytes + PAGE_SIZE - 1) / PAGE_SIZE);
	if (!pa) {
		kprintf("trace: no memory for the ring\n");
		return;
	}
	struct trace_header *h = (struct trace_header *)pa;
	memset(h, 0, TRACE_HEADER_SIZE);
	h->magic = TRACE_MAGIC;
	h->version = TRACE_VERSION;
	h->data_size = RING_DATA_SIZE;
	h->timebase_hz = info->timebase_hz;
	ring_data = (uint8_t *)pa + TRACE_HEADER_SIZE;
	ring_mask = RING_DATA_SIZE - 1;
	mmio_w32(info->trace_base + TRACE_REG_RING_BASE, (uint32_t)pa);
	mmio_w32(info->trace_base + TRACE_REG_RING_SIZE, bytes);
	trace_ring = h;
	/* After attach the device owns `enabled` (the host may have switched it on already). */
	mmio_w32(info->trace_base + TRACE_REG_CTRL, 1);
	kprintf("trace: ring of %u KiB at %p\n", RING_DATA_SIZE / 1024, (void *)pa);
}

int trace_set_active(bool on)
{
	uint32_t f = irq_save();
	int r = 0;
	if (!trace_ring && !parked)
		r = E_NOT_FOUND;
	else if (on && parked) {
		trace_ring = parked;
		parked = 0;
	} else if (!on && trace_ring) {
		parked = trace_ring;
		trace_ring = 0;
	}
	irq_restore(f);
	return r;
}

/* Space for a record of len bytes (multiple of 4), or NULL (ring full: counted as dropped). */
static struct trace_rec *reserve(uint32_t len)
{
	volatile struct trace_header *h = trace_ring;
	if (!h)
		return NULL; /* switched off since the caller's TRACE_ON() */
	uint32_t head = h->head, tail = h->tail;
	uint32_t size = ring_mask + 1;
	uint32_t pos = head & ring_mask;
	uint32_t pad = size - pos < len ? size - pos : 0;
	if (head - tail > size || head - tail + pad + len > size) {
		h->dropped++;
		return NULL;
	}
	if (pad) {
		struct trace_rec *p = (struct trace_rec *)(ring_data + pos);
		p->len = (uint16_t)pad;
		p->kind = TR_PAD;
		p->aux = 0;
		h->head = head + pad;
		pos = 0;
	}
	struct trace_rec *r = (struct trace_rec *)(ring_data + pos);
	uint64_t ts = rd_instret();
	r->len = (uint16_t)len;
	r->aux = 0;
	r->ts_lo = (uint32_t)ts;
	r->ts_hi = (uint32_t)(ts >> 32);
	r->task = current_task()->id;
	return r;
}

static inline void commit(struct trace_rec *r)
{
	__asm__ volatile("" ::: "memory");
	trace_ring->head += r->len;
}

#define BEGIN(type, var, kindv, extra)                           \
	uint32_t f_ = irq_save();                                \
	type *var = (type *)reserve((sizeof(type) + (extra) + 3) & ~3u); \
	if (!var) {                                              \
		irq_restore(f_);                                 \
		return;                                          \
	}                                                        \
	var->h.kind = (kindv)
#define END(var)         \
	commit(&var->h); \
	irq_restore(f_)

void trace_ipc(int kind, int32_t src, int32_t dst, int32_t type, uint32_t len, int32_t result, const uint8_t *payload)
{
	uint32_t n = payload && len > 8 ? len - 8 : 0;
	if (n > TRACE_IPC_PAYLOAD_MAX)
		n = TRACE_IPC_PAYLOAD_MAX;
	uint32_t rec = (offsetof(struct trace_ipc, payload) + n + 3) & ~3u;
	uint32_t f_ = irq_save();
	struct trace_ipc *r = (struct trace_ipc *)reserve(rec);
	if (!r) {
		irq_restore(f_);
		return;
	}
	r->h.kind = (uint8_t)kind;
	r->h.aux = (uint8_t)n;
	r->src = src;
	r->dst = dst;
	r->type = type;
	r->len = len;
	r->result = result;
	if (n) {
		memcpy(r->payload, payload, n);
		memset(r->payload + n, 0, rec - offsetof(struct trace_ipc, payload) - n);
	}
	END(r);
}

struct tr_named {
	struct trace_rec h;
	int32_t a, b;
	char name[32];
};

static void named(int kind, int32_t a, int32_t b, const char *name)
{
	BEGIN(struct tr_named, r, (uint8_t)kind, 0);
	r->a = a;
	r->b = b;
	memset(r->name, 0, sizeof r->name);
	strlcpy(r->name, name, sizeof r->name);
	END(r);
}

void trace_denied(int what, int32_t target, const char *name) { named(TR_DENIED, what, target, name); }

void trace_denied_addr(int what, uint32_t addr)
{
	char buf[16];
	snprintf(buf, sizeof buf, "0x%08x", addr);
	named(TR_DENIED, what, 0, buf);
}

void trace_service(int op, int32_t result, const char *name) { named(TR_SERVICE, op, result, name); }

struct tr_create {
	struct trace_rec h;
	int32_t id, parent, prio;
	char name[TASK_NAME_MAX];
	uint32_t flags;
};

/* What t runs, for the host's task list: told once, at creation. */
static uint32_t kind_flags(const struct task *t)
{
	static const char wasi[] = "wasi_snapshot_preview1";
	const struct wasm_task *wt = wasm_task_of(t);
	if (!wt || !wt->mod)
		return 0;
	for (uint32_t i = 0, n = wasm_import_count(wt->mod); i < n; i++) {
		const char *mod, *field;
		uint32_t ml, fl, func;
		uint8_t kind;
		if (wasm_import_info(wt->mod, i, &mod, &ml, &field, &fl, &kind, &func) == 0 && ml == sizeof wasi - 1 &&
		    memcmp(mod, wasi, ml) == 0)
			return TRACE_TASK_WASM | TRACE_TASK_WASI;
	}
	return TRACE_TASK_WASM;
}

/* Who a blocked task waits on; 0 in states without a peer. */
static int32_t peer_of(const struct task *t)
{
	return t->state == T_SEND || t->state == T_RECV || t->state == T_REPLY ? t->peer : 0;
}

void trace_task_create(const struct task *t)
{
	BEGIN(struct tr_create, r, TR_TASK_CREATE, 0);
	r->id = t->id;
	r->parent = t->parent;
	r->prio = t->prio;
	memset(r->name, 0, sizeof r->name);
	strlcpy(r->name, t->name, sizeof r->name);
	r->flags = kind_flags(t);
	END(r);
}

struct tr_pair {
	struct trace_rec h;
	int32_t a, b;
};

static void pair(int kind, int32_t a, int32_t b)
{
	BEGIN(struct tr_pair, r, (uint8_t)kind, 0);
	r->a = a;
	r->b = b;
	END(r);
}

void trace_task_exit(int32_t id, int32_t reason) { pair(TR_TASK_EXIT, id, reason); }
struct tr_switch {
	struct trace_rec h;
	int32_t from, to, from_state, from_peer;
};

void trace_switch(const struct task *prev, const struct task *next)
{
	BEGIN(struct tr_switch, r, TR_SWITCH, 0);
	r->from = prev->id;
	r->to = next->id;
	r->from_state = prev->state;
	r->from_peer = peer_of(prev);
	END(r);
}
void trace_irq(uint32_t irq, int32_t owner) { pair(TR_IRQ, (int32_t)irq, owner); }

struct tr_fault {
	struct trace_rec h;
	int32_t id;
	uint32_t cause, epc, tval;
};

void trace_fault(int32_t id, uint32_t cause, uint32_t epc, uint32_t tval)
{
	BEGIN(struct tr_fault, r, TR_FAULT, 0);
	r->id = id;
	r->cause = cause;
	r->epc = epc;
	r->tval = tval;
	END(r);
}

struct tr_log {
	struct trace_rec h;
	char text[];
};

void trace_log(const char *s, uint32_t n)
{
	if (!TRACE_ON())
		return;
	if (n > 255)
		n = 255;
	BEGIN(struct tr_log, r, TR_LOG, n);
	r->h.aux = (uint8_t)n;
	uint32_t room = ((sizeof(struct tr_log) + n + 3) & ~3u) - sizeof(struct tr_log);
	memset(r->text, 0, room);
	memcpy(r->text, s, n);
	END(r);
}

struct tr_stats {
	struct trace_rec h;
	int32_t id, state;
	uint32_t instret_lo, instret_hi;
	uint32_t mem_bytes, switches;
	int32_t peer;
};

static void stats_one(struct task *t, void *ctx)
{
	(void)ctx;
	uint64_t n = t->instret + (t == current_task() ? rd_instret() - t->instret_in : 0);
	BEGIN(struct tr_stats, r, TR_TASK_STATS, 0);
	r->id = t->id;
	r->state = t->state;
	r->instret_lo = (uint32_t)n;
	r->instret_hi = (uint32_t)(n >> 32);
	r->mem_bytes = t->mem_bytes;
	r->switches = t->switches;
	r->peer = peer_of(t);
	END(r);
}

uint64_t trace_stats_tick(uint64_t now)
{
	if (!TRACE_ON())
		return NO_DEADLINE;
	if (now >= next_stats) {
		stats_one(idle_task(), 0);
		task_for_each(stats_one, 0);
		next_stats = now + (uint64_t)STATS_PERIOD_MS * time_ticks_per_ms();
	}
	return next_stats;
}
