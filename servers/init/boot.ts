// The boot sequence: start init.rc's entries in dependency order. An entry
// starts once every name in its `uses` is provided (by init, "proc", or by an
// entry already started); after starting it, init waits until each name in its
// `provides` is registered before anything that uses it starts. Shell entries
// start last. Whatever cannot start (a cycle, a name nobody provides) is
// reported, never waited on.
import {
  E_NOT_FOUND,
  E_TIMEOUT,
  IPC_POLL,
  MSG_NOTIFY,
  Message,
  TASK_KERNEL,
  errorText,
  lookupTimeout,
  nowNs,
  println,
  recvTimeout,
} from "../sdk/assembly";
import { addChild, handleNotify, isChild } from "./children";
import { Grant, resolve, resolveError } from "./devices";
import { Entry, FAILED, PENDING, STARTED } from "./entry";
import { loadBootFile, loadError, loadedSize, spawnEntry } from "./spawn";
import { msText } from "./text";

/** How long init waits for a server to register each name it provides. */
export const REGISTER_TIMEOUT_MS = 5000;
// Waits are cut in slices so a server that dies before registering is noticed.
const SLICE_MS = 20;

const provided = new Set<string>();
let notifyMsg: Message | null = null;

function ready(e: Entry): bool {
  const needs = e.needs();
  for (let i = 0; i < needs.length; i++) if (!provided.has(needs[i])) return false;
  return true;
}

// Takes the kernel's pending notifications (child exits) without blocking.
function drainNotifications(): void {
  let m = notifyMsg;
  if (m === null) {
    m = Message.alloc();
    notifyMsg = m;
  }
  while (recvTimeout(TASK_KERNEL, m, IPC_POLL) >= 0) {
    if (m.type == MSG_NOTIFY) handleNotify(m);
  }
}

// Waits for `name` to be registered by task; false (reported) if it was not.
function awaitName(e: Entry, name: string): bool {
  let waited = 0;
  while (true) {
    const r = lookupTimeout(name, SLICE_MS);
    if (r > 0) return true;
    waited += SLICE_MS;
    drainNotifications();
    if (r != E_TIMEOUT && r < 0 && r != E_NOT_FOUND) {
      println("init: " + e.name + ": looking up \"" + name + "\": " + errorText(r));
      return false;
    }
    if (!isChild(e.task)) {
      println("init: " + e.name + " did not register \"" + name + "\" (it exited)");
      return false;
    }
    if (waited >= REGISTER_TIMEOUT_MS) {
      println("init: " + e.name + " did not register \"" + name + "\" within " + REGISTER_TIMEOUT_MS.toString() + " ms");
      return false;
    }
  }
  return false; // not reached
}

// Starts one entry and waits for what it provides; reports the outcome.
function start(e: Entry): void {
  const t0 = nowNs();
  const grants = new Array<Grant>(0);
  for (let i = 0; i < e.devices.length; i++) {
    // "device=virtio:9?": optional; without it the server starts anyway (fs without /host).
    const spec = e.devices[i];
    const optional = spec.endsWith("?");
    let g = resolve(optional ? spec.slice(0, spec.length - 1) : spec);
    if (g === null && optional) {
      println("init: " + e.name + ": no device " + spec.slice(0, spec.length - 1) + ", starting without it");
      g = resolve("");
    }
    if (g === null) {
      const what = spec.length > 0 ? spec : "dma";
      println("init: " + e.name + " failed: device " + what + ": " + errorText(resolveError));
      e.state = FAILED;
      return;
    }
    grants.push(g);
  }
  if (grants.length > 0) grants[0].dma = e.dma;
  const module = loadBootFile(e.file);
  if (module == 0) {
    println("init: " + e.name + " failed: " + e.file + ": " + errorText(loadError));
    e.state = FAILED;
    return;
  }
  const task = spawnEntry(e, module, loadedSize, grants);
  heap.free(module);
  if (task < 0) {
    println("init: " + e.name + " failed: " + errorText(task));
    e.state = FAILED;
    return;
  }
  e.state = STARTED;
  e.task = task;
  addChild(task, e.name, e);
  const offers = e.offers();
  let all = true;
  for (let i = 0; i < offers.length; i++) {
    if (awaitName(e, offers[i])) provided.add(offers[i]);
    else all = false;
  }
  if (all) println("init: started " + e.name + " (task " + task.toString() + ") in " + msText(nowNs() - t0) + " ms");
}

// A pending entry that provides name, or null.
function pendingProvider(entries: Entry[], name: string): Entry | null {
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.state == PENDING && e.offers().includes(name)) return e;
  }
  return null;
}

// A path of pending entries from `from` back to `target` through what they
// use ("a -> b -> a"), or null. `seen` keeps the search finite.
function cycleFrom(entries: Entry[], from: Entry, target: Entry, seen: Set<Entry>): string | null {
  const needs = from.needs();
  for (let i = 0; i < needs.length; i++) {
    if (provided.has(needs[i])) continue;
    const p = pendingProvider(entries, needs[i]);
    if (p === null) continue;
    if (p === target) return from.name + " -> " + p.name;
    if (seen.has(p)) continue;
    seen.add(p);
    const rest = cycleFrom(entries, p, target, seen);
    if (rest !== null) return from.name + " -> " + rest;
  }
  return null;
}

// Why a pending entry cannot start.
function blockedReason(entries: Entry[], e: Entry): string {
  const needs = e.needs();
  for (let i = 0; i < needs.length; i++) {
    if (!provided.has(needs[i]) && pendingProvider(entries, needs[i]) === null) {
      return "\"" + needs[i] + "\" is not provided";
    }
  }
  const cycle = cycleFrom(entries, e, e, new Set<Entry>());
  if (cycle !== null) return "dependency cycle " + cycle;
  for (let i = 0; i < needs.length; i++) {
    const p = pendingProvider(entries, needs[i]);
    if (!provided.has(needs[i]) && p !== null) return "\"" + needs[i] + "\" would come from " + p.name + ", which cannot start";
  }
  return "its services are not provided";
}

// Starts every ready entry of one kind (servers or shells) until none is left ready.
function startKind(entries: Entry[], shell: bool): void {
  for (;;) {
    let next: Entry | null = null;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      if (e.state == PENDING && e.shell == shell && ready(e)) {
        next = e;
        break;
      }
    }
    if (next === null) return;
    start(next);
  }
}

// Reports every pending entry of one kind (reasons first, then the marks, so
// each reason sees the others still pending).
function reportBlocked(entries: Entry[], shell: bool): void {
  const reasons = new Array<string>(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.state == PENDING && e.shell == shell) reasons[i] = blockedReason(entries, e);
  }
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.state != PENDING || e.shell != shell) continue;
    println("init: " + e.name + " not started: " + reasons[i]);
    e.state = FAILED;
  }
}

/** Runs the boot sequence; `selfProvides` are the names init registered itself. */
export function boot(entries: Entry[], selfProvides: string[]): void {
  for (let i = 0; i < selfProvides.length; i++) provided.add(selfProvides[i]);
  startKind(entries, false);
  reportBlocked(entries, false);
  startKind(entries, true);
  reportBlocked(entries, true);
}
