// Node only: the network the CLI gives a board (`--net user`, `wasmos boot`):
// a UserNet whose HTTP goes through fetch and other TCP through real sockets,
// DNS from a static table plus DNS-over-HTTPS, optional pcap file and port
// forwards, and the run-loop hooks that drive its timers and keep guest time
// from racing ahead while the host is still working on the guest's behalf.
import { closeSync, openSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { CPU_HZ } from '../../board/clock.ts';
import type { Machine } from '../../board/machine.ts';
import { ChainResolver, DohResolver, StaticResolver } from './dns-resolver.ts';
import { FetchConnector } from './fetch-connector.ts';
import { listenForward, type ForwardListener, type PortForward } from './node-forward.ts';
import { SocketConnector } from './node-socket.ts';
import { PcapWriter } from './pcap.ts';
import { SniffingConnector } from './sniff-connector.ts';
import { UserNet } from './user-net.ts';

export interface NodeNetOptions {
  /** Write every frame to this pcap file. */
  pcapFile?: string;
  forwards?: PortForward[];
  /** Resolve names beyond the static table with DNS-over-HTTPS (default true). */
  online?: boolean;
  hosts?: Record<string, string>;
}

export class NodeNet {
  readonly net: UserNet;
  readonly listeners: ForwardListener[] = [];
  private pcapFd: number | null = null;
  private idleBefore = 0;
  private wake: (() => void) | null = null;

  constructor(private readonly o: NodeNetOptions = {}) {
    let pcap: PcapWriter | null = null;
    if (o.pcapFile !== undefined) {
      this.pcapFd = openSync(o.pcapFile, 'w');
      const fd = this.pcapFd;
      pcap = new PcapWriter(() => Date.now(), (chunk) => { writeSync(fd, chunk); });
    }
    const statics = new StaticResolver(o.hosts ?? {});
    this.net = new UserNet({
      connector: new SniffingConnector(new FetchConnector(), new SocketConnector()),
      resolver: new ChainResolver(statics, o.online === false ? null : new DohResolver()),
      pcap,
    });
  }

  /** Connects the gateway's output to the machine (frames enter at its next slice). */
  attach(machine: Machine): void {
    this.net.deliver = (f) => {
      machine.netReceive(f);
      this.wake?.();
    };
    this.idleBefore = machine.hart.idleCycles;
  }

  async listen(): Promise<void> {
    for (const f of this.o.forwards ?? []) this.listeners.push(await listenForward(this.net, f));
  }

  /**
   * After each slice: run TCP timers on the wall clock; and when the guest
   * idled while the gateway still has host work open, wait (in real time, up
   * to the guest time it skipped, at most 100 ms) for that work to produce a
   * frame, so the guest's own timeouts are not spent in a few milliseconds.
   */
  async afterSlice(machine: Machine): Promise<void> {
    this.net.tick(performance.now());
    const idle = machine.hart.idleCycles - this.idleBefore;
    this.idleBefore = machine.hart.idleCycles;
    if (idle <= 0 || !this.net.busy || machine.inputPending) return;
    const ms = Math.min(100, (idle * 1000) / CPU_HZ);
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => { this.wake = null; resolve(); }, ms);
      this.wake = () => { clearTimeout(t); this.wake = null; resolve(); };
    });
  }

  async close(): Promise<void> {
    for (const l of this.listeners) await l.close();
    if (this.pcapFd !== null) { closeSync(this.pcapFd); this.pcapFd = null; }
  }
}
