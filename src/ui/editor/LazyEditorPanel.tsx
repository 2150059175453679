// What the panel registry mounts: nothing until the Editor tab is first shown,
// then the editor's chunk (the panel, and from it Monaco and the compile
// worker). Keeps all of it out of what loads before the shell prompt.
import { Suspense, lazy, useEffect, useState, type ReactNode } from 'react';

const EditorPanel = lazy(() => import('./EditorPanel.tsx').then((m) => ({ default: m.EditorPanel })));

export function LazyEditorPanel({ active }: { active: boolean }): ReactNode {
  const [shown, setShown] = useState(active);
  useEffect(() => { if (active) setShown(true); }, [active]);
  if (!shown) return null;
  return (
    <Suspense fallback={<p className="editor-loading" role="status">Loading the editor…</p>}>
      <EditorPanel active={active} />
    </Suspense>
  );
}
