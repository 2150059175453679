// Drives init's "proc" service for tests/servers/init.test.ts: spawns, waits,
// kills and lists tasks, and asks for things that must fail. Each step prints
// "client: STEP: RESULT"; the test compares the lines. Exits 0 if every step
// gave what it expected.
import {
  E_BAD_MODULE,
  E_DEADLOCK,
  E_DENIED,
  E_END,
  E_INVALID,
  E_NO_TASK,
  E_NOT_FOUND,
  E_NOT_WASM,
  E_UNSUPPORTED,
  Message,
  ProcKill,
  ProcList,
  ProcListReply,
  ProcSpawn,
  ProcSpawnReply,
  ProcWait,
  ProcWaitReply,
  call,
  taskId,
  errorText,
  lookup,
  println,
  sleep,
} from "../../sdk/assembly";

const m = Message.alloc();
let proc = 0;
let bad = 0;

function expect(step: string, got: i32, want: i32): void {
  println("client: " + step + ": " + (got < 0 ? errorText(got) : got.toString()));
  if (got != want) {
    println("client: " + step + ": expected " + (want < 0 ? errorText(want) : want.toString()));
    bad++;
  }
}

// proc_spawn(path, args...) -> task id or error; args[0] is the path.
function spawn(path: string, args: string[], memLimit: u32 = 0): i32 {
  let block = path + "\0";
  for (let i = 0; i < args.length; i++) block += args[i] + "\0";
  const s = ProcSpawn.init(m);
  s.path = path;
  s.mem_limit = memLimit;
  s.set_args_string(block);
  const r = call(proc, m);
  return r < 0 ? r : ProcSpawnReply.at(m).task;
}

// proc_wait: 0 (the reason in `reason`) or an error.
let reason = 0;
function wait(task: i32): i32 {
  ProcWait.init(m).task = task;
  const r = call(proc, m);
  if (r == 0) reason = ProcWaitReply.at(m).reason;
  return r;
}

// Waits for task and checks its exit reason (reasons are negative for kills
// and traps, so they are not mixed up with errors).
function expectExit(step: string, task: i32, want: i32): void {
  const r = wait(task);
  println("client: " + step + ": " + (r < 0 ? errorText(r) : "reason " + reason.toString()));
  if (r < 0 || reason != want) {
    println("client: " + step + ": expected reason " + want.toString());
    bad++;
  }
}

function kill(task: i32): i32 {
  ProcKill.init(m).task = task;
  return call(proc, m);
}

// Finds task in proc_list; its name (parent in listParent), or null.
let listParent = 0;
let listCount = 0;
function listed(task: i32): string | null {
  let found: string | null = null;
  listCount = 0;
  for (let i: u32 = 0; i < 256; i++) {
    ProcList.init(m).index = i;
    const r = call(proc, m);
    if (r == E_END) break;
    if (r < 0) {
      println("client: proc_list " + i.toString() + ": " + errorText(r));
      bad++;
      break;
    }
    listCount++;
    const e = ProcListReply.at(m);
    if (e.task == task) {
      found = e.name;
      listParent = e.parent;
    }
  }
  return found;
}

// mem_bytes of task in proc_list, or 0.
function memOf(task: i32): u32 {
  for (let i: u32 = 0; i < 256; i++) {
    ProcList.init(m).index = i;
    if (call(proc, m) < 0) break;
    if (ProcListReply.at(m).task == task) return ProcListReply.at(m).mem_bytes;
  }
  return 0;
}

export function main(): i32 {
  proc = lookup("proc");
  if (proc < 0) {
    println("client: lookup proc: " + errorText(proc));
    return 1;
  }
  const child = "/boot/test-child.wasm";

  // A program runs and its exit code comes back through proc_wait.
  const t1 = spawn(child, ["exit", "7"]);
  expect("spawn exit 7", t1 > 0 ? 1 : t1, 1);
  expectExit("wait exit 7", t1, 7);

  // Arguments after args[0] reach the program.
  const t2 = spawn(child, ["args", "one", "two words"]);
  expectExit("wait args", t2, 0);

  // A sleeping program is listed as init's child, killed, and its wait says so.
  const t3 = spawn(child, ["sleep"]);
  const name = listed(t3);
  println("client: listed sleeper: " + (name !== null ? <string>name : "(not listed)") + ", parent is init: " + (listParent == proc ? "yes" : "no"));
  if (name === null || name != "test-child" || listParent != proc) bad++;
  expect("kill sleeper", kill(t3), 0);
  expectExit("wait sleeper", t3, -1);

  // A wait after the exit is answered from init's table of recent exits.
  const t4 = spawn(child, ["exit", "3"]);
  sleep(100);
  expectExit("late wait", t4, 3);
  expectExit("wait again", t4, 3);

  // A trap is an exit reason too.
  expectExit("wait trap", spawn(child, ["trap"]), -4);

  // Names come from the path: no ".wasm", at most 23 bytes.
  const t5 = spawn("/boot/a-program-with-a-very-long-name.wasm", ["sleep"]);
  const long = listed(t5);
  println("client: long name: " + (long !== null ? <string>long : "(not listed)"));
  if (long === null || long != "a-program-with-a-very-l") bad++;
  expect("kill long", kill(t5), 0);
  expectExit("wait long", t5, -1);

  // What must fail.
  expect("spawn text file", spawn("/boot/manifest", []), E_NOT_WASM);
  expect("spawn missing file", spawn("/boot/nothing.wasm", []), E_NOT_FOUND);
  expect("spawn bad module", spawn("/boot/junk.wasm", []), E_BAD_MODULE);
  expect("spawn empty path", spawn("", []), E_INVALID);
  expect("wait unknown task", wait(99999), E_NO_TASK);
  expect("wait non-child", wait(proc), E_NO_TASK); // init is the boot task's child, not its own
  expect("wait self", wait(taskId()), E_DEADLOCK);
  expect("kill init", kill(proc), E_DENIED);
  expect("kill 0", kill(0), E_INVALID);
  expect("kill unknown task", kill(99999), E_NO_TASK);
  m.reset(199, 0);
  expect("unknown message", call(proc, m), E_UNSUPPORTED);

  // The list ends with E_END, and holds at least init, us and the servers.
  listed(0);
  println("client: listed " + (listCount >= 3 ? "3 or more" : listCount.toString()) + " tasks");
  if (listCount < 3) bad++;

  // init's memory stays the same over many spawns (its garbage is collected).
  for (let i = 0; i < 10; i++) wait(spawn(child, ["exit", "0"]));
  const before = memOf(proc);
  for (let i = 0; i < 40; i++) wait(spawn(child, ["exit", "0"]));
  const after = memOf(proc);
  println("client: init memory steady over 40 spawns: " + (before == after && before > 0 ? "yes" : "no (" + before.toString() + " -> " + after.toString() + ")"));
  if (before != after || before == 0) bad++;

  // A server started by init and killed through proc_kill: init reports it.
  const echo = lookup("example-echo");
  expect("kill server", echo > 0 ? kill(echo) : echo, 0);
  sleep(50);

  println("client: " + (bad == 0 ? "all passed" : bad.toString() + " failed"));
  return bad == 0 ? 0 : 1;
}
