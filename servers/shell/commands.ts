// The shell's built-in commands: name, usage, one line of help, and the
// function that runs it. `help` prints this table; a word not in it is a program.
import { println } from "../sdk/assembly";
import { cat, cd, ls, mkdir, pwd, rm, write } from "./files";
import { jobsCmd, killCmd, ps, runProgram } from "./programs";
import { clear, echo, lookupCmd, mem, ping, reboot, shutdown, trace, uptime } from "./system";
import { http } from "./http";
import { dns, ifconfig } from "./net";

type Handler = (args: string[]) => void;

class Command {
  constructor(public name: string, public usage: string, public help: string, public run: Handler) {}
}

function help(args: string[]): void {
  println("Commands:");
  const all = commands();
  for (let i = 0; i < all.length; i++) {
    const c = all[i];
    const u = c.usage;
    println("  " + u + (u.length < 22 ? " ".repeat(22 - u.length) : " ") + c.help);
  }
  println("Any other word runs a program: hello runs /boot/hello.wasm (or ./hello.wasm).");
  println("Quote with \"...\" or '...', escape with \\; a final & runs in the background.");
}

function run(args: string[]): void {
  if (args.length < 2) {
    println("usage: run FILE [ARGS]");
    return;
  }
  runProgram("run", args.slice(1), false);
}

function start(args: string[]): void {
  if (args.length < 2) {
    println("usage: start FILE [ARGS]");
    return;
  }
  runProgram("start", args.slice(1), true);
}

// Built on first use: help() reads the table that refers to help().
let table: Command[] | null = null;

function commands(): Command[] {
  let t = table;
  if (t === null) {
    t = makeTable();
    table = t;
  }
  return t;
}

function makeTable(): Command[] {
  return [
    new Command("help", "help", "this list", help),
    new Command("ls", "ls [DIR]", "list a directory: name, kind, size", ls),
    new Command("cat", "cat FILE...", "print files", cat),
    new Command("write", "write FILE TEXT...", "write the text and a newline to a file (replaces it)", write),
    new Command("rm", "rm PATH", "remove a file or an empty directory", rm),
    new Command("mkdir", "mkdir DIR", "make a directory", mkdir),
    new Command("cd", "cd [DIR]", "change the working directory (default /)", cd),
    new Command("pwd", "pwd", "print the working directory", pwd),
    new Command("run", "run FILE [ARGS]", "run a program and wait for it (Ctrl-C stops it)", run),
    new Command("start", "start FILE [ARGS]", "run a program in the background (like a final &)", start),
    new Command("jobs", "jobs", "background programs still running", jobsCmd),
    new Command("ps", "ps", "list tasks: id, parent, state, memory, name", ps),
    new Command("kill", "kill ID", "stop a task", killCmd),
    new Command("lookup", "lookup NAME", "which task provides a service", lookupCmd),
    new Command("ping", "ping [NAME|HOST]", "ping a service (default pong), or a host (ICMP, HOST has a dot)", ping),
    new Command("ifconfig", "ifconfig", "the network interface: address, gateway, DNS, counters", ifconfig),
    new Command("dns", "dns NAME", "look a host name up (DNS, through tcpip)", dns),
    new Command("http", "http [-s] URL", "GET http://HOST[:PORT]/PATH: status, headers, body (-s: and its FNV-1a hash)", http),
    new Command("echo", "echo TEXT", "send text through the echo service", echo),
    new Command("uptime", "uptime", "time since boot (guest time)", uptime),
    new Command("mem", "mem", "memory: total, free, kernel heap, tasks", mem),
    new Command("trace", "trace on|off", "start or stop the IPC trace", trace),
    new Command("clear", "clear", "clear the screen", clear),
    new Command("shutdown", "shutdown", "power the machine off", shutdown),
    new Command("reboot", "reboot", "restart the machine", reboot),
  ];
}

/** The built-in command called `name`, or null. */
export function findCommand(name: string): Handler | null {
  const all = commands();
  for (let i = 0; i < all.length; i++) if (all[i].name == name) return all[i].run;
  return null;
}

/** Runs one parsed line: a built-in, or else a program. */
export function execute(words: string[], background: bool): void {
  const name = words[0];
  const handler = findCommand(name);
  if (handler === null) {
    runProgram(name, words, background);
    return;
  }
  if (background) {
    // `run X &` means start X; any other built-in cannot go to the background.
    if (name == "run" || name == "start") {
      if (words.length < 2) println("usage: " + name + " FILE [ARGS]");
      else runProgram(name, words.slice(1), true);
      return;
    }
    println(name + ": a built-in command cannot run in the background");
    return;
  }
  handler(words);
}
