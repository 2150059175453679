// Until the full UI lands (step 5), the page boots the kernel image on the
// board in a worker and shows its serial console; keys typed into the console
// go to the UART.
import * as Comlink from 'comlink';
import type { MachineHost } from '../host/machine-worker.ts';

const status = document.getElementById('status')!;
const consoleEl = document.getElementById('console')!;
const decoder = new TextDecoder();

async function main(): Promise<void> {
  const worker = new Worker(new URL('../host/machine-worker.ts', import.meta.url), { type: 'module' });
  const host = Comlink.wrap<MachineHost>(worker);
  const res = await fetch(new URL('kernel.elf', document.baseURI));
  if (!res.ok) { status.textContent = `No kernel image (${res.status}).`; return; }
  const image = new Uint8Array(await res.arrayBuffer());
  // ?bootargs=selftest boots the kernel's self-test, for example.
  const bootargs = new URLSearchParams(location.search).get('bootargs') ?? '';
  let stopped = false;
  status.textContent = 'Running.';
  await host.boot(
    { image, memMiB: 128, bootargs },
    Comlink.proxy((bytes: Uint8Array) => { consoleEl.textContent += decoder.decode(bytes, { stream: true }); }),
    Comlink.proxy((reason) => { stopped = true; status.textContent = `Powered off (${JSON.stringify(reason)}).`; }),
  );
  if (!stopped) status.textContent = 'Running.';
  consoleEl.addEventListener('keydown', (e) => {
    const key = e.key.length === 1 ? e.key : e.key === 'Enter' ? '\r' : e.key === 'Backspace' ? '\x7f' : '';
    if (key) { e.preventDefault(); void host.sendSerial(new TextEncoder().encode(key)); }
  });
}

void main();
