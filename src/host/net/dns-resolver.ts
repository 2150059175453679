// Name resolution for the gateway's DNS server. A resolver answers A records
// (IPv4 addresses) for a name; the chain tries the caller's hosts map, the
// static table, then (when configured) DNS-over-HTTPS through fetch.
import { ipToString, parseIp } from './bytes.ts';

export interface DnsResolver {
  /** IPv4 addresses (dotted quads) for `name`; [] when it does not exist. */
  resolveA(name: string): Promise<string[]> | string[];
}

/** A fixed table: "localhost" plus the caller's names (case-insensitive, no trailing dot). */
export class StaticResolver implements DnsResolver {
  private readonly table = new Map<string, string[]>();

  constructor(hosts: Record<string, string | string[]> = {}) {
    this.table.set('localhost', ['127.0.0.1']);
    for (const [name, addrs] of Object.entries(hosts)) {
      const list = Array.isArray(addrs) ? addrs : [addrs];
      for (const a of list) if (parseIp(a) === null) throw new Error(`hosts entry ${name}: "${a}" is not an IPv4 address`);
      this.table.set(normalize(name), list);
    }
  }

  has(name: string): boolean { return this.table.has(normalize(name)); }

  resolveA(name: string): string[] {
    const n = normalize(name);
    // A dotted quad resolves to itself, as the C library does.
    const lit = parseIp(n);
    if (lit !== null) return [ipToString(lit)];
    return this.table.get(n) ?? [];
  }
}

export function normalize(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

export interface DohOptions {
  /** Default https://cloudflare-dns.com/dns-query (its JSON API). */
  url?: string;
  fetch?: typeof fetch;
}

/** DNS-over-HTTPS, JSON flavour (application/dns-json). */
export class DohResolver implements DnsResolver {
  private readonly url: string;
  private readonly fetchFn: typeof fetch;

  constructor(opts: DohOptions = {}) {
    this.url = opts.url ?? 'https://cloudflare-dns.com/dns-query';
    this.fetchFn = opts.fetch ?? globalThis.fetch.bind(globalThis);
  }

  async resolveA(name: string): Promise<string[]> {
    const res = await this.fetchFn(`${this.url}?name=${encodeURIComponent(normalize(name))}&type=A`, {
      headers: { accept: 'application/dns-json' },
    });
    if (!res.ok) throw new Error(`DNS-over-HTTPS answered ${res.status}`);
    const body = (await res.json()) as { Answer?: Array<{ type: number; data: string }> };
    return (body.Answer ?? []).filter((a) => a.type === 1 && parseIp(a.data) !== null).map((a) => a.data);
  }
}

/** Static names first; other names go to `online` (if any), whose failure reads as "no such name". */
export class ChainResolver implements DnsResolver {
  constructor(private readonly local: StaticResolver, private readonly online: DnsResolver | null) {}

  async resolveA(name: string): Promise<string[]> {
    const found = this.local.resolveA(name);
    if (found.length > 0 || this.online === null) return found;
    try {
      return await this.online.resolveA(name);
    } catch {
      return [];
    }
  }
}
