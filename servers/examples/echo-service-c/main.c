/*
 * example-echo in C: the same service as servers/examples/echo-service
 * (ping answered with value + 1, echo with the same bytes, anything else
 * E_UNSUPPORTED), written with wasmos_serve. Its task needs
 * provides = "example-echo".
 */
#include <wasmos.h>

static int32_t handle(struct message *m)
{
	switch (m->type) {
	case MSG_PING: {
		int32_t value = m->ping.value; /* the reply shares the buffer: read first */
		msg_init(m, MSG_PING_REPLY);
		m->ping_reply.value = value + 1;
		return WASMOS_REPLY;
	}
	case MSG_ECHO:
		/* struct echo_fields and struct echo_reply_fields have one layout. */
		m->type = MSG_ECHO_REPLY;
		return WASMOS_REPLY;
	default:
		return E_UNSUPPORTED;
	}
}

int main(void)
{
	wasmos_print("example-echo (C): ready\n");
	wasmos_serve("example-echo", handle);
}
