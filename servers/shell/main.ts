// The WasmOS Playground shell (docs/shell.md): prints "shell> ", reads a line
// from the console server, runs it, forever. Commands are in commands.ts; this
// file is the loop and what it does with the console's answers.
import {
  E_END,
  E_INTERRUPTED,
  ConsoleReadLine,
  ConsoleReadLineReply,
  print,
  println,
  sleep,
} from "../sdk/assembly";
import { execute } from "./commands";
import { describe } from "./errors";
import { parseLine } from "./parse";
import { callService, msg } from "./services";

export const PROMPT = "shell> ";

/** Reads one line: the text, or null after an interruption or an error (already reported). */
function readLine(): string | null {
  ConsoleReadLine.init(msg);
  const r = callService("console", msg);
  if (r == 0) return ConsoleReadLineReply.at(msg).line;
  if (r == E_INTERRUPTED) {
    // Ctrl-C at the prompt: the console has echoed ^C and dropped the line;
    // a fresh prompt follows, as in other shells.
  } else if (r == E_END) {
    // Ctrl-D on an empty line: the shell is the machine's only user interface,
    // so it does not end.
    println("(the shell does not exit: type shutdown to power off)");
  } else {
    println("shell: console: " + describe(r));
    // Do not spin while the console is missing or restarting.
    sleep(500);
  }
  return null;
}

function runLine(line: string): void {
  const p = parseLine(line);
  if (p.error.length > 0) {
    println("shell: " + p.error);
    return;
  }
  if (p.words.length == 0) {
    if (p.background) println("shell: nothing to run before &");
    return;
  }
  execute(p.words, p.background);
}

export function main(): i32 {
  println("WasmOS shell: type help for the commands.");
  while (true) {
    // Built with the minimal runtime (asc.json: a smaller module, so a faster
    // boot), which collects only when asked and only from globals: here, between
    // commands, no local holds a managed object.
    __collect();
    print(PROMPT);
    const line = readLine();
    if (line !== null) runLine(line);
  }
  return 0;
}
