// Runs a lesson step's actions against the page's machine session, in order:
// typing goes to the shell, uploads fetch an example program from the build
// and start it through the host mailbox, waits watch the console output that
// arrived since the step began, highlights set the shared task selection or
// the trace search.
import type { MachineSession } from '../machine/machine-session.ts';
import type { Selection } from '../app/selection.ts';
import type { LessonAction, LessonStep } from './lesson-format.ts';

/** Programs a lesson may upload: everything under servers/build/, by path. */
const PROGRAM_URLS = import.meta.glob<string>('../../../servers/build/**/*.wasm', { query: '?url', import: 'default', eager: true });

export const WAIT_TIMEOUT_MS = 60_000;

export interface RunnerHooks {
  /** Asks the trace viewer to search for this text. */
  highlightMessage?: (search: string) => void;
}

export function programUrl(path: string): string | undefined {
  return PROGRAM_URLS[`../../../servers/build/${path}`];
}

export class StepFailed extends Error {}

export async function runStep(step: LessonStep, session: MachineSession, selection: Selection, hooks: RunnerHooks = {}, signal?: AbortSignal): Promise<void> {
  // Console text since the step began (a wait looks only at that).
  let seen = '';
  const dec = new TextDecoder();
  const off = session.console.onData((b) => { seen += dec.decode(b, { stream: true }); });
  try {
    for (const a of step.actions) {
      if (signal?.aborted) throw new StepFailed('stopped');
      await perform(a);
    }
  } finally {
    off();
  }

  async function perform(a: LessonAction): Promise<void> {
    switch (a.kind) {
      case 'type':
        session.sendInput(`${a.text}\r`);
        return;
      case 'upload': {
        const url = programUrl(a.path);
        if (!url) throw new StepFailed(`no program servers/build/${a.path} in this build`);
        const res = await fetch(url);
        if (!res.ok) throw new StepFailed(`could not fetch ${a.path}: HTTP ${res.status}`);
        const name = a.path.split('/').pop()!;
        const r = await session.spawnFile(name, new Uint8Array(await res.arrayBuffer()));
        if (!r.ok) throw new StepFailed(r.message);
        return;
      }
      case 'wait': {
        const end = performance.now() + WAIT_TIMEOUT_MS;
        let from = 0;
        for (;;) {
          const at = seen.indexOf(a.text, from);
          if (at >= 0) { seen = seen.slice(at + a.text.length); return; }
          from = Math.max(0, seen.length - a.text.length);
          if (performance.now() > end) throw new StepFailed(`"${a.text}" did not appear within ${WAIT_TIMEOUT_MS / 1000} s`);
          if (signal?.aborted) throw new StepFailed('stopped');
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      case 'highlight-task': {
        const t = [...session.tasks].reverse().find((x) => x.name === a.name && x.state !== 'exited');
        if (t) selection.setTask(t.id);
        return;
      }
      case 'highlight-message':
        hooks.highlightMessage?.(a.search);
        return;
      case 'show-panel':
        window.dispatchEvent(new CustomEvent('wasmos:show-panel', { detail: a.panel }));
        return;
    }
  }
}
