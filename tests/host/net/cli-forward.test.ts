// `wasmos boot --forward 0:80`: the whole OS in a child process, the web
// server app started at the prompt, and a real HTTP client on the host talking
// to it through the forwarded port (node:net listener -> UserNet ->
// virtio-net -> tcpip -> webserver). Also --pcap writes a readable capture.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../../bin/wasmos.js', import.meta.url));

describe('wasmos boot --forward', () => {
  it('serves the guest web server\'s page to a host HTTP client, and captures the traffic', async () => {
    const pcap = join(mkdtempSync(join(tmpdir(), 'wasmos-net-')), 'boot.pcap');
    const child = spawn(process.execPath, [bin, 'boot', '--forward', '0:80', '--pcap', pcap], { stdio: 'pipe' });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString('latin1'); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const until = async (pred: () => boolean, what: string): Promise<void> => {
      for (let i = 0; i < 1200 && !pred(); i++) await new Promise((r) => setTimeout(r, 50));
      if (!pred()) throw new Error(`timed out waiting for ${what}; stdout: ${out.slice(-500)} stderr: ${err}`);
    };
    try {
      await until(() => /forwarding 127\.0\.0\.1:\d+ to guest port 80/.test(err), 'the forward notice');
      const port = Number(/127\.0\.0\.1:(\d+)/.exec(err)![1]);
      await until(() => out.includes('shell> '), 'the prompt');
      child.stdin.write('start webserver\r');
      await until(() => out.includes('listening on port 80'), 'the web server');
      const res = await fetch(`http://127.0.0.1:${port}/`);
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body).toContain('<h1>Hello from WasmOS</h1>');
      const api = await fetch(`http://127.0.0.1:${port}/api/status`);
      expect(api.headers.get('content-type')).toMatch(/application\/json/);
      expect((await api.json() as { tasks: number }).tasks).toBeGreaterThan(3);
      child.stdin.write('shutdown\r');
      expect(await exited).toBe(0);
    } finally {
      child.kill();
    }
    // The capture: a pcap header, then records that include the guest's DHCP and the HTTP exchange.
    const cap = readFileSync(pcap);
    expect(cap.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(cap.readUInt32LE(20)).toBe(1);
    expect(cap.includes(Buffer.from('GET / HTTP/1.1'))).toBe(true);
    expect(cap.includes(Buffer.from('Hello from WasmOS'))).toBe(true);
  }, 90_000);
});
