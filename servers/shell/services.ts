// The servers the shell talks to (console, fs, proc, and any service a command
// names), found by name once and remembered. A server that went away (its task
// is gone) is looked up again on the next use, so a restarted server is found.
import { E_NO_TASK, E_EXITED, Message, call, lookupTimeout } from "../sdk/assembly";

/** How long a lookup waits for a name to be registered (init starts the shell last, so normally 0 is enough). */
const LOOKUP_MS: i32 = 1000;

/** The one request buffer of the shell: commands run one at a time. */
export const msg: Message = Message.alloc();

const known = new Map<string, i32>();

/** The task providing `name`, or an error (E_NOT_FOUND, E_DENIED, E_TIMEOUT). */
export function service(name: string): i32 {
  if (known.has(name)) return known.get(name);
  const t = lookupTimeout(name, LOOKUP_MS);
  if (t > 0) known.set(name, t);
  return t;
}

/** Sends m to the service `name` and waits for its reply: 0 or an error, as call() gives it. */
export function callService(name: string, m: Message): i32 {
  const t = service(name);
  if (t < 0) return t;
  const r = call(t, m);
  if (r == E_NO_TASK || r == E_EXITED) known.delete(name);
  return r;
}
