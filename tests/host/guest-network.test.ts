// The worker's network choices: HTTP through fetch always, other TCP through
// a wisp relay only when one is set, and a clear error for a bad relay URL.
// (The relay itself, end to end, is in tests/host/net/wisp*.test.ts.)
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { GuestNetwork } from '../../src/host/guest-network.ts';
import type { WebSocketLike } from '../../src/host/net/wisp-connector.ts';
import { FetchConnector } from '../../src/host/net/fetch-connector.ts';
import { SniffingConnector } from '../../src/host/net/sniff-connector.ts';

describe('GuestNetwork', () => {
  it('carries HTTP with fetch, and other TCP over a relay once one is set', () => {
    const n = new GuestNetwork({ fetch: async () => new Response(''), WebSocket: WebSocket as unknown as new (url: string) => WebSocketLike });
    expect(n.net.connector).toBeInstanceOf(FetchConnector);
    n.setRelay('ws://127.0.0.1:8021');
    expect(n.net.connector).toBeInstanceOf(SniffingConnector);
    n.setRelay(null);
    expect(n.net.connector).toBeInstanceOf(FetchConnector);
  });

  it('refuses a relay URL that is not ws:// or wss://, keeping the connector it had', () => {
    const n = new GuestNetwork({ fetch: async () => new Response('') });
    for (const bad of ['http://relay/', 'javascript:alert(1)', 'ws://a b/', '']) {
      expect(() => n.setRelay(bad)).toThrow(/ws:\/\/ or wss:\/\//);
      expect(n.net.connector).toBeInstanceOf(FetchConnector);
    }
  });

  it('captures frames only while the capture is on', () => {
    const n = new GuestNetwork({ fetch: async () => new Response('') });
    const arp = new Uint8Array(42);
    arp.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0, 0x12, 0x34, 0x56, 0x08, 0x06]);
    n.backend.transmit(arp);
    expect(n.capture().length).toBe(24);
    n.setCapture(true);
    n.backend.transmit(arp);
    expect(n.capture().length).toBe(24 + 16 + 42);
    n.muted = true;
    n.backend.transmit(arp);
    expect(n.capture().length).toBe(24 + 16 + 42);
  });
});
