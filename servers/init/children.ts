// init's children (the servers of init.rc and every program proc_spawn
// started), the tasks waiting for one to exit (proc_wait), and a small table
// of recent exits so a wait that comes after the exit is answered at once.
import { Message, Notify, NOTIFY_TASK_EXITED, ProcWaitReply, println, reply } from "../sdk/assembly";
import { Entry } from "./entry";
import { reasonText } from "./text";

class Child {
  constructor(public task: i32, public name: string, public entry: Entry | null) {}
}

class Waiter {
  constructor(public client: i32, public task: i32) {}
}

const RECENT = 32;
const recentTask = new StaticArray<i32>(RECENT);
const recentReason = new StaticArray<i32>(RECENT);
let recentNext = 0;

const children = new Array<Child>(0);
const waiters = new Array<Waiter>(0);
let replyMsg: Message | null = null;

/** Records a task init started (entry: its init.rc line, null for proc_spawn). */
export function addChild(task: i32, name: string, entry: Entry | null): void {
  children.push(new Child(task, name, entry));
}

export function isChild(task: i32): bool {
  for (let i = 0; i < children.length; i++) if (children[i].task == task) return true;
  return false;
}

/** Whether task exited lately (see exitReason). */
export let exitReason: i32 = 0;
export function exitedLately(task: i32): bool {
  for (let i = 0; i < RECENT; i++) {
    if (recentTask[i] == task && task != 0) {
      exitReason = recentReason[i];
      return true;
    }
  }
  return false;
}

/** A client waits for task, a live child: answered when it exits. */
export function addWaiter(client: i32, task: i32): void {
  waiters.push(new Waiter(client, task));
}

/** A child ended: forget it, remember why, answer its waiters, report a server. */
export function childExited(task: i32, reason: i32): void {
  recentTask[recentNext] = task;
  recentReason[recentNext] = reason;
  recentNext = (recentNext + 1) % RECENT;
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    if (c.task != task) continue;
    if (c.entry !== null) println("init: " + c.name + " exited: " + reasonText(reason));
    children.splice(i, 1);
    break;
  }
  let m = replyMsg;
  if (m === null) {
    m = Message.alloc();
    replyMsg = m;
  }
  for (let i = waiters.length - 1; i >= 0; i--) {
    const w = waiters[i];
    if (w.task != task) continue;
    ProcWaitReply.init(m).reason = reason;
    reply(w.client, m); // a waiter killed meanwhile no longer waits: the reply is dropped
    waiters.splice(i, 1);
  }
}

/** Handles a kernel notification: the exits it carries. */
export function handleNotify(m: Message): void {
  const n = Notify.at(m);
  if ((n.bits & <u32>NOTIFY_TASK_EXITED) == 0) return;
  const k = <i32>min<u32>(n.n_exited, 8);
  // childExited answers waiters from its own buffer, so m stays intact here.
  for (let i = 0; i < k; i++) childExited(n.exited(i).task, n.exited(i).reason);
}
