// What the page may ask of the worker's ShareHost (src/host/replay/share-host.ts),
// through comlink: the same methods, answered asynchronously.
import type { SnapshotMeta } from '../../host/replay/snapshot-bundle.ts';
import type { BootFacts, OpenResult, RecordingErrorResult, ReplayProgress, ShareLink, TravelResult } from '../../host/replay/share-host.ts';

export interface ShareApi {
  open(packed: Uint8Array, facts: BootFacts, options?: { pauseAtEnd?: boolean }): Promise<OpenResult>;
  link(): Promise<ShareLink | RecordingErrorResult>;
  replayProgress(): Promise<ReplayProgress | null>;
  stateHash(): Promise<string | null>;
  buildId(): Promise<string>;
  snapshot(label: string): Promise<{ bytes: Uint8Array; meta: SnapshotMeta } | RecordingErrorResult>;
  restore(file: Uint8Array): Promise<{ ok: true; meta: SnapshotMeta } | RecordingErrorResult>;
  travel(instret: number): Promise<TravelResult | RecordingErrorResult>;
  backToLive(): Promise<void>;
  continueFromPast(): Promise<{ ok: true; hash: string } | RecordingErrorResult>;
}
