// What the page may ask of the worker's ShareHost (src/host/replay/share-host.ts),
// through comlink: the same methods, answered asynchronously.
import type { BootFacts, OpenResult, RecordingErrorResult, ReplayProgress, ShareLink } from '../../host/replay/share-host.ts';

export interface ShareApi {
  open(packed: Uint8Array, facts: BootFacts, options?: { pauseAtEnd?: boolean }): Promise<OpenResult>;
  link(): Promise<ShareLink | RecordingErrorResult>;
  replayProgress(): Promise<ReplayProgress | null>;
  stateHash(): Promise<string | null>;
  buildId(): Promise<string>;
}
