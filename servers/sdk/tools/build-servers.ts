// `npm run build:servers`: compiles every AssemblyScript program under servers/
// (see programs.ts) into servers/build/. No C toolchain is involved.
// `--check` compiles without writing and fails if a committed module differs
// from its sources, or if servers/build holds a module no program makes.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileAs } from './compile-as.ts';
import { BUILD_DIR, findPrograms } from './programs.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Every module in servers/build. */
function existingOutputs(dir: string, rel = ''): string[] {
  let entries;
  try {
    entries = readdirSync(join(ROOT, dir, rel), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const p = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) return existingOutputs(dir, p);
    return e.name.endsWith('.wasm') ? [`${dir}/${p}`] : [];
  });
}

async function main(args: string[]): Promise<number> {
  const check = args.includes('--check');
  if (args.some((a) => a !== '--check')) {
    process.stderr.write('usage: build:servers [--check]\n');
    return 2;
  }
  let all;
  try {
    all = findPrograms(ROOT);
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const programs = all.filter((p) => p.language === 'assemblyscript');
  let failed = 0;
  for (const p of programs) {
    const { wasm, diagnostics } = await compileAs(p.entry, ROOT, new Map(), p.flags);
    if (diagnostics) process.stderr.write(`${diagnostics}\n`);
    if (!wasm) {
      process.stderr.write(`${p.entry}: build failed\n`);
      failed++;
      continue;
    }
    const full = join(ROOT, p.output);
    let old: Uint8Array | undefined;
    try {
      old = readFileSync(full);
    } catch {
      old = undefined;
    }
    const same = old !== undefined && Buffer.compare(Buffer.from(old), Buffer.from(wasm)) === 0;
    if (check) {
      if (!same) {
        process.stderr.write(`${p.output} differs from what ${p.entry} builds; run: npm run build:servers\n`);
        failed++;
      }
    } else if (!same) {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, wasm);
      process.stdout.write(`${p.output} (${wasm.length} bytes)\n`);
    }
  }
  const expected = new Set(all.map((p) => p.output));
  for (const stale of existingOutputs(BUILD_DIR)) {
    if (expected.has(stale)) continue;
    if (check) {
      process.stderr.write(`${stale} has no program in servers/ any more; run: npm run build:servers\n`);
      failed++;
    } else {
      rmSync(join(ROOT, stale));
      process.stdout.write(`removed ${stale}\n`);
    }
  }
  if (check && failed === 0) process.stdout.write(`${BUILD_DIR} is up to date (${programs.length} programs)\n`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
