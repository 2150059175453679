// The network benchmark's measurement (run as a child process by
// bench/net-benchmark.ts, because benchmarks there are synchronous and this
// needs the event loop): the whole OS with the user-mode gateway.
//   download: the shell's `http` fetches 1 MiB from a loopback HTTP server
//             (node:http -> fetch -> UserNet -> virtio-net -> tcpip -> shell):
//             once cold (the board translates the path's code as it goes, so
//             this one is reported apart), once warm (the figure), then with
//             `http -s`, which hashes it (FNV-1a, checked against the host's);
//   upload:   a host HTTP client fetches 1 MiB from the guest web server
//             through a port forward (webserver -> tcpip -> virtio-net -> UserNet -> node:net).
// Prints one JSON line (NetLoadResult).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { bootOsAsync } from '../src/cli/os-session.ts';
import { NodeNet } from '../src/host/net/node-setup.ts';
import { fnv1a } from '../tests/helpers/fnv1a.ts';

export const SIZE = 1024 * 1024;

/** One `http` download as the benchmark saw it. */
export interface Download {
  bytes: number;
  seconds: number;
  instructions: number;
}

export interface NetLoadResult {
  downloadBytes: number;
  downloadSeconds: number;
  downloadInstructions: number;
  /** The same body fetched with `http -s`: hashed by the shell as it arrives. */
  hashed: Download;
  /** The first download after the boot, before the board had translated the network path. */
  cold: Download;
  uploadBytes: number;
  uploadSeconds: number;
  instret: number;
  errors: string[];
}

async function main(): Promise<void> {
  const payload = Buffer.alloc(SIZE, 0x5a);
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(SIZE) });
    res.end(payload);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const node = new NodeNet({ online: false, forwards: [{ hostPort: 0, guestPort: 80 }] });
  await node.listen();
  const fwdPort = node.listeners[0]!.port;
  const res: NetLoadResult = {
    downloadBytes: 0, downloadSeconds: 0, downloadInstructions: 0,
    hashed: { bytes: 0, seconds: 0, instructions: 0 }, cold: { bytes: 0, seconds: 0, instructions: 0 },
    uploadBytes: 0, uploadSeconds: 0, instret: 0, errors: [],
  };
  let out = '';
  let instret = 0;
  // The shell echoes each typed line: a download starts when its \r comes back and ends with the summary line.
  const downloads: { line: string; start: { t: number; i: number } | null; done: Download | null; hash: string | null }[] = [];
  let uploadStarted = false;
  const debug = process.env.NET_DEBUG !== undefined;
  let lastLog = 0;
  let uploadDone = false;
  const upload = async (): Promise<void> => {
    try {
      const t0 = performance.now();
      const r = await fetch(`http://127.0.0.1:${fwdPort}/api/bytes/${SIZE}`);
      const body = new Uint8Array(await r.arrayBuffer());
      res.uploadSeconds = (performance.now() - t0) / 1000;
      res.uploadBytes = body.length;
      if (r.status !== 200) res.errors.push(`upload: status ${r.status}`);
    } catch (e) {
      res.errors.push(`upload failed: ${(e as Error).message}`);
    } finally {
      uploadDone = true;
    }
  };
  const url = `http://10.0.2.2:${port}/1mb`;
  for (const line of [`http ${url}?cold`, `http ${url}`, `http -s ${url}`]) downloads.push({ line, start: null, done: null, hash: null });
  const r = await bootOsAsync({
    net: (deliver) => { node.net.deliver = deliver; return node.net; },
    script: [...downloads.map((d) => d.line), 'start webserver'],
    maxCycles: 20_000_000_000,
    onOutput: (text) => {
      out += text;
      for (const d of downloads) {
        const at = out.indexOf(`${d.line}\r`);
        if (at < 0) break;
        d.start ??= { t: performance.now(), i: instret };
        if (d.done !== null) continue;
        const m = / (\d+) body bytes[^,\n]*(?:, fnv1a ([0-9a-f]+))?, \d+ ms/.exec(out.slice(at));
        if (m) {
          d.done = { bytes: Number(m[1]), seconds: (performance.now() - d.start.t) / 1000, instructions: instret - d.start.i };
          d.hash = m[2] ?? null;
        }
      }
      if (!uploadStarted && out.includes('listening on port 80')) { uploadStarted = true; void upload(); }
    },
    afterSlice: (m) => {
      instret = m.instret;
      node.net.tick(performance.now());
      if (debug && performance.now() - lastLog > 2000) {
        lastLog = performance.now();
        process.stderr.write(`net-load: ${(lastLog / 1000).toFixed(1)} s, ${m.instret} insns, ${node.net.connections} conns, ` +
          `${node.net.stats.framesIn}/${node.net.stats.framesOut} frames, ${JSON.stringify(out.slice(-60))}\n`);
      }
    },
    // The host's side (fetch, the forwarded client) runs on the event loop: give it real time while the guest idles.
    pace: () => new Promise<void>((resolve) => setTimeout(resolve, node.net.busy ? 1 : 0)),
    until: () => uploadDone,
  });
  res.instret = r.instret;
  const [cold, plain, hashed] = downloads;
  if (downloads.some((d) => d.done === null)) res.errors.push(`a download did not finish: ${JSON.stringify(out.slice(-200))}`);
  for (const d of downloads) if (d.done !== null && d.done.bytes !== SIZE) res.errors.push(`${d.line} got ${d.done.bytes} bytes`);
  if (hashed!.done !== null && hashed!.hash !== fnv1a(payload)) res.errors.push(`http -s printed fnv1a ${hashed!.hash}, the body's is ${fnv1a(payload)}`);
  if (plain!.done) Object.assign(res, { downloadBytes: plain!.done.bytes, downloadSeconds: plain!.done.seconds, downloadInstructions: plain!.done.instructions });
  if (hashed!.done) res.hashed = hashed!.done;
  if (cold!.done) res.cold = cold!.done;
  if (!uploadDone) res.errors.push('the upload did not finish');
  else if (res.uploadBytes !== SIZE) res.errors.push(`the upload got ${res.uploadBytes} bytes`);
  if (node.net.stats.errors > 0) res.errors.push(`gateway errors: ${node.net.stats.lastError}`);
  await node.close();
  server.close();
  console.log(JSON.stringify(res));
}

main().catch((e: unknown) => {
  console.log(JSON.stringify({ errors: [(e as Error).stack ?? String(e)] }));
  process.exitCode = 1;
});
