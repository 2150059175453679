/*
 * Calls from WASI host functions to the servers behind them, made by the
 * kernel for the calling task (in its own thread, as env.ipc_call would).
 */
#ifndef CORE_WASI_RPC_H
#define CORE_WASI_RPC_H

#include <stdint.h>
#include "core/wasi_state.h"

enum wasi_service { WASI_SVC_FS, WASI_SVC_CONSOLE };

/*
 * Sends st->msg (`len` bytes, header included; the caller filled type and
 * payload) to the service and waits for its reply, which overwrites st->msg.
 * Returns the reply's type (a negative one is the server's error), or a
 * kernel error: E_DENIED when the task may not use the service, E_NOT_FOUND
 * when nobody provides it in time, IPC errors.
 */
int wasi_rpc(struct wasi_state *st, enum wasi_service svc, uint32_t len);

#endif
