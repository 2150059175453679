// init (servers/init) on the board with the real kernel: the kernel's manifest
// starts init alone; init reads the archive's init.rc and starts the rest.
// Test programs: servers/init/test-init-child (does what its argument says),
// test-init-fs (serves the boot archive as "fs"), test-init-client (drives "proc").
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/board/machine.ts';
import { HostTree, NinePServer } from '../../src/host/9p/index.ts';
import { writeBootArchive } from '../../src/host/boot-archive.ts';
import { KERNEL } from '../kernel/wasm-boot.ts';
import { bootOs } from '../os/os-boot.ts';

const build = (p: string): Uint8Array => new Uint8Array(readFileSync(fileURLToPath(new URL(`../../servers/build/${p}`, import.meta.url))));
const kernelImage = new Uint8Array(readFileSync(KERNEL));

const MANIFEST = 'task init.wasm name=init uses=* provides=* flags=all-devices,kill-any,system quota=16M priority=5\n';
/** Starts with the Wasm magic, then garbage: fs accepts it, the kernel refuses it. */
const JUNK = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0xff, 0xff, 0xff]);

const MODULES: Record<string, Uint8Array> = {
  'init.wasm': build('init.wasm'),
  'test-child.wasm': build('init/test-init-child.wasm'),
  'a-program-with-a-very-long-name.wasm': build('init/test-init-child.wasm'),
  'test-fs.wasm': build('init/test-init-fs.wasm'),
  'test-client.wasm': build('init/test-init-client.wasm'),
  'echo-service.wasm': build('examples/echo-service.wasm'),
  'echo-client.wasm': build('examples/echo-client.wasm'),
  'junk.wasm': JUNK,
};

/**
 * Boots init with `initRc` (null: none) on a board with a virtio-9p device (a
 * slot with DeviceID 9); stops once `done` holds.
 */
function bootInit(initRc: string | null, done: (out: string) => boolean, manifest = MANIFEST): string {
  const enc = new TextEncoder();
  const initrd = writeBootArchive([
    { name: 'manifest', data: enc.encode(manifest) },
    ...(initRc === null ? [] : [{ name: 'init.rc', data: enc.encode(initRc) }]),
    ...Object.entries(MODULES).map(([name, data]) => ({ name, data })),
  ]);
  const m = new Machine({ image: kernelImage, initrd, memMiB: 128, hostFs: new NinePServer(new HostTree()) });
  let out = '';
  m.onSerial = (b) => { out += Buffer.from(b).toString('latin1'); };
  while (m.cycles < 1_500_000_000) {
    const r = m.run(2_000_000);
    if (r.kind === 'poweroff' || r.kind === 'reset' || (r.kind === 'idle' && r.until === Infinity)) break;
    if (done(out)) break;
  }
  return out.replace(/\r/g, '');
}

/** init's own report lines, in order. */
const initLines = (out: string): string[] => out.split('\n').filter((l) => l.startsWith('init: '));

describe('init: the boot sequence', () => {
  const RC = [
    '# init.rc for the tests: every way an entry can start or fail',
    'shell test-child.wasm name=last arg=exit arg=0',
    'server echo-client.wasm uses=example-echo',
    'server echo-service.wasm provides=example-echo priority=5',
    'server junk.wasm',
    'server ghost.wasm',
    'server test-child.wasm name=cyc-a uses=svc-b provides=svc-a',
    'server test-child.wasm name=cyc-b uses=svc-a provides=svc-b',
    'server test-child.wasm name=after-cycle uses=svc-a',
    'server test-child.wasm name=orphan uses=nosuch',
    'server test-child.wasm name=quitter provides=q arg=exit arg=3',
    'server test-child.wasm name=silent provides=quiet arg=sleep',
    'launch foo.wasm',
    'server test-child.wasm priority=9',
    'server test-child.wasm colour=red',
    'server test-child.wasm arg="unterminated',
    '   # an indented comment',
    'server test-child.wasm name=v9 device=virtio:9 arg=probe arg=virtio,mmio',
    'server test-child.wasm name=nodev arg=probe arg=virtio,mmio',
    'server test-child.wasm name=v77 device=virtio:77',
    'server test-child.wasm name=nocompat device=no,such-device',
    'server test-child.wasm name=dma-ok dma=8K arg=dma arg=4096',
    'server test-child.wasm name=dma-no arg=dma arg=4096',
    'server test-child.wasm name=sys flags=system arg=system arg=4',
    'server test-child.wasm name=nosys arg=system arg=4',
    'server test-child.wasm name="quoted name" arg=args arg="two \\"quoted\\" words" # a trailing comment',
    '',
  ].join('\n');
  const out = bootInit(RC, (o) => o.includes('init: last exited'));
  const lines = initLines(out);
  const index = (re: RegExp): number => lines.findIndex((l) => re.test(l));

  it('reports bad lines with their numbers and goes on', () => {
    expect(lines).toContain('init: init.rc line 13: unknown directive "launch" (server or shell)');
    expect(lines).toContain('init: init.rc line 14: priority must be 1..7; line skipped');
    expect(lines).toContain('init: init.rc line 15: unknown key "colour"; line skipped');
    expect(lines).toContain('init: init.rc line 16: "arg": expected key=value (values with blanks in double quotes); line skipped');
    expect(lines.filter((l) => l.includes('init.rc line'))).toHaveLength(4);
  });

  it('starts a provider before the entry listed earlier that uses it', () => {
    const service = index(/^init: started echo-service \(task \d+\) in \d+\.\d ms$/);
    const client = index(/^init: started echo-client \(task \d+\) in \d+\.\d ms$/);
    expect(service).toBeGreaterThanOrEqual(0);
    expect(client).toBeGreaterThan(service);
    expect(out).toContain('ping 41 -> 42');
    expect(lines).toContain('init: echo-client exited: exit code 0');
  });

  it('reports modules that cannot start', () => {
    expect(lines).toContain('init: junk failed: E_BAD_MODULE');
    expect(lines).toContain('init: ghost failed: ghost.wasm: E_NOT_FOUND');
    expect(lines).toContain('init: v77 failed: device virtio:77: E_NOT_FOUND');
    expect(lines).toContain('init: nocompat failed: device no,such-device: E_NOT_FOUND');
  });

  it('reports cycles and missing providers instead of waiting on them', () => {
    expect(lines).toContain('init: cyc-a not started: dependency cycle cyc-a -> cyc-b -> cyc-a');
    expect(lines).toContain('init: cyc-b not started: dependency cycle cyc-b -> cyc-a -> cyc-b');
    expect(lines).toContain('init: after-cycle not started: "svc-a" would come from cyc-a, which cannot start');
    expect(lines).toContain('init: orphan not started: "nosuch" is not provided');
  });

  it('reports servers that do not register what they provide', () => {
    expect(lines).toContain('init: quitter exited: exit code 3');
    expect(lines).toContain('init: quitter did not register "q" (it exited)');
    expect(lines).toContain('init: silent did not register "quiet" within 5000 ms');
  });

  it('grants devices, DMA and flags as init.rc says', () => {
    // Only the slot whose DeviceID is 9 is readable by v9; nodev reads none.
    const v9 = out.split('\n').filter((l) => /^test-child: virtio,mmio \d+: /.test(l));
    expect(v9.filter((l) => l.endsWith(': 9'))).toHaveLength(1);
    expect(v9.filter((l) => l.endsWith(': E_DENIED')).length).toBeGreaterThan(8);
    expect(out).toContain('test-child: dma 4096: ok');
    expect(out).toContain('test-child: dma 4096: E_DENIED');
    expect(out).toContain('test-child: system 4: ok');
    expect(out).toContain('test-child: system 4: E_DENIED');
    expect(lines).toContain('init: dma-ok exited: exit code 0');
  });

  it('passes quoted names and arguments', () => {
    expect(out).toContain('test-child: 3 arguments, name quoted name\ntest-child: arg 1: args\ntest-child: arg 2: two "quoted" words\n');
  });

  it('starts shell entries last', () => {
    const started = lines.filter((l) => l.startsWith('init: started '));
    expect(started[started.length - 1]).toMatch(/^init: started last \(task \d+\)/);
    expect(index(/^init: started last /)).toBeGreaterThan(index(/^init: silent did not register/));
    expect(lines[lines.length - 1]).toBe('init: last exited: exit code 0');
  });
});

/** What test-init-client prints when every step gives what it expects. */
const CLIENT_LINES = [
  'client: spawn exit 7: 1',
  'client: wait exit 7: reason 7',
  'client: wait args: reason 0',
  'client: listed sleeper: test-child, parent is init: yes',
  'client: kill sleeper: 0',
  'client: wait sleeper: reason -1',
  'client: late wait: reason 3',
  'client: wait again: reason 3',
  'client: wait trap: reason -4',
  'client: long name: a-program-with-a-very-l',
  'client: kill long: 0',
  'client: wait long: reason -1',
  'client: spawn text file: E_NOT_WASM',
  'client: spawn missing file: E_NOT_FOUND',
  'client: spawn bad module: E_BAD_MODULE',
  'client: spawn empty path: E_INVALID',
  'client: wait unknown task: E_NO_TASK',
  'client: wait non-child: E_NO_TASK',
  'client: wait self: E_DEADLOCK',
  'client: kill init: E_DENIED',
  'client: kill 0: E_INVALID',
  'client: kill unknown task: E_NO_TASK',
  'client: unknown message: E_UNSUPPORTED',
  'client: listed 3 or more tasks',
  'client: init memory steady over 40 spawns: yes',
  'client: kill server: 0',
  'client: all passed',
];

describe('init: the proc service', () => {
  const RC = [
    'server test-fs.wasm provides=fs',
    'server echo-service.wasm provides=example-echo',
    'shell test-client.wasm uses=proc,example-echo',
  ].join('\n');
  const out = bootInit(RC, (o) => o.includes('init: test-client exited'));
  const client = out.split('\n').filter((l) => l.startsWith('client: '));

  it('spawns, waits, kills and lists programs read through fs', () => {
    expect(client).toEqual(CLIENT_LINES);
  });

  it('passes the arguments after args[0]', () => {
    expect(out).toContain('test-child: 4 arguments, name test-child\ntest-child: arg 1: args\n');
    expect(out).toContain('test-child: arg 2: one\ntest-child: arg 3: two words\n');
  });

  it('reports a server that was killed, and the client\'s exit', () => {
    expect(initLines(out)).toContain('init: echo-service exited: killed');
    expect(initLines(out)).toContain('init: test-client exited: exit code 0');
  });
});

describe('init: without init.rc', () => {
  it('says so and still serves proc (the servers and the client come from the kernel\'s manifest)', () => {
    const manifest = MANIFEST + [
      'task test-fs.wasm name=test-fs provides=fs',
      'task echo-service.wasm name=echo-service provides=example-echo',
      'task test-client.wasm name=client uses=proc,example-echo',
    ].join('\n');
    const out = bootInit(null, (o) => /^client: (all passed|\d+ failed)$/m.test(o), manifest);
    expect(initLines(out)).toEqual(['init: cannot read init.rc: E_NOT_FOUND']);
    expect(out.split('\n').filter((l) => l.startsWith('client: '))).toEqual(CLIENT_LINES);
  });
});

describe('init: the whole OS', () => {
  it('starts every server of servers/os/init.rc, then the shell, and runs programs through the real fs', () => {
    const r = bootOs({ script: ['run /boot/init.rc', 'run hello.wasm a b'] });
    const lines = initLines(r.out);
    // The shell may print its prompt before init's line about it (when it runs at init's priority).
    for (const name of ['console', 'fs', 'pong', 'echo', 'counter', 'shell']) {
      expect(r.out, name).toMatch(new RegExp(`(^|\\n|shell> )init: started ${name} \\(task \\d+\\) in \\d+\\.\\d ms\\n`));
    }
    // This board has no network card: the optional device is reported, and net runs without it.
    expect(lines.filter((l) => !l.startsWith('init: started '))).toEqual(['init: net: no device virtio:1, starting without it']);
    expect(r.out).toMatch(/(^|\n|shell> )init: started net \(task \d+\) in \d+\.\d ms\n/);
    expect(r.out).toMatch(/run: \/boot\/init\.rc: E_NOT_WASM/);
    expect(r.out).toContain('arg 2: b');
    expect(r.typed).toBe(2);
  });
});
