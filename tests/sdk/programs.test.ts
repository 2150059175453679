// How build:servers and build-c.sh find programs under servers/ and name their
// modules.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findPrograms } from '../../servers/sdk/tools/programs.ts';

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

function tree(files: Record<string, string>): string {
  root = mkdtempSync(join(tmpdir(), 'servers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('program discovery', () => {
  it('finds main.ts and main.c programs at any depth, outside sdk, idl and build', () => {
    const r = tree({
      'servers/shell/main.ts': '',
      'servers/apps/demo/main.ts': '',
      'servers/apps/demo/helper.ts': '',
      'servers/apps/cdemo/main.c': '',
      'servers/sdk/assembly/main.ts': '',
      'servers/idl/x/main.ts': '',
      'servers/build/old/main.ts': '',
      'servers/.hidden/main.ts': '',
      'servers/main.ts': '',
    });
    expect(findPrograms(r)).toEqual([
      { language: 'c', entry: 'servers/apps/cdemo/main.c', output: 'servers/build/apps/cdemo.wasm', flags: [] },
      { language: 'assemblyscript', entry: 'servers/apps/demo/main.ts', output: 'servers/build/apps/demo.wasm', flags: [] },
      { language: 'assemblyscript', entry: 'servers/shell/main.ts', output: 'servers/build/shell.wasm', flags: [] },
    ]);
  });

  it("takes a program's extra compiler flags from its asc.json", () => {
    const r = tree({ 'servers/tiny/main.ts': '', 'servers/tiny/asc.json': '{"flags": ["--runtime", "stub"]}' });
    expect(findPrograms(r)[0]!.flags).toEqual(['--runtime', 'stub']);
  });

  it('names a malformed asc.json', () => {
    const r = tree({ 'servers/tiny/main.ts': '', 'servers/tiny/asc.json': '{"flags": "--runtime stub"}' });
    expect(() => findPrograms(r)).toThrow('servers/tiny/asc.json: expected {"flags": ["--flag", "value", ...]}');
    writeFileSync(join(r, 'servers/tiny/asc.json'), '{');
    expect(() => findPrograms(r)).toThrow(/^servers\/tiny\/asc\.json: /);
  });
});
