// Running programs: run (foreground), start / `&` (background), jobs, ps,
// kill. Every program is started by init (the proc service), which reads the
// file, checks it is Wasm and becomes its parent; the shell only asks.
import {
  E_END,
  E_NOT_FOUND,
  E_TOO_LARGE,
  PROC_BACKGROUND,
  ConsoleSetForeground,
  ProcKill,
  ProcList,
  ProcListReply,
  ProcSpawn,
  ProcSpawnReply,
  ProcWait,
  ProcWaitReply,
  println,
} from "../sdk/assembly";
import { describe, exitText } from "./errors";
import { programName, resolvePath } from "./path";
import { callService, msg } from "./services";

/** task_info.state of a task that has exited (docs/abi.md). */
const STATE_EXITED: i32 = 5;

/** Kernel task states (docs/abi.md, task_info.state) as ps shows them. */
function stateName(state: i32): string {
  switch (state) {
    case 0: return "ready";
    case 1: return "send";
    case 2: return "recv";
    case 3: return "call";
    case 4: return "sleep";
    case 5: return "exited";
    default: return "state " + state.toString();
  }
}

/** A program started in the background. */
class Job {
  constructor(public number: i32, public task: i32, public command: string) {}
}

const jobs = new Array<Job>(0);
let nextJob = 1;

/**
 * The files a program word may name, in the order they are tried. A word with
 * a "/" is a path (relative to the working directory); "NAME.wasm" is looked
 * for in the working directory, then in /boot; a bare "NAME" is
 * /boot/NAME.wasm, then ./NAME.wasm.
 */
export function candidates(word: string): string[] {
  let list: string[];
  if (word.includes("/")) list = [resolvePath(word)];
  else if (word.endsWith(".wasm")) list = [resolvePath(word), "/boot/" + word];
  else list = ["/boot/" + word + ".wasm", resolvePath(word + ".wasm")];
  // In / the two candidates can be one file.
  if (list.length == 2 && list[0] == list[1]) list.pop();
  return list;
}

/** Asks init to start the program at `path`: the task id, or an error. */
function spawn(path: string, argv: string[], background: bool): i32 {
  const q = ProcSpawn.init(msg);
  q.path = path;
  q.flags = background ? <u32>PROC_BACKGROUND : 0;
  q.mem_limit = 0;
  // Arguments back to back, each ended by a NUL; argument 0 is the name.
  let at: u32 = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = String.UTF8.encode(argv[i], true);
    const n = <u32>a.byteLength;
    if (at + n > 1024) return E_TOO_LARGE; // more than proc_spawn's args field holds
    memory.copy(q.args_ptr() + at, changetype<usize>(a), n);
    at += n;
  }
  q.args_len = at;
  const r = callService("proc", msg);
  return r < 0 ? r : ProcSpawnReply.at(msg).task;
}

function setForeground(task: i32): void {
  ConsoleSetForeground.init(msg).task = task;
  callService("console", msg);
}

/**
 * Runs a program: `words[0]` names it (see candidates), the rest are its
 * arguments. `cmd` prefixes error messages ("run", or the word itself).
 */
export function runProgram(cmd: string, words: string[], background: bool): void {
  const word = words[0];
  const files = candidates(word);
  // Spawning is the test for "is there such a file": init answers E_NOT_FOUND,
  // or why the file cannot run. No fs_stat first: each round trip costs the
  // shell a turn behind any busy task of its priority.
  let task: i32 = E_NOT_FOUND;
  let path = files[0];
  for (let i = 0; i < files.length && task == E_NOT_FOUND; i++) {
    path = files[i];
    const argv = new Array<string>(0);
    argv.push(programName(path));
    for (let j = 1; j < words.length; j++) argv.push(words[j]);
    task = spawn(path, argv, background);
  }
  if (task < 0) {
    if (task == E_NOT_FOUND && cmd != "run" && cmd != "start")
      println(word + ": unknown command (no program " + files.join(" or ") + ")");
    else if (task == E_NOT_FOUND) println(cmd + ": " + files.join(" or ") + ": " + describe(task));
    else if (task == E_TOO_LARGE) println(cmd + ": the arguments take more than 1024 bytes");
    else println(cmd + ": " + path + ": " + describe(task));
    return;
  }
  if (background) {
    const job = new Job(nextJob++, task, words.join(" "));
    jobs.push(job);
    println("[job " + job.number.toString() + "] task " + task.toString());
    return;
  }
  // Foreground: Ctrl-C now kills the program (the console asks init).
  setForeground(task);
  ProcWait.init(msg).task = task;
  const r = callService("proc", msg);
  const reason = r < 0 ? r : ProcWaitReply.at(msg).reason;
  setForeground(0);
  if (r < 0) println(cmd + ": waiting for task " + task.toString() + ": " + describe(r));
  else {
    const text = exitText(reason);
    if (text.length > 0) println(text);
  }
}

/** One proc_list entry. */
class TaskRow {
  constructor(
    public task: i32,
    public parent: i32,
    public state: i32,
    public mem: u32,
    public name: string,
  ) {}
}

/** Every live task, from init's proc_list; null (after printing why) on an error. */
function listTasks(cmd: string): TaskRow[] | null {
  const rows = new Array<TaskRow>(0);
  for (let i: u32 = 0; i < 1000; i++) {
    ProcList.init(msg).index = i;
    const r = callService("proc", msg);
    if (r == E_END) break;
    if (r < 0) {
      println(cmd + ": " + describe(r));
      return null;
    }
    const e = ProcListReply.at(msg);
    rows.push(new TaskRow(e.task, e.parent, e.state, e.mem_bytes, e.name));
  }
  return rows;
}

function pad(s: string, width: i32): string {
  return s.length >= width ? s + " " : s + " ".repeat(width - s.length);
}

function padLeft(s: string, width: i32): string {
  return s.length >= width ? s : " ".repeat(width - s.length) + s;
}

export function ps(args: string[]): void {
  const rows = listTasks("ps");
  if (rows === null) return;
  println("   ID PARENT STATE     MEM NAME");
  for (let i = 0; i < rows.length; i++) {
    const t = rows[i];
    const kib = ((t.mem + 1023) / 1024).toString() + "K";
    println(padLeft(t.task.toString(), 5) + " " + padLeft(t.parent.toString(), 6) + " " + pad(stateName(t.state), 7) +
      padLeft(kib, 6) + " " + t.name);
  }
}

/** The background jobs whose task is still alive; forgets the others. */
export function jobsCmd(args: string[]): void {
  const rows = listTasks("jobs");
  if (rows === null) return;
  const alive = new Array<Job>(0);
  for (let j = 0; j < jobs.length; j++) {
    const job = jobs[j];
    let live = false;
    for (let i = 0; i < rows.length; i++) {
      if (rows[i].task == job.task && rows[i].state != STATE_EXITED) live = true;
    }
    if (live) alive.push(job);
    else println("[job " + job.number.toString() + "] done      " + job.command);
  }
  for (let j = 0; j < alive.length; j++) {
    const job = alive[j];
    println("[job " + job.number.toString() + "] task " + job.task.toString() + "  " + job.command);
  }
  if (alive.length == 0 && jobs.length == 0) println("no jobs");
  jobs.length = 0;
  for (let j = 0; j < alive.length; j++) jobs.push(alive[j]);
}

/** A decimal task id, or -1 if the text is not one. */
function parseId(text: string): i32 {
  if (text.length == 0 || text.length > 9) return -1;
  let v = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    v = v * 10 + (c - 0x30);
  }
  return v;
}

export function killCmd(args: string[]): void {
  if (args.length != 2) {
    println("usage: kill ID");
    return;
  }
  const id = parseId(args[1]);
  if (id <= 0) {
    println("kill: " + args[1] + ": not a task id");
    return;
  }
  ProcKill.init(msg).task = id;
  const r = callService("proc", msg);
  if (r < 0) println("kill: task " + args[1] + ": " + describe(r));
  else println("killed task " + args[1]);
}
