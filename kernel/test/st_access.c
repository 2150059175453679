/* Access control: uses/provides sets, send rights, delegation limits, kill rights. */
#include "test/selftest.h"
#include "lib/string.h"

static volatile int server_id, other_id;
static volatile int r_lookup_denied, r_send_before, r_lookup_ok, r_call_after, r_register;
static volatile int r_spawn_wider, r_spawn_subset, r_spawn_flags, r_spawn_dev, r_kill_sibling, r_kill_child;
static volatile int r_server_push, r_server_push_other;

static void idle_child(void *arg)
{
	task_sleep((uint32_t)(intptr_t)arg);
}

/* Answers one call, then sends an unsolicited message back to the caller
 * (allowed: the caller sent to it) and tries a stranger (denied). */
static void acl_server(void *arg)
{
	(void)arg;
	service_register("acl-echo");
	struct msg m;
	if (ipc_recv(IPC_ANY, &m, sizeof m, 2000) < 0)
		return;
	int client = m.src;
	m.type = 31;
	ipc_reply(client, &m, MSG_HEADER);
	st_msg(&m, 32, "push");
	r_server_push = ipc_send(client, &m, MSG_HEADER, 1000);
	r_server_push_other = ipc_send(other_id, &m, MSG_HEADER, 0);
}

static void acl_client(void *arg)
{
	(void)arg;
	struct msg m;
	st_msg(&m, 30, "hi");
	r_lookup_denied = service_lookup("selftest", 0);
	r_send_before = ipc_send(server_id, &m, MSG_HEADER, 0);
	r_lookup_ok = service_lookup("acl-echo", 1000);
	r_call_after = ipc_call(r_lookup_ok, &m, MSG_HEADER, sizeof m, 1000);
	ipc_recv(IPC_ANY, &m, sizeof m, 1000);
	r_register = service_register("acl-fake");
	/* Delegation: only what we hold. */
	struct task_spec s = { .name = "grandchild", .entry = idle_child, .arg = (void *)1, .uses = "*" };
	r_spawn_wider = task_create(&s);
	s.uses = "acl-echo";
	r_spawn_subset = task_create(&s);
	s.flags = TASKF_KILL_ANY;
	r_spawn_flags = task_create(&s);
	s.flags = 0;
	struct dev_grant g = { .mmio_base = 0x10001000, .mmio_size = 0x1000 };
	s.devices = &g;
	s.n_devices = 1;
	r_spawn_dev = task_create(&s);
	/* Killing: a sibling is off limits, an own child is fine. */
	r_kill_sibling = task_kill(other_id, EXIT_KILLED);
	s.devices = 0;
	s.n_devices = 0;
	s.arg = (void *)5000;
	int c = task_create(&s);
	r_kill_child = c > 0 ? task_kill(c, EXIT_KILLED) : c;
	st_drain(20);
}

void st_access(void)
{
	other_id = st_spawn("other", idle_child, (void *)300, 0, "", 0);
	server_id = st_spawn("acl-server", acl_server, 0, 0, "", "acl-echo");
	int c = st_spawn("acl-client", acl_client, 0, 0, "acl-echo", 0);
	CHECK_EQ(st_wait_exit(c, 2000), EXIT_OK);
	CHECK_EQ(st_wait_exit(server_id, 2000), EXIT_OK);
	CHECK_EQ(r_lookup_denied, E_DENIED);
	CHECK_EQ(r_send_before, E_DENIED);
	CHECK_EQ(r_lookup_ok, server_id);
	CHECK_EQ(r_call_after, MSG_HEADER);
	CHECK_EQ(r_server_push, 0);
	CHECK_EQ(r_server_push_other, E_DENIED);
	CHECK_EQ(r_register, E_DENIED);
	CHECK_EQ(r_spawn_wider, E_DENIED);
	CHECK(r_spawn_subset > 0);
	CHECK_EQ(r_spawn_flags, E_DENIED);
	CHECK_EQ(r_spawn_dev, E_DENIED);
	CHECK_EQ(r_kill_sibling, E_DENIED);
	CHECK_EQ(r_kill_child, 0);
	CHECK_EQ(task_kill(other_id, EXIT_KILLED), 0);
	CHECK_EQ(st_wait_exit(other_id, 1000), EXIT_KILLED);
	/* Bad access-control strings. */
	struct task_spec s = { .name = "bad", .entry = idle_child, .uses = "a,,b" };
	CHECK_EQ(task_create(&s), E_INVALID);
}
