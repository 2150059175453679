/*
 * The C SDK: greets, then uses the example-echo service like
 * servers/examples/echo-client does (its task needs uses = "example-echo").
 * Built by servers/sdk/tools/build-c.sh into servers/build/examples/hello-c.wasm.
 */
#include <wasmos.h>

static struct message m;

int main(void)
{
	wasmos_print("Hello from C on WasmOS, task ");
	wasmos_print_int(wasmos_task_id());
	wasmos_print("\n");

	int32_t echo = ipc_lookup("example-echo");
	if (echo < 0) {
		wasmos_print("lookup example-echo: ");
		wasmos_print(wasmos_error_text(echo));
		wasmos_print("\n");
		return 1;
	}

	msg_init(&m, MSG_PING);
	m.ping.value = 99;
	int32_t r = wasmos_call(echo, &m);
	if (r < 0)
		return 2;
	wasmos_print("ping 99 -> ");
	wasmos_print_int(m.ping_reply.value);
	wasmos_print("\n");

	static const char text[] = "bytes from C";
	msg_init(&m, MSG_ECHO);
	BYTES_SET(m.echo, data, text, sizeof text - 1);
	r = wasmos_call(echo, &m);
	if (r < 0)
		return 3;
	wasmos_print("echo -> ");
	wasmos_debug_print(m.echo_reply.data, m.echo_reply.data_len);
	wasmos_print("\n");
	return m.echo_reply.data_len == sizeof text - 1 ? 0 : 4;
}
