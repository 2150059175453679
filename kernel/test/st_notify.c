/* Notifications: bits, merging, wake-up, precedence, timers, child exits. */
#include "test/selftest.h"
#include "lib/string.h"

static volatile uint32_t n_bits[4];
static volatile int n_src[4], n_type[4], n_res[4];
static volatile int n_count;

static void take(int i, int from, int timeout)
{
	struct msg m;
	int r = ipc_recv(from, &m, sizeof m, timeout);
	n_res[i] = r;
	n_type[i] = r > 0 ? m.type : 0;
	n_src[i] = r > 0 ? m.src : 0;
	struct notify_payload p;
	memcpy(&p, m.payload, sizeof p.bits);
	n_bits[i] = r > 0 && m.type == MSG_NOTIFY ? p.bits : 0;
	n_count++;
}

/* Sleeps, then takes one message from ANY. */
static void late_taker(void *arg)
{
	task_sleep((uint32_t)(intptr_t)arg);
	take(0, IPC_ANY, 1000);
}

/* Takes at once (blocks), from ANY. */
static void taker(void *arg)
{
	(void)arg;
	take(0, IPC_ANY, 1000);
}

/* A specific-source receive ignores notifications; a kernel-only receive gets them. */
static void picky(void *arg)
{
	int parent = (int)(intptr_t)arg;
	take(0, parent, 30);
	take(1, TASK_KERNEL, 1000);
}

static void queued_sender(void *arg)
{
	struct msg m;
	st_msg(&m, 77, "q");
	ipc_send((int)(intptr_t)arg, &m, MSG_HEADER, 1000);
}

static volatile int two_go;

/* Waits for the go, then receives twice: the notification must come before the queued message. */
static void two_takes(void *arg)
{
	(void)arg;
	while (!two_go)
		task_sleep(1);
	take(0, IPC_ANY, 1000);
	take(1, IPC_ANY, 1000);
}

static void timer_user(void *arg)
{
	int ms = (int)(intptr_t)arg;
	uint64_t t0 = st_now_ms();
	timer_set((uint32_t)ms);
	take(0, IPC_ANY, 200);
	n_src[1] = (int)(st_now_ms() - t0);
	/* A cancelled timer never fires. */
	timer_set(10);
	timer_set(0);
	take(2, IPC_ANY, 40);
}

static void exit_with(void *arg) { task_exit((int32_t)(intptr_t)arg); }

/* The async pattern: told "something for you", it calls back to fetch it. */
static volatile int async_got;

static void async_client(void *arg)
{
	int server = (int)(intptr_t)arg;
	struct msg m;
	int r = ipc_recv(IPC_ANY, &m, sizeof m, 1000);
	if (r <= 0 || m.type != MSG_NOTIFY)
		return;
	st_msg(&m, 500, "fetch");
	r = ipc_call(server, &m, MSG_HEADER + 6, sizeof m, 1000);
	if (r > 0)
		async_got = m.type;
}

void st_notify(void)
{
	/* Two notifications before the receive merge into one message from the kernel. */
	n_count = 0;
	int t = st_spawn("late", late_taker, (void *)20, 0, 0, 0);
	CHECK_EQ(ipc_notify(t, 1u << 8), 0);
	CHECK_EQ(ipc_notify(t, 1u << 9), 0);
	CHECK_EQ(st_wait_exit(t, 1000), EXIT_OK);
	CHECK(n_res[0] > MSG_HEADER);
	CHECK_EQ(n_type[0], MSG_NOTIFY);
	CHECK_EQ(n_src[0], TASK_KERNEL);
	CHECK_EQ(n_bits[0], (1u << 8) | (1u << 9));

	/* A notification wakes a blocked receiver. */
	t = st_spawn("taker", taker, 0, 0, 0, 0);
	task_sleep(5);
	CHECK_EQ(ipc_notify(t, NOTIFY_ASYNC), 0);
	CHECK_EQ(st_wait_exit(t, 1000), EXIT_OK);
	CHECK_EQ(n_type[0], MSG_NOTIFY);
	CHECK_EQ(n_bits[0], NOTIFY_ASYNC);

	/* recv(from = a task) leaves notifications pending; recv(TASK_KERNEL) takes them. */
	t = st_spawn("picky", picky, (void *)(intptr_t)task_self(), 0, 0, 0);
	task_sleep(5);
	CHECK_EQ(ipc_notify(t, 1u << 12), 0);
	CHECK_EQ(st_wait_exit(t, 1000), EXIT_OK);
	CHECK_EQ(n_res[0], E_TIMEOUT);
	CHECK_EQ(n_type[1], MSG_NOTIFY);
	CHECK_EQ(n_bits[1], 1u << 12);

	/* Notifications come before queued messages. */
	two_go = 0;
	t = st_spawn("two", two_takes, 0, 0, 0, 0);
	int qs = st_spawn("queued", queued_sender, (void *)(intptr_t)t, 0, 0, 0);
	CHECK(st_wait_state(qs, TASK_STATE_SEND));
	CHECK_EQ(ipc_notify(t, 1u << 13), 0);
	two_go = 1;
	CHECK_EQ(st_wait_exit(t, 1000), EXIT_OK);
	CHECK_EQ(st_wait_exit(qs, 1000), EXIT_OK);
	CHECK_EQ(n_type[0], MSG_NOTIFY);
	CHECK_EQ(n_type[1], 77);

	/* timer_set: NOTIFY_TIMER after the delay; a cancelled timer stays silent. */
	t = st_spawn("timer", timer_user, (void *)25, 0, 0, 0);
	CHECK_EQ(st_wait_exit(t, 1000), EXIT_OK);
	CHECK_EQ(n_type[0], MSG_NOTIFY);
	CHECK_EQ(n_bits[0], NOTIFY_TIMER);
	CHECK(n_src[1] >= 25 && n_src[1] < 1000);
	CHECK_EQ(n_res[2], E_TIMEOUT);

	/* A child's exit reaches its parent with the reason. */
	t = st_spawn("exit42", exit_with, (void *)42, 0, 0, 0);
	CHECK_EQ(st_wait_exit(t, 1000), 42);
	int many[12];
	for (int i = 0; i < 12; i++)
		many[i] = st_spawn("exitN", exit_with, (void *)(intptr_t)(100 + i), TASK_PRIO_HIGHEST, 0, 0);
	/* More exits than one notification carries: none are lost. */
	for (int i = 0; i < 12; i++)
		CHECK_EQ(st_wait_exit(many[i], 1000), 100 + i);

	/* NOTIFY_ASYNC: the client is told, then calls us to fetch. */
	async_got = 0;
	int c = st_spawn("async", async_client, (void *)(intptr_t)task_self(), 0, 0, 0);
	task_sleep(5);
	CHECK_EQ(ipc_notify(c, NOTIFY_ASYNC), 0);
	struct msg m;
	int r = ipc_recv(c, &m, sizeof m, 1000);
	CHECK_EQ(r, MSG_HEADER + 6);
	CHECK_EQ(m.type, 500);
	m.type = 501;
	CHECK_EQ(ipc_reply(c, &m, MSG_HEADER), 0);
	CHECK_EQ(st_wait_exit(c, 1000), EXIT_OK);
	CHECK_EQ(async_got, 501);
}
