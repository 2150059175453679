// Runs a bare-metal image on QEMU's `virt` machine, the reference the board is
// compared against. Only the serial port reaches stdout: no monitor, no display.
import { spawn, spawnSync } from 'node:child_process';

export const QEMU_BINARY = 'qemu-system-riscv32';

export interface QemuOptions {
  /** Kill QEMU after this long (default 30 s). */
  timeoutMs?: number;
  /** Appended to the standard command line. */
  extraArgs?: string[];
}

export interface QemuResult {
  /** Everything the guest wrote to UART0. */
  stdout: Uint8Array;
  stderr: string;
  /**
   * QEMU's exit status, which is the sifive_test power-off code (0 for the
   * 0x5555 "pass" command, the high half of a 0x3333 "fail" command); null
   * when QEMU was killed.
   */
  status: number | null;
  timedOut: boolean;
}

/**
 * The hart QEMU emulates: its default rv32 CPU also has the hypervisor
 * extension, Sstc and Zba/Zbb/Zbc/Zbs, which the board does not implement
 * (its device tree says rv32imafdc_zicntr_zicsr_zifencei). Switching them off
 * makes misa, mideleg, mie/mip, mstatush and the CSR map comparable.
 * tests/guest/build.sh --record uses the same CPU.
 */
export const QEMU_CPU = 'rv32,h=false,sstc=false,zba=false,zbb=false,zbc=false,zbs=false';

let qemuPresent: boolean | undefined;

/** True when qemu-system-riscv32 can be started. */
export function hasQemu(): boolean {
  qemuPresent ??= spawnSync(QEMU_BINARY, ['--version'], { stdio: 'ignore' }).status === 0;
  return qemuPresent;
}

/** The command line: -bios none starts the ELF in M-mode like the board's default. */
export function qemuArgs(elfPath: string, extraArgs: string[] = []): string[] {
  return [
    '-machine', 'virt', '-cpu', QEMU_CPU, '-bios', 'none', '-m', '128',
    '-display', 'none', '-monitor', 'none', '-serial', 'stdio',
    '-kernel', elfPath, ...extraArgs,
  ];
}

export function runQemu(elfPath: string, options: QemuOptions = {}): Promise<QemuResult> {
  const { timeoutMs = 30_000, extraArgs = [] } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(QEMU_BINARY, qemuArgs(elfPath, extraArgs), { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Uint8Array[] = [];
    const err: Uint8Array[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (b: Uint8Array) => out.push(b));
    child.stderr.on('data', (b: Uint8Array) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({
        stdout: concat(out),
        stderr: new TextDecoder().decode(concat(err)),
        status: timedOut ? null : status,
        timedOut,
      });
    });
  });
}

function concat(parts: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return all;
}
