/*
 * WASI stdin: one console_read_line per refill (the console server edits the
 * line; the program sees it with its newline, as from a terminal). E_END
 * from the server, Ctrl-D on an empty line, is the end of input.
 */
#include "core/wasi_fs.h"
#include "core/wasi_rpc.h"
#include "lib/string.h"
#include "../../servers/sdk/include/wasmos/messages.h"

_Static_assert(sizeof(((struct console_read_line_reply_fields *)0)->line) + 1 == WASI_LINE_MAX,
	       "the line buffer holds a whole line, its newline and a NUL");

int wasi_console_read_line(struct wasi_state *st)
{
	struct message *m = (struct message *)st->msg;
	m->type = MSG_CONSOLE_READ_LINE;
	m->src = 0;
	int r = wasi_rpc(st, WASI_SVC_CONSOLE, MSG_HEADER);
	if (r == E_END)
		return 0;
	if (r != MSG_CONSOLE_READ_LINE_REPLY)
		return r < 0 ? r : E_IO;
	const char *line = m->console_read_line_reply.line;
	size_t n = strnlen(line, sizeof m->console_read_line_reply.line);
	memcpy(st->line, line, n);
	st->line[n] = '\n';
	st->line_pos = 0;
	st->line_len = (uint16_t)(n + 1);
	return (int)(n + 1);
}
