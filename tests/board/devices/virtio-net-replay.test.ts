// Network input is replayable: a whole-OS session with the user-mode gateway
// (DHCP, ping, an HTTP fetch from a loopback server) is re-run on a fresh
// board whose card leads nowhere, with the logged frames injected at their
// logged cycles; console output and the final state hash must match.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Machine } from '../../../src/board/machine.ts';
import { loadOsSource } from '../../../src/cli/os-files.ts';
import { KERNEL, bootOsAsync } from '../../../src/cli/os-session.ts';
import { HostTree, NinePServer, guestClock } from '../../../src/host/9p/index.ts';
import { FetchConnector } from '../../../src/host/net/fetch-connector.ts';
import { UserNet } from '../../../src/host/net/user-net.ts';
import { osArchive } from '../../../src/host/os-archive.ts';

describe('virtio-net in a replay', () => {
  it('replaying the input log (console and network frames) reproduces the machine exactly', async () => {
    const server = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('replayed body\n'); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    let net: UserNet | null = null;
    const connector = new FetchConnector();
    const live = await bootOsAsync({
      net: (deliver) => (net = new UserNet({ deliver, connector })),
      afterSlice: (m) => net!.tick(m.clock.nanos() / 1e6),
      pace: () => new Promise<void>((r) => setTimeout(r, connector.inFlight > 0 ? 2 : 0)),
      script: ['ping 10.0.2.2 1', `http http://10.0.2.2:${port}/`],
    });
    server.close();
    expect(live.out).toContain('replayed body');
    const frames = live.machine.inputLog.filter((x) => x.kind === 'net');
    expect(frames.length).toBeGreaterThan(5);

    const tree = new HostTree();
    const sent: Uint8Array[] = [];
    const replay = new Machine({
      image: new Uint8Array(readFileSync(KERNEL)), initrd: osArchive(loadOsSource()), memMiB: 128,
      hostFs: new NinePServer(tree), net: { backend: { transmit: (f) => sent.push(f) } },
    });
    tree.clock = guestClock(replay);
    let out = '';
    replay.onSerial = (b) => { out += Buffer.from(b).toString('latin1'); };
    const runTo = (cycles: number): void => { while (replay.cycles < cycles) replay.run(cycles - replay.cycles); };
    for (const rec of live.machine.inputLog) {
      runTo(rec.cycles);
      if (rec.kind === 'serial') replay.sendSerial(rec.data);
      else if (rec.kind === 'net') replay.netReceive(rec.data);
      else replay.mailbox.post(rec.data);
    }
    runTo(live.machine.cycles);
    expect(out.replace(/\r/g, '')).toBe(live.out);
    expect(replay.net!.stats).toEqual(live.machine.net!.stats);
    // The guest sent the same frames again (the gateway saw them the first time).
    expect(sent.length).toBe(net!.stats.framesIn);
    expect(replay.stateHash()).toBe(live.machine.stateHash());
  }, 120_000);
});
