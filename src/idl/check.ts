// Gives the parsed IDL its meaning: resolves types, lays out every payload and
// struct, and enforces the rules (unique names and numbers, reply = type + 1,
// numbers inside their group's range, sizes within a message). All problems are
// collected and reported together, each at its line and column.
import type { Decl, FieldList, GroupDecl, IdlFile, StructDecl, TypeExpr } from './ast.ts';
import { IdlError, type IdlDiagnostic, type SourcePos } from './idl-error.ts';
import { SCALAR_SIZE, alignUp, isScalar } from './layout.ts';
import {
  AS_MESSAGE_MEMBERS,
  AS_STRUCT_MEMBERS,
  C_MESSAGE_MEMBERS,
  RESERVED,
  asClass,
  asFieldMembers,
  cConstMacro,
  cErrorMacro,
  cLenMember,
  cMessageMacro,
  cPayloadStruct,
  tsFieldsInterface,
} from './naming.ts';
import {
  MSG_PAYLOAD_MAX,
  type ConstDef,
  type ElementType,
  type ErrorDef,
  type Field,
  type FieldType,
  type GroupDef,
  type MessageDef,
  type Schema,
  type StructDef,
} from './schema.ts';

const NAME_RE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const I32_MIN = -0x8000_0000;
const U32_MAX = 0xffff_ffff;

export function checkIdl(ast: IdlFile): Schema {
  return new Checker(ast).run();
}

interface Layout {
  readonly fields: Field[];
  readonly size: number;
  readonly align: number;
}

class Checker {
  private readonly diags: IdlDiagnostic[] = [];
  private readonly names = new Map<string, SourcePos>();
  private readonly structDecls = new Map<string, { decl: StructDecl; group: string }>();
  private readonly structs = new Map<string, StructDef>();
  private readonly resolving = new Set<string>();

  constructor(private readonly ast: IdlFile) {}

  run(): Schema {
    const groups = this.groups();
    for (const g of this.ast.groups) {
      for (const d of g.decls) {
        this.declareName(d.name, d.pos);
        if (d.decl === 'rpc') this.declareName(`${d.name}_reply`, d.reply!.typePos, `the reply of rpc '${d.name}'`);
        if (d.decl === 'struct') this.structDecls.set(d.name, { decl: d, group: g.name });
      }
    }
    for (const { decl, group } of this.structDecls.values()) this.resolveStruct(decl, group);

    const messages: MessageDef[] = [];
    const errors: ErrorDef[] = [];
    const consts: ConstDef[] = [];
    const typeOwners = new Map<number, { name: string; pos: SourcePos }>();
    const codeOwners = new Map<number, { name: string; pos: SourcePos }>();
    for (const g of this.ast.groups) {
      for (const d of g.decls) this.decl(d, g, messages, errors, consts, typeOwners, codeOwners);
    }
    this.emittedNames(messages, errors, consts);
    if (this.diags.length > 0) {
      // Structs are laid out first (on demand): report in source order regardless.
      const sorted = this.diags.map((d, i) => ({ d, i }));
      sorted.sort((a, b) => a.d.pos.line - b.d.pos.line || a.d.pos.column - b.d.pos.column || a.i - b.i);
      throw new IdlError(sorted.map((x) => x.d));
    }
    const structs = this.ast.groups.flatMap((g) =>
      g.decls.filter((d) => d.decl === 'struct').map((d) => this.structs.get(d.name)!),
    );
    return { groups, structs, messages, errors, consts };
  }

  private groups(): GroupDef[] {
    const out: GroupDef[] = [];
    const seen = new Map<string, SourcePos>();
    for (const g of this.ast.groups) {
      this.checkName(g.name, g.pos, 'group');
      const prev = seen.get(g.name);
      if (prev) this.error(g.pos, `group '${g.name}' is already defined at ${at(prev)}`);
      seen.set(g.name, g.pos);
      const { messages: m, errors: e } = g;
      if (m.lo < 1 || m.lo > m.hi || m.hi > 0x7fff_ffff) {
        this.error(m.pos, `message range ${m.lo}..${m.hi} must be positive and ascending (type 0 and negative types are not messages)`);
      }
      if (e.hi > -1 || e.lo > e.hi || e.lo < I32_MIN) {
        this.error(e.pos, `error range ${e.lo}..${e.hi} must be negative and ascending (low..high, e.g. -99..-1)`);
      }
      for (const o of out) {
        if (overlaps(o.messages, [m.lo, m.hi])) this.error(m.pos, `message range ${m.lo}..${m.hi} overlaps group '${o.name}' (${o.messages[0]}..${o.messages[1]})`);
        if (overlaps(o.errors, [e.lo, e.hi])) this.error(e.pos, `error range ${e.lo}..${e.hi} overlaps group '${o.name}' (${o.errors[0]}..${o.errors[1]})`);
      }
      out.push({ name: g.name, doc: g.doc, messages: [m.lo, m.hi], errors: [e.lo, e.hi] });
    }
    return out;
  }

  private decl(
    d: Decl,
    g: GroupDecl,
    messages: MessageDef[],
    errors: ErrorDef[],
    consts: ConstDef[],
    typeOwners: Map<number, { name: string; pos: SourcePos }>,
    codeOwners: Map<number, { name: string; pos: SourcePos }>,
  ): void {
    switch (d.decl) {
      case 'struct':
        return;
      case 'error': {
        const [lo, hi] = [g.errors.lo, g.errors.hi];
        if (d.code >= 0) this.error(d.codePos, `error '${d.name}' must have a negative code, not ${d.code}`);
        else if (d.code < lo || d.code > hi) this.error(d.codePos, `error code ${d.code} of '${d.name}' is outside group '${g.name}' (errors ${lo}..${hi})`);
        const prev = codeOwners.get(d.code);
        if (prev) this.error(d.codePos, `error code ${d.code} is already used by '${prev.name}' at ${at(prev.pos)}`);
        else codeOwners.set(d.code, { name: d.name, pos: d.codePos });
        errors.push({ name: d.name, code: d.code, doc: d.doc, group: g.name });
        return;
      }
      case 'const': {
        if (d.value < I32_MIN || d.value > U32_MAX) this.error(d.pos, `const '${d.name}' = ${d.value} does not fit in 32 bits`);
        consts.push({ name: d.name, value: d.value, doc: d.doc, group: g.name });
        return;
      }
      default: {
        const claim = (type: number, name: string, pos: SourcePos): void => {
          if (type < g.messages.lo || type > g.messages.hi) {
            this.error(pos, `type ${type} of '${name}' is outside group '${g.name}' (messages ${g.messages.lo}..${g.messages.hi})`);
          }
          const prev = typeOwners.get(type);
          if (prev) this.error(pos, `type ${type} of '${name}' is already used by '${prev.name}' at ${at(prev.pos)}`);
          else typeOwners.set(type, { name, pos });
        };
        claim(d.type, d.name, d.typePos);
        const req = this.layout(d.request, `message '${d.name}'`);
        this.checkMembers(req.fields, d.request, AS_MESSAGE_MEMBERS, d.name);
        const replyName = `${d.name}_reply`;
        messages.push({
          name: d.name,
          type: d.type,
          kind: d.decl,
          group: g.name,
          fields: req.fields,
          size: req.size,
          align: req.align,
          doc: d.doc,
          ...(d.reply ? { reply: replyName } : {}),
        });
        if (d.reply) {
          const r = d.reply;
          if (r.type !== d.type + 1) {
            this.error(r.typePos, `the reply of '${d.name}' must be type ${d.type + 1} (request type + 1), not ${r.type}`);
          }
          claim(r.type, replyName, r.typePos);
          const rep = this.layout(r.fields, `reply of '${d.name}'`);
          this.checkMembers(rep.fields, r.fields, AS_MESSAGE_MEMBERS, replyName);
          messages.push({
            name: replyName,
            type: r.type,
            kind: 'reply',
            group: g.name,
            fields: rep.fields,
            size: rep.size,
            align: rep.align,
            doc: '',
            request: d.name,
          });
        }
      }
    }
  }

  private resolveStruct(decl: StructDecl, group: string): StructDef | undefined {
    const done = this.structs.get(decl.name);
    if (done) return done;
    if (this.resolving.has(decl.name)) return undefined;
    this.resolving.add(decl.name);
    const l = this.layout(decl.fields, `struct '${decl.name}'`);
    this.resolving.delete(decl.name);
    if (decl.fields.fields.length === 0) this.error(decl.pos, `struct '${decl.name}' has no fields`);
    this.checkMembers(l.fields, decl.fields, AS_STRUCT_MEMBERS, decl.name);
    const def: StructDef = { name: decl.name, fields: l.fields, size: l.size, align: l.align, doc: decl.doc, group };
    this.structs.set(decl.name, def);
    return def;
  }

  /** Lays out a field list with C rules; reports bad types and oversize payloads. */
  private layout(list: FieldList, what: string): Layout {
    const fields: Field[] = [];
    const seen = new Map<string, SourcePos>();
    let offset = 0;
    let align = 1;
    for (const f of list.fields) {
      this.checkName(f.name, f.pos, 'field');
      const prev = seen.get(f.name);
      if (prev) this.error(f.pos, `field '${f.name}' is already defined in ${what} at ${at(prev)}`);
      seen.set(f.name, f.pos);
      const t = this.fieldType(f.type, what);
      if (!t) continue;
      offset = alignUp(offset, t.align);
      if (t.type.kind === 'bytes') {
        const lenOffset = alignUp(offset + t.size, 4);
        fields.push({ name: f.name, type: t.type, offset, size: t.size, align: 1, lenOffset, doc: f.doc });
        offset = lenOffset + 4;
        align = Math.max(align, 4);
      } else {
        fields.push({ name: f.name, type: t.type, offset, size: t.size, align: t.align, doc: f.doc });
        offset += t.size;
        align = Math.max(align, t.align);
      }
    }
    const size = alignUp(offset, align);
    if (size > MSG_PAYLOAD_MAX) {
      this.error(list.pos, `${what} is ${size} bytes: a payload holds at most ${MSG_PAYLOAD_MAX} (a message is at most 1512 bytes with its 8-byte header)`);
    }
    return { fields, size, align };
  }

  private fieldType(t: TypeExpr, what: string): { type: FieldType; size: number; align: number } | undefined {
    const count = t.count;
    if (count !== undefined && (count < 1 || count > MSG_PAYLOAD_MAX)) {
      this.error(t.pos, `${t.name}[${count}]: the count must be 1..${MSG_PAYLOAD_MAX}`);
      return undefined;
    }
    if (t.name === 'cstr' || t.name === 'bytes') {
      if (count === undefined) {
        this.error(t.pos, `${t.name} needs a size: ${t.name}[N]`);
        return undefined;
      }
      // bytes[N]: the data is a u8 array (alignment 1); layout() aligns the u32 length after it.
      return { type: { kind: t.name, n: count }, size: count, align: 1 };
    }
    if (t.name === 'int' || t.name === 'uint') {
      this.error(t.pos, `say which ${t.name}: ${t.name === 'int' ? 'i8, i16 or i32' : 'u8, u16 or u32'}`);
      return undefined;
    }
    let element: ElementType;
    let size: number;
    let align: number;
    if (isScalar(t.name)) {
      element = { kind: 'scalar', scalar: t.name };
      size = align = SCALAR_SIZE[t.name];
    } else {
      const s = this.structDecls.get(t.name);
      if (!s) {
        this.error(t.pos, `unknown type '${t.name}' (in ${what})`);
        return undefined;
      }
      const def = this.resolveStruct(s.decl, s.group);
      if (!def) {
        this.error(t.pos, `struct '${t.name}' contains itself (in ${what})`);
        return undefined;
      }
      element = { kind: 'struct', struct: t.name };
      size = def.size;
      align = def.align;
    }
    if (count === undefined) return { type: element, size, align };
    return { type: { kind: 'array', n: count, element, stride: size }, size: size * count, align };
  }

  /** Generated class members must not collide (a field named `type`, or `data` next to `data_ptr`). */
  private checkMembers(fields: Field[], list: FieldList, fixed: readonly string[], owner: string): void {
    const taken = new Map<string, string>(fixed.map((m) => [m, 'a generated member']));
    for (const f of fields) {
      const pos = list.fields.find((d) => d.name === f.name)!.pos;
      const cMembers = f.type.kind === 'bytes' ? [f.name, cLenMember(f.name)] : [f.name];
      for (const m of new Set([...asFieldMembers(f), ...cMembers])) {
        const prev = taken.get(m);
        if (prev !== undefined && prev !== `field '${f.name}'`) {
          this.error(pos, `field '${f.name}' of '${owner}' needs the name '${m}', which is already ${prev}`);
        } else {
          taken.set(m, `field '${f.name}'`);
        }
      }
    }
  }

  /** Distinct IDL names can still meet in a target language (`a_b1` and `a_b_1` are both `AB1`). */
  private emittedNames(messages: MessageDef[], errors: ErrorDef[], consts: ConstDef[]): void {
    const seen = new Map<string, string>(C_MESSAGE_MEMBERS.map((n) => [`C struct message member ${n}`, 'the message header']));
    const claim = (emitted: string, what: string, name: string): void => {
      const label = `${what} '${name}'`;
      const prev = seen.get(emitted);
      if (prev !== undefined && prev !== label) {
        this.error(this.names.get(name) ?? { line: 1, column: 1 }, `${label} and ${prev} would both be ${emitted} in the generated code`);
      }
      seen.set(emitted, label);
    };
    for (const m of messages) {
      claim(`C ${cMessageMacro(m.name)}`, 'message', m.name);
      claim(`C struct ${cPayloadStruct(m.name)}`, 'message', m.name);
      if (m.fields.length > 0) claim(`C struct message member ${m.name}`, 'message', m.name);
      claim(`AssemblyScript ${asClass(m.name)}`, 'message', m.name);
      claim(`TypeScript ${tsFieldsInterface(m.name)}`, 'message', m.name);
    }
    for (const s of this.structs.values()) {
      claim(`C struct ${s.name}`, 'struct', s.name);
      claim(`AssemblyScript ${asClass(s.name)}`, 'struct', s.name);
      claim(`TypeScript ${tsFieldsInterface(s.name)}`, 'struct', s.name);
    }
    for (const e of errors) claim(`C ${cErrorMacro(e.name)}`, 'error', e.name);
    for (const c of consts) claim(`C ${cConstMacro(c.name)}`, 'const', c.name);
  }

  private declareName(name: string, pos: SourcePos, what?: string): void {
    this.checkName(name, pos, 'name');
    const prev = this.names.get(name);
    if (prev) this.error(pos, `'${name}'${what ? ` (${what})` : ''} is already defined at ${at(prev)}`);
    else this.names.set(name, pos);
  }

  private checkName(name: string, pos: SourcePos, what: string): void {
    if (!NAME_RE.test(name)) {
      this.error(pos, `${what} '${name}' must be lower_snake_case (a-z, 0-9, single underscores, starting with a letter)`);
    } else if (RESERVED.has(name)) {
      this.error(pos, `${what} '${name}' is a reserved word in C or TypeScript`);
    }
  }

  private error(pos: SourcePos, message: string): void {
    this.diags.push({ file: this.ast.file, pos, message });
  }
}

const at = (p: SourcePos): string => `${p.line}:${p.column}`;

const overlaps = (a: readonly [number, number], b: readonly [number, number]): boolean => a[0] <= b[1] && b[0] <= a[1];
