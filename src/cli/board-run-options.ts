// Command-line options of `wasmos board run`, parsed and checked before any
// file is read, so a bad command line fails fast with a usage message.
import { parseArgs } from 'node:util';

/** A bad command line: printed with a hint to --help, exit status 1. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface BoardRunOptions {
  image: string;
  bios: 'none' | 'sbi';
  memMiB: number | undefined;
  initrd: string | undefined;
  append: string | undefined;
  drive: string | undefined;
  virtio: 'legacy' | 'modern';
  /** Stop (exit 124) once this many instructions have retired. */
  maxInsns: number | undefined;
  stats: boolean;
  /** 'user': a virtio-net card in slot 1 on the user-mode gateway (docs/net.md). */
  net: 'user' | undefined;
  /** Capture the network traffic to this pcap file. */
  pcap: string | undefined;
}

export const BOARD_RUN_USAGE = `usage: wasmos board run IMAGE [options]

Runs IMAGE (an ELF32 RISC-V executable or a raw binary) on the emulated board.
The guest's serial console is connected to stdin/stdout; press Ctrl-A x to quit
(Ctrl-A Ctrl-A sends Ctrl-A, Ctrl-A h lists the keys).

options:
  --bios none|sbi        none (default): start the image in M-mode at its entry,
                         like QEMU -bios none; sbi: the board provides the SBI
                         firmware and starts the image in S-mode
  --mem MIB              RAM size in MiB (default 128)
  --initrd FILE          load FILE into RAM as the initial ramdisk
  --append ARGS          kernel command line (/chosen/bootargs)
  --drive FILE           attach FILE as a virtio-blk disk; guest writes are
                         written back to FILE at exit
  --virtio legacy|modern virtio-mmio register layout (default legacy)
  --net user             attach a virtio-net card in the second virtio slot
                         (0x10002000, IRQ 2) on the user-mode gateway, like
                         QEMU -netdev user: DHCP gives 10.0.2.15, 10.0.2.2 is
                         the host, 10.0.2.3 the DNS server (docs/net.md)
  --pcap FILE            with --net: write all network traffic to FILE
  --max-insns N          stop after N retired instructions (k/M/G suffixes ok)
  --stats                print {"instructions":N,"seconds":S,"mips":M} on the
                         last line of stdout
  -h, --help             show this help

exit status: 0 when the guest powers off with success, the guest's failure
code when it reports failure, 124 when --max-insns ran out, 1 for errors.
`;

const SUFFIX: Record<string, number> = { '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6, g: 1e9, G: 1e9 };

function positiveInt(name: string, text: string, allowSuffix: boolean): number {
  const m = /^(\d+)([kKmMgG]?)$/.exec(text.trim());
  const n = m && (allowSuffix || m[2] === '') ? Number(m[1]) * SUFFIX[m[2]!]! : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(`${name} needs a positive integer${allowSuffix ? ' (k, M, G suffixes allowed)' : ''}, not "${text}"`);
  }
  return n;
}

function oneOf<T extends string>(name: string, text: string, values: readonly T[]): T {
  if ((values as readonly string[]).includes(text)) return text as T;
  throw new UsageError(`${name} must be ${values.join(' or ')}, not "${text}"`);
}

function pcapOption(pcap: string | undefined, net: boolean): string | undefined {
  if (pcap !== undefined && !net) throw new UsageError('--pcap needs --net user');
  return pcap;
}

/** Parses the arguments after `board run`; returns 'help' for -h/--help. */
export function parseBoardRunArgs(args: string[]): BoardRunOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        bios: { type: 'string' },
        mem: { type: 'string' },
        initrd: { type: 'string' },
        append: { type: 'string' },
        drive: { type: 'string' },
        virtio: { type: 'string' },
        'max-insns': { type: 'string' },
        stats: { type: 'boolean' },
        net: { type: 'string' },
        pcap: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    // parseArgs reports unknown options and missing values with TypeErrors.
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  const [image, ...extra] = parsed.positionals;
  if (image === undefined) throw new UsageError('missing IMAGE');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  return {
    image,
    bios: v.bios === undefined ? 'none' : oneOf('--bios', v.bios, ['none', 'sbi'] as const),
    memMiB: v.mem === undefined ? undefined : positiveInt('--mem', v.mem, false),
    initrd: v.initrd,
    append: v.append,
    drive: v.drive,
    virtio: v.virtio === undefined ? 'legacy' : oneOf('--virtio', v.virtio, ['legacy', 'modern'] as const),
    maxInsns: v['max-insns'] === undefined ? undefined : positiveInt('--max-insns', v['max-insns'], true),
    stats: v.stats ?? false,
    net: v.net === undefined ? undefined : oneOf('--net', v.net, ['user'] as const),
    pcap: pcapOption(v.pcap, v.net !== undefined),
  };
}
