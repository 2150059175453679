// The device tree builder and the board's tree, checked against the trees
// qemu-system-riscv32 7.2 dumps for the same configurations. The fixtures were made with
//   qemu-system-riscv32 -machine virt,dumpdtb=qemu-7.2-virt.dtb -bios none -m 128
//   qemu-system-riscv32 -machine virt,aclint=on,dumpdtb=qemu-7.2-virt-aclint.dtb -bios none -m 128
//   qemu-system-riscv32 -machine virt,dumpdtb=qemu-7.2-virt-chosen.dtb -bios none -m 256 \
//     -kernel k.elf -initrd initrd.img -append "console=ttyS0 wasmos.x=1"
// and gzipped (QEMU pads its blob to 1 MiB).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildBoardDtb, DEFAULT_ISA, FdtBuilder } from '../../src/board/fdt.ts';

interface FdtNode {
  name: string;
  props: Map<string, Uint8Array>;
  children: FdtNode[];
}

interface Fdt {
  version: number;
  lastCompVersion: number;
  bootCpuid: number;
  reservations: Array<[bigint, bigint]>;
  root: FdtNode;
  stringsSize: number;
}

/** A minimal DTB reader, strict about the structure so builder bugs show up. */
function parseFdt(blob: Uint8Array): Fdt {
  const v = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const u32 = (o: number): number => v.getUint32(o);
  expect(u32(0)).toBe(0xd00dfeed);
  const total = u32(4);
  const offStruct = u32(8);
  const offStrings = u32(12);
  const offRsv = u32(16);
  const sizeStrings = u32(32);
  const sizeStruct = u32(36);
  expect(total).toBeLessThanOrEqual(blob.length);
  expect(offRsv % 8).toBe(0);
  expect(offStruct % 4).toBe(0);
  expect(offStrings + sizeStrings).toBeLessThanOrEqual(total);
  const reservations: Array<[bigint, bigint]> = [];
  for (let o = offRsv; ; o += 16) {
    const a = v.getBigUint64(o);
    const s = v.getBigUint64(o + 8);
    if (a === 0n && s === 0n) break;
    reservations.push([a, s]);
  }
  const cstr = (o: number): string => {
    let e = o;
    while (blob[e] !== 0) e++;
    return new TextDecoder().decode(blob.subarray(o, e));
  };
  let p = offStruct;
  const end = offStruct + sizeStruct;
  const stack: FdtNode[] = [];
  let root: FdtNode | null = null;
  for (;;) {
    expect(p).toBeLessThan(end);
    const tok = u32(p);
    p += 4;
    if (tok === 1) {
      const name = cstr(p);
      p += (name.length + 1 + 3) & ~3;
      const node: FdtNode = { name, props: new Map(), children: [] };
      if (stack.length === 0) { expect(root).toBeNull(); root = node; } else stack[stack.length - 1]!.children.push(node);
      stack.push(node);
    } else if (tok === 2) {
      expect(stack.pop()).toBeDefined();
    } else if (tok === 3) {
      const len = u32(p);
      const nameOff = u32(p + 4);
      expect(nameOff).toBeLessThan(sizeStrings);
      const name = cstr(offStrings + nameOff);
      const node = stack[stack.length - 1]!;
      expect(node.props.has(name)).toBe(false);
      node.props.set(name, blob.slice(p + 8, p + 8 + len));
      p += 8 + ((len + 3) & ~3);
    } else if (tok === 4) {
      // FDT_NOP
    } else {
      expect(tok).toBe(9);
      break;
    }
  }
  expect(stack).toHaveLength(0);
  expect(p).toBe(end);
  return { version: u32(20), lastCompVersion: u32(24), bootCpuid: u32(28), reservations, root: root!, stringsSize: sizeStrings };
}

function nodeAt(root: FdtNode, path: string): FdtNode | undefined {
  let n: FdtNode | undefined = root;
  for (const part of path.split('/').filter(Boolean)) n = n?.children.find((c) => c.name === part);
  return n;
}

function paths(n: FdtNode, prefix = ''): string[] {
  const here = prefix === '' && n.name === '' ? '/' : `${prefix}/${n.name}`;
  const base = here === '/' ? '' : here;
  return [here, ...n.children.flatMap((c) => paths(c, base))];
}

function cells(b: Uint8Array | undefined): number[] {
  expect(b).toBeDefined();
  const v = new DataView(b!.buffer, b!.byteOffset, b!.byteLength);
  return Array.from({ length: b!.length / 4 }, (_, i) => v.getUint32(4 * i));
}

function strings(b: Uint8Array | undefined): string[] {
  expect(b).toBeDefined();
  return new TextDecoder().decode(b!).split('\0').slice(0, -1);
}

const fixture = (name: string): Fdt =>
  parseFdt(gunzipSync(readFileSync(new URL(`./devices/fixtures/${name}.dtb.gz`, import.meta.url))));

/** QEMU nodes this board deliberately lacks (no PCIe, flash, fw-cfg, platform bus or PMU). */
const ABSENT_HERE = ['/pmu', '/fw-cfg@10100000', '/flash@20000000', '/platform-bus@4000000', '/soc/pci@30000000'];

/** Compares every node and property, allowing only the listed differences. */
function expectSameTree(ours: Fdt, qemu: Fdt, differentProps: string[], absentProps: string[]): void {
  const ourPaths = paths(ours.root);
  const qemuPaths = paths(qemu.root).filter((p) => !ABSENT_HERE.some((a) => p === a || p.startsWith(`${a}/`)));
  expect(ourPaths).toEqual(qemuPaths);
  for (const path of ourPaths) {
    const a = nodeAt(ours.root, path)!;
    const q = nodeAt(qemu.root, path)!;
    const qNames = [...q.props.keys()].filter((k) => !absentProps.includes(`${path}:${k}`));
    expect([...a.props.keys()], path).toEqual(qNames);
    for (const k of qNames) {
      if (differentProps.includes(`${path}:${k}`)) continue;
      expect(Array.from(a.props.get(k)!), `${path}:${k}`).toEqual(Array.from(q.props.get(k)!));
    }
  }
}

describe('FdtBuilder', () => {
  it('writes a version 17 blob the reader accepts, with deduplicated property names', () => {
    const b = new FdtBuilder();
    b.beginNode('');
    b.propU32('#address-cells', 2);
    b.propString('compatible', 'x,y');
    b.beginNode('a@1');
    b.propStrings('compatible', ['first', 'second']);
    b.propU64('big', 0x1_2345_6789n);
    b.propU64s('reg', [0x8000_0000, 0x800_0000]);
    b.propBytes('raw', Uint8Array.of(1, 2, 3));
    b.propEmpty('flag');
    b.endNode();
    b.endNode();
    b.addReservation(0x8000_0000, 0x1000);
    const fdt = parseFdt(b.finish(0));
    expect(fdt.version).toBe(17);
    expect(fdt.lastCompVersion).toBe(16);
    expect(fdt.bootCpuid).toBe(0);
    expect(fdt.reservations).toEqual([[0x8000_0000n, 0x1000n]]);
    const a = nodeAt(fdt.root, '/a@1')!;
    expect(strings(a.props.get('compatible'))).toEqual(['first', 'second']);
    expect(cells(a.props.get('big'))).toEqual([1, 0x2345_6789]);
    expect(cells(a.props.get('reg'))).toEqual([0, 0x8000_0000, 0, 0x800_0000]);
    expect(Array.from(a.props.get('raw')!)).toEqual([1, 2, 3]);
    expect(a.props.get('flag')!.length).toBe(0);
    expect(cells(fdt.root.props.get('#address-cells'))).toEqual([2]);
    // "#address-cells\0compatible\0big\0reg\0raw\0flag\0": "compatible" stored once.
    expect(fdt.stringsSize).toBe('#address-cells compatible big reg raw flag '.length);
  });

  it('allocates phandles 1, 2, 3 ...', () => {
    const b = new FdtBuilder();
    expect([b.allocPhandle(), b.allocPhandle(), b.allocPhandle()]).toEqual([1, 2, 3]);
  });

  it('refuses unbalanced trees and stray properties', () => {
    const b = new FdtBuilder();
    expect(() => b.propU32('x', 1)).toThrow();
    expect(() => b.endNode()).toThrow();
    b.beginNode('');
    expect(() => b.finish()).toThrow();
    b.endNode();
    expect(() => b.beginNode('second-root')).toThrow();
  });
});

describe('buildBoardDtb against QEMU 7.2 virt', () => {
  it('matches the default machine node for node (CLINT layout, 128 MiB)', () => {
    const ours = parseFdt(buildBoardDtb({ memBase: 0x8000_0000, memSize: 128 << 20 }));
    const qemu = fixture('qemu-7.2-virt');
    expectSameTree(ours, qemu, ['/cpus/cpu@0:riscv,isa'], ['/chosen:rng-seed']);
    expect(ours.reservations).toEqual(qemu.reservations);
    expect(strings(nodeAt(ours.root, '/cpus/cpu@0')!.props.get('riscv,isa'))).toEqual([DEFAULT_ISA]);
  });

  it('matches aclint=on (mswi, mtimer, sswi nodes)', () => {
    const ours = parseFdt(buildBoardDtb({ memBase: 0x8000_0000, memSize: 128 << 20, aclint: true }));
    const qemu = fixture('qemu-7.2-virt-aclint');
    expectSameTree(ours, qemu, ['/cpus/cpu@0:riscv,isa'], ['/chosen:rng-seed']);
    expect(nodeAt(ours.root, '/soc/clint@2000000')).toBeUndefined();
  });

  it('matches /chosen with bootargs and an initrd, and the memory size', () => {
    const qemu = fixture('qemu-7.2-virt-chosen');
    const chosen = nodeAt(qemu.root, '/chosen')!;
    const [start] = cells(chosen.props.get('linux,initrd-start'));
    const [end] = cells(chosen.props.get('linux,initrd-end'));
    const ours = parseFdt(buildBoardDtb({
      memBase: 0x8000_0000, memSize: 256 << 20, bootargs: 'console=ttyS0 wasmos.x=1', initrd: { start: start!, end: end! },
    }));
    expectSameTree(ours, qemu, ['/cpus/cpu@0:riscv,isa'], ['/chosen:rng-seed']);
    expect(strings(nodeAt(ours.root, '/chosen')!.props.get('bootargs'))).toEqual(['console=ttyS0 wasmos.x=1']);
  });

  it('lists the PLIC sources QEMU wires and points interrupt parents at the PLIC', () => {
    const fdt = parseFdt(buildBoardDtb({ memBase: 0x8000_0000, memSize: 64 << 20 }));
    const plic = nodeAt(fdt.root, '/soc/plic@c000000')!;
    const phandle = cells(plic.props.get('phandle'))[0];
    const intc = cells(nodeAt(fdt.root, '/cpus/cpu@0/interrupt-controller')!.props.get('phandle'))[0];
    expect(cells(plic.props.get('interrupts-extended'))).toEqual([intc, 11, intc, 9]);
    const irqs = (path: string): number[] => {
      const n = nodeAt(fdt.root, path)!;
      expect(cells(n.props.get('interrupt-parent'))).toEqual([phandle]);
      return cells(n.props.get('interrupts'));
    };
    expect(irqs('/soc/serial@10000000')).toEqual([10]);
    expect(irqs('/soc/rtc@101000')).toEqual([11]);
    for (let n = 0; n < 8; n++) expect(irqs(`/soc/virtio_mmio@${(0x1000_1000 + n * 0x1000).toString(16)}`)).toEqual([n + 1]);
    expect(cells(nodeAt(fdt.root, '/memory@80000000')!.props.get('reg'))).toEqual([0, 0x8000_0000, 0, 64 << 20]);
    expect(nodeAt(fdt.root, '/chosen')!.props.has('bootargs')).toBe(false);
    expect(nodeAt(fdt.root, '/chosen')!.props.has('linux,initrd-start')).toBe(false);
  });

  it('lets extra devices add themselves under /soc with the PLIC phandle', () => {
    const fdt = parseFdt(buildBoardDtb({
      memBase: 0x8000_0000, memSize: 128 << 20, isa: 'rv32ima',
      extraNodes: [(b, ctx) => {
        b.beginNode('trace@10200000');
        b.propU32('interrupts', 12);
        b.propU32('interrupt-parent', ctx.plicPhandle);
        b.propU64s('reg', [0x1020_0000, 0x1000]);
        b.propString('compatible', 'wasmos,trace');
        b.endNode();
      }],
    }));
    const trace = nodeAt(fdt.root, '/soc/trace@10200000')!;
    expect(strings(trace.props.get('compatible'))).toEqual(['wasmos,trace']);
    expect(cells(trace.props.get('interrupt-parent'))).toEqual(cells(nodeAt(fdt.root, '/soc/plic@c000000')!.props.get('phandle')));
    expect(strings(nodeAt(fdt.root, '/cpus/cpu@0')!.props.get('riscv,isa'))).toEqual(['rv32ima']);
  });
});
