// The "proc" service: proc_spawn, proc_kill, proc_wait and proc_list.
import {
  E_DEADLOCK,
  E_DENIED,
  E_END,
  E_INVALID,
  E_NO_TASK,
  E_NOT_FOUND,
  E_UNSUPPORTED,
  MSG_PROC_KILL,
  MSG_PROC_LIST,
  MSG_PROC_SPAWN,
  MSG_PROC_WAIT,
  Message,
  NO_REPLY,
  ProcKill,
  ProcKillReply,
  ProcList,
  ProcListReply,
  ProcSpawn,
  ProcSpawnReply,
  ProcWait,
  ProcWaitReply,
  REPLY,
  taskId,
  wasmos_kill,
  wasmos_spawn,
  wasmos_task_info,
} from "../sdk/assembly";
import { addChild, addWaiter, exitedLately, exitReason, isChild } from "./children";
import { fileSize, loadFile, loadFileError } from "./fsload";
import { cutUtf8 } from "./text";

const NAME_MAX = 23;
const ALL = String.UTF8.encode("*", true);
// task_info's output (56 bytes, 8-aligned).
const info = memory.data(56, 8);

/** The task name of a program path: its last component without ".wasm", at most 23 bytes. */
export function programName(path: string): string {
  let base = path.substring(path.lastIndexOf("/") + 1);
  if (base.endsWith(".wasm")) base = base.substring(0, base.length - 5);
  if (base.length == 0) base = "program";
  return cutUtf8(base, NAME_MAX);
}

// The arguments after args[0] (which names the program: init names it from the
// path), each NUL-terminated; the block's length in `restLen`.
let restLen: u32 = 0;
function restOfArgs(p: usize, len: u32): usize {
  let i: u32 = 0;
  while (i < len && load<u8>(p + <usize>i) != 0) i++;
  if (i >= len) {
    restLen = 0;
    return p;
  }
  i++; // past args[0]'s NUL
  restLen = len - i;
  return p + <usize>i;
}

function spawn(m: Message): i32 {
  const req = ProcSpawn.at(m);
  const path = req.path;
  const quota = req.mem_limit;
  if (path.length == 0) return E_INVALID;
  // A copy with one spare zero byte, in case the last argument lacks its NUL.
  const argsLen = req.args_len;
  const args = new Uint8Array(<i32>argsLen + 1); // room for a missing final NUL
  memory.copy(args.dataStart, req.args_ptr(), <usize>argsLen);
  const rest = restOfArgs(args.dataStart, argsLen);
  let n = restLen;
  if (n > 0 && load<u8>(rest + <usize>n - 1) != 0) n++; // the extra byte is 0
  const task = spawnProgram(path, rest, n, quota);
  if (task < 0) return task;
  ProcSpawnReply.init(m).task = task;
  return REPLY;
}

/**
 * Starts the program at `path` (read through fs) as init's child, with the
 * NUL-terminated arguments at `rest` (`n` bytes): its task id or an error.
 * proc_spawn and the host mailbox both come here.
 */
export function spawnProgram(path: string, rest: usize, n: u32, quota: u32): i32 {
  const module = loadFile(path);
  if (module == 0) return loadFileError;
  const name = String.UTF8.encode(programName(path), true);
  const task = wasmos_spawn(module, fileSize, changetype<usize>(name), rest, n, quota,
    changetype<usize>(ALL), changetype<usize>(ALL));
  heap.free(module);
  if (task < 0) return task;
  addChild(task, programName(path), null);
  return task;
}

function killTask(m: Message): i32 {
  const r = killProgram(ProcKill.at(m).task);
  if (r < 0) return r;
  ProcKillReply.init(m);
  return REPLY;
}

/** Kills a task for proc_kill or the host mailbox: 0 or an error. */
export function killProgram(task: i32): i32 {
  if (task <= 0) return E_INVALID;
  if (task == taskId()) return E_DENIED; // init would take every program with it
  return wasmos_kill(task);
}

function wait(m: Message): i32 {
  const task = ProcWait.at(m).task;
  if (task == m.src) return E_DEADLOCK; // it would wait for itself forever
  if (isChild(task)) {
    addWaiter(m.src, task);
    return NO_REPLY;
  }
  if (exitedLately(task)) {
    ProcWaitReply.init(m).reason = exitReason;
    return REPLY;
  }
  return E_NO_TASK;
}

function list(m: Message): i32 {
  const index = ProcList.at(m).index;
  if (index > 0x7fffffff) return E_END;
  const r = wasmos_task_info(<i32>index, info);
  if (r == E_NOT_FOUND) return E_END;
  if (r < 0) return r;
  const out = ProcListReply.init(m);
  out.task = load<i32>(info, 0);
  out.parent = load<i32>(info, 4);
  out.state = load<i32>(info, 32);
  out.mem_bytes = load<u32>(info, 48);
  memory.copy(out.name_ptr(), info + 8, 23); // name[24], NUL-terminated; the reply's field is zeroed
  return REPLY;
}

/** Answers one proc request in m: REPLY, NO_REPLY (answered later), or an error. */
export function handleProc(m: Message): i32 {
  switch (m.type) {
    case MSG_PROC_SPAWN:
      return spawn(m);
    case MSG_PROC_KILL:
      return killTask(m);
    case MSG_PROC_WAIT:
      return wait(m);
    case MSG_PROC_LIST:
      return list(m);
    default:
      return E_UNSUPPORTED;
  }
}
