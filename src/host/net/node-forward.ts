// Node only: `wasmos boot --forward HOSTPORT:GUESTPORT`. A real TCP listener
// on the host; every connection accepted is joined to a new TCP connection
// into the guest (UserNet.connectToGuest), like QEMU's hostfwd.
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { bridgeSocket } from './node-socket.ts';
import type { UserNet } from './user-net.ts';

export interface PortForward {
  hostPort: number;
  guestPort: number;
}

/** Parses "8080:80" (host port 0 picks a free one). */
export function parseForward(text: string): PortForward {
  const m = /^(\d{1,5}):(\d{1,5})$/.exec(text.trim());
  const hostPort = m ? Number(m[1]) : NaN;
  const guestPort = m ? Number(m[2]) : NaN;
  if (!m || hostPort > 65535 || guestPort < 1 || guestPort > 65535) {
    throw new Error(`--forward needs HOSTPORT:GUESTPORT (e.g. 8080:80), not "${text}"`);
  }
  return { hostPort, guestPort };
}

export interface ForwardListener {
  /** The port actually listened on. */
  port: number;
  close(): Promise<void>;
}

export async function listenForward(net: UserNet, f: PortForward, host = '127.0.0.1'): Promise<ForwardListener> {
  const open = new Set<import('node:net').Socket>();
  const server: Server = createServer((sock) => {
    open.add(sock);
    sock.on('close', () => open.delete(sock));
    sock.setNoDelay(true);
    bridgeSocket(sock, net.connectToGuest(f.guestPort));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(f.hostPort, host, () => { server.off('error', reject); resolve(); });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of open) s.destroy();
    }),
  };
}
