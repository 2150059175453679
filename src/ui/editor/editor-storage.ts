// The user's edits survive reloads: one localStorage entry per example, and
// which example was open. Storage that is blocked or full only costs
// persistence (the editor keeps working).

const PREFIX = 'wasmos-editor:';
const CURRENT = `${PREFIX}current`;

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The saved text of an example, or null if the user never changed it. */
export function loadEdit(id: string): string | null {
  try {
    return storage()?.getItem(`${PREFIX}source:${id}`) ?? null;
  } catch {
    return null;
  }
}

/** Saves `text`; saving the example's own text forgets the edit. */
export function saveEdit(id: string, text: string, original: string): void {
  try {
    if (text === original) storage()?.removeItem(`${PREFIX}source:${id}`);
    else storage()?.setItem(`${PREFIX}source:${id}`, text);
  } catch { /* not remembered */ }
}

export function forgetEdit(id: string): void {
  try {
    storage()?.removeItem(`${PREFIX}source:${id}`);
  } catch { /* nothing to forget */ }
}

export function loadCurrent(): string | null {
  try {
    return storage()?.getItem(CURRENT) ?? null;
  } catch {
    return null;
  }
}

export function saveCurrent(id: string): void {
  try {
    storage()?.setItem(CURRENT, id);
  } catch { /* not remembered */ }
}
