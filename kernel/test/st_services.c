/* The service registry: register, lookup, waiting lookups, timeouts, cleanup, wire messages. */
#include "test/selftest.h"
#include "lib/string.h"

static void provider(void *arg)
{
	const char *name = arg;
	service_register(name);
	struct msg m;
	/* Serve calls until told to stop (type 99). */
	for (;;) {
		int r = ipc_recv(IPC_ANY, &m, sizeof m, 2000);
		if (r < 0)
			return;
		int from = m.src, type = m.type;
		m.type = type + 1;
		ipc_reply(from, &m, MSG_HEADER);
		if (type == 99)
			return;
	}
}

static volatile int looked_up;

static void waiting_lookup(void *arg)
{
	looked_up = service_lookup((const char *)arg, IPC_FOREVER);
}

static void late_provider(void *arg)
{
	task_sleep(20);
	provider(arg);
}

void st_services(void)
{
	int p = st_spawn("svc-echo", provider, "echo", 0, 0, "echo");
	int id = service_lookup("echo", 1000);
	CHECK_EQ(id, p);
	struct msg m;
	st_msg(&m, 20, "");
	CHECK_EQ(ipc_call(id, &m, MSG_HEADER, sizeof m, 1000), MSG_HEADER);
	CHECK_EQ(m.type, 21);
	/* The same name twice. */
	CHECK_EQ(service_register("echo"), E_EXISTS);
	/* Bad names. */
	CHECK_EQ(service_register(""), E_INVALID);
	CHECK_EQ(service_register("a,b"), E_INVALID);
	CHECK_EQ(service_register("this-name-is-far-too-long-for-the-registry"), E_INVALID);
	CHECK_EQ(service_lookup((const char *)0x10, 0), E_INVALID);
	/* Unknown names: at once, or after a timeout. */
	CHECK_EQ(service_lookup("nothing", 0), E_NOT_FOUND);
	uint64_t t0 = st_now_ms();
	CHECK_EQ(service_lookup("nothing", 25), E_TIMEOUT);
	CHECK(st_now_ms() - t0 >= 25);
	/* A lookup waits for the registration. */
	looked_up = 0;
	int w = st_spawn("waiter", waiting_lookup, "late", 0, "late", 0);
	int lp = st_spawn("svc-late", late_provider, "late", 0, 0, "late");
	CHECK_EQ(st_wait_exit(w, 1000), EXIT_OK);
	CHECK_EQ(looked_up, lp);
	/* The wire protocol at task 0: lookup (15 -> 16) and register (17 -> 18). */
	memset(&m, 0, sizeof m);
	m.type = MSG_SERVICE_LOOKUP;
	strlcpy((char *)m.payload, "late", 32);
	CHECK_EQ(ipc_call(TASK_KERNEL, &m, MSG_HEADER + 32, sizeof m, 1000), MSG_HEADER + 4);
	CHECK_EQ(m.type, MSG_SERVICE_LOOKUP_REPLY);
	int32_t got;
	memcpy(&got, m.payload, 4);
	CHECK_EQ(got, lp);
	/* The lookup waits as long as the call may: a poll answers at once. */
	memset(&m, 0, sizeof m);
	m.type = MSG_SERVICE_LOOKUP;
	strlcpy((char *)m.payload, "missing", 32);
	CHECK_EQ(ipc_call(TASK_KERNEL, &m, MSG_HEADER + 64, sizeof m, IPC_POLL), MSG_HEADER);
	CHECK_EQ(m.type, E_NOT_FOUND);
	/* A whole-buffer message (as Wasm tasks send): the name's 64-byte field, the rest ignored. */
	memset(&m, 0x55, sizeof m);
	m.type = MSG_SERVICE_LOOKUP;
	strlcpy((char *)m.payload, "late", 64);
	CHECK_EQ(ipc_call(TASK_KERNEL, &m, MSG_MAX, sizeof m, 1000), MSG_HEADER + 4);
	memcpy(&got, m.payload, 4);
	CHECK_EQ(got, lp);
	memset(&m, 'x', sizeof m);
	m.type = MSG_SERVICE_LOOKUP;
	m.payload[40] = 0; /* 40 characters: longer than any service name */
	CHECK_EQ(ipc_call(TASK_KERNEL, &m, MSG_MAX, sizeof m, 1000), MSG_HEADER);
	CHECK_EQ(m.type, E_INVALID);
	memset(&m, 'x', sizeof m);
	m.type = MSG_SERVICE_LOOKUP; /* no NUL in the field */
	CHECK_EQ(ipc_call(TASK_KERNEL, &m, MSG_MAX, sizeof m, 1000), MSG_HEADER);
	CHECK_EQ(m.type, E_INVALID);
	memset(&m, 0, sizeof m);
	m.type = MSG_SERVICE_REGISTER;
	strlcpy((char *)m.payload, "selftest", 32);
	CHECK_EQ(ipc_call(TASK_KERNEL, &m, MSG_HEADER + 9, sizeof m, 1000), MSG_HEADER + 4);
	CHECK_EQ(m.type, MSG_SERVICE_REGISTER_REPLY);
	CHECK_EQ(service_lookup("selftest", 0), task_self());
	m.type = 12345;
	CHECK_EQ(ipc_call(TASK_KERNEL, &m, MSG_HEADER, sizeof m, 1000), MSG_HEADER);
	CHECK_EQ(m.type, E_INVALID);
	/* A service leaves with its task. */
	st_msg(&m, 99, "");
	CHECK_EQ(ipc_call(p, &m, MSG_HEADER, sizeof m, 1000), MSG_HEADER);
	CHECK_EQ(st_wait_exit(p, 1000), EXIT_OK);
	CHECK_EQ(service_lookup("echo", 0), E_NOT_FOUND);
	st_msg(&m, 99, "");
	CHECK_EQ(ipc_call(lp, &m, MSG_HEADER, sizeof m, 1000), MSG_HEADER);
	CHECK_EQ(st_wait_exit(lp, 1000), EXIT_OK);
	CHECK_EQ(service_lookup("late", 0), E_NOT_FOUND);
}
