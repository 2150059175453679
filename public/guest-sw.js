// The playground's Service Worker: maps <scope>guest/<port>/<path> to an HTTP
// request into the emulated OS. The page that runs the machine answers it
// (src/ui/browser/guest-bridge.ts): the request travels page -> machine worker
// -> the board's network card -> a TCP server task inside WasmOS, and back.
// Plain JavaScript on purpose: a Service Worker must be served from the
// scope's folder, as is, in development and in the static build alike.
'use strict';

const TIMEOUT_MS = 30000;
const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'upgrade', 'te', 'trailer'];

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const scope = new URL(self.registration.scope);
  const url = new URL(event.request.url);
  const prefix = `${scope.pathname}guest/`;
  if (url.origin !== scope.origin || !url.pathname.startsWith(prefix)) return;
  event.respondWith(toGuest(event.request, url, url.pathname.slice(prefix.length), prefix));
});

function textResponse(status, message) {
  return new Response(`${message}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** The playground tab that runs the machine (most recently focused first), not a guest page. */
async function playground(prefix) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  return windows.find((c) => c.frameType === 'top-level' && !new URL(c.url).pathname.startsWith(prefix)) ?? null;
}

async function toGuest(request, url, rest, prefix) {
  const m = /^(\d{1,5})(\/.*)?$/.exec(rest);
  const port = m ? Number(m[1]) : 0;
  if (!m || port < 1 || port > 65535) return textResponse(400, `Not a guest address: use guest/<port>/<path>, e.g. guest/80/`);
  const client = await playground(prefix);
  if (!client) return textResponse(503, 'No WasmOS Playground tab is running: open the playground first.');
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : new Uint8Array(await request.arrayBuffer());
  const headers = [];
  request.headers.forEach((value, name) => { if (!HOP_BY_HOP.includes(name)) headers.push([name, value]); });
  const channel = new MessageChannel();
  const answer = new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ error: `The playground did not answer within ${TIMEOUT_MS / 1000} s.` }), TIMEOUT_MS);
    channel.port1.onmessage = (e) => { clearTimeout(timer); resolve(e.data); };
  });
  const target = (m[2] || '/') + url.search;
  client.postMessage({ type: 'wasmos-guest-fetch', port, request: { method: request.method, target, headers, body } }, [channel.port2]);
  const a = await answer;
  if (!a || typeof a !== 'object' || 'error' in a) return textResponse(502, `WasmOS: ${a && a.error ? a.error : 'no answer'}`);
  const out = new Headers();
  for (const [name, value] of a.headers) {
    try { if (!HOP_BY_HOP.includes(name.toLowerCase())) out.append(name, value); } catch { /* a header the browser refuses */ }
  }
  const noBody = request.method === 'HEAD' || a.status === 204 || a.status === 304 || a.status < 200;
  try {
    return new Response(noBody ? null : a.body, { status: a.status, statusText: a.statusText, headers: out });
  } catch {
    return textResponse(502, `WasmOS: the guest answered with status ${a.status}, which a browser cannot show`);
  }
}
