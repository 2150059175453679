// The power-on checkpoint is made when time travel first needs it, from the
// board's configuration (share-host.ts powerOnBoard), instead of a snapshot of
// the live board before its first instruction. It must be that snapshot, byte
// for byte, for every board the page boots: host files, network card, trace.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/board/machine.ts';
import { loadOsSource } from '../../src/cli/os-files.ts';
import { KERNEL } from '../../src/cli/os-session.ts';
import { HostTree, NinePServer, guestClock } from '../../src/host/9p/index.ts';
import { osArchive } from '../../src/host/os-archive.ts';
import { powerOnBoard, saveTree } from '../../src/host/replay/share-host.ts';

const image = new Uint8Array(readFileSync(KERNEL));
const initrd = osArchive(loadOsSource());

function board(opts: { files: boolean; net: boolean; trace: boolean }): { m: Machine; tree: HostTree } {
  const tree = new HostTree();
  if (opts.files) {
    tree.writeFile('/uploads/hello.wasm', new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    tree.writeFile('/notes.txt', 'kept across reboots');
  }
  const m = new Machine({
    image, initrd, bootargs: '', memMiB: 64, hostFs: new NinePServer(tree),
    ...(opts.net ? { net: { backend: { transmit: () => {} }, mac: '52:54:00:aa:bb:cc' } } : {}),
  });
  tree.clock = guestClock(m);
  m.trace?.setEnabled(opts.trace);
  return { m, tree };
}

describe('the power-on checkpoint made later', () => {
  for (const opts of [{ files: true, net: true, trace: true }, { files: false, net: false, trace: false }]) {
    it(`is the live board's power-on snapshot (${JSON.stringify(opts)})`, () => {
      const { m, tree } = board(opts);
      const later = powerOnBoard(m, saveTree(tree));
      const now = m.snapshot();
      // The live board runs on and its host tree changes; the checkpoint does not.
      m.run(2_000_000);
      tree.writeFile('/uploads/new.wasm', new Uint8Array([1, 2, 3]));
      const made = later();
      expect(made.length).toBe(now.length);
      expect(Buffer.compare(Buffer.from(made), Buffer.from(now))).toBe(0);
      expect(later()).toBe(made); // made once
      const restore = (blob: Uint8Array): string => Machine.fromSnapshot(blob, {
        hostFs: new NinePServer(new HostTree()), ...(opts.net ? { net: { backend: { transmit: () => {} }, mac: '52:54:00:aa:bb:cc' } } : {}),
      }).stateHash();
      expect(restore(made)).toBe(restore(now));
    });
  }
});
