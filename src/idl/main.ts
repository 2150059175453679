// `npm run build:idl`: regenerates the bindings from servers/idl/messages.idl.
// `npm run build:idl -- --check` writes nothing and fails if a committed output
// differs from what the IDL generates (CI runs it).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IDL_PATH, generate } from './generate.ts';
import { IdlError } from './idl-error.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function main(args: string[]): number {
  const check = args.includes('--check');
  const unknown = args.filter((a) => a !== '--check');
  if (unknown.length > 0) {
    process.stderr.write(`usage: build:idl [--check]\n`);
    return 2;
  }
  let generated;
  try {
    generated = generate(readFileSync(join(ROOT, IDL_PATH), 'utf8'), IDL_PATH);
  } catch (e) {
    if (e instanceof IdlError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
  let stale = 0;
  for (const [path, text] of generated.files) {
    const full = join(ROOT, path);
    let old: string | undefined;
    try {
      old = readFileSync(full, 'utf8');
    } catch {
      old = undefined;
    }
    if (old === text) continue;
    if (check) {
      process.stderr.write(`${path} is not what ${IDL_PATH} generates; run: npm run build:idl\n`);
      stale++;
    } else {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, text);
      process.stdout.write(`wrote ${path}\n`);
    }
  }
  if (check && stale === 0) process.stdout.write(`generated message bindings are up to date with ${IDL_PATH}\n`);
  return stale === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
