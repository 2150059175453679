// init: the first Wasm task (docs/userland.md "Boot sequence"). It registers
// "proc", starts what /boot/init.rc lists in dependency order, then serves
// proc_* requests forever and reports servers that exit. It must never trap:
// every error is checked and reported, and the loop never ends. Built with
// the minimal runtime (asc.json): a smaller module, so a faster boot.
import {
  IPC_ANY,
  MSG_NOTIFY,
  Message,
  E_TIMEOUT,
  NO_REPLY,
  TASK_KERNEL,
  errorText,
  println,
  recv,
  recvTimeout,
  register,
  reply,
  yieldNow,
} from "../sdk/assembly";
import { boot } from "./boot";
import { handleNotify } from "./children";
import { POLL_MS, mailboxInit, mailboxPoll } from "./mailbox";
import { handleProc } from "./proc";
import { parseRc } from "./rc";
import { loadBootFile, loadError, loadedSize } from "./spawn";

function readInitRc(): string | null {
  const p = loadBootFile("init.rc");
  if (p == 0) {
    println("init: cannot read init.rc: " + errorText(loadError));
    return null;
  }
  const text = String.UTF8.decodeUnsafe(p, <usize>loadedSize);
  heap.free(p);
  return text;
}

// With a host mailbox, init wakes every POLL_MS to look at it (mailbox.ts says why it polls).
function serveForever(m: Message, mailbox: bool): void {
  let failures = 0;
  for (;;) {
    const r = mailbox ? recvTimeout(IPC_ANY, m, POLL_MS) : recv(IPC_ANY, m);
    // A poll that finds nothing allocates nothing: collecting then would cost most of the wake-up.
    if (mailbox && mailboxPoll()) __collect();
    if (r == E_TIMEOUT) continue;
    if (r < 0) {
      if (failures++ == 0) println("init: recv: " + errorText(r));
      yieldNow();
      continue;
    }
    const src = m.src;
    if (src == TASK_KERNEL) {
      if (m.type == MSG_NOTIFY) handleNotify(m);
      continue; // a notification allocates nothing worth collecting for
    }
    const result = handleProc(m);
    if (result != NO_REPLY) {
      if (result < 0) m.reset(result, 0);
      reply(src, m);
    }
    // The minimal runtime collects only when asked, and only from globals:
    // here, between requests, nothing but globals holds a managed object.
    __collect();
  }
}

export function main(): i32 {
  const self = new Array<string>(0);
  const r = register("proc");
  if (r < 0) println("init: cannot register \"proc\": " + errorText(r));
  else self.push("proc");
  const text = readInitRc();
  if (text !== null) {
    const rc = parseRc(text);
    for (let i = 0; i < rc.errors.length; i++) println("init: " + rc.errors[i]);
    boot(rc.entries, self);
  }
  serveForever(Message.alloc(), mailboxInit());
  return 0;
}
