// The whole OS on the board: the boot reports, WASI programs against the real
// console and fs servers, 200 spawns in a row without a leak, and the
// `wasmos boot` command.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootOs, outputOf, KERNEL } from './os-boot.ts';

const memFigures = (text: string): { free: number; heap: number; tasks: number } => {
  const m = /total (\d+) KiB, free (\d+) KiB, kernel heap (\d+) KiB, (\d+) tasks/.exec(text);
  if (!m) throw new Error(`no mem line in ${JSON.stringify(text)}`);
  return { free: Number(m[2]), heap: Number(m[3]), tasks: Number(m[4]) };
};

describe('the whole OS', () => {
  it('boots to the prompt, init reporting every server in dependency order', () => {
    const r = bootOs({ script: [] });
    for (const s of ['console', 'fs', 'pong', 'echo', 'counter', 'shell']) {
      expect(r.out).toMatch(new RegExp(`^init: started ${s} \\(task \\d+\\) in [\\d.]+ ms$`, 'm'));
    }
    expect(r.out.indexOf('init: started console')).toBeLessThan(r.out.indexOf('init: started shell'));
    expect(r.firstPromptAt).not.toBeNull();
  }, 120_000);

  it('boots without a 9P device: fs starts without /host', () => {
    const r = bootOs({ script: ['ls /'], host: false });
    expect(r.out).toContain('init: fs: no device virtio:9, starting without it');
    expect(r.out).toMatch(/^init: started fs /m);
    expect(outputOf(r, 0)).toMatch(/boot/);
    expect(outputOf(r, 0)).not.toMatch(/host/);
  }, 120_000);

  it('runs unmodified WASI programs (wasi-libc) against the real console and fs servers', () => {
    const script = [
      'wasi-hello',
      'wasi-args one "two words"',
      'write /tmp/a.txt first line',
      'wasi-cat /tmp/a.txt',
      'wasi-cp /tmp/a.txt /tmp/b.txt',
      'cat /tmp/b.txt',
      'wasi-cat /host/notes.txt',
      'wasi-cat /tmp/missing',
      'wasi-cp /host/notes.txt /host/copy.txt',
    ];
    const r = bootOs({ script, hostFiles: { '/notes.txt': 'from the host\n' } });
    expect(r.typed).toBe(script.length);
    expect(outputOf(r, 0)).toMatch(/hello/i);
    const args = outputOf(r, 1);
    expect(args).toContain('args: argv[1]=one');
    expect(args).toContain('args: argv[2]=two words');
    expect(args).toContain('args: env HOME=/tmp');
    expect(outputOf(r, 3)).toContain('first line');
    expect(outputOf(r, 5)).toBe('first line\n');
    expect(outputOf(r, 6)).toContain('from the host');
    expect(outputOf(r, 7)).toMatch(/No such file or directory/);
    expect(outputOf(r, 7)).toMatch(/\[exit 1\]/);
    expect(new TextDecoder().decode(r.tree.readFile('/copy.txt'))).toBe('from the host\n');
  }, 180_000);

  it('spawns 200 programs in a row and gets its memory back', () => {
    const hellos = Array.from({ length: 100 }, () => 'hello');
    // The first spawns warm up the servers' own memory (buffers, handle tables).
    const script = ['hello', 'hello', 'mem', ...hellos, 'mem', ...hellos, 'mem'];
    const r = bootOs({ script, maxCycles: 4_000_000_000 });
    expect(r.typed).toBe(script.length);
    const before = memFigures(outputOf(r, 2));
    const middle = memFigures(outputOf(r, 103));
    const after = memFigures(outputOf(r, 204));
    expect(r.out.match(/Hello from WasmOS!/g)!.length).toBe(202);
    expect(after.tasks).toBe(before.tasks);
    expect(after.heap).toBe(before.heap);
    expect(after.free).toBe(middle.free);
    expect(before.free - after.free).toBeLessThanOrEqual(4);
  }, 600_000);
});

describe('wasmos boot', () => {
  it('types a script into the shell, shares a host folder and exits at shutdown', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasmos-boot-'));
    try {
      writeFileSync(join(dir, 'in.txt'), 'host file\n');
      writeFileSync(join(dir, 'script'), 'cat /host/in.txt\nwrite /host/out.txt written by the guest\nhello\nshutdown\n');
      const r = spawnSync(process.execPath, ['bin/wasmos.js', 'boot', '--kernel', KERNEL, '--script', join(dir, 'script'), '--host', dir],
        { encoding: 'utf8', timeout: 300_000, input: '' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('host file');
      expect(r.stdout).toContain('Hello from WasmOS!');
      expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('written by the guest\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it('refuses a missing script with one clear line', () => {
    const r = spawnSync(process.execPath, ['bin/wasmos.js', 'boot', '--script', '/nonexistent/script'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('wasmos: cannot read script /nonexistent/script: ENOENT\n');
  }, 60_000);
});
