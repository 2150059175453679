// The host-side services a portable run offers (each started on its first
// lookup): console on the terminal, fs and proc on --dir, tcpip on Node
// sockets; pong, echo and counter are offered by PortableHost itself.
import type { PortableHost } from '../host.ts';
import { startConsole } from './console.ts';
import { HostDirFs, startFs } from './fs.ts';
import { LineReader } from './line-reader.ts';
import { startProc } from './proc.ts';
import { TcpipService } from './tcpip.ts';

export interface HostServiceOptions {
  stdin: NodeJS.ReadableStream;
  forward?: ReadonlyMap<number, number>;
}

export function offerHostServices(host: PortableHost, o: HostServiceOptions): void {
  const input = new LineReader(o.stdin);
  const fs = new HostDirFs(host.dir);
  const tcpip = new TcpipService(host.kernel, { forward: o.forward });
  host.offer('console', () => startConsole(host.kernel, (b) => host.print(b), input));
  host.offer('fs', () => startFs(host.kernel, fs));
  host.offer('proc', () => startProc(host, fs));
  host.offer('tcpip', () => tcpip.start());
  host.onShutdown(() => {
    input.close();
    fs.closeAll();
    tcpip.closeAll();
  });
}
