/* Message passing that works: send/recv, call/reply, selective receive, big messages. */
#include "test/selftest.h"
#include "lib/string.h"

static volatile int got_src, got_type, got_len;
static char got_text[64];

static void receiver(void *arg)
{
	(void)arg;
	struct msg m;
	int len = ipc_recv(IPC_ANY, &m, sizeof m, IPC_FOREVER);
	got_len = len;
	got_src = m.src;
	got_type = m.type;
	strlcpy(got_text, (char *)m.payload, sizeof got_text);
}

/* Echo server: answers each call with type+1 and the payload upper-cased; type 99 stops it. */
static void echo_server(void *arg)
{
	(void)arg;
	struct msg m;
	for (;;) {
		int len = ipc_recv(IPC_ANY, &m, sizeof m, IPC_FOREVER);
		if (len < 0)
			continue;
		int from = m.src;
		int32_t type = m.type;
		for (int i = MSG_HEADER; i < len; i++) {
			char *c = (char *)&m + i;
			if (*c >= 'a' && *c <= 'z')
				*c = (char)(*c - 32);
		}
		m.type = type + 1;
		ipc_reply(from, &m, (uint32_t)len);
		if (type == 99)
			return;
	}
}

static volatile int sel_order[4];
static volatile int sel_n;
static volatile int sel_want;

static void selective(void *arg)
{
	(void)arg;
	struct msg m;
	int r = ipc_recv(sel_want, &m, sizeof m, 1000);
	if (r > 0)
		sel_order[sel_n++] = m.type;
	r = ipc_recv(IPC_ANY, &m, sizeof m, 1000);
	if (r > 0)
		sel_order[sel_n++] = m.type;
}

static volatile int sender_result;

static void sender(void *arg)
{
	int dst = (int)(intptr_t)arg & 0xffff;
	int type = (int)(intptr_t)arg >> 16;
	struct msg m;
	st_msg(&m, type, "queued");
	sender_result = ipc_send(dst, &m, MSG_HEADER + 8, IPC_FOREVER);
}

static volatile int big_ok;

static void big_receiver(void *arg)
{
	(void)arg;
	static struct msg m;
	int len = ipc_recv(IPC_ANY, &m, sizeof m, IPC_FOREVER);
	bool ok = len == MSG_MAX;
	for (int i = 0; i < MSG_PAYLOAD_MAX && ok; i++)
		ok = m.payload[i] == (uint8_t)(i * 7 + 3);
	big_ok = ok ? 1 : -1;
}

void st_ipc(void)
{
	struct msg m;
	/* The kernel answers ping at task 0. */
	st_msg(&m, MSG_PING, "hello");
	int r = ipc_call(TASK_KERNEL, &m, MSG_HEADER + 6, sizeof m, IPC_FOREVER);
	CHECK_EQ(r, MSG_HEADER + 6);
	CHECK_EQ(m.type, MSG_PING_REPLY);
	CHECK_EQ(m.src, TASK_KERNEL);
	CHECK(strcmp((char *)m.payload, "hello") == 0);

	/* Send to a task already waiting in recv: src is stamped by the kernel. */
	int rid = st_spawn("receiver", receiver, 0, TASK_PRIO_HIGHEST, 0, 0);
	CHECK(rid > 0);
	st_msg(&m, 1234, "payload");
	r = ipc_send(rid, &m, MSG_HEADER + 8, IPC_FOREVER);
	CHECK_EQ(r, 0);
	CHECK_EQ(st_wait_exit(rid, 1000), EXIT_OK);
	CHECK_EQ(got_len, MSG_HEADER + 8);
	CHECK_EQ(got_src, task_self());
	CHECK_EQ(got_type, 1234);
	CHECK(strcmp(got_text, "payload") == 0);

	/* Send before the receiver waits (it runs later, at a lower priority): the sender blocks. */
	rid = st_spawn("receiver", receiver, 0, TASK_PRIO_LOWEST, 0, 0);
	got_len = 0;
	st_msg(&m, 55, "late");
	r = ipc_send(rid, &m, MSG_HEADER + 5, IPC_FOREVER);
	CHECK_EQ(r, 0);
	CHECK_EQ(st_wait_exit(rid, 1000), EXIT_OK);
	CHECK_EQ(got_type, 55);
	CHECK(strcmp(got_text, "late") == 0);

	/* call + reply, in both orders of arrival. */
	int echo = st_spawn("echo", echo_server, 0, 0, 0, 0);
	for (int i = 0; i < 3; i++) {
		st_msg(&m, 40 + i, "abc");
		r = ipc_call(echo, &m, MSG_HEADER + 4, sizeof m, 1000);
		CHECK_EQ(r, MSG_HEADER + 4);
		CHECK_EQ(m.type, 41 + i);
		CHECK_EQ(m.src, echo);
		CHECK(strcmp((char *)m.payload, "ABC") == 0);
	}
	st_msg(&m, 99, "bye");
	CHECK_EQ(ipc_call(echo, &m, MSG_HEADER + 4, sizeof m, 1000), MSG_HEADER + 4);
	CHECK_EQ(m.type, 100);
	CHECK_EQ(st_wait_exit(echo, 1000), EXIT_OK);

	/* Two senders queue on a receiver in order A, B; it takes them FIFO with
	 * IPC_ANY, or B first when it names B. */
	for (int named = 0; named < 2; named++) {
		sel_n = 0;
		sel_want = IPC_ANY;
		sender_result = 1;
		int sel = st_spawn("selective", selective, 0, TASK_PRIO_LOWEST, 0, 0);
		int a = st_spawn("senderA", sender, (void *)(intptr_t)(sel | (81 << 16)), TASK_PRIO_HIGHEST, 0, 0);
		int b = st_spawn("senderB", sender, (void *)(intptr_t)(sel | (82 << 16)), TASK_PRIO_HIGHEST, 0, 0);
		if (named)
			sel_want = b;
		CHECK_EQ(st_wait_exit(sel, 2000), EXIT_OK);
		CHECK_EQ(st_wait_exit(a, 1000), EXIT_OK);
		CHECK_EQ(st_wait_exit(b, 1000), EXIT_OK);
		CHECK_EQ(sel_n, 2);
		CHECK_EQ(sender_result, 0);
		CHECK_EQ(sel_order[0], named ? 82 : 81);
		CHECK_EQ(sel_order[1], named ? 81 : 82);
	}

	/* The largest message, byte-exact. */
	static struct msg big;
	for (int i = 0; i < MSG_PAYLOAD_MAX; i++)
		big.payload[i] = (uint8_t)(i * 7 + 3);
	big.type = 7;
	big_ok = 0;
	int br = st_spawn("big", big_receiver, 0, 0, 0, 0);
	CHECK_EQ(ipc_send(br, &big, MSG_MAX, 1000), 0);
	CHECK_EQ(st_wait_exit(br, 1000), EXIT_OK);
	CHECK_EQ(big_ok, 1);
}
