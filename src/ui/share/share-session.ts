// The page's side of sharing: opens a recording (from the URL fragment or a
// file) by handing it to the worker before booting, follows the replay's
// progress, and makes Share links of the running session. A link that cannot
// be used (damaged, hostile, another OS build) becomes an error message and
// the page boots normally.
import type { ReplayProgress, ShareLink, TravelResult } from '../../host/replay/share-host.ts';
import type { SnapshotMeta } from '../../host/replay/snapshot-bundle.ts';
import { RECORDING_FILE_EXT, packedFromFragment } from '../../host/replay/link.ts';
import type { MachineSession } from '../machine/machine-session.ts';
import type { ShareApi } from './share-api.ts';

export interface ShareMessage {
  kind: 'info' | 'ok' | 'error';
  text: string;
}

const POLL_MS = 150;

export class ShareSession {
  message: ShareMessage | null = null;
  progress: ReplayProgress | null = null;
  private readonly listeners = new Set<() => void>();
  private polling = false;

  constructor(private readonly session: MachineSession, readonly api: ShareApi | undefined) {}

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  }

  private emit(): void { for (const l of this.listeners) l(); }

  setMessage(m: ShareMessage | null): void {
    this.message = m;
    this.emit();
  }

  get replaying(): boolean { return this.progress?.state === 'replaying'; }

  /**
   * The first boot of the page: replays the recording `hash` names (#r=...),
   * or boots normally. Resolves true when a recording is being replayed.
   */
  async start(hash: string, bootargs: string): Promise<boolean> {
    let packed: Uint8Array | null = null;
    try {
      packed = packedFromFragment(hash);
    } catch (e) {
      this.setMessage({ kind: 'error', text: `${(e as Error).message}. The page booted normally instead.` });
    }
    if (packed === null) {
      await this.session.boot(bootargs);
      return false;
    }
    return this.openPacked(packed, bootargs);
  }

  /** Replays a packed recording (a link's or a .wasmos-recording file's bytes); boots normally when it is refused. */
  async openPacked(packed: Uint8Array, bootargs: string): Promise<boolean> {
    if (!this.api) {
      await this.session.boot(bootargs);
      return false;
    }
    const facts = await this.session.bootFacts();
    const r = await this.api.open(packed, { ...facts, bootargs });
    if (!r.ok) {
      this.setMessage({ kind: 'error', text: `${r.message} The page booted normally instead.` });
      await this.session.boot(bootargs);
      return false;
    }
    this.progress = { state: 'replaying', cycles: 0, endCycles: r.endCycles, hash: null, expectedHash: '', message: 'Replaying the recording…' };
    this.setMessage({ kind: 'info', text: `Replaying a recording: ${r.inputs} inputs.` });
    await this.session.boot(r.board.bootargs);
    this.poll();
    return true;
  }

  async openFile(file: File, bootargs: string): Promise<boolean> {
    if (file.size > 64 * 1024 * 1024) {
      this.setMessage({ kind: 'error', text: `${file.name} is too large to be a recording.` });
      return false;
    }
    return this.openPacked(new Uint8Array(await file.arrayBuffer()), bootargs);
  }

  private poll(): void {
    if (this.polling || !this.api) return;
    this.polling = true;
    const tick = async (): Promise<void> => {
      const p = await this.api!.replayProgress();
      if (p) this.progress = p;
      if (p && p.state !== 'replaying') {
        this.polling = false;
        this.setMessage({ kind: p.state === 'done' ? 'ok' : 'error', text: p.message });
        return;
      }
      this.emit();
      setTimeout(() => { void tick(); }, POLL_MS);
    };
    void tick();
  }

  /** A Share link for the session now (null fragment: too long, offer the file). */
  async link(): Promise<ShareLink | { error: string }> {
    if (!this.api) return { error: 'Sharing needs the machine worker.' };
    return this.api.link();
  }

  async stateHash(): Promise<string | null> {
    return this.api ? this.api.stateHash() : null;
  }

  /** The page address that opens `fragment`. */
  static urlFor(fragment: string, location: Pick<Location, 'origin' | 'pathname' | 'search'>): string {
    return `${location.origin}${location.pathname}${location.search}#${fragment}`;
  }

  static readonly fileExt = RECORDING_FILE_EXT;

  // ------------------------------------------------------------ snapshots

  async snapshot(label: string): Promise<{ bytes: Uint8Array; meta: SnapshotMeta } | { error: string }> {
    if (!this.api) return { error: 'Snapshots need the machine worker.' };
    return this.api.snapshot(label);
  }

  /** Restores a saved machine (paused at its instant); the message says how it went. */
  async restore(bytes: Uint8Array): Promise<boolean> {
    if (!this.api) return false;
    this.travel = null;
    const r = await this.api.restore(bytes);
    if ('error' in r) { this.setMessage({ kind: 'error', text: r.error }); return false; }
    this.setMessage({ kind: 'ok', text: `Restored "${r.meta.label}" (state hash ${r.meta.hash}); paused.` });
    return true;
  }

  // ------------------------------------------------------------ time travel

  /** The instant being viewed (a trace event's), null when live. */
  travel: { seq: number; result: TravelResult } | null = null;
  travelling = false;

  async goTo(seq: number, instret: number): Promise<void> {
    if (!this.api || this.travelling) return;
    this.travelling = true;
    this.emit();
    try {
      const r = await this.api.travel(instret);
      if ('error' in r) this.setMessage({ kind: 'error', text: `Time travel: ${r.error}` });
      else this.travel = { seq, result: r };
    } finally {
      this.travelling = false;
      this.emit();
    }
  }

  async backToLive(): Promise<void> {
    if (!this.api) return;
    this.travel = null;
    this.emit();
    await this.api.backToLive();
  }

  async continueFromPast(): Promise<void> {
    if (!this.api) return;
    const r = await this.api.continueFromPast();
    this.travel = null;
    if ('error' in r) this.setMessage({ kind: 'error', text: r.error });
    else this.setMessage({ kind: 'ok', text: `Continuing from the past instant (state hash ${r.hash}); the later inputs are dropped. Paused.` });
  }
}
