#include "core/kernel_endpoint.h"
#include "core/task.h"
#include "core/trace.h"
#include "wasmos/errors.h"
#include "wasmos/ipc.h"
#include "wasmos/service.h"
#include "lib/string.h"

/* The wire layout (servers/idl/messages.idl) gives the name a 64-byte field;
 * service names are shorter (SERVICE_NAME_MAX). */
#define WIRE_NAME_FIELD 64

/* Copies a NUL-terminated name out of a payload, or returns false. */
static bool payload_name(const struct msg *m, uint32_t len, char *out)
{
	uint32_t n = len - MSG_HEADER;
	if (n > WIRE_NAME_FIELD)
		n = WIRE_NAME_FIELD;
	uint32_t l = strnlen((const char *)m->payload, n);
	if (l == 0 || l >= SERVICE_NAME_MAX || l == n)
		return false;
	memcpy(out, m->payload, l + 1);
	return true;
}

int kernel_endpoint_call(struct msg *m, uint32_t len, uint32_t cap, int32_t timeout_ms)
{
	int32_t type = m->type;
	char name[SERVICE_NAME_MAX];
	int32_t r;
	uint32_t rlen = MSG_HEADER + 4;
	if (TRACE_ON())
		trace_ipc(TR_IPC_CALL, task_self(), TASK_KERNEL, type, len, (int32_t)len, m->payload);
	switch (type) {
	case MSG_PING:
		rlen = len;
		r = MSG_PING_REPLY;
		break;
	case MSG_SERVICE_LOOKUP: {
		if (!payload_name(m, len, name)) {
			r = E_INVALID;
			break;
		}
		/* Waits as long as the call may: a Wasm task's whole-buffer message has no
		 * room for a timeout of its own (wasmos.service_lookup has one). */
		int32_t id = service_lookup(name, timeout_ms);
		if (id < 0) {
			r = id;
		} else {
			r = MSG_SERVICE_LOOKUP_REPLY;
			memcpy(m->payload, &id, 4);
		}
		break;
	}
	case MSG_SERVICE_REGISTER: {
		if (!payload_name(m, len, name)) {
			r = E_INVALID;
			break;
		}
		int32_t e = service_register(name);
		r = e < 0 ? e : MSG_SERVICE_REGISTER_REPLY;
		memset(m->payload, 0, 4);
		break;
	}
	default:
		r = E_INVALID;
		break;
	}
	if (r < 0)
		rlen = MSG_HEADER;
	if (rlen > cap)
		rlen = cap;
	m->type = r;
	m->src = TASK_KERNEL;
	if (TRACE_ON())
		trace_ipc(TR_IPC_REPLY, TASK_KERNEL, task_self(), r, rlen, (int32_t)rlen, m->payload);
	return (int)rlen;
}
