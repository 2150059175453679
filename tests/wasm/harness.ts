// Differential test harness for the kernel's Wasm runtime: builds the native host driver
// (tests/wasm/host-driver.c + kernel/wasm/*.c), assembles .wat with wabt, runs the same
// calls in V8 and in the runtime, and compares results and traps.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../..');
export const runtimeDir = join(repoRoot, 'kernel/wasm');

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'ref';
/** A value as bits: i32/f32 as 32-bit, i64/f64 as 64-bit patterns. */
export interface Val {
  t: ValType;
  bits: bigint;
}

export type Outcome =
  | { kind: 'ok'; values: Val[] }
  | { kind: 'trap'; trap: string; message: string }
  | { kind: 'error'; message: string };

function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** The C compiler used for the native driver, or null when none is installed. */
export const compiler: string | null = ['clang-19', 'clang', 'cc', 'gcc'].find(which) ?? null;

function sources(): string[] {
  const rt = readdirSync(runtimeDir)
    .filter((f) => f.endsWith('.c'))
    .map((f) => join(runtimeDir, f));
  return [join(here, 'host-driver.c'), ...rt];
}

const built = new Map<string, string>();

/**
 * Compiles the driver once per source version and flavour. `sanitize` asks for
 * AddressSanitizer + UBSan (gcc's runtime); it falls back to a plain build when
 * the sanitizer runtime is missing.
 */
export function buildDriver(opts: { sanitize?: boolean } = {}): string {
  if (!compiler) throw new Error('no C compiler');
  const key = opts.sanitize ? 'asan' : 'plain';
  const cached = built.get(key);
  if (cached) return cached;
  const srcs = sources();
  const h = createHash('sha256');
  for (const f of [...srcs, join(runtimeDir, 'wasm.h'), join(runtimeDir, 'internal.h'), join(runtimeDir, 'ops.h'), join(runtimeDir, 'numeric.h')])
    h.update(readFileSync(f));
  const dir = join(tmpdir(), `wasmos-wasm-driver-${h.digest('hex').slice(0, 16)}`);
  mkdirSync(dir, { recursive: true });
  const base = ['-std=c11', '-g', '-Wall', '-Wextra', '-Werror', '-I', runtimeDir];
  const attempts: [string, string[]][] = [];
  if (opts.sanitize && which('gcc')) {
    attempts.push(['gcc', [...base, '-O1', '-fsanitize=address,undefined', '-fno-sanitize-recover=all']]);
  }
  attempts.push([compiler, [...base, '-O2']]);
  for (const [cc, flags] of attempts) {
    const out = join(dir, `driver-${key}-${cc}`);
    if (!existsSync(out)) {
      const r = spawnSync(cc, [...flags, '-o', out, ...srcs], { encoding: 'utf8' });
      if (r.status !== 0) {
        if (cc === compiler) throw new Error(`driver build failed:\n${r.stderr}`);
        console.warn(`sanitizer build with ${cc} failed, using a plain build:\n${r.stderr.slice(0, 2000)}`);
        continue;
      }
    }
    built.set(key, out);
    return out;
  }
  throw new Error('driver build failed');
}

/** Runs a driver script (one command per line) and returns one answer line per command. */
export function runDriver(lines: string[], opts: { sanitize?: boolean; timeoutMs?: number } = {}): string[] {
  const exe = buildDriver(opts);
  const r = spawnSync(exe, [], {
    input: lines.join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: opts.timeoutMs ?? 300_000,
    env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1' },
  });
  if (r.status !== 0) throw new Error(`driver exited with ${r.status} ${r.signal ?? ''}: ${r.stderr}`);
  const out = r.stdout.split('\n');
  if (out[out.length - 1] === '') out.pop();
  if (out.length !== lines.length) throw new Error(`driver answered ${out.length} of ${lines.length} commands; stderr: ${r.stderr}`);
  return out;
}

type Wabt = Awaited<ReturnType<typeof wabtInit>>;
let wabtP: Promise<Wabt> | null = null;
const features = {
  mutable_globals: true,
  sat_float_to_int: true,
  sign_extension: true,
  multi_value: true,
  bulk_memory: true,
  reference_types: true,
};

/** Assembles WebAssembly text (2.0 features) into a binary, with a name section. */
export async function wat(text: string, names = true): Promise<Uint8Array> {
  wabtP ??= wabtInit();
  const w = await wabtP;
  const m = w.parseWat('test.wat', text, features);
  try {
    m.resolveNames();
    m.validate();
    return new Uint8Array(m.toBinary({ write_debug_names: names }).buffer);
  } finally {
    m.destroy();
  }
}

/** Assembles without validating (for modules that must be invalid). */
export async function watUnchecked(text: string): Promise<Uint8Array> {
  wabtP ??= wabtInit();
  const w = await wabtP;
  const m = w.parseWat('test.wat', text, features);
  try {
    m.resolveNames();
    return new Uint8Array(m.toBinary({}).buffer);
  } finally {
    m.destroy();
  }
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

const mask = (t: ValType): bigint => (t === 'i32' || t === 'f32' ? 0xffffffffn : 0xffffffffffffffffn);

export function argText(v: Val): string {
  return `${v.t}:${(v.bits & mask(v.t)).toString(16)}`;
}

/** Parses a driver answer to `call`. */
export function parseCall(line: string): Outcome {
  if (line.startsWith('ok')) {
    const values = line
      .slice(2)
      .trim()
      .split(' ')
      .filter((s) => s.length > 0)
      .map((s) => {
        const [t, v] = s.split(':');
        return { t: t as ValType, bits: BigInt('0x' + v) };
      });
    return { kind: 'ok', values };
  }
  if (line.startsWith('trap ')) {
    const rest = line.slice(5);
    const sp = rest.indexOf(' ');
    return { kind: 'trap', trap: rest.slice(0, sp), message: rest.slice(sp + 1) };
  }
  return { kind: 'error', message: line };
}

// ---- V8 side ----

const f32buf = new DataView(new ArrayBuffer(8));

function toJs(v: Val): number | bigint {
  switch (v.t) {
    case 'i32':
      return Number(BigInt.asIntN(32, v.bits));
    case 'i64':
      return BigInt.asIntN(64, v.bits);
    case 'f32':
      f32buf.setUint32(0, Number(v.bits & 0xffffffffn));
      return f32buf.getFloat32(0);
    case 'f64':
      f32buf.setBigUint64(0, v.bits & 0xffffffffffffffffn);
      return f32buf.getFloat64(0);
    default:
      return Number(v.bits);
  }
}

function fromJs(t: ValType, x: unknown): Val {
  switch (t) {
    case 'i32':
      return { t, bits: BigInt((x as number) >>> 0) };
    case 'i64':
      return { t, bits: BigInt.asUintN(64, x as bigint) };
    case 'f32':
      f32buf.setFloat32(0, x as number);
      return { t, bits: BigInt(f32buf.getUint32(0)) };
    case 'f64':
      f32buf.setFloat64(0, x as number);
      return { t, bits: f32buf.getBigUint64(0) };
    default:
      return { t, bits: x === null ? 0n : 1n };
  }
}

/** Host functions offered to test modules, identical to the driver's. */
export function v8Imports(getMem: () => WebAssembly.Memory | undefined): WebAssembly.Imports {
  return {
    host: {
      add: (a: number, b: number) => (a + b) | 0,
      fail: () => {
        throw new Error('host.fail was called');
      },
      nop: () => {},
      sum: (p: number, n: number) => {
        const m = getMem();
        const u8 = new Uint8Array(m ? m.buffer : new ArrayBuffer(0));
        p >>>= 0;
        n >>>= 0;
        if (p + n > u8.length) throw new WebAssembly.RuntimeError('memory access out of bounds');
        let s = 0;
        for (let i = 0; i < n; i++) s += u8[p + i];
        return s | 0;
      },
    },
  };
}

/** Maps a V8 exception to the set of runtime trap kinds that are equivalent. */
export function v8TrapKinds(e: unknown): string[] {
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError && /call stack/i.test(msg)) return ['stack_exhausted'];
  if (/host\.fail/.test(msg)) return ['host'];
  if (/^unreachable/.test(msg)) return ['unreachable'];
  if (/memory access out of bounds|data segment/.test(msg)) return ['memory_oob'];
  if (/divide by zero|remainder by zero/.test(msg)) return ['div_zero'];
  if (/divide result unrepresentable/.test(msg)) return ['int_overflow'];
  if (/float unrepresentable/.test(msg)) return ['int_overflow', 'invalid_conversion'];
  if (/table index is out of bounds|table access|element segment|out of bounds table/.test(msg)) return ['table_oob'];
  if (/null function|signature mismatch/.test(msg)) return ['null_func', 'sig_mismatch'];
  return [`v8:${msg}`];
}

export interface Call {
  fn: string;
  args: Val[];
}

export interface V8Result {
  outcome: Outcome;
  mem?: { size: number; hash: string };
}

function fnv(u8: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < u8.length; i++) h = Math.imul(h ^ u8[i], 16777619) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** Instantiates in V8 and performs the calls; returns per-call outcomes (plus memory digest). */
export function runV8(input: Uint8Array, calls: Call[]): { load: Outcome; results: V8Result[] } {
  const bytes = new Uint8Array(input);
  let inst: WebAssembly.Instance;
  let mem: WebAssembly.Memory | undefined;
  try {
    const mod = new WebAssembly.Module(bytes);
    inst = new WebAssembly.Instance(mod, v8Imports(() => mem));
  } catch (e) {
    return { load: { kind: 'error', message: String(e) }, results: [] };
  }
  for (const v of Object.values(inst.exports)) if (v instanceof WebAssembly.Memory) mem = v;
  const mod = new WebAssembly.Module(bytes);
  const exportTypes = resultTypes(mod, bytes);
  const results: V8Result[] = [];
  for (const c of calls) {
    const f = inst.exports[c.fn] as (...a: unknown[]) => unknown;
    let outcome: Outcome;
    try {
      const r = f(...c.args.map(toJs));
      const types = exportTypes.get(c.fn) ?? [];
      const vals = types.length === 1 ? [r] : types.length === 0 ? [] : (r as unknown[]);
      outcome = { kind: 'ok', values: types.map((t, i) => fromJs(t, vals[i])) };
    } catch (e) {
      outcome = { kind: 'trap', trap: v8TrapKinds(e).join('|'), message: String(e) };
    }
    const u8 = mem ? new Uint8Array(mem.buffer) : new Uint8Array(0);
    results.push({ outcome, mem: { size: u8.length, hash: fnv(u8) } });
  }
  return { load: { kind: 'ok', values: [] }, results };
}

// Export result types come from the binary itself (JS cannot ask a function for its signature).
function resultTypes(_mod: WebAssembly.Module, bytes: Uint8Array): Map<string, ValType[]> {
  return exportSignatures(bytes).results;
}

function readU32(b: Uint8Array, p: { i: number }): number {
  let r = 0;
  let s = 0;
  for (;;) {
    const x = b[p.i++];
    r |= (x & 0x7f) << s;
    if (!(x & 0x80)) return r >>> 0;
    s += 7;
  }
}

function valType(x: number): ValType {
  return x === 0x7f ? 'i32' : x === 0x7e ? 'i64' : x === 0x7d ? 'f32' : x === 0x7c ? 'f64' : 'ref';
}

/** Minimal reader of a *valid* module: parameter and result types of exported functions. */
export function exportSignatures(bytes: Uint8Array): { params: Map<string, ValType[]>; results: Map<string, ValType[]> } {
  const types: { p: ValType[]; r: ValType[] }[] = [];
  const funcTypes: number[] = [];
  const params = new Map<string, ValType[]>();
  const results = new Map<string, ValType[]>();
  const p = { i: 8 };
  while (p.i < bytes.length) {
    const id = bytes[p.i++];
    const size = readU32(bytes, p);
    const end = p.i + size;
    if (id === 1) {
      const n = readU32(bytes, p);
      for (let k = 0; k < n; k++) {
        p.i++;
        const np = readU32(bytes, p);
        const ps: ValType[] = [];
        for (let j = 0; j < np; j++) ps.push(valType(bytes[p.i++]));
        const nr = readU32(bytes, p);
        const rs: ValType[] = [];
        for (let j = 0; j < nr; j++) rs.push(valType(bytes[p.i++]));
        types.push({ p: ps, r: rs });
      }
    } else if (id === 2) {
      const n = readU32(bytes, p);
      for (let k = 0; k < n; k++) {
        const ml = readU32(bytes, p);
        p.i += ml;
        const fl0 = readU32(bytes, p);
        p.i += fl0;
        const kind = bytes[p.i++];
        if (kind === 0) funcTypes.push(readU32(bytes, p));
        else if (kind === 1) {
          p.i++;
          const fl = bytes[p.i++];
          readU32(bytes, p);
          if (fl & 1) readU32(bytes, p);
        } else if (kind === 2) {
          const fl = bytes[p.i++];
          readU32(bytes, p);
          if (fl & 1) readU32(bytes, p);
        } else p.i += 2;
      }
    } else if (id === 3) {
      const n = readU32(bytes, p);
      for (let k = 0; k < n; k++) funcTypes.push(readU32(bytes, p));
    } else if (id === 7) {
      const n = readU32(bytes, p);
      for (let k = 0; k < n; k++) {
        const len = readU32(bytes, p);
        const name = Buffer.from(bytes.subarray(p.i, p.i + len)).toString('utf8');
        p.i += len;
        const kind = bytes[p.i++];
        const idx = readU32(bytes, p);
        if (kind === 0) {
          const t = types[funcTypes[idx]];
          params.set(name, t.p);
          results.set(name, t.r);
        }
      }
    }
    p.i = end;
  }
  return { params, results };
}

/** True when a float value of type t is NaN. */
function isNaNBits(v: Val): boolean {
  if (v.t === 'f32') return (v.bits & 0x7fffffffn) > 0x7f800000n;
  if (v.t === 'f64') return (v.bits & 0x7fffffffffffffffn) > 0x7ff0000000000000n;
  return false;
}

/**
 * Compares two outcomes. NaN results compare equal as NaNs (the spec lets
 * arithmetic produce any NaN; bit-exact NaN behaviour is tested through
 * reinterpretations of operations that must preserve bits).
 */
export function sameOutcome(ours: Outcome, v8: Outcome): string | null {
  if (v8.kind === 'trap') {
    if (ours.kind !== 'trap') return `V8 trapped (${v8.message}) but runtime returned ${JSON.stringify(show(ours))}`;
    if (!v8.trap.split('|').includes(ours.trap)) return `trap differs: V8 ${v8.message}, runtime ${ours.trap} (${ours.message})`;
    return null;
  }
  if (v8.kind === 'ok') {
    if (ours.kind !== 'ok') return `V8 returned ${JSON.stringify(show(v8))} but runtime ${ours.kind}: ${ours.kind === 'trap' ? ours.trap + ' ' + ours.message : ours.message}`;
    if (ours.values.length !== v8.values.length) return 'result count differs';
    for (let i = 0; i < v8.values.length; i++) {
      const a = ours.values[i];
      const b = v8.values[i];
      if (isNaNBits(b) && isNaNBits({ t: b.t, bits: a.bits })) continue;
      // V8 hands references to JS as objects: only their nullness is comparable.
      if (b.t === 'ref' && (a.bits === 0n) === (b.bits === 0n)) continue;
      if (a.bits !== b.bits) return `result ${i} differs: V8 ${b.t}:${b.bits.toString(16)} runtime ${a.t}:${a.bits.toString(16)}`;
    }
    return null;
  }
  return `V8 error ${v8.message}`;
}

function show(o: Outcome): unknown {
  return o.kind === 'ok' ? o.values.map((v) => `${v.t}:${v.bits.toString(16)}`) : o;
}

export interface DiffCase {
  name: string;
  bytes: Uint8Array;
  calls: Call[];
  checkMemory?: boolean;
}

/** Runs cases in V8 and in the runtime (one driver process); returns a list of mismatches. */
export function differential(cases: DiffCase[], run: (lines: string[]) => string[] = runDriver): { mismatches: string[]; calls: number } {
  const script: string[] = [];
  const plan: { c: DiffCase; v8: ReturnType<typeof runV8> }[] = [];
  for (const c of cases) {
    const v8 = runV8(c.bytes, c.calls);
    plan.push({ c, v8 });
    script.push(`load ${hex(c.bytes)}`);
    for (const call of c.calls) {
      script.push(`call ${call.fn} ${call.args.map(argText).join(' ')}`);
      if (c.checkMemory) script.push('mem');
    }
  }
  const out = run(script);
  const mismatches: string[] = [];
  let k = 0;
  let calls = 0;
  for (const { c, v8 } of plan) {
    const loadLine = out[k++];
    if (v8.load.kind !== 'ok' || loadLine !== 'ok') {
      if (!(v8.load.kind !== 'ok' && loadLine.startsWith('error'))) mismatches.push(`${c.name}: load: V8 ${JSON.stringify(v8.load)} runtime ${loadLine}`);
      k += c.calls.length * (c.checkMemory ? 2 : 1);
      continue;
    }
    c.calls.forEach((call, i) => {
      const ours = parseCall(out[k++]);
      calls++;
      const d = sameOutcome(ours, v8.results[i].outcome);
      const where = `${c.name}: ${call.fn}(${call.args.map(argText).join(', ')})`;
      if (d) mismatches.push(`${where}: ${d}`);
      if (c.checkMemory) {
        const m = out[k++];
        const want = `mem ${v8.results[i].mem!.size} ${v8.results[i].mem!.hash}`;
        if (m !== want) mismatches.push(`${where}: memory differs: V8 ${want}, runtime ${m}`);
      }
    });
  }
  return { mismatches, calls };
}

/** Deterministic PRNG (xorshift32) for generated tests. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.s = x;
    return x;
  }
  int(n: number): number {
    return this.next() % n;
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)];
  }
  chance(p: number): boolean {
    return this.next() / 4294967296 < p;
  }
}
