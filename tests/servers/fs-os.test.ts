// The fs server inside the whole OS (init starts it from init.rc with its
// virtio-9p grant): the shell's file commands reach /tmp, /boot and /host, and
// what the guest writes under /host lands in the host tree.
import { describe, expect, it } from 'vitest';
import { bootOs, outputOf } from '../os/os-boot.ts';

describe('fs in the whole OS', () => {
  it('serves the shell: /, /boot, /tmp and /host, with host files written back to the tree', () => {
    const script = [
      'ls /',
      'mkdir /tmp/d',
      'write /tmp/d/x hello there',
      'cat /tmp/d/x',
      'cat /host/hello.txt',
      'write /host/sub/out.txt from the guest',
      'mkdir /host/sub',
      'write /host/sub/out.txt from the guest',
      'rm /host/gone.txt',
      'cat /boot/init.rc',
    ];
    const r = bootOs({ script, hostFiles: { '/hello.txt': 'hi from the host\n', '/gone.txt': 'bye' } });
    expect(r.typed).toBe(script.length);
    expect(r.out).toMatch(/^fs: \/boot \(\d+ files\), \/tmp, \/host \(9P2000\.L, tag "host"\)$/m);
    expect(outputOf(r, 0)).toMatch(/boot.*\n.*tmp.*\n.*host/);
    expect(outputOf(r, 3)).toContain('hello there');
    expect(outputOf(r, 4)).toContain('hi from the host');
    expect(outputOf(r, 5)).toContain('E_NOT_FOUND');
    expect(outputOf(r, 9)).toContain('server fs.wasm');
    expect(r.tree.readText('/sub/out.txt')).toMatch(/^from the guest\n?$/); // the shell may end the line
    expect(r.tree.exists('/gone.txt')).toBe(false);
  });
});
