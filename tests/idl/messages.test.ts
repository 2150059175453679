// servers/idl/messages.idl itself: WasmOS's numbers and layouts exactly as
// WasmOS defines them, the playground's own messages in their own range, and
// agreement with the kernel's headers on everything both define.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHEMA } from '../../src/idl/generated/messages.ts';
import { cConstMacro, cErrorMacro, cMessageMacro } from '../../src/idl/naming.ts';
import type { MessageDef } from '../../src/idl/schema.ts';

const repo = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');
const byName = new Map(SCHEMA.messages.map((m) => [m.name, m]));

/** "name:type@offset" for each field (bytes fields add "/len@offset"). */
function layout(m: MessageDef): string[] {
  return m.fields.map((f) => {
    const t = f.type;
    const type = t.kind === 'scalar' ? t.scalar : t.kind === 'array' ? `array[${t.n}]` : t.kind === 'struct' ? t.struct : `${t.kind}[${t.n}]`;
    return `${f.name}:${type}@${f.offset}${f.lenOffset === undefined ? '' : `/len@${f.lenOffset}`}`;
  });
}

/** #define NAME value pairs of a C header. */
function defines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^#define\s+(\w+)\s+\(?\s*(-?(?:0x[0-9a-fA-F]+|\d+))\s*\)?(?:u)?\s*(?:\/\*.*)?$/gm)) {
    out.set(m[1]!, Number(m[2]!));
  }
  for (const m of text.matchAll(/^#define\s+(\w+)\s+\(1u << (\d+)\)/gm)) out.set(m[1]!, 1 << Number(m[2]!));
  return out;
}

describe('the WasmOS messages', () => {
  it.each([
    ['ping', 9, 'rpc', ['value:i32@0'], 10, ['value:i32@0']],
    ['service_lookup', 15, 'rpc', ['name:cstr[64]@0'], 16, ['task:task@0']],
    ['service_register', 17, 'rpc', ['name:cstr[64]@0'], 18, []],
    ['tcpip_connect', 51, 'rpc', ['dst_addr:u32@0', 'dst_port:u16@4'], 52, ['sock:i32@0']],
    ['tcpip_listen', 53, 'rpc', ['listen_port:u16@0'], 54, ['sock:i32@0']],
    ['tcpip_destroy', 55, 'rpc', ['sock:i32@0'], 56, []],
    ['tcpip_write', 57, 'rpc', ['sock:i32@0', 'data:bytes[1024]@4/len@1028'], 58, []],
    ['tcpip_read', 59, 'rpc', ['sock:i32@0'], 60, ['data:bytes[1024]@0/len@1024']],
    ['tcpip_dns_resolve', 61, 'rpc', ['hostname:cstr[256]@0'], 62, ['addr:u32@0']],
    ['tcpip_data', 63, 'oneway', ['sock:i32@0'], undefined, undefined],
    ['tcpip_closed', 64, 'oneway', ['sock:i32@0'], undefined, undefined],
    ['echo', 65, 'rpc', ['data:bytes[1024]@0/len@1024'], 66, ['data:bytes[1024]@0/len@1024']],
  ] as const)('%s is type %i (%s) with WasmOS layout', (name, type, kind, fields, replyType, replyFields) => {
    const m = byName.get(name)!;
    expect([m.type, m.kind, m.group]).toEqual([type, kind, 'wasmos']);
    expect(layout(m)).toEqual(fields);
    if (replyType === undefined) {
      expect(m.reply).toBeUndefined();
      return;
    }
    const r = byName.get(m.reply!)!;
    expect([r.name, r.type, r.kind, r.request]).toEqual([`${name}_reply`, replyType, 'reply', name]);
    expect(layout(r)).toEqual(replyFields);
  });

  it('keeps the playground messages at 100 and up, its errors at -100 and down', () => {
    for (const m of SCHEMA.messages) {
      if (m.group === 'playground') expect(m.type, m.name).toBeGreaterThanOrEqual(100);
      else expect(m.type, m.name).toBeLessThan(100);
    }
    for (const e of SCHEMA.errors) {
      if (e.group === 'playground') expect(e.code, e.name).toBeLessThanOrEqual(-100);
      else expect(e.code, e.name).toBeGreaterThan(-100);
    }
    expect(SCHEMA.groups.map((g) => g.name)).toEqual(['wasmos', 'playground']);
  });

  it('has the messages later servers need (console, fs, process)', () => {
    for (const name of [
      'console_write', 'console_read_line', 'console_read',
      'fs_open', 'fs_read', 'fs_write', 'fs_readdir', 'fs_mkdir', 'fs_delete', 'fs_stat',
      'proc_spawn', 'proc_kill', 'proc_list', 'proc_wait',
    ]) {
      expect(byName.get(name)?.kind, name).toBe('rpc');
    }
  });
});

describe('agreement with the kernel headers', () => {
  it('has every kernel error code under the same name', () => {
    const kernel = defines(repo('kernel/include/wasmos/errors.h'));
    const idl = new Map(SCHEMA.errors.map((e) => [cErrorMacro(e.name), e.code]));
    const codes = [...kernel].filter(([n]) => n.startsWith('E_') && n !== 'E_OK' && n !== 'E_MIN');
    expect(codes.length).toBeGreaterThanOrEqual(12);
    for (const [name, code] of codes) expect(idl.get(name), name).toBe(code);
  });

  it('numbers the kernel messages and notification bits as msg.h does', () => {
    const kernel = defines(repo('kernel/include/wasmos/msg.h'));
    const names = ['MSG_NOTIFY', 'MSG_PING', 'MSG_PING_REPLY', 'MSG_SERVICE_LOOKUP', 'MSG_SERVICE_LOOKUP_REPLY', 'MSG_SERVICE_REGISTER', 'MSG_SERVICE_REGISTER_REPLY'];
    const idl = new Map(SCHEMA.messages.map((m) => [cMessageMacro(m.name), m.type]));
    for (const n of names) expect(idl.get(n), n).toBe(kernel.get(n));
    const consts = new Map(SCHEMA.consts.map((c) => [cConstMacro(c.name), c.value]));
    for (const n of ['NOTIFY_TIMER', 'NOTIFY_IRQ', 'NOTIFY_TASK_EXITED', 'NOTIFY_ASYNC', 'NOTIFY_USER_SHIFT']) {
      expect(consts.get(n), n).toBe(kernel.get(n));
    }
  });

  it('has the kernel exit reasons', () => {
    const kernel = defines(repo('kernel/include/wasmos/task.h'));
    const consts = new Map(SCHEMA.consts.map((c) => [cConstMacro(c.name), c.value]));
    for (const n of ['EXIT_KILLED', 'EXIT_FAULT', 'EXIT_STACK_OVERFLOW', 'EXIT_WASM_TRAP', 'EXIT_NO_MEMORY']) {
      expect(consts.get(n), n).toBe(kernel.get(n));
    }
  });
});
