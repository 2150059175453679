// Build & Run's state machine: the reducer's transitions, and buildAndRun
// driving it with the real compiler front ends (in process) and a spawn that
// answers like the OS (a task id, or the kernel's refusal).
import { describe, expect, it } from 'vitest';
import type { SpawnResult } from '../../src/host/protocol.ts';
import { IDLE, buildAndRun, buildReducer, isBusy, type BuildEvent, type BuildState } from '../../src/ui/editor/build-state.ts';
import { statusText } from '../../src/ui/editor/build-status.ts';
import { InProcessCompiler, type Compiler } from '../../src/ui/editor/compiler/compiler.ts';
import type { Diagnostic } from '../../src/ui/editor/compiler/diagnostic.ts';
import { exampleById } from '../../src/ui/editor/examples.ts';

const error: Diagnostic = { severity: 'error', message: 'Expression expected.', file: 'a.ts', line: 3, column: 7, endLine: 3, endColumn: 8, code: 'AS1109' };
const warning: Diagnostic = { ...error, severity: 'warning', message: 'unused' };

function run(events: BuildEvent[], from: BuildState = IDLE): BuildState {
  return events.reduce(buildReducer, from);
}

describe('buildReducer', () => {
  it('loading, compiling, starting, running', () => {
    const states: BuildState[] = [];
    let s = IDLE;
    for (const e of [
      { type: 'phase', phase: 'loading' },
      { type: 'phase', phase: 'compiling' },
      { type: 'compiled', wasm: new Uint8Array(100), diagnostics: [warning], ms: 812 },
      { type: 'spawned', result: { ok: true, task: 9, message: 'Started hello.wasm as task 9.' } },
    ] as BuildEvent[]) states.push(s = buildReducer(s, e));
    expect(states.map((x) => x.phase)).toEqual(['loading', 'compiling', 'starting', 'running']);
    expect(states.map(isBusy)).toEqual([true, true, true, false]);
    expect(s).toEqual({ phase: 'running', task: 9, message: 'Started hello.wasm as task 9.', bytes: 100, ms: 812, diagnostics: [warning] });
    expect(statusText(s)).toBe('Started hello.wasm as task 9. Built 100 bytes in 812 ms.');
  });

  it('compile errors fail the build and keep the diagnostics', () => {
    const s = run([{ type: 'phase', phase: 'compiling' }, { type: 'compiled', wasm: null, diagnostics: [error, { ...error, line: 5 }], ms: 10 }]);
    expect(s).toEqual({ phase: 'failed', stage: 'compile', message: '2 compile errors', diagnostics: [error, { ...error, line: 5 }] });
    expect(statusText(s)).toBe('Build failed: 2 compile errors.');
  });

  it('the kernel refusing the module is a spawn failure with its words', () => {
    const refused: SpawnResult = { ok: false, task: null, message: 'Cannot run x.wasm: E_BAD_MODULE (/host/uploads/x.wasm).' };
    const s = run([{ type: 'compiled', wasm: new Uint8Array(8), diagnostics: [], ms: 1 }, { type: 'spawned', result: refused }]);
    expect(s).toEqual({ phase: 'failed', stage: 'spawn', message: refused.message, diagnostics: [] });
    expect(statusText(s)).toBe(refused.message);
  });

  it('edits drop a finished run; opening another example clears, except mid-build', () => {
    const running = run([{ type: 'compiled', wasm: new Uint8Array(8), diagnostics: [], ms: 1 }, { type: 'spawned', result: { ok: true, task: 3, message: 'ok' } }]);
    expect(buildReducer(running, { type: 'edited' })).toBe(IDLE);
    const failed = run([{ type: 'compiled', wasm: null, diagnostics: [error], ms: 1 }]);
    expect(buildReducer(failed, { type: 'edited' })).toBe(failed);
    expect(buildReducer(failed, { type: 'cleared' })).toBe(IDLE);
    const compiling = run([{ type: 'phase', phase: 'compiling' }]);
    expect(buildReducer(compiling, { type: 'cleared' })).toBe(compiling);
    // A late spawn answer after the state moved on changes nothing.
    expect(buildReducer(IDLE, { type: 'spawned', result: { ok: true, task: 1, message: '' } })).toBe(IDLE);
  });
});

describe('buildAndRun with the real front ends', () => {
  const hello = exampleById('hello')!;
  const req = (source: string) => ({ language: hello.language, path: hello.path, source, flags: hello.flags });

  async function drive(source: string, answer: SpawnResult, compiler: Compiler = new InProcessCompiler()) {
    const events: BuildEvent[] = [];
    const spawned: Array<[string, Uint8Array<ArrayBuffer>]> = [];
    await buildAndRun(req(source), hello.fileName, {
      compiler,
      spawn: (name, bytes) => { spawned.push([name, bytes as Uint8Array<ArrayBuffer>]); return Promise.resolve(answer); },
      dispatch: (e) => events.push(e),
    });
    return { events, spawned, state: run(events) };
  }

  it('compiles hello and hands the module to spawn under its file name', async () => {
    const { events, spawned, state } = await drive(hello.source, { ok: true, task: 12, message: 'Started hello.wasm as task 12.' });
    expect(events.map((e) => e.type)).toEqual(['phase', 'phase', 'compiled', 'spawned']);
    expect(spawned).toHaveLength(1);
    expect(spawned[0]![0]).toBe('hello.wasm');
    expect(WebAssembly.validate(spawned[0]![1])).toBe(true);
    expect(state).toMatchObject({ phase: 'running', task: 12 });
  });

  it('does not spawn a program with compile errors', async () => {
    const { spawned, state } = await drive(`${hello.source}\nlet broken = ;\n`, { ok: true, task: 1, message: '' });
    expect(spawned).toEqual([]);
    expect(state).toMatchObject({ phase: 'failed', stage: 'compile', message: '1 compile error' });
  });

  it('a compiler that cannot load is an internal failure, not an exception', async () => {
    const broken: Compiler = { compile: () => Promise.reject(new Error('the compiler could not be loaded')) };
    const { spawned, state } = await drive(hello.source, { ok: true, task: 1, message: '' }, broken);
    expect(spawned).toEqual([]);
    expect(state).toEqual({ phase: 'failed', stage: 'internal', message: 'the compiler could not be loaded', diagnostics: [] });
  });
});
