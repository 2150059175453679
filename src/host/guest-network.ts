// The worker's network for the guest: the user-mode gateway (src/host/net)
// with HTTP carried by fetch, plus the way in for the browser — an HTTP
// request to a port inside the guest (the Service Worker's /guest/<port>/
// path). Frames for the guest go to the machine, which takes them in between
// slices (and logs them, so a recording replays them).
import type { Machine } from '../board/machine.ts';
import { guestHttp, type GuestHttpRequest, type GuestHttpResponse } from './guest-http.ts';
import { PcapWriter, StaticResolver, UserNet, ChainResolver, DohResolver, type DnsResolver } from './net/index.ts';
import { FetchConnector } from './net/fetch-connector.ts';
import { SniffingConnector } from './net/sniff-connector.ts';
import { WispConnector, type WispConnectorOptions } from './net/wisp-connector.ts';

class SwitchedPcap extends PcapWriter {
  on = false;
  override write(frame: Uint8Array): void {
    if (this.on) super.write(frame);
  }
}

export interface GuestNetworkOptions {
  fetch?: typeof fetch;
  /** Prefixed to outgoing URLs (a CORS proxy for sites that do not allow the page's origin). */
  corsProxy?: string;
  /** Name lookups; default DNS-over-HTTPS with the static table as fallback. */
  resolver?: DnsResolver;
  /** For the wisp relay (default: globalThis.WebSocket, which workers have). */
  WebSocket?: WispConnectorOptions['WebSocket'];
  /** Wakes the run loop: a frame arrived for a guest that may be idle. */
  wake?: () => void;
}

export class GuestNetwork {
  readonly net: UserNet;
  private machine: Machine | null = null;
  /** Every frame both ways once the capture is switched on (off by default: it grows with the traffic). */
  private readonly pcap = new SwitchedPcap();
  private readonly http: FetchConnector | null;
  /** While a recording replays, its own logged frames are the guest's network: the live one stays out. */
  muted = false;

  constructor(private readonly opts: GuestNetworkOptions = {}) {
    const f = opts.fetch ?? globalThis.fetch?.bind(globalThis);
    this.http = f ? new FetchConnector({ fetch: f, corsProxy: opts.corsProxy }) : null;
    this.net = new UserNet({
      connector: this.http,
      resolver: opts.resolver ?? new ChainResolver(new StaticResolver(), f ? new DohResolver({ fetch: f }) : null),
      pcap: this.pcap,
      deliver: (frame) => {
        if (!this.machine || this.muted) return;
        this.machine.netReceive(frame);
        this.opts.wake?.();
      },
    });
  }

  /** The machine's network card now leads here (its frames reach `transmit`). */
  attach(m: Machine | null): void {
    this.machine = m;
  }

  /** The backend to hand the Machine's `net` config; muted while replaying. */
  get backend(): { transmit(frame: Uint8Array): void } {
    return { transmit: (frame) => { if (!this.muted) this.net.transmit(frame); } };
  }

  /**
   * Carries TCP that is not HTTP over a wisp relay (ws:// or wss:// URL), or
   * stops doing so (null): HTTP still goes through fetch. Connections already
   * open keep their connector.
   */
  setRelay(url: string | null): void {
    if (url === null) {
      this.net.connector = this.http;
      return;
    }
    if (!/^wss?:\/\/[^\s]+$/.test(url)) throw new Error(`a relay URL starts with ws:// or wss://, not "${url.slice(0, 40)}"`);
    const wisp = new WispConnector({ url: url.endsWith('/') ? url : `${url}/`, WebSocket: this.opts.WebSocket });
    this.net.connector = this.http ? new SniffingConnector(this.http, wisp) : wisp;
  }

  tick(nowMs: number): void {
    this.net.tick(nowMs);
  }

  /** Records frames from now on (the capture keeps what it had). */
  setCapture(on: boolean): void {
    this.pcap.on = on;
  }

  /** The capture so far as a .pcap file. */
  capture(): Uint8Array {
    return this.pcap.bytes();
  }

  /** One HTTP exchange with a server listening on `port` inside the guest. */
  request(port: number, req: GuestHttpRequest, setTimer: (ms: number, f: () => void) => () => void, timeoutMs = 20_000): Promise<GuestHttpResponse> {
    const stream = this.net.connectToGuest(port);
    const host = port === 80 ? '10.0.2.15' : `10.0.2.15:${port}`;
    const answer = guestHttp(stream, req, { host, timeoutMs, setTimer });
    this.opts.wake?.();
    return answer;
  }
}
