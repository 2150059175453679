// Flattened device tree (DTB format version 17, devicetree spec v0.4 ch. 5):
// a generic builder, and the tree QEMU 7.2 `virt` gives a guest for the same
// configuration (same node names, property values and order, phandle numbers),
// minus the parts this board does not have (PCIe, flash, fw-cfg, platform bus,
// PMU; see docs/devices.md).
import {
  ACLINT_MSWI_SIZE, ACLINT_MTIMER_BASE, ACLINT_SSWI_BASE, ACLINT_SSWI_SIZE, CLINT_BASE, CLINT_SIZE,
  PLIC_BASE, PLIC_NUM_SOURCES, PLIC_SIZE, RTC_BASE, RTC_IRQ, RTC_SIZE, TEST_BASE, TEST_SIZE,
  UART0_BASE, UART0_IRQ, UART0_SIZE, UART_CLOCK_HZ, VIRTIO_COUNT, VIRTIO_IRQ, VIRTIO_SIZE, virtioSlotBase,
} from './devices/virt-map.ts';
import { TIMEBASE_HZ } from './clock.ts';
import { FINISHER_PASS, FINISHER_RESET } from './devices/sifive-test.ts';
import { MIP_MEIP, MIP_MSIP, MIP_MTIP, MIP_SEIP, MIP_SSIP } from './irq.ts';

const FDT_MAGIC = 0xd00dfeed;
const FDT_VERSION = 17;
const FDT_LAST_COMP_VERSION = 16;
const FDT_BEGIN_NODE = 1;
const FDT_END_NODE = 2;
const FDT_PROP = 3;
const FDT_END = 9;
const HEADER_SIZE = 40;

/** A growable big-endian byte buffer. */
class BeBuffer {
  private buf = new Uint8Array(1024);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  u32(v: number): void {
    this.reserve(4);
    new DataView(this.buf.buffer).setUint32(this.length, v >>> 0);
    this.length += 4;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** Zero bytes up to the next multiple of 4. */
  pad4(): void {
    const n = (4 - (this.length & 3)) & 3;
    this.reserve(n);
    this.buf.fill(0, this.length, this.length + n);
    this.length += n;
  }

  view(): Uint8Array { return this.buf.subarray(0, this.length); }
}

const utf8 = new TextEncoder();

/** Big-endian 64-bit cells (high, low) of an address or size below 2^64. */
function u64Cells(v: number | bigint): [number, number] {
  const b = BigInt.asUintN(64, BigInt(v));
  return [Number(b >> 32n), Number(b & 0xffff_ffffn)];
}

function nulTerminated(s: string): Uint8Array {
  const b = utf8.encode(s);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}

export class FdtBuilder {
  private readonly struct = new BeBuffer();
  private readonly strings = new BeBuffer();
  private readonly stringOffsets = new Map<string, number>();
  private readonly reservations: Array<[number | bigint, number | bigint]> = [];
  private depth = 0;
  private nextPhandle = 1;

  /** A fresh phandle (1, 2, ...), to be set with `propU32('phandle', p)` on its node. */
  allocPhandle(): number {
    return this.nextPhandle++;
  }

  /** Adds an entry to the memory reservation block. */
  addReservation(address: number | bigint, size: number | bigint): void {
    this.reservations.push([address, size]);
  }

  /** Opens a node; the first one is the root and must be named ''. */
  beginNode(name: string): void {
    if (this.depth === 0 && (this.struct.length > 0 || name !== '')) {
      throw new Error('FdtBuilder: a tree has exactly one root node, named ""');
    }
    this.struct.u32(FDT_BEGIN_NODE);
    this.struct.bytes(nulTerminated(name));
    this.struct.pad4();
    this.depth++;
  }

  endNode(): void {
    if (this.depth === 0) throw new Error('FdtBuilder: endNode without beginNode');
    this.struct.u32(FDT_END_NODE);
    this.depth--;
  }

  propBytes(name: string, value: Uint8Array): void {
    if (this.depth === 0) throw new Error(`FdtBuilder: property ${name} outside a node`);
    this.struct.u32(FDT_PROP);
    this.struct.u32(value.length);
    this.struct.u32(this.stringOffset(name));
    this.struct.bytes(value);
    this.struct.pad4();
  }

  propEmpty(name: string): void {
    this.propBytes(name, new Uint8Array(0));
  }

  propU32(name: string, value: number): void {
    this.propCells(name, [value]);
  }

  /** A list of 32-bit cells (reg, interrupts-extended, ...). */
  propCells(name: string, cells: readonly number[]): void {
    const b = new Uint8Array(4 * cells.length);
    const v = new DataView(b.buffer);
    cells.forEach((c, i) => v.setUint32(4 * i, c >>> 0));
    this.propBytes(name, b);
  }

  propU64(name: string, value: number | bigint): void {
    this.propU64s(name, [value]);
  }

  /** 64-bit values as pairs of cells, e.g. reg with #address-cells = #size-cells = 2. */
  propU64s(name: string, values: ReadonlyArray<number | bigint>): void {
    this.propCells(name, values.flatMap(u64Cells));
  }

  propString(name: string, value: string): void {
    this.propBytes(name, nulTerminated(value));
  }

  propStrings(name: string, values: readonly string[]): void {
    const parts = values.map(nulTerminated);
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    this.propBytes(name, out);
  }

  /** The finished blob. */
  finish(bootCpuidPhys = 0): Uint8Array {
    if (this.depth !== 0 || this.struct.length === 0) throw new Error('FdtBuilder: unbalanced or empty tree');
    const struct = new BeBuffer();
    struct.bytes(this.struct.view());
    struct.u32(FDT_END);
    const rsv = new BeBuffer();
    for (const [a, s] of this.reservations) { rsv.u32(u64Cells(a)[0]); rsv.u32(u64Cells(a)[1]); rsv.u32(u64Cells(s)[0]); rsv.u32(u64Cells(s)[1]); }
    for (let i = 0; i < 4; i++) rsv.u32(0);

    const offRsv = HEADER_SIZE; // 8-aligned, as the spec requires
    const offStruct = offRsv + rsv.length;
    const offStrings = offStruct + struct.length;
    const total = offStrings + this.strings.length;
    const out = new Uint8Array(total);
    const h = new DataView(out.buffer);
    [FDT_MAGIC, total, offStruct, offStrings, offRsv, FDT_VERSION, FDT_LAST_COMP_VERSION, bootCpuidPhys,
      this.strings.length, struct.length].forEach((v, i) => h.setUint32(4 * i, v >>> 0));
    out.set(rsv.view(), offRsv);
    out.set(struct.view(), offStruct);
    out.set(this.strings.view(), offStrings);
    return out;
  }

  private stringOffset(name: string): number {
    let off = this.stringOffsets.get(name);
    if (off === undefined) {
      off = this.strings.length;
      this.strings.bytes(nulTerminated(name));
      this.stringOffsets.set(name, off);
    }
    return off;
  }
}

/** Context handed to devices that add their own nodes under /soc. */
export interface FdtNodeContext {
  readonly plicPhandle: number;
}

export interface BoardDtbDesc {
  memBase: number;
  memSize: number;
  /** QEMU aclint=on: mswi/mtimer/sswi nodes instead of clint. */
  aclint?: boolean;
  /** /chosen bootargs; omitted when empty, as QEMU does without -append. */
  bootargs?: string;
  /** Guest-physical [start, end) of the initrd. */
  initrd?: { start: number; end: number };
  /** cpu@0 riscv,isa. */
  isa?: string;
  /** Extra devices, called inside /soc after the standard nodes. */
  extraNodes?: Array<(b: FdtBuilder, ctx: FdtNodeContext) => void>;
}

/** What the hart implements (the CPU is rv32gc with the counters). */
export const DEFAULT_ISA = 'rv32imafdc_zicntr_zicsr_zifencei';

const irqNumber = (mipBit: number): number => 31 - Math.clz32(mipBit);

/** The board's device tree, node for node what QEMU 7.2 `virt` generates (without its PCIe/flash/fw-cfg). */
export function buildBoardDtb(desc: BoardDtbDesc): Uint8Array {
  const b = new FdtBuilder();
  // QEMU allocates in this order; keeping it keeps phandle values identical.
  const cpuPhandle = b.allocPhandle();
  const intcPhandle = b.allocPhandle();
  const plicPhandle = b.allocPhandle();
  const testPhandle = b.allocPhandle();

  b.beginNode('');
  b.propU32('#address-cells', 2);
  b.propU32('#size-cells', 2);
  b.propString('compatible', 'riscv-virtio');
  b.propString('model', 'riscv-virtio,qemu');

  b.beginNode('chosen');
  if (desc.initrd) {
    b.propU32('linux,initrd-end', desc.initrd.end);
    b.propU32('linux,initrd-start', desc.initrd.start);
  }
  if (desc.bootargs) b.propString('bootargs', desc.bootargs);
  b.propString('stdout-path', `/soc/serial@${hex(UART0_BASE)}`);
  b.endNode();

  syscon(b, 'poweroff', 'syscon-poweroff', FINISHER_PASS, testPhandle);
  syscon(b, 'reboot', 'syscon-reboot', FINISHER_RESET, testPhandle);

  b.beginNode(`memory@${hex(desc.memBase)}`);
  b.propString('device_type', 'memory');
  b.propU64s('reg', [desc.memBase, desc.memSize]);
  b.endNode();

  b.beginNode('cpus');
  b.propU32('#address-cells', 1);
  b.propU32('#size-cells', 0);
  b.propU32('timebase-frequency', TIMEBASE_HZ);
  b.beginNode('cpu@0');
  b.propU32('phandle', cpuPhandle);
  b.propString('device_type', 'cpu');
  b.propU32('reg', 0);
  b.propString('status', 'okay');
  b.propString('compatible', 'riscv');
  b.propString('riscv,isa', desc.isa ?? DEFAULT_ISA);
  b.propString('mmu-type', 'riscv,sv32');
  b.beginNode('interrupt-controller');
  b.propU32('#interrupt-cells', 1);
  b.propEmpty('interrupt-controller');
  b.propString('compatible', 'riscv,cpu-intc');
  b.propU32('phandle', intcPhandle);
  b.endNode();
  b.endNode();
  b.beginNode('cpu-map');
  b.beginNode('cluster0');
  b.beginNode('core0');
  b.propU32('cpu', cpuPhandle);
  b.endNode();
  b.endNode();
  b.endNode();
  b.endNode();

  b.beginNode('soc');
  b.propU32('#address-cells', 2);
  b.propU32('#size-cells', 2);
  b.propString('compatible', 'simple-bus');
  b.propEmpty('ranges');

  plicChild(b, `rtc@${hex(RTC_BASE)}`, RTC_IRQ, plicPhandle, () => {
    b.propU64s('reg', [RTC_BASE, RTC_SIZE]);
    b.propString('compatible', 'google,goldfish-rtc');
  });
  plicChild(b, `serial@${hex(UART0_BASE)}`, UART0_IRQ, plicPhandle, () => {
    b.propU32('clock-frequency', UART_CLOCK_HZ);
    b.propU64s('reg', [UART0_BASE, UART0_SIZE]);
    b.propString('compatible', 'ns16550a');
  });

  b.beginNode(`test@${hex(TEST_BASE)}`);
  b.propU32('phandle', testPhandle);
  b.propU64s('reg', [TEST_BASE, TEST_SIZE]);
  b.propStrings('compatible', ['sifive,test1', 'sifive,test0', 'syscon']);
  b.endNode();

  // QEMU lists the slots last to first; Linux probes them in this order.
  for (let n = VIRTIO_COUNT - 1; n >= 0; n--) {
    const base = virtioSlotBase(n);
    plicChild(b, `virtio_mmio@${hex(base)}`, VIRTIO_IRQ + n, plicPhandle, () => {
      b.propU64s('reg', [base, VIRTIO_SIZE]);
      b.propString('compatible', 'virtio,mmio');
    });
  }

  b.beginNode(`plic@${hex(PLIC_BASE)}`);
  b.propU32('phandle', plicPhandle);
  // QEMU writes VIRT_IRQCHIP_NUM_SOURCES here (one more than the highest usable id).
  b.propU32('riscv,ndev', PLIC_NUM_SOURCES);
  b.propU64s('reg', [PLIC_BASE, PLIC_SIZE]);
  b.propCells('interrupts-extended', [intcPhandle, irqNumber(MIP_MEIP), intcPhandle, irqNumber(MIP_SEIP)]);
  b.propEmpty('interrupt-controller');
  b.propStrings('compatible', ['sifive,plic-1.0.0', 'riscv,plic0']);
  b.propU32('#address-cells', 0);
  b.propU32('#interrupt-cells', 1);
  b.endNode();

  if (desc.aclint) {
    b.beginNode(`sswi@${hex(ACLINT_SSWI_BASE)}`);
    b.propU32('#interrupt-cells', 0);
    b.propEmpty('interrupt-controller');
    b.propCells('interrupts-extended', [intcPhandle, irqNumber(MIP_SSIP)]);
    b.propU64s('reg', [ACLINT_SSWI_BASE, ACLINT_SSWI_SIZE]);
    b.propString('compatible', 'riscv,aclint-sswi');
    b.endNode();
    b.beginNode(`mtimer@${hex(ACLINT_MTIMER_BASE)}`);
    b.propCells('interrupts-extended', [intcPhandle, irqNumber(MIP_MTIP)]);
    // mtime first, then the mtimecmp array, with the sizes QEMU 7.2 writes.
    const mtime = ACLINT_MTIMER_BASE + 0x7ff8;
    b.propU64s('reg', [mtime, CLINT_BASE + CLINT_SIZE - ACLINT_MTIMER_BASE - 0x7ff8, ACLINT_MTIMER_BASE, 0x7ff8]);
    b.propString('compatible', 'riscv,aclint-mtimer');
    b.endNode();
    b.beginNode(`mswi@${hex(CLINT_BASE)}`);
    b.propU32('#interrupt-cells', 0);
    b.propEmpty('interrupt-controller');
    b.propCells('interrupts-extended', [intcPhandle, irqNumber(MIP_MSIP)]);
    b.propU64s('reg', [CLINT_BASE, ACLINT_MSWI_SIZE]);
    b.propString('compatible', 'riscv,aclint-mswi');
    b.endNode();
  } else {
    b.beginNode(`clint@${hex(CLINT_BASE)}`);
    b.propCells('interrupts-extended', [intcPhandle, irqNumber(MIP_MSIP), intcPhandle, irqNumber(MIP_MTIP)]);
    b.propU64s('reg', [CLINT_BASE, CLINT_SIZE]);
    b.propStrings('compatible', ['sifive,clint0', 'riscv,clint0']);
    b.endNode();
  }

  for (const add of desc.extraNodes ?? []) add(b, { plicPhandle });
  b.endNode(); // soc
  b.endNode(); // root
  return b.finish();
}

function hex(v: number): string {
  return v.toString(16);
}

/** A /soc device wired to one PLIC source, with QEMU's property order. */
function plicChild(b: FdtBuilder, name: string, irq: number, plic: number, rest: () => void): void {
  b.beginNode(name);
  b.propU32('interrupts', irq);
  b.propU32('interrupt-parent', plic);
  rest();
  b.endNode();
}

function syscon(b: FdtBuilder, name: string, compatible: string, value: number, regmap: number): void {
  b.beginNode(name);
  b.propU32('value', value);
  b.propU32('offset', 0);
  b.propU32('regmap', regmap);
  b.propString('compatible', compatible);
  b.endNode();
}
