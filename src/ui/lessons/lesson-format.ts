// The lesson format (docs/share.md "Lessons"): Markdown. The first "# " line
// is the title; text before the first step is the introduction; each step is
// a "## " heading, its prose, and optionally one fenced ```step block of
// actions, one per line:
//
//   type: ping pong          types the line into the shell (Enter added)
//   upload: apps/hello.wasm  uploads a program from servers/build/ and runs it
//   wait: shell>             waits until this text appears in the console (after the step began)
//   highlight-task: pong     selects the task of that name (Tasks panel, trace filter)
//   highlight-message: call  shows only these events in the trace (a search term)
//   show-panel: browser      brings a panel forward (by its id: trace, tasks, browser, …)
//
// Prose is shown as text (paragraphs, `code`), never as HTML.

export type LessonAction =
  | { kind: 'type'; text: string }
  | { kind: 'upload'; path: string }
  | { kind: 'wait'; text: string }
  | { kind: 'highlight-task'; name: string }
  | { kind: 'highlight-message'; search: string }
  | { kind: 'show-panel'; panel: string };

export interface LessonStep {
  title: string;
  prose: string[];
  actions: LessonAction[];
}

export interface Lesson {
  id: string;
  title: string;
  intro: string[];
  steps: LessonStep[];
}

export class LessonFormatError extends Error {}

const ACTION_KINDS = new Set(['type', 'upload', 'wait', 'highlight-task', 'highlight-message', 'show-panel']);

function paragraphs(lines: string[]): string[] {
  return lines.join('\n').split(/\n\s*\n/).map((p) => p.trim().replace(/\s*\n\s*/g, ' ')).filter((p) => p.length > 0);
}

function action(line: string, where: string): LessonAction {
  const m = /^([a-z-]+):\s*(.*)$/.exec(line);
  if (!m || !ACTION_KINDS.has(m[1]!)) throw new LessonFormatError(`${where}: "${line}" is not an action (type, upload, wait, highlight-task, highlight-message, show-panel)`);
  const value = m[2]!;
  if (value.length === 0) throw new LessonFormatError(`${where}: ${m[1]} needs a value`);
  switch (m[1]) {
    case 'type': return { kind: 'type', text: value };
    case 'upload':
      if (!/^[\w./-]+\.wasm$/.test(value) || value.includes('..')) throw new LessonFormatError(`${where}: upload takes a .wasm path under servers/build/`);
      return { kind: 'upload', path: value };
    case 'wait': return { kind: 'wait', text: value };
    case 'highlight-task': return { kind: 'highlight-task', name: value };
    case 'show-panel':
      if (!/^[\w-]+$/.test(value)) throw new LessonFormatError(`${where}: show-panel takes a panel id`);
      return { kind: 'show-panel', panel: value };
    default: return { kind: 'highlight-message', search: value };
  }
}

export function parseLesson(id: string, source: string): Lesson {
  const lines = source.replace(/\r/g, '').split('\n');
  let title = '';
  const intro: string[] = [];
  const steps: LessonStep[] = [];
  let prose: string[] = intro;
  let fence: LessonAction[] | null = null;
  let inOtherFence = false;
  for (const [i, line] of lines.entries()) {
    const where = `${id}.md line ${i + 1}`;
    if (fence) {
      if (line.trim() === '```') { fence = null; continue; }
      if (line.trim()) fence.push(action(line.trim(), where));
      continue;
    }
    if (inOtherFence) { if (line.trim() === '```') inOtherFence = false; prose.push(line); continue; }
    if (line.trim() === '```step') {
      const step = steps[steps.length - 1];
      if (!step) throw new LessonFormatError(`${where}: a step block must follow a "## " step heading`);
      fence = step.actions;
      continue;
    }
    if (line.startsWith('```')) { inOtherFence = true; prose.push(line); continue; }
    if (line.startsWith('# ') && !title) { title = line.slice(2).trim(); continue; }
    if (line.startsWith('## ')) {
      const step: LessonStep = { title: line.slice(3).trim(), prose: [], actions: [] };
      steps.push(step);
      prose = step.prose;
      continue;
    }
    prose.push(line);
  }
  if (fence) throw new LessonFormatError(`${id}.md: a step block is not closed`);
  if (!title) throw new LessonFormatError(`${id}.md: no "# " title`);
  if (steps.length === 0) throw new LessonFormatError(`${id}.md: no "## " steps`);
  return { id, title, intro: paragraphs(intro), steps: steps.map((s) => ({ ...s, prose: paragraphs(s.prose) })) };
}
