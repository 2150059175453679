// The DNS server at 10.0.2.3:53 (RFC 1035 wire format): one question per
// query; A questions are answered from the resolver, other types get an empty
// NOERROR answer (the name may exist, it has no such record here), unknown
// names NXDOMAIN, malformed queries FORMERR (or nothing if even the header is
// missing).
import { put16, put32, u16 } from './bytes.ts';
import { ip } from './bytes.ts';

export const DNS_PORT = 53;
const TYPE_A = 1;
const CLASS_IN = 1;
const RCODE_FORMERR = 1;
const RCODE_SERVFAIL = 2;
const RCODE_NXDOMAIN = 3;
const RCODE_NOTIMP = 4;
const TTL = 60;

export interface DnsQuestion {
  id: number;
  /** Recursion-desired and opcode bits, echoed. */
  flags: number;
  name: string;
  type: number;
  cls: number;
  /** The question section as sent (copied into the answer). */
  raw: Uint8Array;
}

export type DnsParse = { ok: true; q: DnsQuestion } | { ok: false; id: number | null; flags: number };

export function parseDnsQuery(b: Uint8Array): DnsParse {
  if (b.length < 12) return { ok: false, id: null, flags: 0 };
  const id = u16(b, 0);
  const flags = u16(b, 2);
  const bad = { ok: false as const, id, flags };
  // A response, a non-QUERY opcode or not exactly one question: refuse.
  if ((flags & 0x8000) !== 0 || ((flags >>> 11) & 0xf) !== 0 || u16(b, 4) !== 1) return bad;
  const labels: string[] = [];
  let i = 12;
  for (;;) {
    if (i >= b.length) return bad;
    const len = b[i]!;
    // Compression pointers have no business in a question (and could loop).
    if (len & 0xc0) return bad;
    i++;
    if (len === 0) break;
    if (i + len > b.length) return bad;
    labels.push(String.fromCharCode(...b.subarray(i, i + len)));
    i += len;
    if (labels.join('.').length > 253) return bad;
  }
  if (i + 4 > b.length || labels.length === 0) return bad;
  return { ok: true, q: { id, flags, name: labels.join('.'), type: u16(b, i), cls: u16(b, i + 2), raw: b.slice(12, i + 4) } };
}

function header(id: number, flags: number, rcode: number, qd: number, an: number): Uint8Array {
  const h = new Uint8Array(12);
  put16(h, 0, id);
  // QR, the query's opcode and RD, RA, rcode.
  put16(h, 2, 0x8000 | (flags & 0x7900) | 0x0080 | rcode);
  put16(h, 4, qd);
  put16(h, 6, an);
  return h;
}

/** The answer for a question given the addresses found (null = lookup failed). */
export function buildDnsAnswer(q: DnsQuestion, addrs: string[] | null): Uint8Array {
  if (addrs === null) return joinParts(header(q.id, q.flags, RCODE_SERVFAIL, 1, 0), q.raw);
  if (q.cls !== CLASS_IN) return joinParts(header(q.id, q.flags, RCODE_NOTIMP, 1, 0), q.raw);
  if (q.type !== TYPE_A) return joinParts(header(q.id, q.flags, 0, 1, 0), q.raw);
  if (addrs.length === 0) return joinParts(header(q.id, q.flags, RCODE_NXDOMAIN, 1, 0), q.raw);
  const answers = addrs.map((a) => {
    const r = new Uint8Array(16);
    put16(r, 0, 0xc00c); // the name: pointer to the question
    put16(r, 2, TYPE_A);
    put16(r, 4, CLASS_IN);
    put32(r, 6, TTL);
    put16(r, 10, 4);
    put32(r, 12, ip(a));
    return r;
  });
  return joinParts(header(q.id, q.flags, 0, 1, answers.length), q.raw, ...answers);
}

export function buildDnsError(id: number, flags: number): Uint8Array {
  return header(id, flags, RCODE_FORMERR, 0, 0);
}

function joinParts(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
