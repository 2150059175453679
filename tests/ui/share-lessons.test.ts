// The lesson format and the four bundled lessons: every lesson parses, has
// steps with actions, and uploads only programs that exist in servers/build/.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LessonFormatError, parseLesson } from '../../src/ui/lessons/lesson-format.ts';

const dir = new URL('../../docs/lessons/', import.meta.url);

describe('lessons', () => {
  it('the bundled lessons parse and name existing programs', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.md')).sort();
    expect(files).toEqual(['fault-isolation.md', 'message-passing.md', 'network-tour.md', 'preemption.md']);
    for (const f of files) {
      const l = parseLesson(f.replace(/\.md$/, ''), readFileSync(new URL(f, dir), 'utf8'));
      expect(l.title.length).toBeGreaterThan(0);
      expect(l.steps.length).toBeGreaterThanOrEqual(3);
      expect(l.steps.every((s) => s.actions.length > 0)).toBe(true);
      for (const s of l.steps) for (const a of s.actions) {
        if (a.kind === 'upload') expect(existsSync(new URL(`../../servers/build/${a.path}`, import.meta.url))).toBe(true);
      }
    }
  });

  it('parses steps, actions and prose; refuses bad actions', () => {
    const l = parseLesson('x', '# T\n\nIntro `code`.\n\n## One\n\nSay\nthis.\n\n```step\ntype: ping\nwait: reply\n```\n\n```\nshell> ps\n```\n## Two\n```step\nupload: apps/hello.wasm\n```\n');
    expect(l).toMatchObject({ title: 'T', intro: ['Intro `code`.'] });
    expect(l.steps[0]).toMatchObject({ title: 'One', actions: [{ kind: 'type', text: 'ping' }, { kind: 'wait', text: 'reply' }] });
    expect(l.steps[0]!.prose[0]).toBe('Say this.');
    expect(l.steps[0]!.prose[1]).toContain('shell> ps');
    expect(l.steps[1]!.actions).toEqual([{ kind: 'upload', path: 'apps/hello.wasm' }]);
    expect(() => parseLesson('x', '# T\n## S\n```step\nrm: -rf\n```\n')).toThrow(LessonFormatError);
    expect(() => parseLesson('x', '# T\n## S\n```step\nupload: ../../etc/passwd.wasm\n```\n')).toThrow(/servers\/build/);
    expect(() => parseLesson('x', '# T\n## S\n```step\ntype: x\n')).toThrow(/not closed/);
    expect(() => parseLesson('x', 'no title')).toThrow(/title/);
  });
});
