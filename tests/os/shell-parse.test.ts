// The shell's line parser (servers/shell/parse.ts) and path resolution
// (servers/shell/path.ts), compiled with asc as the shell is and run in V8 on
// the SDK's mock kernel: a small entry program handles each of its arguments
// ("parse:LINE" or "path:CWD:PATH") and prints the result as one JSON line.
import { afterEach, describe, expect, it } from 'vitest';
import { buildAs } from '../sdk/helpers.ts';
import { MockKernel } from '../sdk/mock-kernel.ts';

// Not a file in the tree (it would become a program): given to the compiler only.
const ENTRY = 'servers/shell/parse-check.ts';
const SOURCE = `
import { argCount, arg, println } from "../sdk/assembly";
import { parseLine } from "./parse";
import { programName, resolvePath, setCurrentDir } from "./path";

function quote(s: string): string {
  let out = "\\"";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c == 0x22 || c == 0x5c) out += "\\\\" + String.fromCharCode(c);
    else if (c < 0x20) out += "\\\\u00" + (c < 16 ? "0" : "") + c.toString(16);
    else out += String.fromCharCode(c);
  }
  return out + "\\"";
}

export function main(): i32 {
  for (let i = 1; i < argCount(); i++) {
    const a = arg(i);
    if (a.startsWith("path:")) {
      const colon = a.indexOf(":", 5);
      setCurrentDir(a.substring(5, colon));
      const full = resolvePath(a.substring(colon + 1));
      println("{\\"path\\":" + quote(full) + ",\\"name\\":" + quote(programName(full)) + "}");
      continue;
    }
    const p = parseLine(a.substring(6));
    const words = new Array<string>(0);
    for (let j = 0; j < p.words.length; j++) words.push(quote(p.words[j]));
    println("{\\"words\\":[" + words.join(",") + "],\\"background\\":" + (p.background ? "true" : "false") +
      ",\\"error\\":" + quote(p.error) + "}");
  }
  return 0;
}
`;

interface Parsed {
  words: string[];
  background: boolean;
  error: string;
}

let kernel: MockKernel | undefined;
afterEach(async () => {
  await kernel?.shutdown();
  kernel = undefined;
});

/** Runs the compiled checker on its arguments: one JSON result per argument. */
async function check<T>(args: string[]): Promise<T[]> {
  const wasm = await buildAs(ENTRY, new Map([[ENTRY, SOURCE]]));
  kernel = new MockKernel();
  const id = kernel.spawn(wasm, { name: 'parse-check', args });
  expect(await kernel.waitExit(id)).toBe(0);
  return kernel.output(id).trimEnd().split('\n').map((l) => JSON.parse(l) as T);
}

const ok = (words: string[], background = false): Parsed => ({ words, background, error: '' });
const bad = (error: string): Parsed => ({ words: expect.any(Array) as unknown as string[], background: false, error });

describe('shell line parser', () => {
  it('splits, quotes, escapes and finds the background marker', async () => {
    const cases: [string, Parsed][] = [
      ['', ok([])],
      ['   \t  ', ok([])],
      ['ls', ok(['ls'])],
      ['  cat   /tmp/a  /tmp/b  ', ok(['cat', '/tmp/a', '/tmp/b'])],
      ['write /tmp/x "hello world"  two', ok(['write', '/tmp/x', 'hello world', 'two'])],
      ['echo "a \\"quoted\\" word"', ok(['echo', 'a "quoted" word'])],
      ['echo a\\ b c', ok(['echo', 'a b', 'c'])],
      ["echo 'single \\n \"kept\"'", ok(['echo', 'single \\n "kept"'])],
      ['echo "line\\nbreak\\ttab" back\\\\slash', ok(['echo', 'line\nbreak\ttab', 'back\\slash'])],
      ['echo ""', ok(['echo', ''])],
      ['echo pre"mid dle"post', ok(['echo', 'premid dlepost'])],
      ['hello &', ok(['hello'], true)],
      ['hello one two&', ok(['hello', 'one', 'two'], true)],
      ['hello &  ', ok(['hello'], true)],
      ['&', ok([], true)],
      ['echo "&"', ok(['echo', '&'])],
      ['echo \\&', ok(['echo', '&'])],
      ['echo a&b', ok(['echo', 'a&b'])],
      ['echo & x', ok(['echo', '&', 'x'])],
      ['echo "unterminated', bad('unterminated double quote')],
      ["echo 'open", bad('unterminated single quote')],
      ['echo trailing\\', bad('a backslash ends the line')],
      ['echo héllo "wörld ✓"', ok(['echo', 'héllo', 'wörld ✓'])],
    ];
    const got = await check<Parsed>(cases.map(([line]) => `parse:${line}`));
    expect(got).toHaveLength(cases.length);
    cases.forEach(([line, want], i) => expect(got[i], line).toEqual(want));
  });

  it('resolves paths against the working directory', async () => {
    const cases: [string, string, string, string][] = [
      // cwd, typed, absolute path, program name
      ['/', '.', '/', ''],
      ['/', 'tmp', '/tmp', 'tmp'],
      ['/tmp', 'a.txt', '/tmp/a.txt', 'a.txt'],
      ['/tmp', '/boot/hello.wasm', '/boot/hello.wasm', 'hello'],
      ['/tmp/d', '..', '/tmp', 'tmp'],
      ['/tmp/d', '../../..', '/', ''],
      ['/tmp', './x/./y//z/', '/tmp/x/y/z', 'z'],
      ['/host', 'prog.wasm', '/host/prog.wasm', 'prog'],
      ['/', '/boot/../tmp/./f', '/tmp/f', 'f'],
    ];
    const got = await check<{ path: string; name: string }>(cases.map(([cwd, p]) => `path:${cwd}:${p}`));
    cases.forEach(([cwd, p, path, name], i) => expect(got[i], `${cwd} ${p}`).toEqual({ path, name }));
  });
});
