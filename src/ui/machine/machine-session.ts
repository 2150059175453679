// The page's side of a running machine: boots it through the worker, takes
// the worker's batches apart (console, trace, tasks, status) into the stores
// the panels read, and forwards the user's commands. Batches of an older
// epoch (a boot since replaced) are dropped; a new epoch clears every store.
import type { HostBatch, KillResult, MachineStatus, SpawnResult, TaskRow } from '../../host/protocol.ts';
import { ShareSession } from '../share/share-session.ts';
import type { GuestHttpRequest, GuestHttpResponse } from '../../host/guest-http.ts';
import { ConsoleBuffer } from '../shell/console-buffer.ts';
import { TraceStore } from '../trace/trace-store.ts';
import { pageBootOptions } from './boot-options.ts';
import type { HostApi } from './host-api.ts';

export const OFF_STATUS: MachineStatus = {
  state: 'off', epoch: 0, powerCode: null, error: null, bootargs: '', instret: 0, cycles: 0, mips: 0, busyMips: 0,
  uptimeMs: 0, ramBytes: 0, taskMemBytes: 0, firstOutputMs: null, prompt: null, promptText: 'shell>',
  traceEnabled: false, traceDropped: 0, guestResets: 0,
};

/** Performance marks the benchmark reads (time from navigation). */
export const MARK_FIRST_OUTPUT = 'wasmos-first-output';
export const MARK_PROMPT = 'wasmos-prompt';

export type SessionTopic = 'status' | 'tasks' | 'notice';

/** What a milestone mark carries: the worker's own view of it. */
export interface MarkDetail {
  /** Guest instructions retired by then (the prompt's; 0 when the worker did not say). */
  instret: number;
  /** Wall milliseconds from the worker's boot() (null when the worker did not say). */
  workerMs: number | null;
}

export interface SessionOptions {
  /** Console text that ends "time to prompt". */
  promptText?: string;
  memMiB?: number;
  /** Hands out performance marks; defaults to the page's performance.mark. */
  mark?: (name: string, detail: MarkDetail) => void;
  /** Keeps an uploaded file across reloads (IndexedDB in the page). */
  saveUpload?: (name: string, bytes: Uint8Array) => Promise<void>;
  /** The boot archive (the OS's servers and apps) handed to the kernel as its initrd. */
  loadInitrd?: () => Promise<Uint8Array>;
}

export class MachineSession {
  status: MachineStatus = OFF_STATUS;
  tasks: TaskRow[] = [];
  /** The last answer to a user command worth showing (a kill refused, a boot failed). */
  notice: string | null = null;
  readonly trace = new TraceStore();
  readonly console = new ConsoleBuffer();
  private epoch = -1;
  private image: Promise<Uint8Array> | null = null;
  private initrd: Promise<Uint8Array> | null = null;
  private marked = new Set<string>();
  private listeners: Record<SessionTopic, Set<() => void>> = { status: new Set(), tasks: new Set(), notice: new Set() };
  /** Permalinks, replays, snapshots, time travel (src/ui/share). */
  readonly share: ShareSession;

  constructor(
    private readonly host: HostApi,
    private readonly loadImage: () => Promise<Uint8Array>,
    private readonly options: SessionOptions = {},
  ) {
    this.share = new ShareSession(this, host.share);
  }

  /** The kernel image and the boot archive this page boots (the OS build). */
  async bootFacts(): Promise<{ image: Uint8Array; initrd?: Uint8Array }> {
    this.image ??= this.loadImage();
    const image = await this.image;
    if (!this.options.loadInitrd) return { image };
    this.initrd ??= this.options.loadInitrd();
    return { image, initrd: await this.initrd };
  }

  subscribe(topic: SessionTopic, fn: () => void): () => void {
    this.listeners[topic].add(fn);
    return () => this.listeners[topic].delete(fn);
  }

  private emit(topic: SessionTopic): void {
    for (const l of this.listeners[topic]) l();
  }

  private setNotice(text: string | null): void {
    this.notice = text;
    this.emit('notice');
  }

  /** Boots (or reboots) the machine with `bootargs`. */
  async boot(bootargs: string): Promise<void> {
    this.setNotice(null);
    let image: Uint8Array;
    let initrd: Uint8Array | undefined;
    try {
      this.image ??= this.loadImage();
      image = await this.image;
      if (this.options.loadInitrd) {
        this.initrd ??= this.options.loadInitrd();
        initrd = await this.initrd;
      }
    } catch (e) {
      this.image = null;
      this.initrd = null;
      this.setStatus({ ...OFF_STATUS, state: 'error', error: (e as Error).message, bootargs });
      this.setNotice(`Boot failed: ${(e as Error).message}`);
      return;
    }
    const opts = pageBootOptions({ image, initrd, bootargs, promptText: this.options.promptText, memMiB: this.options.memMiB });
    this.took(await this.host.boot(opts, (batch) => this.applyBatch(batch)));
  }

  /** Takes over a machine the page booted before this session existed (src/ui/machine/early-boot.ts). */
  async attach(): Promise<void> {
    this.took(await this.host.attach((batch) => this.applyBatch(batch)));
  }

  private took(status: MachineStatus): void {
    this.adoptEpoch(status.epoch);
    this.setStatus(status);
    if (status.state === 'error') this.setNotice(`Boot failed: ${status.error}`);
  }

  async pause(): Promise<void> { this.applyStatus(await this.host.pause()); }
  async resume(): Promise<void> { this.applyStatus(await this.host.resume()); }
  async reset(): Promise<void> { this.applyStatus(await this.host.reset()); }

  async setTraceEnabled(on: boolean): Promise<void> { this.applyStatus(await this.host.setTraceEnabled(on)); }

  sendInput(data: string | Uint8Array): void {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    if (bytes.length > 0) void this.host.sendInput(bytes);
  }

  /** Uploads a program and starts it in the OS; the answer becomes the notice. */
  async spawnFile(name: string, bytes: Uint8Array): Promise<SpawnResult> {
    void this.options.saveUpload?.(name, bytes);
    const r = await this.host.spawnFile(name, bytes);
    this.setNotice(r.message);
    return r;
  }

  /** One HTTP exchange with a server inside the guest (the Browser pane's Service Worker path). */
  guestFetch(port: number, req: GuestHttpRequest): Promise<GuestHttpResponse | { error: string }> {
    return this.host.guestFetch?.(port, req) ?? Promise.resolve({ error: 'This machine has no network bridge.' });
  }

  /** Switches the capture of the guest's network traffic on or off. */
  setCapture(on: boolean): Promise<void> {
    return this.host.setCapture?.(on) ?? Promise.resolve();
  }

  /** The traffic captured so far as a .pcap file (null without a network bridge). */
  async pcap(): Promise<Uint8Array | null> {
    return (await this.host.pcap?.()) ?? null;
  }

  /** Non-HTTP TCP through a wisp relay (null: HTTP only); an error text for a bad URL. */
  setRelay(url: string | null): Promise<string | null> {
    return this.host.setRelay?.(url) ?? Promise.resolve('This machine has no network bridge.');
  }

  /** Puts earlier uploads back into /host/uploads (after a reload), without running them. */
  async restoreUploads(files: Array<{ name: string; bytes: Uint8Array }>): Promise<void> {
    for (const f of files) await this.host.storeFile(f.name, f.bytes);
  }

  async kill(id: number): Promise<KillResult> {
    const r = await this.host.killTask(id);
    this.setNotice(r.message);
    return r;
  }

  /** One batch from the worker. */
  applyBatch(batch: HostBatch): void {
    if (batch.epoch < this.epoch) return;
    this.adoptEpoch(batch.epoch);
    if (batch.serial) {
      this.markOnce(MARK_FIRST_OUTPUT, { instret: 0, workerMs: batch.status.firstOutputMs });
      this.console.write(batch.serial);
    }
    if (batch.trace) this.trace.append(batch.trace);
    if (batch.tasks) {
      this.tasks = batch.tasks;
      this.emit('tasks');
    }
    this.setStatus(batch.status);
  }

  private applyStatus(s: MachineStatus): void {
    if (s.epoch < this.epoch) return;
    this.adoptEpoch(s.epoch);
    this.setStatus(s);
  }

  private setStatus(s: MachineStatus): void {
    if (s.prompt) this.markOnce(MARK_PROMPT, { instret: s.prompt.instret, workerMs: s.prompt.wallMs });
    this.status = s;
    this.emit('status');
  }

  private adoptEpoch(epoch: number): void {
    if (epoch <= this.epoch) return;
    this.epoch = epoch;
    this.console.clear();
    this.trace.clear();
    this.tasks = [];
    this.emit('tasks');
  }

  /** Marks only the first boot's milestones: the benchmark measures from navigation. */
  private markOnce(name: string, detail: MarkDetail): void {
    if (this.marked.has(name)) return;
    this.marked.add(name);
    const mark = this.options.mark ?? ((n: string, d: MarkDetail) => { globalThis.performance?.mark?.(n, { detail: d }); });
    mark(name, detail);
  }
}
