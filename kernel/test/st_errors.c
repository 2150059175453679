/* Every IPC error path. */
#include "test/selftest.h"
#include "lib/string.h"

extern char __kernel_start[];

static void sleeper(void *arg)
{
	task_sleep((uint32_t)(intptr_t)arg);
}

static volatile int small_r1, small_type;

/* Receives with a 16-byte buffer twice. */
static void small_receiver(void *arg)
{
	(void)arg;
	struct msg m;
	small_r1 = ipc_recv(IPC_ANY, &m, 16, 2000);
	small_type = m.type;
}

static volatile int big_send_r;

static void big_sender(void *arg)
{
	int dst = (int)(intptr_t)arg;
	static struct msg m;
	memset(&m, 0, sizeof m);
	m.type = 5;
	big_send_r = ipc_send(dst, &m, 100, 2000);
}

static volatile int big_reply_r;

static void big_replier(void *arg)
{
	(void)arg;
	static struct msg m;
	if (ipc_recv(IPC_ANY, &m, sizeof m, 2000) < 0)
		return;
	int caller = m.src;
	big_reply_r = ipc_reply(caller, &m, 100);
	m.type = 10;
	ipc_reply(caller, &m, MSG_HEADER);
}

/* Deadlock: parent calls us; we send to the parent instead of replying. */
static volatile int dl_send_r;

static void deadlocker(void *arg)
{
	(void)arg;
	struct msg m;
	int r = ipc_recv(IPC_ANY, &m, sizeof m, 2000);
	if (r < 0)
		return;
	int caller = m.src;
	dl_send_r = ipc_send(caller, &m, MSG_HEADER, 2000);
	ipc_reply(caller, &m, MSG_HEADER);
}

/* A pair sending to each other. */
static volatile int pair_peer, pair_r_first, pair_r_second;

static void pair_first(void *arg)
{
	(void)arg;
	struct msg m;
	st_msg(&m, 1, "x");
	pair_r_first = ipc_send(pair_peer, &m, MSG_HEADER, 2000);
}

static void pair_second(void *arg)
{
	int first = (int)(intptr_t)arg;
	struct msg m;
	st_msg(&m, 2, "y");
	pair_r_second = ipc_send(first, &m, MSG_HEADER, 2000);
	/* Undo the first one's wait so it can finish. */
	ipc_recv(first, &m, sizeof m, 2000);
}

static volatile int exw_r;

static void wait_recv_from(void *arg)
{
	struct msg m;
	exw_r = ipc_recv((int)(intptr_t)arg, &m, sizeof m, 2000);
}

static void wait_call(void *arg)
{
	struct msg m;
	st_msg(&m, 3, "call");
	exw_r = ipc_call((int)(intptr_t)arg, &m, MSG_HEADER, sizeof m, 2000);
}

static void wait_send(void *arg)
{
	struct msg m;
	st_msg(&m, 3, "send");
	exw_r = ipc_send((int)(intptr_t)arg, &m, MSG_HEADER, 2000);
}

/* Receives one message and exits without replying. */
static void recv_and_exit(void *arg)
{
	(void)arg;
	struct msg m;
	ipc_recv(IPC_ANY, &m, sizeof m, 2000);
}

void st_errors(void)
{
	struct msg m;
	st_msg(&m, 1, "x");
	/* No such task. */
	CHECK_EQ(ipc_send(12345, &m, MSG_HEADER, IPC_FOREVER), E_NO_TASK);
	CHECK_EQ(ipc_call(12345, &m, MSG_HEADER, sizeof m, IPC_FOREVER), E_NO_TASK);
	CHECK_EQ(ipc_recv(12345, &m, sizeof m, IPC_FOREVER), E_NO_TASK);
	CHECK_EQ(ipc_reply(12345, &m, MSG_HEADER), E_NO_TASK);
	CHECK_EQ(ipc_notify(12345, 1), E_NO_TASK);
	CHECK_EQ(task_kill(12345, 0), E_NO_TASK);
	/* Sizes. */
	CHECK_EQ(ipc_send(task_self(), &m, MSG_MAX + 1, 0), E_TOO_LARGE);
	CHECK_EQ(ipc_send(task_self(), &m, 4, 0), E_INVALID);
	CHECK_EQ(ipc_recv(IPC_ANY, &m, 4, 0), E_INVALID);
	CHECK_EQ(ipc_recv(-5, &m, sizeof m, 0), E_INVALID);
	CHECK_EQ(ipc_notify(task_self(), 0), E_INVALID);
	CHECK_EQ(ipc_send(TASK_KERNEL, &m, MSG_HEADER, 0), E_INVALID);
	/* Bad pointers: NULL, misaligned, unmapped, read-only kernel text. */
	CHECK_EQ(ipc_send(task_self(), NULL, MSG_HEADER, 0), E_BAD_POINTER);
	CHECK_EQ(ipc_send(task_self(), (struct msg *)((char *)&m + 1), MSG_HEADER, 0), E_BAD_POINTER);
	CHECK_EQ(ipc_send(task_self(), (struct msg *)0x1000, MSG_HEADER, 0), E_BAD_POINTER);
	CHECK_EQ(ipc_recv(IPC_ANY, (struct msg *)__kernel_start, 64, 0), E_BAD_POINTER);
	CHECK_EQ(ipc_call(TASK_KERNEL, (struct msg *)0xd0000000u, MSG_HEADER, 64, 0), E_BAD_POINTER);
	CHECK_EQ(ipc_reply(task_self(), (struct msg *)0x2, MSG_HEADER), E_BAD_POINTER);
	/* Sending to (or receiving from) yourself can never complete. */
	CHECK_EQ(ipc_send(task_self(), &m, MSG_HEADER, IPC_FOREVER), E_DEADLOCK);
	CHECK_EQ(ipc_call(task_self(), &m, MSG_HEADER, sizeof m, IPC_FOREVER), E_DEADLOCK);
	CHECK_EQ(ipc_recv(task_self(), &m, sizeof m, IPC_FOREVER), E_DEADLOCK);

	/* Would block: non-blocking send to a task that is not receiving; empty poll. */
	int sl = st_spawn("sleeper", sleeper, (void *)5000, 0, 0, 0);
	CHECK_EQ(ipc_send(sl, &m, MSG_HEADER, IPC_POLL), E_WOULD_BLOCK);
	CHECK_EQ(ipc_recv(IPC_ANY, &m, sizeof m, IPC_POLL), E_WOULD_BLOCK);
	/* Reply to a task that is not calling us. */
	CHECK_EQ(ipc_reply(sl, &m, MSG_HEADER), E_WOULD_BLOCK);
	/* Timeouts: on receive, and on a send nobody takes. */
	uint64_t t0 = st_now_ms();
	CHECK_EQ(ipc_recv(sl, &m, sizeof m, 30), E_TIMEOUT);
	uint64_t dt = st_now_ms() - t0;
	CHECK(dt >= 30 && dt < 1000);
	t0 = st_now_ms();
	CHECK_EQ(ipc_send(sl, &m, MSG_HEADER, 20), E_TIMEOUT);
	CHECK(st_now_ms() - t0 >= 20);
	CHECK_EQ(ipc_call(sl, &m, MSG_HEADER, sizeof m, 20), E_TIMEOUT);
	CHECK_EQ(task_kill(sl, EXIT_KILLED), 0);
	CHECK_EQ(st_wait_exit(sl, 1000), EXIT_KILLED);

	/* Message larger than the receiver's buffer: the sender is told, the
	 * receiver keeps waiting and gets the next message that fits. */
	small_r1 = 0;
	int sr = st_spawn("small", small_receiver, 0, 0, 0, 0);
	task_sleep(5);
	int bs = st_spawn("bigsend", big_sender, (void *)(intptr_t)sr, 0, 0, 0);
	CHECK_EQ(st_wait_exit(bs, 1000), EXIT_OK);
	CHECK_EQ(big_send_r, E_TOO_LARGE);
	CHECK_EQ(small_r1, 0);
	st_msg(&m, 61, "");
	CHECK_EQ(ipc_send(sr, &m, 12, 1000), 0);
	CHECK_EQ(st_wait_exit(sr, 1000), EXIT_OK);
	CHECK_EQ(small_r1, 12);
	CHECK_EQ(small_type, 61);
	/* Same when the big sender queued first. */
	small_r1 = 0;
	sr = st_spawn("small", small_receiver, 0, TASK_PRIO_LOWEST, 0, 0);
	bs = st_spawn("bigsend", big_sender, (void *)(intptr_t)sr, 0, 0, 0);
	CHECK_EQ(st_wait_exit(bs, 1000), EXIT_OK);
	CHECK_EQ(big_send_r, E_TOO_LARGE);
	CHECK_EQ(ipc_send(sr, &m, 12, 1000), 0);
	CHECK_EQ(st_wait_exit(sr, 1000), EXIT_OK);
	CHECK_EQ(small_r1, 12);
	/* A reply too large for the caller's buffer fails for the replier; the caller keeps waiting. */
	int brp = st_spawn("bigreply", big_replier, 0, 0, 0, 0);
	st_msg(&m, 9, "");
	CHECK_EQ(ipc_call(brp, &m, MSG_HEADER, 16, 1000), MSG_HEADER);
	CHECK_EQ(m.type, 10);
	CHECK_EQ(st_wait_exit(brp, 1000), EXIT_OK);
	CHECK_EQ(big_reply_r, E_TOO_LARGE);

	/* Deadlock: the callee sends to its waiting caller. */
	int dl = st_spawn("deadlock", deadlocker, 0, 0, 0, 0);
	st_msg(&m, 8, "dl");
	CHECK_EQ(ipc_call(dl, &m, MSG_HEADER, sizeof m, 2000), MSG_HEADER);
	CHECK_EQ(dl_send_r, E_DEADLOCK);
	CHECK_EQ(st_wait_exit(dl, 1000), EXIT_OK);
	/* Deadlock: two tasks sending to each other. */
	int p1 = st_spawn("pair1", pair_first, 0, TASK_PRIO_LOWEST, 0, 0);
	pair_peer = st_spawn("pair2", pair_second, (void *)(intptr_t)p1, TASK_PRIO_LOWEST, 0, 0);
	CHECK_EQ(st_wait_exit(p1, 2000), EXIT_OK);
	CHECK_EQ(st_wait_exit(pair_peer, 2000), EXIT_OK);
	/* Whichever sends second sees the cycle; the first is then received. */
	CHECK((pair_r_first == 0 && pair_r_second == E_DEADLOCK) || (pair_r_first == E_DEADLOCK));

	/* The peer exits while we wait: in recv(from), in call, in send. */
	void (*waiters[3])(void *) = { wait_recv_from, wait_call, wait_send };
	for (int i = 0; i < 3; i++) {
		exw_r = 1;
		int target = st_spawn("target", sleeper, (void *)30, 0, 0, 0);
		int w = st_spawn("waiter", waiters[i], (void *)(intptr_t)target, 0, 0, 0);
		CHECK_EQ(st_wait_exit(target, 1000), EXIT_OK);
		CHECK_EQ(st_wait_exit(w, 1000), EXIT_OK);
		CHECK_EQ(exw_r, E_EXITED);
	}
	/* A server that takes a call and exits without replying. */
	int nr = st_spawn("noreply", recv_and_exit, 0, 0, 0, 0);
	CHECK_EQ(ipc_call(nr, &m, MSG_HEADER, sizeof m, 1000), E_EXITED);
	CHECK_EQ(st_wait_exit(nr, 1000), EXIT_OK);
	/* And one that is killed. */
	exw_r = 1;
	int victim = st_spawn("victim", sleeper, (void *)5000, 0, 0, 0);
	int w = st_spawn("waiter", wait_send, (void *)(intptr_t)victim, 0, 0, 0);
	CHECK(st_wait_state(w, TASK_STATE_SEND));
	CHECK_EQ(task_kill(victim, EXIT_KILLED), 0);
	CHECK_EQ(st_wait_exit(victim, 1000), EXIT_KILLED);
	CHECK_EQ(st_wait_exit(w, 1000), EXIT_OK);
	CHECK_EQ(exw_r, E_EXITED);
	/* Gone tasks are gone for every call. */
	CHECK_EQ(ipc_send(victim, &m, MSG_HEADER, 0), E_NO_TASK);
	CHECK_EQ(task_kill(victim, 0), E_NO_TASK);
}
