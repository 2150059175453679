// Runs the real `wasmos` command (bin/wasmos.js) on the guest programs in
// fixtures/bin and checks what a user sees: stdout, stderr, exit status.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/wasmos.js');
const fixture = (name: string): string => join(root, 'tests/cli/fixtures/bin', `${name}.elf`);
const tmp = mkdtempSync(join(tmpdir(), 'wasmos-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function wasmos(args: string[], input = '') {
  const r = spawnSync(process.execPath, [bin, ...args], { input, encoding: 'latin1', timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('wasmos help', () => {
  it('wasmos --help lists the commands', () => {
    const r = wasmos(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: wasmos <command>/);
    expect(r.stdout).toContain('board run IMAGE');
  });

  it('wasmos board --help lists the board run options', () => {
    const r = wasmos(['board', '--help']);
    expect(r.status).toBe(0);
    for (const opt of ['--bios', '--mem', '--initrd', '--append', '--drive', '--virtio', '--max-insns', '--stats']) {
      expect(r.stdout).toContain(opt);
    }
    expect(wasmos(['board', 'run', '--help']).stdout).toMatch(/^usage: wasmos board run IMAGE/);
  });
});

describe('wasmos board run', () => {
  it('prints the guest output and exits 0 when it passes', () => {
    const r = wasmos(['board', 'run', fixture('hello')]);
    expect(r.stdout).toBe('hello from the board\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('exits with the guest failure code', () => {
    const r = wasmos(['board', 'run', fixture('fail')]);
    expect(r.stdout).toBe('failing with 3');
    expect(r.status).toBe(3);
  });

  it('--stats ends stdout with a JSON line of its own', () => {
    const r = wasmos(['board', 'run', fixture('fail'), '--stats']);
    expect(r.status).toBe(3);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('failing with 3');
    expect(lines[2]).toBe('');
    const stats = JSON.parse(lines[1]!) as { instructions: number; seconds: number; mips: number };
    expect(Object.keys(stats)).toEqual(['instructions', 'seconds', 'mips']);
    expect(stats.instructions).toBeGreaterThan(100);
    expect(stats.seconds).toBeGreaterThanOrEqual(0);
    expect(stats.mips).toBeGreaterThanOrEqual(0);
  });

  it('--max-insns stops a guest that never ends with 124', () => {
    const r = wasmos(['board', 'run', fixture('spin'), '--max-insns', '2M', '--stats']);
    expect(r.status).toBe(124);
    expect(r.stderr).toContain('instruction limit reached (2000000)');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('spinning');
    expect(JSON.parse(lines[1]!).instructions).toBe(2_000_000);
  });

  it('feeds stdin to the UART; Ctrl-A Ctrl-A sends a Ctrl-A', () => {
    const r = wasmos(['board', 'run', fixture('echo')], 'hi\x01\x01!q');
    expect(r.stdout).toBe('echo ready\nHI\x01!\nbye\n');
    expect(r.status).toBe(0);
  });

  it('Ctrl-A x quits at once; what follows it never reaches the guest', () => {
    const r = wasmos(['board', 'run', fixture('echo')], 'ok\x01xq');
    // "ok" may or may not be echoed before the board stops; the 'q' is dropped.
    expect(['echo ready\n', 'echo ready\nO', 'echo ready\nOK']).toContain(r.stdout);
    expect(r.stderr).toContain('terminated');
    expect(r.status).toBe(0);
  });

  it('gives up when the guest waits for input forever and stdin is closed', () => {
    const r = wasmos(['board', 'run', fixture('echo')], 'a');
    expect(r.stdout).toBe('echo ready\nA');
    expect(r.stderr).toContain('waits for input forever');
    expect(r.status).toBe(1);
  });

  it('--bios sbi starts an S-mode image behind the board firmware', () => {
    const r = wasmos(['board', 'run', '--bios', 'sbi', fixture('sbi')]);
    expect(r.stdout).toBe('hello from S-mode\nsbi 2.0, dbcn probe 1\n');
    expect(r.status).toBe(0);
  });

  it('--drive attaches a disk and writes the guest changes back to the file', () => {
    const disk = join(tmp, 'disk.img');
    const sector0 = 'a test disk\ncount=0041\n';
    writeFileSync(disk, Buffer.concat([Buffer.from(sector0), Buffer.alloc(8192 - sector0.length)]));
    const r = wasmos(['board', 'run', fixture('disk'), '--drive', disk, '--virtio', 'modern']);
    expect(r.stdout).toBe('disk: a test disk\ndisk: written\n');
    expect(r.status).toBe(0);
    const after = readFileSync(disk);
    expect(after.length).toBe(8192);
    expect(after.subarray(0, sector0.length).toString()).toBe('a test disk\ncount=0042\n');
    expect(wasmos(['board', 'run', fixture('disk'), '--drive', disk, '--virtio', 'modern']).status).toBe(0);
    expect(readFileSync(disk).subarray(0, sector0.length).toString()).toBe('a test disk\ncount=0043\n');
  });
});

describe('wasmos errors', () => {
  it('bad arguments exit 1 with a message', () => {
    for (const args of [[], ['frob'], ['board'], ['board', 'walk'], ['board', 'run'], ['board', 'run', 'x', '--bios', 'uefi'],
      ['board', 'run', 'x', '--nope']]) {
      const r = wasmos(args);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(/^wasmos: .+\nTry `wasmos --help`.\n$/);
      expect(r.stdout).toBe('');
    }
  });

  it('a missing image exits 1', () => {
    const r = wasmos(['board', 'run', join(tmp, 'no-such.elf')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^wasmos: cannot read image .*no-such\.elf: ENOENT\n$/);
  });

  it('passes --initrd, --append and --mem to the board', () => {
    const rd = join(tmp, 'initrd.img');
    writeFileSync(rd, Buffer.alloc(1000, 7));
    const r = wasmos(['board', 'run', fixture('hello'), '--initrd', rd, '--append', 'console=ttyS0', '--mem', '64']);
    expect(r.stdout).toBe('hello from the board\n');
    expect(r.status).toBe(0);
  });

  it('a missing drive or initrd exits 1', () => {
    expect(wasmos(['board', 'run', fixture('hello'), '--drive', join(tmp, 'nodisk')]).stderr).toMatch(/cannot read drive/);
    expect(wasmos(['board', 'run', fixture('hello'), '--initrd', join(tmp, 'nord')]).status).toBe(1);
  });

  it('an invalid image exits 1 and says why', () => {
    const elf64 = join(tmp, 'elf64.elf');
    const bytes = Buffer.alloc(64);
    bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
    writeFileSync(elf64, bytes);
    const r = wasmos(['board', 'run', elf64]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^wasmos: .*elf64\.elf: ELF64 image/);
  });

  it('an image that does not fit in RAM exits 1', () => {
    const r = wasmos(['board', 'run', fixture('hello'), '--mem', '100000']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^wasmos: .*hello\.elf: .*memory/);
  });
});

describe('wasmos signals', () => {
  it('SIGTERM stops a waiting guest, exits 143 and still writes the drive back', async () => {
    const disk = join(tmp, 'sig.img');
    writeFileSync(disk, Buffer.alloc(4096));
    const child = spawn(process.execPath, [bin, 'board', 'run', fixture('echo'), '--drive', disk], { stdio: 'pipe' });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('echo ready\n')) resolve();
      });
    });
    // Make the write-back observable: the board holds the original (zero) disk.
    writeFileSync(disk, Buffer.alloc(4096, 0xee));
    child.kill('SIGTERM');
    const status = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    expect(status).toBe(143);
    expect(err).toContain('terminated');
    expect(readFileSync(disk).every((b) => b === 0)).toBe(true);
  });

  it('stops with 141 when stdout is closed under it', async () => {
    const child = spawn(process.execPath, [bin, 'board', 'run', fixture('echo')], { stdio: 'pipe' });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    // The guest writes again only when it gets input.
    child.stdin.write('more');
    const status = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    expect(status).toBe(141);
  });
});
