// The whole OS on QEMU's virt machine with QEMU's user-mode network (slirp):
// the oracle for the guest's network stack. Types script lines at the shell
// prompts like tests/os/os-boot.ts does on the board, and returns the output.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { osArchive } from '../../src/host/os-archive.ts';
import { loadOsSource } from '../../src/cli/os-files.ts';
import { KERNEL, PROMPT } from './os-boot.ts';
import { QEMU_BINARY } from '../helpers/qemu.ts';

export interface QemuOsOptions {
  script: string[];
  /** Extra `-netdev user` options, e.g. `hostfwd=tcp:127.0.0.1:8080-:80`. */
  netdev?: string;
  /** No network card at all. */
  noNet?: boolean;
  /** Wall time before QEMU is killed. */
  timeoutMs?: number;
  /** Called with the output so far once a script line's output is complete (before the next is typed). */
  onPrompt?: (typed: number, out: string) => Promise<void> | void;
}

export function bootOsOnQemu(opts: QemuOsOptions): Promise<{ out: string; typed: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'wasmos-net-'));
  const initrd = join(dir, 'os.img');
  writeFileSync(initrd, osArchive(loadOsSource()));
  const net = opts.noNet ? [] : [
    '-netdev', `user,id=n0${opts.netdev ? `,${opts.netdev}` : ''}`,
    '-device', 'virtio-net-device,netdev=n0,bus=virtio-mmio-bus.1',
  ];
  const args = ['-machine', 'virt', '-bios', 'none', '-m', '128', '-display', 'none', '-monitor', 'none',
    '-serial', 'stdio', '-kernel', KERNEL, '-initrd', initrd, ...net];
  return new Promise((resolve, reject) => {
    const child = spawn(QEMU_BINARY, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let typed = 0;
    let prompts = 0;
    let busy = false;
    const finish = () => {
      clearTimeout(timer);
      child.kill('SIGKILL');
    };
    const timer = setTimeout(finish, opts.timeoutMs ?? 40_000);
    child.stdout.on('data', async (b: Buffer) => {
      out += b.toString('latin1').replace(/\r/g, '');
      const n = out.split(PROMPT).length - 1;
      if (n <= prompts || busy) return;
      prompts = n;
      busy = true;
      if (typed > 0) await opts.onPrompt?.(typed, out);
      if (typed === opts.script.length) finish();
      else child.stdin.write(`${opts.script[typed++]}\r`);
      busy = false;
    });
    child.on('error', reject);
    child.on('close', () => {
      rmSync(dir, { recursive: true, force: true });
      resolve({ out, typed });
    });
  });
}
