/// <reference types="vite/client" />
// The examples gallery: programs under servers/examples, read at build time
// (the same files `npm run build:servers` compiles, with their asc.json flags).
// Each opens in the editor at its own path, so `../../sdk/assembly` resolves
// as it does in the repository.
import type { Language } from './compiler/diagnostic.ts';

export interface Example {
  id: string;
  title: string;
  summary: string;
  language: Language;
  /** The source's path in the compiler's virtual tree (as in the repository). */
  path: string;
  source: string;
  /** Flags from the example's asc.json, after the SDK's. */
  flags: readonly string[];
  /** The file name the built module gets in /host/uploads (and the task's name). */
  fileName: string;
}

const SOURCES = import.meta.glob<string>(['../../../servers/examples/*/main.ts', '../../../servers/examples/*/main.wat'], {
  query: '?raw', import: 'default', eager: true,
});
const ASC_JSON = import.meta.glob<{ flags?: string[] }>('../../../servers/examples/*/asc.json', { import: 'default', eager: true });

/** Gallery order and words; the sources come from the files. */
const CATALOG: ReadonlyArray<{ dir: string; title: string; summary: string }> = [
  { dir: 'hello', title: 'Hello', summary: 'Prints its task id and the time since boot.' },
  { dir: 'echo-service', title: 'IPC service', summary: 'Registers "example-echo" and answers ping and echo. Run it first; it stays.' },
  { dir: 'echo-client', title: 'IPC client', summary: 'Looks up "example-echo", pings it and echoes a string.' },
  { dir: 'trap', title: 'Trap demo', summary: 'Reads past its linear memory: the kernel ends this task alone.' },
  { dir: 'busy-loop', title: 'Busy loop', summary: 'Spins for 10 s without yielding; the shell stays responsive. Kill it from Tasks.' },
  { dir: 'hello-wat', title: 'Hello (WAT)', summary: 'The text format: one import, a data segment and _start.' },
];

function build(): Example[] {
  const out: Example[] = [];
  for (const c of CATALOG) {
    for (const [ext, language] of [['ts', 'assemblyscript'], ['wat', 'wat']] as const) {
      const key = `../../../servers/examples/${c.dir}/main.${ext}`;
      const source = SOURCES[key];
      if (source === undefined) continue;
      const flags = ASC_JSON[`../../../servers/examples/${c.dir}/asc.json`]?.flags ?? [];
      out.push({
        id: c.dir, title: c.title, summary: c.summary, language, source, flags,
        path: `servers/examples/${c.dir}/main.${ext}`, fileName: `${c.dir}.wasm`,
      });
    }
  }
  return out;
}

export const EXAMPLES: readonly Example[] = build();

export function exampleById(id: string): Example | undefined {
  return EXAMPLES.find((e) => e.id === id);
}
