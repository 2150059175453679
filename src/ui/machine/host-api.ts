// What the page needs from the machine worker. The comlink proxy of the
// worker's MachineController provides it; component tests use a fake.
import * as Comlink from 'comlink';
import type { MachineController } from '../../host/machine-controller.ts';
import type { GuestHttpRequest, GuestHttpResponse } from '../../host/guest-http.ts';
import type { BootOptions, HostBatch, KillResult, MachineStatus, SpawnResult } from '../../host/protocol.ts';
import type { ShareApi } from '../share/share-api.ts';

export interface HostApi {
  boot(options: BootOptions, sink: (batch: HostBatch) => void): Promise<MachineStatus>;
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

/** Starts the machine worker and returns its API. */
export function connectWorker(): HostApi {
  const worker = new Worker(new URL('../../host/machine-worker.ts', import.meta.url), { type: 'module', name: 'machine' });
  const remote = Comlink.wrap<MachineController>(worker);
  return {
    // The sink must be a proxy: functions do not survive structured cloning.
    boot: (options, sink) => remote.boot(options, Comlink.proxy(sink)),
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
