// The page's half of the Browser pane's path into the guest: registers the
// Service Worker (public/guest-sw.js) and answers its requests by asking the
// machine worker for an HTTP exchange with a server inside the OS. Requests
// come from the Service Worker only (never from guest pages themselves), and
// every field is checked before it reaches the worker.
import type { GuestHttpRequest, GuestHttpResponse } from '../../host/guest-http.ts';

export type GuestFetch = (port: number, req: GuestHttpRequest) => Promise<GuestHttpResponse | { error: string }>;

/** The Service Worker's URL next to the page (the site may live under any base path). */
export const SW_URL = './guest-sw.js';

/** Where a guest page is reached from the page: "guest/<port>/<path>". */
export function guestUrl(port: number, path: string): string {
  const p = path.startsWith('/') ? path : `/${path}`;
  return `guest/${port}${p}`;
}

interface FetchMessage {
  type: 'wasmos-guest-fetch';
  port: number;
  request: GuestHttpRequest;
}

function isFetchMessage(d: unknown): d is FetchMessage {
  if (!d || typeof d !== 'object') return false;
  const m = d as Partial<FetchMessage>;
  const r = m.request as Partial<GuestHttpRequest> | undefined;
  return m.type === 'wasmos-guest-fetch' && Number.isInteger(m.port) && !!r && typeof r.method === 'string' &&
    typeof r.target === 'string' && Array.isArray(r.headers) &&
    r.headers.every((h) => Array.isArray(h) && h.length === 2 && typeof h[0] === 'string' && typeof h[1] === 'string') &&
    (r.body === undefined || r.body instanceof Uint8Array);
}

/** Answers one Service Worker request on its reply port. */
export async function answer(data: unknown, reply: MessagePort | undefined, fetchGuest: GuestFetch): Promise<void> {
  if (!reply) return;
  if (!isFetchMessage(data)) {
    reply.postMessage({ error: 'malformed request from the Service Worker' });
    return;
  }
  const r = await fetchGuest(data.port, data.request);
  if ('error' in r) reply.postMessage({ error: r.error });
  else reply.postMessage(r, [r.body.buffer as ArrayBuffer]);
}

let started: Promise<boolean> | null = null;

/**
 * Registers the Service Worker once and routes its requests to `fetchGuest`.
 * Resolves false where Service Workers are unavailable (an insecure origin,
 * a private window that forbids them).
 */
export function startGuestBridge(fetchGuest: GuestFetch): Promise<boolean> {
  started ??= (async () => {
    const sw = typeof navigator !== 'undefined' ? navigator.serviceWorker : undefined;
    if (!sw) return false;
    sw.addEventListener('message', (e: MessageEvent) => { void answer(e.data, e.ports[0], fetchGuest); });
    sw.startMessages();
    try {
      await sw.register(SW_URL, { scope: './' });
      await sw.ready;
      return true;
    } catch {
      return false;
    }
  })();
  return started;
}
