// The demo services of servers/apps (pong, echo, counter) in TypeScript, with
// the same answers: ping -> the same value, echo -> the same bytes, the
// counter's add/get; anything else E_UNSUPPORTED.
import { E_UNSUPPORTED } from '../errors.ts';
import type { PortableKernel } from '../kernel.ts';
import { type Handler, message, type Service, startService } from './service.ts';

const ping: Handler = (m) => (m.name === 'ping' ? message('ping_reply', { value: m.fields.value as number }) : E_UNSUPPORTED);

export function startPong(k: PortableKernel): Service {
  return startService(k, 'pong', ping);
}

export function startEcho(k: PortableKernel): Service {
  return startService(k, 'echo', (m, raw, from) =>
    m.name === 'echo' ? message('echo_reply', { data: m.fields.data as Uint8Array }) : ping(m, raw, from),
  );
}

export function startCounter(k: PortableKernel): Service {
  let value = 0;
  return startService(k, 'counter', (m, raw, from) => {
    if (m.name === 'counter_add') {
      value = (value + (m.fields.delta as number)) | 0;
      return message('counter_add_reply', { value });
    }
    if (m.name === 'counter_get') return message('counter_get_reply', { value });
    return ping(m, raw, from);
  });
}
