// The host mailbox on the whole OS: the host spawns an uploaded program and
// kills a task while the shell is busy running `busy 2` (init polls the
// mailbox, docs/devices.md "Host mailbox"); bad requests get error replies;
// replaying the board's input log reproduces a session with mailbox commands.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/board/machine.ts';
import { loadOsSource } from '../../src/cli/os-files.ts';
import { HostTree, NinePServer, guestClock } from '../../src/host/9p/index.ts';
import { osArchive } from '../../src/host/os-archive.ts';
import { bootOs, outputOf, KERNEL } from './os-boot.ts';

const app = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../../servers/build/apps/${name}.wasm`, import.meta.url)));

describe('the host mailbox', () => {
  it('spawns and kills while the shell is busy; bad requests get errors', () => {
    const r = bootOs({
      script: ['busy 2', 'ps'],
      hostFiles: {
        '/uploads/hello.wasm': app('hello'),
        '/uploads/spin.wasm': app('busy'),
        '/uploads/bad.wasm': 'not a module\n',
      },
      mailbox: [
        { afterLine: 0, waitFor: 'busy: spinning', post: 'spawn /host/uploads/hello.wasm one two' },
        { afterLine: 0, waitFor: 'Hello from WasmOS!', post: 'spawn /host/uploads/spin.wasm' },
        { afterLine: 0, waitFor: 'spinning forever', post: (replies) => `kill ${replies[1]!.split(' ')[1]}` },
        { afterLine: 0, waitFor: 'spinning', post: 'spawn /host/uploads/bad.wasm' },
        { afterLine: 0, waitFor: 'spinning', post: 'spawn /host/uploads/missing.wasm' },
        { afterLine: 0, waitFor: 'spinning', post: 'kill 999' },
        { afterLine: 0, waitFor: 'spinning', post: 'reboot' },
      ],
    });
    expect(r.replies[0]).toMatch(/^ok \d+$/);
    expect(r.replies[1]).toMatch(/^ok \d+$/);
    expect(r.replies[2]).toBe('ok');
    expect(r.replies[3]).toMatch(/^error E_NOT_WASM /);
    expect(r.replies[4]).toMatch(/^error E_NOT_FOUND /);
    expect(r.replies[5]).toMatch(/^error E_NO_TASK /);
    expect(r.replies[6]).toMatch(/^error E_INVALID unknown command: reboot$/);
    expect(r.replies).toHaveLength(7);
    // Everything happened while `busy 2` held the console.
    const busy = outputOf(r, 0);
    expect(busy).toContain('Hello from WasmOS!\n  arg 1: one\n  arg 2: two');
    expect(busy.indexOf('Hello from WasmOS!')).toBeLessThan(busy.indexOf('busy: done'));
    expect(busy).toContain('busy: spinning forever');
    // The killed spinner is gone; the commands are in the input log for replay.
    const ps = outputOf(r, 1);
    expect(ps).toMatch(/shell/);
    expect(ps).not.toMatch(/\bbusy\b|\bspin\b/);
    const mail = r.machine.inputLog.filter((x) => x.kind === 'mailbox').map((x) => new TextDecoder().decode(x.data));
    expect(mail[0]).toBe('spawn /host/uploads/hello.wasm one two');
    expect(mail).toHaveLength(7);
  }, 120_000);
});

describe('the host mailbox in a replay', () => {
  it('replaying the input log (console and mailbox) reproduces the machine exactly', () => {
    const files = { '/uploads/hello.wasm': app('hello') };
    const live = bootOs({
      script: ['busy 1'], hostFiles: files,
      mailbox: [{ afterLine: 0, waitFor: 'busy: spinning', post: 'spawn /host/uploads/hello.wasm again' }],
    });
    expect(live.replies).toEqual([expect.stringMatching(/^ok \d+$/)]);
    const tree = new HostTree();
    for (const [p, c] of Object.entries(files)) tree.writeFile(p, c);
    const replay = new Machine({
      image: new Uint8Array(readFileSync(KERNEL)), initrd: osArchive(loadOsSource()), memMiB: 128, hostFs: new NinePServer(tree),
    });
    tree.clock = guestClock(replay);
    let out = '';
    replay.onSerial = (b) => { out += Buffer.from(b).toString('latin1'); };
    const replies: string[] = [];
    replay.mailbox.onReply((t) => replies.push(t));
    const runTo = (cycles: number): void => { while (replay.cycles < cycles) replay.run(cycles - replay.cycles); };
    for (const rec of live.machine.inputLog) {
      runTo(rec.cycles);
      if (rec.kind === 'serial') replay.sendSerial(rec.data);
      else replay.mailbox.post(rec.data);
    }
    runTo(live.machine.cycles);
    expect(out.replace(/\r/g, '')).toBe(live.out);
    expect(replies).toEqual(live.replies);
    expect(replay.stateHash()).toBe(live.machine.stateHash());
  }, 120_000);
});
