// The panels of step 5's first part. Later features register theirs the same way.
import { BrowserPanel } from '../browser/BrowserPanel.tsx';
import { LazyEditorPanel } from '../editor/LazyEditorPanel.tsx';
import { MachinePanel } from '../machine/MachinePanel.tsx';
import { LessonsPanel } from '../lessons/LessonsPanel.tsx';
import { ShellPanel } from '../shell/ShellPanel.tsx';
import { SnapshotsPanel } from '../snapshots/SnapshotsPanel.tsx';
import { TasksPanel } from '../tasks/TasksPanel.tsx';
import { TracePanel } from '../trace/TracePanel.tsx';
import { PanelRegistry } from './panel-registry.ts';

export function builtinPanels(): PanelRegistry {
  const r = new PanelRegistry();
  r.register({ id: 'shell', title: 'Shell', area: 'primary', order: 0, shortcut: '1', render: ({ active }) => <ShellPanel active={active} /> });
  r.register({ id: 'trace', title: 'IPC trace', area: 'secondary', order: 0, shortcut: '2', render: ({ active }) => <TracePanel active={active} /> });
  r.register({ id: 'tasks', title: 'Tasks', area: 'secondary', order: 1, shortcut: '3', render: () => <TasksPanel /> });
  r.register({
    id: 'machine', title: 'Machine', area: 'secondary', order: 2, shortcut: '4',
    render: ({ initialBootargs }) => <MachinePanel initialBootargs={initialBootargs} />,
  });
  // The editor loads its chunk (and Monaco, the compilers) only when first shown.
  r.register({ id: 'editor', title: 'Editor', area: 'secondary', order: 3, shortcut: '5', render: ({ active }) => <LazyEditorPanel active={active} /> });
  r.register({ id: 'browser', title: 'Browser', area: 'secondary', order: 4, shortcut: '6', render: ({ active }) => <BrowserPanel active={active} /> });
  r.register({ id: 'snapshots', title: 'Snapshots', area: 'secondary', order: 5, shortcut: '7', render: () => <SnapshotsPanel /> });
  r.register({ id: 'lessons', title: 'Lessons', area: 'secondary', order: 6, shortcut: '8', render: () => <LessonsPanel /> });
  return r;
}
