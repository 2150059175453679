/* Task 0: the kernel answers a few WasmOS wire messages sent to it with ipc_call. */
#ifndef CORE_KERNEL_ENDPOINT_H
#define CORE_KERNEL_ENDPOINT_H

#include <stdint.h>
#include "wasmos/msg.h"

/* Handles m (len bytes) for the current task and writes the reply into m.
 * Returns the reply length; the reply's type is negative (an E_* code) on error. */
int kernel_endpoint_call(struct msg *m, uint32_t len, uint32_t cap, int32_t timeout_ms);

#endif
