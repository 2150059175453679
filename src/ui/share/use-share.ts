// React access to the page's ShareSession (its message and replay progress).
import { useCallback, useSyncExternalStore } from 'react';
import { useSession } from '../app/session-context.tsx';
import type { ShareSession } from './share-session.ts';

export function useShare<T>(read: (s: ShareSession) => T): T {
  const share = useSession().share;
  const subscribe = useCallback((fn: () => void) => share.subscribe(fn), [share]);
  return useSyncExternalStore(subscribe, () => read(share));
}
