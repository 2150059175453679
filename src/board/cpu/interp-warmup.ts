// Warms the interpreter up once per process, before the first machine runs.
//
// V8 optimises a function with the type feedback gathered while it ran
// unoptimised, and code that never ran has none: when the guest later reaches
// it, V8 throws the optimised code away, collects feedback again and
// recompiles. The interpreter is one large switch, and a boot reaches its
// cases a few at a time, so it was recompiled about 15 times (0.4 s of
// compiling, and slow unoptimised runs in between). Here every case runs
// first, with every path a guest can take through it (register x0 or not, a
// TLB hit, a slow path that completes and one that traps, a branch taken,
// not taken and looping, a chained block), on a scratch hart with a small RAM
// of its own. The feedback is shared with every machine's interpreter (one
// function literal per process: interp.ts), so the first real run already
// starts from complete feedback. No guest-visible state is involved: the
// scratch hart is thrown away.
import { Clock } from '../clock.ts';
import { HartLines } from '../irq.ts';
import { Ram, RAM_BASE } from '../memory.ts';
import { PhysBus } from '../phys-bus.ts';
import { Block } from './block.ts';
import { MSTATUS_FS } from './csr.ts';
import { amoType, bType, iType, jType, rType, sType } from './encode.ts';
import { Hart } from './hart.ts';
import { decodeBlock, makeInterpreter, type Interpreter } from './interp.ts';

const R = rType, I = iType, S = sType, B = bType, J = jType, AMO = amoType;

/** Registers by role: addresses (aligned, misaligned, unmapped) and values at the int32 edges. */
const ADDR = 5, MISALIGNED = 6, UNMAPPED = 7, ADDR2 = 8;
const VALUES = [7, -3, 0, -1, -2147483648, 0x7fffffff, 0x12345678, 31];
const V0 = 10; // x10.. hold VALUES
const OPERANDS: Array<[number, number]> = [[10, 11], [14, 13], [16, 12], [15, 17], [11, 10], [12, 12]];
/** Operands (by funct3) for which a branch is always taken, to loop. */
const ALWAYS: Array<[number, number]> = [[0, 0], [10, 0], [0, 0], [0, 0], [11, 10], [10, 11], [10, 13], [13, 10]];
const SCRATCH_RAM = 64 * 1024;
const PC = (RAM_BASE + 0x1000) | 0;

/** Block sequences to run: each scenario is a list of blocks (chained in order) and its options. */
export interface Scenario { blocks: number[][]; fp?: boolean; limit?: number; budget?: number; translated?: boolean; slot?: number }

export function scenarios(): Scenario[] {
  const out: Scenario[] = [];
  const one = (...words: number[]): void => { out.push({ blocks: [words] }); };
  // Register-register and register-immediate operations, into x1 and into x0.
  const rOps: Array<[number, number]> = [];
  for (let f3 = 0; f3 < 8; f3++) rOps.push([0, f3], [1, f3]);
  rOps.push([0x20, 0], [0x20, 5]);
  for (const [f7, f3] of rOps) {
    for (const [a, b] of OPERANDS) one(R(f7, b, a, f3, 1));
    one(R(f7, 11, 10, f3, 0));
  }
  for (const f3 of [0, 2, 3, 4, 6, 7]) {
    for (const imm of [-5, 2047, 0]) for (const a of [10, 14, 16, 13]) one(I(imm, a, f3, 1));
    one(I(1, 10, f3, 0));
  }
  for (const [f3, f7] of [[1, 0], [5, 0], [5, 0x20]] as const) {
    for (const a of [10, 14, 16, 13]) one(I((f7 << 5) | 3, a, f3, 1));
    one(I(3, 10, f3, 0));
  }
  for (const op of [0x37, 0x17]) { one((0x12345 << 12) | (1 << 7) | op); one((0x12345 << 12) | op); }
  // Loads and stores: TLB miss then hit (the scenario runs twice), misaligned, faulting; x0.
  for (const f3 of [0, 1, 2, 4, 5]) {
    for (const base of [ADDR, MISALIGNED, UNMAPPED, ADDR2]) one(I(4, base, f3, 1, 0x03));
    one(I(0, ADDR, f3, 0, 0x03));
  }
  for (const f3 of [0, 1, 2]) for (const base of [ADDR, MISALIGNED, UNMAPPED, ADDR2]) one(S(8, 16, base, f3));
  // Atomics: fast paths, a failing SC, slow paths that trap, an unsupported width.
  for (const base of [ADDR, UNMAPPED, MISALIGNED]) {
    one(AMO(2, 0, base, 1), AMO(3, 16, base, 2));
    one(AMO(3, 16, base, 2));
    one(AMO(2, 0, base, 0), AMO(3, 16, base, 0));
    for (const f5 of [1, 0, 4, 12, 8, 16, 20, 24, 28]) { one(AMO(f5, 16, base, 1)); one(AMO(f5, 11, base, 0)); }
  }
  one(AMO(0, 16, ADDR, 1, 3));
  // Branches (taken out, not taken), JAL, JALR; loops back to the block's start, left at the limit or when the budget runs out.
  for (const f3 of [0, 1, 4, 5, 6, 7]) {
    for (const [a, b] of OPERANDS) one(B(8, b, a, f3), I(1, 1, 0, 1));
    const [a, b] = ALWAYS[f3]!;
    out.push({ blocks: [[I(1, 1, 0, 1), B(-4, b, a, f3)]], limit: 40, budget: 1000 });
    out.push({ blocks: [[I(1, 1, 0, 1), B(-4, b, a, f3)]], limit: 1000, budget: 12 });
  }
  one(J(8, 1)); one(J(8, 0));
  out.push({ blocks: [[I(1, 1, 0, 1), J(-4, 0)]], limit: 40 });
  one(I(0, ADDR2, 0, 1, 0x67)); one(I(0, ADDR2, 0, 0, 0x67));
  // SYSTEM, fences, FP (disabled: illegal; enabled: runs), an illegal encoding.
  one(0x00000073); one(I(0x300, 0, 2, 1, 0x73)); one(0x10500073); one(0x0000000f); one(0x0000100f); one(0);
  for (const fp of [false, true]) {
    out.push({ blocks: [[I(0, ADDR, 2, 1, 0x07), S(0, 1, ADDR, 2, 0x27), R(0, 1, 1, 0, 1, 0x53), I(0, UNMAPPED, 2, 1, 0x07)]], fp });
  }
  // Chains: blocks that fall through into the next one; the last is over the limit, out of budget, translated.
  const fall = [I(1, 1, 0, 1), I(2, 2, 0, 2)];
  for (let slot = 0; slot < 4; slot++) out.push({ blocks: [fall, fall, fall], slot });
  out.push({ blocks: [fall, fall], limit: 3 });
  out.push({ blocks: [fall, fall], budget: -1 });
  out.push({ blocks: [fall, fall], translated: true });
  return out;
}

/** A scenario's blocks, decoded once for all passes. */
function prepare(s: Scenario): Block[] {
  return s.blocks.map((words) => {
    const parcels = new Uint16Array(Int32Array.from(words).buffer);
    const read = (o: number): number => parcels[o >>> 1] ?? 0;
    const d = decodeBlock(read, words.length * 4, 64);
    return new Block(d.code, d.length, d.bytes, true, 0, read, words.length * 4, 64);
  });
}

function run(h: Hart, interpret: Interpreter, s: Scenario, blocks: Block[]): void {
  // The executor rewrites a block's links and may translate it: write those
  // fields twice here too, or V8 would treat them as constants and throw its
  // code away when the first real block changes them.
  let pc = PC;
  for (let n = 0; n < blocks.length; n++) {
    const b = blocks[n]!;
    b.budget = s.budget ?? 1 << 20;
    b.fn = null;
    pc = (pc + b.bytes) | 0;
    if (n + 1 === blocks.length) break;
    // A link of an older epoch (dropped by the next), the real one, then as
    // many others as it takes to move the real one down to slot `s.slot`.
    b.link((pc + 64) | 0, b, h.codeEpoch - 1);
    b.link(pc, blocks[n + 1]!, h.codeEpoch);
    for (let k = 0; k < (s.slot ?? 0); k++) b.link((pc + 2 + 2 * k) | 0, b, h.codeEpoch);
  }
  if (s.translated) blocks[blocks.length - 1]!.fn = stubTranslation;
  for (let r = 0; r < VALUES.length; r++) h.x[V0 + r] = VALUES[r]!;
  h.x[ADDR] = RAM_BASE + 0x100; h.x[MISALIGNED] = RAM_BASE + 0x103; h.x[UNMAPPED] = 0x1000; h.x[ADDR2] = RAM_BASE + 0x2204;
  h.mstatus = s.fp ? MSTATUS_FS : 0;
  h.pc = PC;
  h.exit = 0;
  h.wfi = false;
  h.limit = h.instret + (s.limit ?? 1000);
  interpret(blocks[0]!);
}

/** Stands for a translated block (made like the translator's functions, so V8 sees the same kind of function). */
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- as the executor's compile()
const stubTranslation = new Function('return (function block() {});')() as () => void;

let warmed = false;

/** Runs every path of the interpreter once (the first call in a process; later calls return at once). */
export function warmInterpreter(): void {
  if (warmed) return;
  warmed = true;
  const h = new Hart(new Ram(SCRATCH_RAM), new PhysBus(), new HartLines(), new Clock());
  h.reset(PC);
  // Two interpreters taking turns: V8 then compiles code shared by all closures
  // (and calls from one to its helper by function literal) rather than code
  // specialised to one closure, which the machines made later could not use.
  const interpreters = [makeInterpreter(h, 0), makeInterpreter(h, 0)];
  const list = scenarios().map((s) => ({ s, blocks: prepare(s) }));
  // Three passes: V8 collects no feedback during a function's first few calls.
  for (let pass = 0; pass < 3; pass++) list.forEach(({ s, blocks }, n) => { run(h, interpreters[n & 1]!, s, blocks); });
}
