// A TypeScript service as a task of the portable kernel: it registers its
// name, receives from anyone, and answers each call with what its handler
// returns — a message built with the IDL's encoder (padded to the 1,512 bytes
// a Wasm server sends), an error code (the reply's type), or NO_REPLY when it
// answers later itself. It handles one message at a time, like a WasmOS
// server, so callers queue while it waits on the host (files, sockets).
import { type DecodedWire, decodeWire, encodeMessage, type MessageFields, type MessageName } from '../../idl/generated/messages.ts';
import { E_IO } from '../errors.ts';
import { IPC_ANY, IPC_FOREVER, MSG_MAX } from '../abi.ts';
import type { PortableKernel } from '../kernel.ts';
import type { Task } from '../task.ts';

export const NO_REPLY = Symbol('no reply');
export type Reply = Uint8Array | number | typeof NO_REPLY;
export type Handler = (m: DecodedWire, raw: Uint8Array, from: number) => Reply | Promise<Reply>;

/** A message as a Wasm server would send it: header and payload from the IDL, padded to MSG_MAX. */
export function message<K extends MessageName>(name: K, fields: Partial<MessageFields[K]> = {}): Uint8Array {
  const m = new Uint8Array(MSG_MAX);
  m.set(encodeMessage(name, fields));
  return m;
}

/** An error reply: the type is the (negative) code. */
export function errorReply(code: number): Uint8Array {
  const m = new Uint8Array(MSG_MAX);
  new DataView(m.buffer).setInt32(0, code, true);
  return m;
}

export interface Service {
  readonly task: Task;
  /** Answers a call now (for NO_REPLY handlers). */
  reply(to: number, r: Uint8Array | number): void;
}

/** Starts a service task named `name` that registers `name` (and `also`) and serves forever. */
export function startService(kernel: PortableKernel, name: string, handler: Handler, also: string[] = []): Service {
  const task = kernel.createTask({ name, uses: '*', provides: [name, ...also].join(',') });
  for (const n of [name, ...also]) kernel.register(task, n);
  const svc: Service = {
    task,
    reply: (to, r) => void kernel.reply(task, to, typeof r === 'number' ? errorReply(r) : r),
  };
  const next = (): void =>
    kernel.recv(task, IPC_ANY, IPC_FOREVER, (len, raw) => {
      if (len < 0 || !raw) return; // exited
      const m = decodeWire(raw);
      if (m.src === 0) return next(); // notifications are never answered
      const finish = (r: Reply): void => {
        if (r !== NO_REPLY) svc.reply(m.src, r);
        if (task.state !== 'exited') next();
      };
      // A handler that answers at once is answered at once (the browser's single-thread host relies on it).
      let r: Reply | Promise<Reply>;
      try {
        r = handler(m, raw, m.src);
      } catch {
        r = E_IO;
      }
      if (r instanceof Promise) void r.catch(() => E_IO).then(finish);
      else finish(r);
    });
  next();
  return svc;
}
