// The console service (servers/console's messages) on the host's terminal:
// console_write to the output, console_read_line / console_read from stdin.
// The end of stdin is E_END, as Ctrl-D on an empty line inside the OS.
import { E_END, E_UNSUPPORTED } from '../errors.ts';
import type { PortableKernel } from '../kernel.ts';
import { message, type Service, startService } from './service.ts';
import { LineReader } from './line-reader.ts';

export function startConsole(k: PortableKernel, out: (b: Uint8Array) => void, stdin: LineReader): Service {
  return startService(k, 'console', async (m) => {
    switch (m.name) {
      case 'console_write':
        out(m.fields.data as Uint8Array);
        return message('console_write_reply');
      case 'console_read_line': {
        const line = await stdin.line();
        return line === null ? E_END : message('console_read_line_reply', { line: line.slice(0, 255) });
      }
      case 'console_read': {
        const data = await stdin.bytes(Math.min(m.fields.max_len as number, 1024));
        return data === null ? E_END : message('console_read_reply', { data });
      }
      case 'console_set_foreground':
        return message('console_set_foreground_reply');
      case 'ping':
        return message('ping_reply', { value: m.fields.value as number });
      default:
        return E_UNSUPPORTED;
    }
  });
}
