// The console service (servers/console's messages) on the host's terminal:
// console_write to the output, console_read_line / console_read from stdin.
// The end of stdin is E_END, as Ctrl-D on an empty line inside the OS.
import { E_END, E_UNSUPPORTED } from '../errors.ts';
import type { PortableKernel } from '../kernel.ts';
import { message, type Service, startService } from './service.ts';


/** Where console input comes from (stdin in Node: line-reader.ts); null is the end of input. */
export interface ConsoleInput {
  line(): Promise<string | null>;
  bytes(max: number): Promise<Uint8Array | null>;
}

/** No input at all: every read is the end of input, at once. */
export const NO_INPUT = null;

export function startConsole(k: PortableKernel, out: (b: Uint8Array) => void, input: ConsoleInput | typeof NO_INPUT): Service {
  return startService(k, 'console', (m) => {
    switch (m.name) {
      case 'console_write':
        out(m.fields.data as Uint8Array);
        return message('console_write_reply');
      case 'console_read_line':
        if (!input) return E_END;
        return input.line().then((line) => (line === null ? E_END : message('console_read_line_reply', { line: line.slice(0, 255) })));
      case 'console_read':
        if (!input) return E_END;
        return input
          .bytes(Math.min(m.fields.max_len as number, 1024))
          .then((data) => (data === null ? E_END : message('console_read_reply', { data })));
      case 'console_set_foreground':
        return message('console_set_foreground_reply');
      case 'ping':
        return message('ping_reply', { value: m.fields.value as number });
      default:
        return E_UNSUPPORTED;
    }
  });
}
