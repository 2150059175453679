// The portable host: WasmOS apps on the JavaScript engine's own WebAssembly,
// without board or kernel. One PortableKernel routes messages; apps are
// started by the given spawner (in Node a worker thread each); the services
// apps look up are TypeScript tasks started on their first lookup (unless an
// app registered the name first). Nothing here needs Node: the browser's host
// (src/ui/portable/) uses it too.
import { E_DENIED, EXIT_KILLED } from './errors.ts';
import { refuse } from './app-requests.ts';
import { PortableKernel } from './kernel.ts';
import type { AppHost, AppSpec } from './app-requests.ts';
import { startCounter, startEcho, startPong } from './services/demo.ts';
import type { Service } from './services/service.ts';
import type { Task } from './task.ts';

export interface HostOptions {
  /** Where the console output goes (app output and the kernel's lines). */
  out: (bytes: Uint8Array) => void;
  /** The host directory the fs service serves and WASI programs see as "/". */
  dir?: string;
  /**
   * How apps are started (wasm-app.ts's spawnApp: a worker each, in Node).
   * Without one, an app's wasmos.spawn is refused (the browser's single-thread host).
   */
  spawner?: (host: PortableHost, spec: AppSpec) => Promise<number>;
}

/** A service the host can start on demand: name -> starter. */
export type ServiceFactory = (host: PortableHost) => Service;

export class PortableHost implements AppHost {
  readonly kernel = new PortableKernel();
  readonly clockOrigin = performance.timeOrigin + performance.now();
  readonly dir?: string;
  private readonly services: Service[] = [];
  private readonly cleanups: (() => void)[] = [];
  private powerWaiters: (() => void)[] = [];
  poweredOff = false;

  constructor(private readonly opts: HostOptions) {
    this.dir = opts.dir;
    this.offer('pong', () => startPong(this.kernel));
    this.offer('echo', () => startEcho(this.kernel));
    this.offer('counter', () => startCounter(this.kernel));
  }

  print(bytes: Uint8Array): void {
    this.opts.out(bytes);
  }

  /** Makes a TypeScript service available: started when an app first looks `name` up. */
  offer(name: string, start: ServiceFactory): void {
    this.kernel.provideOnDemand(name, () => this.services.push(start(this)));
  }

  /** An app powered the system off (wasmos.system(1)): the kernel's line, then the run ends. */
  powerOff(task: Task): void {
    this.print(new TextEncoder().encode(`system: power off (task ${task.id}, ${task.name})\n`));
    this.poweredOff = true;
    for (const w of this.powerWaiters.splice(0)) w();
  }

  /** Resolves when an app powers the system off. */
  whenPoweredOff(): Promise<void> {
    return this.poweredOff ? Promise.resolve() : new Promise((r) => this.powerWaiters.push(r));
  }

  /** Runs `fn` when the host shuts down (closing sockets, files). */
  onShutdown(fn: () => void): void {
    this.cleanups.push(fn);
  }

  /** Starts a Wasm app: programs get uses=* provides=*, as the OS's shell gives them. */
  spawn(spec: AppSpec): Promise<number> {
    if (!this.opts.spawner) return Promise.resolve(refuse(this, spec.name, E_DENIED, 'this host runs one app (no threads to start another on)'));
    return this.opts.spawner(this, { uses: '*', provides: '*', ...spec });
  }

  task(id: number): Task | undefined {
    return this.kernel.task(id);
  }

  /** Ends every task (apps' workers are terminated) and the services' host resources. */
  shutdown(): void {
    for (const t of this.kernel.liveTasks()) this.kernel.exit(t, EXIT_KILLED);
    for (const fn of this.cleanups.splice(0)) fn();
  }
}
