// What the page needs from the machine worker. The comlink proxy of the
// worker's MachineController provides it; component tests use a fake.
import * as Comlink from 'comlink';
import type { MachineController } from '../../host/machine-controller.ts';
import type { GuestHttpRequest, GuestHttpResponse } from '../../host/guest-http.ts';
import type { BootOptions, HostBatch, KillResult, MachineStatus, SpawnResult } from '../../host/protocol.ts';
import type { ShareApi } from '../share/share-api.ts';
import { EARLY_WORKER_GLOBAL } from './early-worker-global.ts';

export interface HostApi {
  boot(options: BootOptions, sink: (batch: HostBatch) => void): Promise<MachineStatus>;
  /** Boots with nobody listening yet: the worker keeps the output until attach(). */
  bootEarly(options: BootOptions): Promise<MachineStatus>;
  /** Subscribes to the running machine's output, starting with everything kept since its boot. */
  attach(sink: (batch: HostBatch) => void): Promise<MachineStatus>;
  pause(): Promise<MachineStatus>;
  resume(): Promise<MachineStatus>;
  reset(): Promise<MachineStatus>;
  sendInput(bytes: Uint8Array): Promise<void>;
  setTraceEnabled(on: boolean): Promise<MachineStatus>;
  killTask(id: number): Promise<KillResult>;
  /** Puts a program into the guest's /host/uploads and has the OS start it. */
  spawnFile(name: string, bytes: Uint8Array): Promise<SpawnResult>;
  /** Puts a file into the guest's /host/uploads without running it. */
  storeFile(name: string, bytes: Uint8Array): Promise<boolean>;
  /** One HTTP exchange with a server inside the guest (absent: no network bridge). */
  guestFetch?(port: number, req: GuestHttpRequest): Promise<GuestHttpResponse | { error: string }>;
  /** Packet capture of the guest's network (absent: no network bridge). */
  setCapture?(on: boolean): Promise<void>;
  pcap?(): Promise<Uint8Array>;
  /** Non-HTTP TCP through a wisp relay (null: HTTP only); an error text for a bad URL. */
  setRelay?(url: string | null): Promise<string | null>;
  /** Permalinks, replays, snapshots, time travel (the worker's controller.share). */
  share?: ShareApi;
}

/** Takes the worker the HTML started, once; otherwise (dev server, a second page session) starts one. */
function machineWorker(): Worker {
  const g = globalThis as Record<string, unknown>;
  const early = g[EARLY_WORKER_GLOBAL];
  delete g[EARLY_WORKER_GLOBAL];
  if (early instanceof Worker) return early;
  return new Worker(new URL('../../host/machine-worker.ts', import.meta.url), { type: 'module', name: 'machine' });
}

/** Connects to the machine worker and returns its API. */
export function connectWorker(): HostApi {
  const worker = machineWorker();
  const remote = Comlink.wrap<MachineController>(worker);
  return {
    // The sink must be a proxy: functions do not survive structured cloning.
    boot: (options, sink) => remote.boot(options, Comlink.proxy(sink)),
    bootEarly: (options) => remote.boot(options, null),
    attach: (sink) => remote.attach(Comlink.proxy(sink)),
    pause: () => remote.pause(),
    resume: () => remote.resume(),
    reset: () => remote.reset(),
    sendInput: (bytes) => remote.sendInput(bytes),
    setTraceEnabled: (on) => remote.setTraceEnabled(on),
    killTask: (id) => remote.killTask(id),
    spawnFile: (name, bytes) => remote.spawnFile(name, bytes),
    storeFile: (name, bytes) => remote.storeFile(name, bytes),
    guestFetch: (port, req) => remote.guestFetch(port, req),
    setCapture: (on) => remote.setCapture(on),
    pcap: () => remote.pcap(),
    setRelay: (url) => remote.setRelay(url),
    share: remote.share as unknown as ShareApi,
  };
}
