// Node only: guest TCP connections carried over real sockets (net.connect),
// and the bridge between a node:net socket and a guest TCP stream that port
// forwarding uses too. 10.0.2.2 means the host itself (127.0.0.1), as in QEMU.
import { connect, type Socket } from 'node:net';
import { GATEWAY_IP } from './addresses.ts';
import { ipToString } from './bytes.ts';
import { HIGH_WATER, type TcpStream } from './tcp-connection.ts';
import type { TcpConnector, TcpTarget } from './user-net.ts';

/** Joins a socket and a guest stream both ways, with backpressure and every close path. */
export function bridgeSocket(sock: Socket, stream: TcpStream): void {
  let done = false;
  stream.setHandler({
    // The guest's data is written as it comes (the socket buffers; our receive window is fixed).
    data: (b) => { sock.write(b); },
    end: () => { sock.end(); },
    closed: (reason) => {
      done = true;
      if (reason === 'closed') sock.end(); else sock.destroy();
    },
    drain: () => { sock.resume(); },
  });
  sock.on('data', (b: Buffer) => {
    if (!stream.write(new Uint8Array(b.buffer, b.byteOffset, b.length))) { sock.destroy(); return; }
    // The guest reads slower than the socket delivers: stop reading until it catches up.
    if (stream.buffered > HIGH_WATER) sock.pause();
  });
  sock.on('end', () => { if (!done) stream.end(); });
  sock.on('error', () => { if (!done) { done = true; stream.abort(); } });
  sock.on('close', () => { if (!done) { done = true; stream.end(); } });
}

export class SocketConnector implements TcpConnector {
  constructor(private readonly hostAddress = '127.0.0.1') {}

  open(stream: TcpStream, to: TcpTarget): void {
    const host = to.ip === ipToString(GATEWAY_IP) ? this.hostAddress : to.ip;
    const sock = connect({ host, port: to.port });
    sock.setNoDelay(true);
    bridgeSocket(sock, stream);
  }
}
