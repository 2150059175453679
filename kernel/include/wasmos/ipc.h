/*
 * Message passing. Every call acts for the calling task (the current one) and
 * may block it; timeouts are in milliseconds: IPC_FOREVER waits forever,
 * IPC_POLL (0) never blocks (E_WOULD_BLOCK instead).
 *
 * `len` is the whole message size including the 8-byte header (8..1512);
 * `cap` is the receive buffer's size. Buffers must be 4-byte aligned kernel
 * memory; the Wasm runtime checks that guest pointers lie in linear memory.
 */
#ifndef WASMOS_IPC_H
#define WASMOS_IPC_H

#include <stdint.h>
#include "wasmos/msg.h"

#define IPC_FOREVER (-1)
#define IPC_POLL 0

/* Blocks until `dst` receives the message (rendezvous). Returns 0 or an error. */
int ipc_send(int dst, const struct msg *m, uint32_t len, int32_t timeout_ms);

/* Receives from `from` (a task id, TASK_KERNEL or IPC_ANY). Returns the message
 * length. Notifications come first, when `from` is IPC_ANY or TASK_KERNEL. */
int ipc_recv(int from, struct msg *buf, uint32_t cap, int32_t timeout_ms);

/* Sends and then waits for dst's ipc_reply, as one step; the reply overwrites
 * *m (up to cap bytes). Returns the reply's length. The timeout covers both. */
int ipc_call(int dst, struct msg *m, uint32_t len, uint32_t cap, int32_t timeout_ms);

/* Answers a task blocked in ipc_call on us; never blocks (E_WOULD_BLOCK if
 * dst is not waiting for our reply). */
int ipc_reply(int dst, const struct msg *m, uint32_t len);

/* ORs `bits` into dst's pending notifications and wakes it if it is receiving. */
int ipc_notify(int dst, uint32_t bits);

#endif
