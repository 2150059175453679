/*
 * The trace ring's layout in guest RAM, shared by the kernel (writer) and the
 * host (src/board/devices/trace.ts, reader). docs/trace.md describes it.
 *
 * The ring is one physically contiguous block: a 64-byte header, then a data
 * area of a power-of-two size. head and tail are free-running byte counters
 * (position = counter % data size): the kernel advances head after writing a
 * record, the host advances tail after reading. A record never wraps: a PAD
 * record fills the rest of the data area instead. All fields little-endian.
 */
#ifndef WASMOS_TRACE_FORMAT_H
#define WASMOS_TRACE_FORMAT_H

#include <stdint.h>

#define TRACE_MAGIC   0x43525457u /* "WTRC" */
#define TRACE_VERSION 1u
#define TRACE_HEADER_SIZE 64u

struct trace_header {
	uint32_t magic;       /* written by the kernel */
	uint32_t version;
	uint32_t data_size;   /* bytes after the header, a power of two */
	uint32_t head;        /* kernel: bytes written so far */
	uint32_t tail;        /* host: bytes consumed so far */
	uint32_t enabled;     /* host: nonzero while someone reads; 0 = kernel records nothing */
	uint32_t dropped;     /* kernel: records lost because the ring was full */
	uint32_t timebase_hz; /* kernel: for converting `time` stamps of TASK_STATS */
	uint32_t reserved[8];
};

/* Every record starts with this; len counts the header and is a multiple of 4. */
struct trace_rec {
	uint16_t len;
	uint8_t kind;
	uint8_t aux;          /* kind-specific (payload bytes captured for IPC records) */
	uint32_t ts_lo, ts_hi; /* instret (instructions retired since reset) */
	int32_t task;         /* the task running when the event happened (0 = kernel/idle) */
};

enum trace_kind {
	TR_PAD = 0,          /* filler up to the end of the data area */
	TR_TASK_CREATE = 1,  /* id, parent, priority, name[24], flags (TRACE_TASK_*) */
	TR_TASK_EXIT = 2,    /* id, reason */
	TR_IPC_SEND = 3,     /* struct trace_ipc */
	TR_IPC_RECV = 4,
	TR_IPC_CALL = 5,
	TR_IPC_REPLY = 6,
	TR_IPC_NOTIFY = 7,   /* struct trace_ipc with type = bits, len = 0 */
	TR_DENIED = 8,       /* what, target, name[32] */
	TR_FAULT = 9,        /* id, scause, sepc, stval */
	TR_TASK_STATS = 10,  /* id, state, instret lo/hi, mem_bytes, switches, peer */
	TR_SERVICE = 11,     /* op (1 register, 2 lookup), result, name[32] */
	TR_SWITCH = 12,      /* from, to, from's state, from's peer */
	TR_LOG = 13,         /* text (len - 16 bytes, NUL-padded) */
	TR_IRQ = 14,         /* irq, owner */
};

#define TRACE_IPC_PAYLOAD_MAX 32

struct trace_ipc {
	struct trace_rec h;
	int32_t src, dst;
	int32_t type;    /* message type (notify: the bits) */
	uint32_t len;    /* message length in bytes */
	int32_t result;  /* 0 / length on success, E_* on failure */
	uint8_t payload[TRACE_IPC_PAYLOAD_MAX]; /* first h.aux payload bytes (record is cut short) */
};

/*
 * Records grow only at their end: a reader takes a field only when the
 * record's len covers it (older kernels write shorter records).
 *
 * State and peer (TASK_STATS, SWITCH): the kernel's task state (TASK_STATE_*,
 * 6 = waiting for a service name, 7 = idle) and, in SEND / RECV / REPLY, the
 * task it waits on (RECV: the `from` filter, IPC_ANY = -1 for anyone).
 */

/* TR_TASK_CREATE.flags: what the task runs. */
#define TRACE_TASK_WASM 1u /* a Wasm module (otherwise native kernel code) */
#define TRACE_TASK_WASI 2u /* the module imports wasi_snapshot_preview1 */

/* TR_DENIED.what */
#define TRACE_DENY_SEND     1
#define TRACE_DENY_LOOKUP   2
#define TRACE_DENY_REGISTER 3
#define TRACE_DENY_MMIO     4
#define TRACE_DENY_KILL     5
#define TRACE_DENY_GRANT    6
#define TRACE_DENY_IRQ      7
#define TRACE_DENY_DMA      8

/* Device registers (offsets from the node's reg base). */
#define TRACE_REG_MAGIC     0x00 /* R: TRACE_MAGIC */
#define TRACE_REG_VERSION   0x04 /* R: TRACE_VERSION */
#define TRACE_REG_RING_BASE 0x08 /* RW: physical address of the ring (kernel) */
#define TRACE_REG_RING_SIZE 0x0c /* RW: bytes, header included (kernel) */
#define TRACE_REG_CTRL      0x10 /* RW: bit 0 attach (after the header is written) */
#define TRACE_REG_STATUS    0x14 /* R: bit 0 attached, bit 1 host reading (enabled) */
#define TRACE_REG_HEAD      0x18 /* R: mirrors header.head */
#define TRACE_REG_TAIL      0x1c /* R: mirrors header.tail */
#define TRACE_REG_DROPPED   0x20 /* R: mirrors header.dropped */

#endif
