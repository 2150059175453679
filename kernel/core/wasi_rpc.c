#include "core/wasi_rpc.h"
#include "core/wasm_task.h"
#include "wasmos/errors.h"
#include "wasmos/ipc.h"
#include "wasmos/msg.h"
#include "wasmos/service.h"

_Static_assert(WASI_MSG_BYTES == MSG_MAX, "the WASI message buffer holds one whole message");

static int32_t *service_slot(struct wasi_state *st, enum wasi_service svc)
{
	return svc == WASI_SVC_FS ? &st->fs_id : &st->console_id;
}

int wasi_rpc(struct wasi_state *st, enum wasi_service svc, uint32_t len)
{
	int32_t *id = service_slot(st, svc);
	if (!*id) {
		/* Looked up once per task; as for env.ipc_lookup, a server still starting gets time to register. */
		int r = service_lookup(svc == WASI_SVC_FS ? "fs" : "console", WASM_LOOKUP_TIMEOUT_MS);
		if (r < 0)
			return r;
		*id = r;
	}
	struct msg *m = (struct msg *)st->msg;
	int r = ipc_call(*id, m, len, MSG_MAX, IPC_FOREVER);
	if (r == E_NO_TASK || r == E_EXITED)
		*id = 0; /* the server went away: look it up again next time (it may be restarted) */
	return r < 0 ? r : m->type;
}
