// The console server in the whole OS (init starts it from init.rc, the shell
// reads its lines): history recall and editing at the shell prompt, and a
// Ctrl-C typed right after a command, before the shell made the program the
// console's foreground task.
import { describe, expect, it } from 'vitest';
import { bootOs, outputOf } from '../os/os-boot.ts';

const ESC = '\x1b';

describe('console server in the whole OS', () => {
  it('recalls and edits shell lines with the arrows', () => {
    const r = bootOs({ script: ['echo one', 'pwd', `${ESC}[A${ESC}[A`, `${ESC}[A${ESC}[D${ESC}[D${ESC}[Dtwo${ESC}[3~${ESC}[3~${ESC}[3~`] });
    expect(r.typed).toBe(4);
    expect(outputOf(r, 0)).toBe('one\n');
    expect(outputOf(r, 1)).toBe('/\n');
    // Up twice: "echo one" again.
    expect(outputOf(r, 2)).toBe('one\n');
    // Up: "echo one" (not stored twice), three left, "two" inserted, "one" deleted.
    expect(outputOf(r, 3)).toBe('two\n');
  });

  it('a Ctrl-C typed with the command kills the program once it starts', () => {
    const r = bootOs({ script: ['busy', 'pwd'], keys: [{ afterLine: 0, waitFor: 'busy', send: '\x03' }] });
    expect(r.typed).toBe(2);
    expect(outputOf(r, 0)).toMatch(/\^C\n(.|\n)*killed\n$/);
    expect(outputOf(r, 1)).toBe('/\n');
  });
});
