// The lessons shipped with the page: docs/lessons/*.md, parsed at load.
import { parseLesson, type Lesson } from './lesson-format.ts';

const SOURCES = import.meta.glob<string>('../../../docs/lessons/*.md', { query: '?raw', import: 'default', eager: true });

/** In teaching order. */
const ORDER = ['message-passing', 'fault-isolation', 'preemption', 'network-tour'];

export function bundledLessons(): Lesson[] {
  const all = Object.entries(SOURCES).map(([path, src]) => parseLesson(path.split('/').pop()!.replace(/\.md$/, ''), src));
  const rank = (id: string): number => { const i = ORDER.indexOf(id); return i < 0 ? ORDER.length : i; };
  return all.sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
}
