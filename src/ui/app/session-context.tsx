// React access to the machine session and the selection.
import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import type { MachineStatus, TaskRow } from '../../host/protocol.ts';
import type { MachineSession, SessionTopic } from '../machine/machine-session.ts';
import type { Selection } from './selection.ts';

export interface AppContextValue {
  session: MachineSession;
  selection: Selection;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const v = useContext(AppContext);
  if (!v) throw new Error('useApp outside <AppContext.Provider>');
  return v;
}

export function useSession(): MachineSession {
  return useApp().session;
}

function useTopic<T>(topic: SessionTopic, read: (s: MachineSession) => T): T {
  const session = useSession();
  const subscribe = useCallback((fn: () => void) => session.subscribe(topic, fn), [session, topic]);
  return useSyncExternalStore(subscribe, () => read(session));
}

export const useStatus = (): MachineStatus => useTopic('status', (s) => s.status);
export const useTasks = (): TaskRow[] => useTopic('tasks', (s) => s.tasks);
export const useNotice = (): string | null => useTopic('notice', (s) => s.notice);

export function useSelectedTask(): [number | null, (id: number | null) => void] {
  const { selection } = useApp();
  const subscribe = useCallback((fn: () => void) => selection.subscribe(fn), [selection]);
  const task = useSyncExternalStore(subscribe, () => selection.task);
  const set = useCallback((id: number | null) => selection.setTask(id), [selection]);
  return [task, set];
}

/** Re-renders on every trace append while `live` (a hidden viewer skips them and catches up when shown). */
export function useTraceVersion(live = true): number {
  const session = useSession();
  const subscribe = useCallback((fn: () => void) => (live ? session.trace.subscribe(fn) : () => {}), [session, live]);
  return useSyncExternalStore(subscribe, () => session.trace.version);
}
