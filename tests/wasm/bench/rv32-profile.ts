// Where the rv32 guest instructions go, by function (a development tool, not a test): runs the
// rv32 driver under QEMU with `-d in_asm,exec,nochain`, counts each translation block's
// executions, weights them by the block's length and attributes them to the symbol holding the
// block. Handlers are functions, so this splits the interpreter's cost per handler; `load` splits
// the cost of spawning the ~93 KB benchmark module instead.
//   npx tsx tests/wasm/bench/rv32-profile.ts bench_sort 1     # one benchmark (export, argument)
//   npx tsx tests/wasm/bench/rv32-profile.ts load             # spawning the big module
//   npx tsx tests/wasm/bench/rv32-profile.ts script FILE      # any driver script (e.g. `jit 1`, load, callc)
// The driver's own start-up (decoding the hex script) shows up as _start/read_module.
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hex, wat } from '../harness.ts';
import { buildRv32Image } from '../rv32.ts';
import { benchWasm, bigModuleText } from './run.ts';

const QEMU_CPU = 'rv32,h=false,sstc=false,zba=false,zbb=false,zbc=false,zbs=false';

/** Function symbols of the image, ascending by address. */
function symbols(elf: string): { addr: number; name: string }[] {
  const r = spawnSync('llvm-nm-19', ['-n', '--defined-only', elf], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`llvm-nm-19 failed: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 3 && (f[1] === 't' || f[1] === 'T'))
    .map((f) => ({ addr: parseInt(f[0], 16), name: f[2] }));
}

function owner(syms: { addr: number; name: string }[], addr: number): string {
  let lo = 0;
  let hi = syms.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (syms[mid].addr <= addr) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? syms[lo - 1].name : '?';
}

export async function profile(args: string[]): Promise<{ name: string; instructions: number }[]> {
  const lines =
    args[0] === 'load'
      ? [`loadc ${hex(await wat(bigModuleText()))}`, 'unload']
      : args[0] === 'script'
        ? readFileSync(args[1], 'utf8').split('\n').filter((l) => l.length > 0)
        : [`load ${hex(benchWasm())}`, `callc ${args[0]} i32:${Number(args[1] ?? 1).toString(16)}`, 'unload'];
  const elf = buildRv32Image(lines);
  const dir = mkdtempSync(join(tmpdir(), 'wasmos-rv32-profile-'));
  const log = join(dir, 'qemu.log');
  try {
    const q = spawnSync(
      'qemu-system-riscv32',
      ['-machine', 'virt', '-cpu', QEMU_CPU, '-bios', 'none', '-m', '128', '-display', 'none', '-monitor', 'none', '-serial', 'stdio',
        '-kernel', elf, '-icount', 'shift=0', '-d', 'in_asm,exec,nochain', '-D', log],
      { encoding: 'utf8', input: '', maxBuffer: 1 << 26 },
    );
    if (q.status !== 0) throw new Error(`qemu failed: ${q.stderr}`);
    // in_asm: "IN:" then one "0x<addr>:" line per instruction; exec: "Trace ...: [.../<pc>/...]".
    const size = new Map<number, number>();
    const runs = new Map<number, number>();
    let block = -1;
    // Streamed: the log holds a line per executed block (hundreds of MB for a benchmark).
    for await (const line of createInterface({ input: createReadStream(log), crlfDelay: Infinity })) {
      if (line.startsWith('IN:') || line === '') {
        block = -1;
      } else if (line.startsWith('0x')) {
        const addr = parseInt(line.slice(2, line.indexOf(':')), 16);
        if (block < 0) block = addr;
        size.set(block, (size.get(block) ?? 0) + 1);
      } else if (line.startsWith('Trace')) {
        const m = /\[[0-9a-f]+\/([0-9a-f]+)\//.exec(line);
        if (m) runs.set(parseInt(m[1], 16), (runs.get(parseInt(m[1], 16)) ?? 0) + 1);
      }
    }
    const syms = symbols(elf);
    const per = new Map<string, number>();
    for (const [pc, n] of runs) {
      const name = owner(syms, pc);
      per.set(name, (per.get(name) ?? 0) + n * (size.get(pc) ?? 1));
    }
    return [...per].map(([name, instructions]) => ({ name, instructions })).sort((a, b) => b.instructions - a.instructions);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await profile(process.argv.slice(2));
  const total = rows.reduce((s, r) => s + r.instructions, 0);
  console.log(`${total} guest instructions`);
  for (const r of rows.slice(0, 40)) console.log(`${String(r.instructions).padStart(11)} ${((100 * r.instructions) / total).toFixed(1).padStart(5)}%  ${r.name}`);
}
