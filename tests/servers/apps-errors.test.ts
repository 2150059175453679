// The SDK's error names and descriptions (servers/sdk/assembly/errors.ts), as a
// program prints them on the board: every error code the IDL defines has its
// name from errorText and a short description from describeError; other codes
// fall back to "error N".
import { describe, expect, it } from 'vitest';
import * as idl from '../../src/idl/generated/messages.ts';
import { buildAs } from '../sdk/helpers.ts';
import { bootTasks, exitOf } from '../kernel/wasm-boot.ts';

/** Every E_* constant of the IDL: name -> code. */
const ERRORS = Object.entries(idl).filter(([k, v]) => /^E_[A-Z_]+$/.test(k) && typeof v === 'number') as [string, number][];
const UNKNOWN = [-50, -99, -115, -200, 5];

/** A program (compiled from this overlay, never written to the tree) printing "code|errorText|describeError" per code. */
const PROBE = 'servers/apps/errors-probe/main.ts';
const probeSource = (codes: number[]) => `
import { describeError, errorText, println } from "../../sdk/assembly";
export function main(): i32 {
  const codes: i32[] = [${codes.join(', ')}];
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    println("err " + c.toString() + "|" + errorText(c) + "|" + describeError(c));
  }
  return 0;
}`;

describe('SDK error texts', () => {
  it('name every IDL error (playground errors included) and describe it in a few words', async () => {
    expect(ERRORS.length).toBeGreaterThanOrEqual(25);
    const codes = [...ERRORS.map(([, c]) => c), ...UNKNOWN];
    const wasm = await buildAs(PROBE, new Map([[PROBE, probeSource(codes)]]));
    const { out, code } = bootTasks({ 'probe.wasm': wasm }, [{ module: 'probe.wasm', name: 'probe' }]);
    expect(code, out).toBe(0);
    expect(exitOf(out, 'probe')).toBe('0');
    const lines = new Map([...out.matchAll(/^err (-?\d+)\|([^|]*)\|(.*)$/gm)].map((m) => [Number(m[1]), [m[2]!, m[3]!]]));
    for (const [name, c] of ERRORS) {
      const [text, described] = lines.get(c) ?? [];
      expect(text, name).toBe(name);
      expect(described, name).toMatch(new RegExp(`^${name} \\([a-zA-Z][a-zA-Z /-]{2,30}\\)$`));
    }
    expect(lines.get(-11)).toEqual(['E_NOT_FOUND', 'E_NOT_FOUND (no such file or service)']);
    expect(lines.get(-107)).toEqual(['E_NOT_WASM', 'E_NOT_WASM (not a WebAssembly module)']);
    expect(lines.get(-111)).toEqual(['E_IO', 'E_IO (I/O error)']);
    for (const c of UNKNOWN) expect(lines.get(c), String(c)).toEqual([`error ${c}`, `error ${c}`]);
  });
});
