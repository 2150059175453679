// The board: QEMU `virt`-compatible machine with one rv32gc hart.
//
// `run(maxCycles)` executes a slice of guest time and says why it stopped.
// Host input (`sendSerial`) is queued and enters the guest only at the start
// of the next slice, recorded with the cycle count at which it entered, so a
// run is reproduced exactly by replaying the log.
import type { Dma, MmioDevice } from './bus.ts';
import { Clock, type TimedDevice } from './clock.ts';
import { Executor } from './cpu/executor.ts';
import { EXIT_RESCHEDULE, Hart, MARCHID, MIMPID, MVENDORID } from './cpu/hart.ts';
import { Clint } from './devices/clint.ts';
import { GoldfishRtc } from './devices/goldfish-rtc.ts';
import { MailboxDevice, MailboxPort, addMailboxFdtNode } from './devices/mailbox.ts';
import { Plic } from './devices/plic.ts';
import { SifiveTest } from './devices/sifive-test.ts';
import { TraceDevice, addTraceFdtNode } from './devices/trace.ts';
import { Uart16550 } from './devices/uart16550.ts';
import { VirtioBlk } from './devices/virtio/blk.ts';
import { Virtio9p, type NinePTransport } from './devices/virtio/9p.ts';
import type { VirtioBackend } from './devices/virtio/backend.ts';
import { VirtioMmio } from './devices/virtio/mmio.ts';
import { VirtioNet, type NetBackend } from './devices/virtio/net.ts';
import { VirtioRng } from './devices/virtio/rng.ts';
import { parseImage } from './elf.ts';
import { buildBoardDtb } from './fdt.ts';
import { StateHash } from './hash.ts';
import { HartLines, MIP_SEIP, MIP_SSIP, MIP_STIP } from './irq.ts';
import { Ram, RAM_BASE } from './memory.ts';
import { PhysBus } from './phys-bus.ts';
import { sbiCall, type SbiPlatform } from './sbi.ts';
import { PRV_S } from './cpu/csr.ts';
import { readSnapshot, writeSnapshot } from './snapshot.ts';
import { StateReader, StateWriter } from './state-stream.ts';

export interface BoardConfig {
  /** ELF32 (PT_LOAD segments at their physical addresses) or a raw binary. */
  image: Uint8Array;
  /** 'none': start in M-mode like QEMU -bios none; 'sbi': the board is the SBI firmware, the image starts in S-mode. */
  bios?: 'none' | 'sbi';
  memMiB?: number;
  initrd?: Uint8Array;
  bootargs?: string;
  /** Raw disk attached as virtio-blk in slot 0. */
  drive?: Uint8Array;
  virtio?: 'legacy' | 'modern';
  aclint?: boolean;
  /** virtio-rng seed; the device sits in slot 1 (after the disk slot). */
  rngSeed?: number;
  /**
   * Host files shared as virtio-9p (mount tag "host") in slot 2: normally a
   * NinePServer over a HostTree (src/host/9p). Its state, the tree included,
   * is part of snapshots; see docs/9p.md.
   */
  hostFs?: NinePTransport;
  /** RTC time at power-on, ns since 1970 (deterministic; default 2026-01-01). */
  rtcEpochNs?: number;
  /** The WasmOS trace device at 0x10200000 (default on; QEMU has none). */
  trace?: boolean;
  /**
   * virtio-net in slot 1 (IRQ 2), like QEMU's virtio-mmio-bus.1: guest frames go
   * to `backend`; host frames enter with Machine.netReceive. MAC default 52:54:00:12:34:56.
   */
  net?: { backend: NetBackend; mac?: string };
}

export type StopReason =
  | { kind: 'budget' }
  | { kind: 'idle'; until: number }
  | { kind: 'poweroff'; code: number }
  | { kind: 'reset' };

/** One host input, with the guest cycle count at which it entered. */
export interface InputRecord {
  cycles: number;
  /** serial: UART bytes; mailbox: one host command (docs/devices.md "Mailbox"); net: one Ethernet frame for the guest. */
  kind: 'serial' | 'mailbox' | 'net';
  data: Uint8Array;
}

export class BoardError extends Error {}

/** The configuration with every default filled in (rngSeed stays optional: no seed, no rng). */
type NormalizedConfig = Readonly<Required<Omit<BoardConfig, 'initrd' | 'drive' | 'rngSeed' | 'hostFs' | 'net'>>> &
  Pick<BoardConfig, 'initrd' | 'drive' | 'rngSeed' | 'hostFs' | 'net'>;

const DEFAULT_EPOCH_NS = Date.UTC(2026, 0, 1) * 1e6;
const MIB = 1024 * 1024;
const VIRTIO_SLOTS = 8;
/** Where QEMU puts an S-mode kernel behind its firmware on rv32. */
const SBI_KERNEL_BASE = 0x80400000;

export class Machine {
  readonly config: NormalizedConfig;
  readonly ram: Ram;
  readonly clock = new Clock();
  readonly lines = new HartLines();
  readonly bus = new PhysBus();
  readonly hart: Hart;
  readonly dma: Dma;
  readonly fdt: Uint8Array;
  /** The trace device the kernel writes its event ring through, when configured. */
  readonly trace: TraceDevice | null;
  /** The host mailbox: post commands to the OS (entering between slices), hear its replies. */
  readonly mailbox = new MailboxPort();
  private readonly mailboxDev: MailboxDevice;
  /** UART output not yet handed to onSerial. */
  private serialOut: number[] = [];
  private pendingInput: Uint8Array[] = [];
  private pendingNet: Uint8Array[] = [];
  /** The network card when configured (its counters: net.stats). */
  readonly net: VirtioNet | null;
  readonly inputLog: InputRecord[] = [];
  onSerial: (bytes: Uint8Array) => void = () => {};

  private readonly exec: Executor;
  private readonly uart: Uart16550;
  private readonly timed: TimedDevice[] = [];
  private readonly clint: Clint;
  private nextDeadline = 0;
  private power: StopReason | null = null;
  private fdtAddr = 0;

  constructor(config: BoardConfig) {
    const memMiB = config.memMiB ?? 128;
    if (!Number.isInteger(memMiB) || memMiB < 16 || memMiB > 2048) throw new BoardError(`memory must be 16..2048 MiB, not ${memMiB}`);
    this.config = {
      image: config.image, bios: config.bios ?? 'none', memMiB, bootargs: config.bootargs ?? '',
      virtio: config.virtio ?? 'legacy', aclint: config.aclint ?? false, rngSeed: config.rngSeed,
      rtcEpochNs: config.rtcEpochNs ?? DEFAULT_EPOCH_NS, trace: config.trace ?? true,
      initrd: config.initrd, drive: config.drive, hostFs: config.hostFs, net: config.net,
    };
    this.ram = new Ram(memMiB * MIB);
    this.hart = new Hart(this.ram, this.bus, this.lines, this.clock);
    this.exec = new Executor(this.hart);
    this.dma = makeDma(this.ram, (page) => this.exec.invalidatePage(page));

    const plic = new Plic(this.lines);
    const clint = this.clint = new Clint(this.clock, this.lines, {
      aclint: this.config.aclint, raiseSsip: () => { this.hart.mipSw |= MIP_SSIP; }, sbiTimer: this.config.bios === 'sbi',
    });
    this.uart = new Uart16550(plic, 10, (b) => this.serialOut.push(b));
    const test = new SifiveTest((kind, code) => {
      this.power = kind === 'reset' ? { kind: 'reset' } : { kind: 'poweroff', code };
    });
    const rtc = new GoldfishRtc(this.clock, plic, 11, this.config.rtcEpochNs);
    const devices: MmioDevice[] = [plic, ...clint.windows(), this.uart, test, rtc];
    this.timed.push(clint, rtc);

    // Slot 0: the disk (like QEMU's first virtio-mmio bus); slot 1 is kept for
    // the network card; slot 2 shares host files; the optional rng takes the last slot.
    const backends: Array<VirtioBackend | null> = new Array(VIRTIO_SLOTS).fill(null);
    if (config.drive) backends[0] = new VirtioBlk(config.drive);
    this.net = config.net ? new VirtioNet(config.net.backend, config.net.mac) : null;
    if (this.net) backends[1] = this.net;
    if (config.hostFs) backends[2] = new Virtio9p(config.hostFs, 'host');
    if (config.rngSeed !== undefined) backends[VIRTIO_SLOTS - 1] = new VirtioRng(config.rngSeed);
    for (let slot = 0; slot < VIRTIO_SLOTS; slot++) {
      devices.push(new VirtioMmio({
        base: 0x10001000 + slot * 0x1000, irq: slot + 1, plic, dma: this.dma,
        backend: backends[slot]!, legacy: this.config.virtio === 'legacy',
      }));
    }
    this.trace = this.config.trace ? new TraceDevice(this.dma) : null;
    if (this.trace) devices.push(this.trace);
    this.mailboxDev = new MailboxDevice(plic);
    devices.push(this.mailboxDev);
    for (const d of devices) this.bus.add(d);

    this.fdt = buildBoardDtb({
      memBase: RAM_BASE, memSize: this.ram.size, aclint: this.config.aclint, bootargs: this.config.bootargs,
      initrd: this.initrdRange(), extraNodes: [...(this.trace ? [addTraceFdtNode] : []), addMailboxFdtNode],
    });
    this.boot();
  }

  get cycles(): number { return this.hart.cycles; }
  get instret(): number { return this.hart.instret; }

  private initrdRange(): { start: number; end: number } | undefined {
    const initrd = this.config.initrd;
    if (!initrd) return undefined;
    const entry = this.config.bios === 'sbi' ? SBI_KERNEL_BASE : RAM_BASE;
    const start = entry + Math.min(this.ram.size / 2, 128 * MIB);
    return { start, end: start + initrd.length };
  }

  /** Loads the images and points the hart at the entry, as QEMU's reset does. */
  private boot(): void {
    const { image, bios } = this.config;
    if (this.hart.cycles > 0) this.ram.u8.fill(0); // a fresh ArrayBuffer is already zero
    this.exec.invalidateAll();
    const parsed = parseImage(image, bios === 'sbi' ? SBI_KERNEL_BASE : RAM_BASE);
    for (const seg of parsed.segments) this.loadPhys(seg.paddr, seg.data, seg.memsz, 'image');
    const initrd = this.initrdRange();
    if (initrd && this.config.initrd) this.loadPhys(initrd.start, this.config.initrd, this.config.initrd.length, 'initrd');
    // QEMU: the FDT goes at the top of RAM (below 3 GiB), aligned down to 2 MiB.
    const top = Math.min(RAM_BASE + this.ram.size, 0xc0000000);
    this.fdtAddr = Math.floor((top - this.fdt.length) / (2 * MIB)) * 2 * MIB;
    this.loadPhys(this.fdtAddr, this.fdt, this.fdt.length, 'device tree');

    const h = this.hart;
    h.reset(parsed.entry);
    h.x[10] = 0;
    h.x[11] = this.fdtAddr | 0;
    for (const d of this.bus.all) d.reset();
    if (bios === 'sbi') this.enterSbiKernel();
    this.nextDeadline = 0;
    this.power = null;
  }

  private loadPhys(pa: number, data: Uint8Array, memsz: number, what: string): void {
    const off = this.ram.offsetOf(pa, Math.max(memsz, 1));
    if (off < 0) throw new BoardError(`${what} at 0x${pa.toString(16)} (${memsz} bytes) does not fit in RAM`);
    this.ram.u8.set(data.subarray(0, Math.min(data.length, memsz)), off);
  }

  /** Starts the image in S-mode with the board answering SBI calls, as OpenSBI would leave things. */
  private enterSbiKernel(): void {
    const h = this.hart;
    h.medeleg = 0xb1ff; // everything but ECALL from S/M, which the firmware owns
    h.mideleg = MIP_SSIP | MIP_STIP | MIP_SEIP;
    h.mcounteren = 7;
    h.mstatus = 0;
    h.priv = PRV_S;
    h.flushTlb();
    const platform: SbiPlatform = {
      consolePut: (bytes) => { for (const b of bytes) this.serialOut.push(b); },
      consoleGet: () => this.uart.takeInputByte(),
      setTimer: (ticks) => { this.clint.setTimerCompare(ticks); this.nextDeadline = 0; },
      sendSoftIrq: () => { h.mipSw |= MIP_SSIP; },
      remoteFence: () => { h.flushTlb(); },
      reset: (kind, reason) => { this.power = kind === 'shutdown' ? { kind: 'poweroff', code: reason === 0 ? 0 : 1 } : { kind: 'reset' }; },
      readPhys: (addr, len) => (this.dma.inRam(addr, len) ? this.dma.readBytes(addr, len) : null),
      writePhys: (addr, data) => { if (!this.dma.inRam(addr, data.length)) return false; this.dma.writeBytes(addr, data); return true; },
      mvendorid: MVENDORID, marchid: MARCHID, mimpid: MIMPID,
    };
    h.sbiEcall = (x) => { sbiCall(x, platform); return true; };
  }

  /** Host input for the UART; enters the guest at the start of the next slice. */
  sendSerial(bytes: Uint8Array): void {
    if (bytes.length > 0) this.pendingInput.push(bytes.slice());
  }

  /**
   * An Ethernet frame for the guest's network card; like serial input it enters
   * at the start of the next slice (and is logged), or is dropped and counted
   * (net.stats.rxNoBuffer) if the driver has no rx buffer posted then.
   */
  netReceive(frame: Uint8Array): void {
    if (this.net !== null && frame.length > 0) this.pendingNet.push(frame.slice());
  }

  /** Host input is queued for the next slice. */
  get inputPending(): boolean {
    return this.pendingInput.length > 0 || this.mailbox.pending.length > 0 || this.pendingNet.length > 0;
  }

  private applyInput(): void {
    for (const data of this.pendingInput) {
      this.inputLog.push({ cycles: this.cycles, kind: 'serial', data });
      this.uart.pushInput(data);
    }
    this.pendingInput = [];
    for (const data of this.pendingNet) {
      this.inputLog.push({ cycles: this.cycles, kind: 'net', data });
      this.net!.receive(data);
    }
    this.pendingNet = [];
    for (const data of this.mailbox.take()) {
      // A full queue refuses the command; the port reports it as a reply.
      if (!this.mailboxDev.push(data)) { this.mailbox.refused(data); continue; }
      this.inputLog.push({ cycles: this.cycles, kind: 'mailbox', data });
    }
  }

  private updateTimers(): void {
    const now = this.hart.cycles;
    this.clock.cycles = now;
    let next = Infinity;
    for (const d of this.timed) {
      const t = d.update(now);
      if (t < next) next = t;
    }
    this.nextDeadline = next;
  }

  /** Runs up to `maxCycles` of guest time. Never throws because of what the guest does. */
  run(maxCycles: number): StopReason {
    if (this.power?.kind === 'poweroff') return this.power;
    this.applyInput();
    const h = this.hart;
    const end = h.cycles + Math.max(0, Math.floor(maxCycles));
    let reason: StopReason;
    for (;;) {
      if (this.power !== null) {
        reason = this.power;
        if (reason.kind === 'reset') this.boot();
        break;
      }
      const now = h.cycles;
      if (now >= this.nextDeadline) this.updateTimers();
      // Entering a trap costs a cycle, so it waits for a run with budget left: a
      // run never ends past its end (a replay stops exactly where an input is due).
      if (now >= end) { reason = { kind: 'budget' }; break; }
      if (h.checkInterrupts()) continue; // from the trap's cycle: deadlines and budget again
      if (h.wfi) {
        if ((h.mip & h.mie) !== 0) {
          h.wfi = false;
        } else {
          const wake = this.nextDeadline;
          // A network frame is waiting (the gateway answered during this slice):
          // end the slice now so it enters at once instead of after the idle time.
          if (this.pendingNet.length > 0) { reason = { kind: 'idle', until: now }; break; }
          if (wake <= end) { h.idleCycles += wake - now; continue; }
          h.idleCycles += end - now;
          reason = { kind: 'idle', until: wake };
          break;
        }
      }
      h.limit = h.instret + (Math.min(end, this.nextDeadline) - now);
      this.exec.run();
      if (h.exit === EXIT_RESCHEDULE) this.updateTimers();
    }
    this.flushSerial();
    this.mailbox.deliver(this.mailboxDev.takeReplies());
    return reason;
  }

  private flushSerial(): void {
    if (this.serialOut.length === 0) return;
    const bytes = Uint8Array.from(this.serialOut);
    this.serialOut = [];
    this.onSerial(bytes);
  }

  // ---------------------------------------------------------------- state

  private saveState(w: StateWriter): void {
    this.hart.save(w);
    w.tag('clock');
    w.f64(this.clock.mtimeOffset);
    w.tag('ram');
    const pages = this.ram.size >>> 12;
    const i32 = this.ram.i32;
    for (let p = 0; p < pages; p++) {
      let nonzero = false;
      for (let k = p << 10, e = k + 1024; k < e; k++) if (i32[k] !== 0) { nonzero = true; break; }
      if (!nonzero) continue;
      w.u32(p);
      w.bytes(this.ram.u8.subarray(p << 12, (p + 1) << 12));
    }
    w.u32(0xffffffff);
    for (const d of this.bus.all) { w.tag(d.name); d.save(w); }
    w.tag('power');
    w.str(JSON.stringify(this.power));
  }

  private restoreState(r: StateReader): void {
    this.hart.restore(r);
    r.tag('clock');
    this.clock.mtimeOffset = r.f64();
    this.clock.cycles = this.hart.cycles;
    r.tag('ram');
    this.ram.u8.fill(0);
    this.exec.invalidateAll();
    for (;;) {
      const p = r.u32();
      if (p === 0xffffffff) break;
      const data = r.bytes();
      if (p >= this.ram.size >>> 12 || data.length !== 4096) throw new BoardError('snapshot RAM page out of range');
      this.ram.u8.set(data, p << 12);
    }
    for (const d of this.bus.all) { r.tag(d.name); d.restore(r); }
    r.tag('power');
    this.power = JSON.parse(r.str()) as StopReason | null;
    this.nextDeadline = 0;
  }

  /** A hash of the complete guest-visible state (CPU, RAM, devices). */
  stateHash(): string {
    const w = new StateWriter();
    this.saveState(w);
    return new StateHash().update(w.finish()).hex();
  }

  /** The whole machine as a versioned binary blob (see snapshot.ts). */
  snapshot(): Uint8Array {
    const w = new StateWriter();
    this.saveState(w);
    return writeSnapshot(this.config, w.finish());
  }

  /**
   * `host` gives back what the blob cannot hold: the hostFs object of a board
   * that had one (its state is in the blob and is restored into it), and the
   * network backend of a board with a network card.
   */
  static fromSnapshot(blob: Uint8Array, host: Pick<BoardConfig, 'hostFs' | 'net'> = {}): Machine {
    const { config, state } = readSnapshot(blob);
    const m = new Machine({ ...config, ...host });
    const r = new StateReader(state);
    try {
      m.restoreState(r);
    } catch (e) {
      throw new BoardError(`snapshot state does not fit this board: ${(e as Error).message}`);
    }
    if (!r.done) throw new BoardError('snapshot has trailing bytes');
    return m;
  }
}

/**
 * Device access to guest RAM that keeps translated code coherent. Devices are
 * expected to check `inRam` first; out-of-RAM accesses read 0 and are dropped
 * rather than throwing, because the address came from the guest.
 */
function makeDma(ram: Ram, invalidate: (page: number) => void): Dma {
  const written = (off: number, len: number): void => {
    if (len <= 64) {
      if (!ram.hitsCode(off, len)) return;
      invalidate(off >>> 12);
      if (((off + len - 1) >>> 12) !== off >>> 12) invalidate((off + len - 1) >>> 12);
      return;
    }
    for (let p = off >>> 12; p <= (off + len - 1) >>> 12; p++) if (ram.codePage[p]) invalidate(p);
  };
  const u8 = ram.u8;
  const rd = (addr: number, len: number): number => {
    const o = ram.offsetOf(addr, len);
    if (o < 0) return 0;
    let v = 0;
    for (let k = len - 1; k >= 0; k--) v = (v << 8) | u8[o + k]!;
    return v >>> 0;
  };
  const wr = (addr: number, len: number, v: number): void => {
    const o = ram.offsetOf(addr, len);
    if (o < 0) return;
    for (let k = 0; k < len; k++) u8[o + k] = v >>> (8 * k);
    written(o, len);
  };
  return {
    inRam: (addr, len) => ram.offsetOf(addr, len) >= 0,
    readU8: (addr) => rd(addr, 1),
    readU16: (addr) => rd(addr, 2),
    readU32: (addr) => rd(addr, 4),
    writeU8: (addr, v) => wr(addr, 1, v),
    writeU16: (addr, v) => wr(addr, 2, v),
    writeU32: (addr, v) => wr(addr, 4, v),
    readBytes: (addr, len) => {
      const o = ram.offsetOf(addr, len);
      return o < 0 ? new Uint8Array(len) : u8.slice(o, o + len);
    },
    writeBytes: (addr, data) => {
      const o = ram.offsetOf(addr, data.length);
      if (o < 0) return;
      u8.set(data, o);
      written(o, data.length);
    },
  };
}
