// Owns the Machine in the worker: runs it in slices and yields between them,
// sleeps while the guest idles (until its next timer deadline in wall time, or
// until input), and streams console output, trace records, the task table and
// its status to the page through an OutputBatcher. Host input reaches the
// guest only through machine.sendSerial between slices, so the board's input
// log replays the session exactly.
import { Machine, type StopReason } from '../board/machine.ts';
import { HostTree, NinePServer, guestClock } from './9p/index.ts';
import { ConsoleWatch } from './console-watch.ts';
import type { GuestHttpRequest, GuestHttpResponse } from './guest-http.ts';
import { GuestNetwork } from './guest-network.ts';
import { realTimers, Sleeper, type HostTimers } from './host-timers.ts';
import { MailboxClient, parseReply } from './mailbox-client.ts';
import { MipsMeter } from './mips-meter.ts';
import { OutputBatcher, type BatchSink } from './output-batcher.ts';
import type { BootOptions, KillResult, MachineStatus, PromptTiming, RunState, SpawnResult, TaskRow } from './protocol.ts';
import { RunPacer } from './run-pacer.ts';
import { ShareHost } from './replay/share-host.ts';
import { runWithDrains } from './replay/trace-drain.ts';
import { SliceSizer } from './slice-sizer.ts';
import { TaskTracker } from './task-tracker.ts';

export const DEFAULT_PROMPT_TEXT = 'shell>';
/** How often a running machine's status (MIPS, counters) reaches the page without other output. */
const STATUS_INTERVAL_MS = 250;

/** Where spawnFile puts uploaded programs in the host tree (the guest's /host/uploads). */
export const UPLOADS_DIR = '/uploads';

export const NOT_RUNNING = 'The machine is not running.';
export const NO_ANSWER =
  'The OS did not answer: only a running WasmOS (its init drives the host mailbox) can spawn or kill for the page.';

export class MachineController {
  /** The files the guest sees under /host. */
  readonly hostTree = new HostTree();
  private machine: Machine | null = null;
  private options: BootOptions | null = null;
  private state: RunState = 'off';
  private paused = false;
  private epochNo = 0;
  private error: string | null = null;
  private powerCode: number | null = null;
  private bootWall = 0;
  private firstOutputMs: number | null = null;
  private prompt: PromptTiming | null = null;
  private watch: ConsoleWatch | null = null;
  private traceOn = true;
  private guestResets = 0;
  private traceDropped = 0;
  private readonly sleeper: Sleeper;
  private readonly pacer = new RunPacer();
  private sizer = new SliceSizer();
  private readonly meter = new MipsMeter();
  private readonly tracker = new TaskTracker();
  private readonly batcher: OutputBatcher;
  private cancelStatusTimer: (() => void) | null = null;
  private readonly mailbox: MailboxClient;
  /** How long spawnFile and killTask wait for the OS's answer (wall time). */
  mailboxTimeoutMs = 15_000;
  /** The guest's network: the user-mode gateway, fetch outwards, HTTP into the guest for the Browser pane. */
  readonly network = new GuestNetwork({ wake: () => this.sleeper.wake() });
  /** Recording, replay of links, snapshots, time travel (src/host/replay); the page calls it as `share`. */
  readonly share = new ShareHost(this.hostTree, {
    setTrace: (on) => this.applyTrace(on),
    pause: () => { this.pause(); },
    resume: () => { this.resume(); },
    tasks: () => this.tracker.rows(),
    adopt: (m, console, tasks) => this.adopt(m, console, tasks),
  });

  constructor(private readonly timers: HostTimers = realTimers()) {
    this.sleeper = new Sleeper(timers);
    this.mailbox = new MailboxClient(timers);
    this.batcher = new OutputBatcher(timers, {
      epoch: () => this.epochNo,
      status: () => this.status(),
      takeTasks: () => (this.tracker.dirty ? this.tracker.rows() : undefined),
    });
  }

  /**
   * Builds a machine from `options` and starts it; output goes to `sink`. With
   * no sink yet (the page boots before its UI has loaded) the output is kept
   * until attach().
   */
  boot(options: BootOptions, sink: BatchSink | null): MachineStatus {
    this.options = { ...options };
    this.traceOn = options.trace ?? true;
    this.batcher.setSink(sink);
    this.start();
    return this.status();
  }

  /** Sends the output from now on to `sink`, starting with what was kept since the boot. */
  attach(sink: BatchSink): MachineStatus {
    this.batcher.setSink(sink);
    this.batcher.touch();
    return this.status();
  }

  /** Powers the board off and on again with the same options (a new machine). */
  reset(): MachineStatus {
    if (this.options) this.start();
    return this.status();
  }

  pause(): MachineStatus {
    if (this.machine && !this.paused && (this.state === 'running' || this.state === 'idle')) {
      this.paused = true;
      this.setState('paused');
      this.sleeper.wake();
    }
    return this.status();
  }

  resume(): MachineStatus {
    if (this.machine && this.paused) {
      this.paused = false;
      this.pacer.reset();
      this.setState('running');
      this.sleeper.wake();
    }
    return this.status();
  }

  /** Console input; it enters the guest at the start of the next slice. */
  sendInput(bytes: Uint8Array): void {
    if (!this.machine || bytes.length === 0 || !this.share.acceptsInput) return;
    this.machine.sendSerial(bytes);
    this.sleeper.wake();
  }

  setTraceEnabled(on: boolean): MachineStatus {
    if (!this.share.acceptsInput) return this.status();
    if (on !== this.traceOn) this.share.traceSwitched(on);
    this.applyTrace(on);
    return this.status();
  }

  private applyTrace(on: boolean): void {
    this.traceOn = on;
    this.machine?.trace?.setEnabled(on);
    this.batcher.touch();
  }

  /** Asks the OS (through the host mailbox) to kill task `id`, even while its console is busy. */
  async killTask(id: number): Promise<KillResult> {
    if (!Number.isInteger(id) || id <= 0) return { ok: false, message: `${id} is not a task id.` };
    if (!this.running) return { ok: false, message: NOT_RUNNING };
    const reply = await this.ask(`kill ${id}`);
    if (reply === null) return { ok: false, message: NO_ANSWER };
    const r = parseReply(reply);
    if (r.ok) return { ok: true, message: `Task ${id} killed.` };
    if (r.code === 'E_NO_TASK' || r.code === 'E_EXITED') return { ok: false, message: `There is no live task ${id}.` };
    return { ok: false, message: `Cannot kill task ${id}: ${r.code}${r.rest ? ` (${r.rest})` : ''}.` };
  }

  /** Puts a file into /host/uploads without running it (uploads restored after a reload). */
  storeFile(name: string, bytes: Uint8Array): boolean {
    if (!/^[^\s/]+$/.test(name) || name === '.' || name === '..' || !this.share.acceptsInput) return false;
    try {
      this.hostTree.writeFile(`${UPLOADS_DIR}/${name}`, bytes);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Puts `bytes` at /host/uploads/<name> and asks the OS to run it (with
   * `args`), even while its console is busy: the new task's id, or why not.
   */
  async spawnFile(name: string, bytes: Uint8Array, args: string[] = []): Promise<SpawnResult> {
    // The command is split at spaces, so neither the name nor an argument may hold one.
    if (!/^[^\s/]+$/.test(name) || name === '.' || name === '..') {
      return { ok: false, task: null, message: `"${name}" is not a usable file name (no spaces or slashes).` };
    }
    const bad = args.find((a) => a.length === 0 || /\s/.test(a));
    if (bad !== undefined) return { ok: false, task: null, message: `Arguments cannot be empty or hold spaces: "${bad}".` };
    if (!this.running) return { ok: false, task: null, message: NOT_RUNNING };
    if (!this.share.acceptsInput) return { ok: false, task: null, message: 'Wait until the replay has finished.' };
    try {
      this.hostTree.writeFile(`${UPLOADS_DIR}/${name}`, bytes);
    } catch (e) {
      return { ok: false, task: null, message: `Cannot store ${name}: ${(e as Error).message}` };
    }
    const reply = await this.ask(['spawn', `/host${UPLOADS_DIR}/${name}`, ...args].join(' '));
    if (reply === null) return { ok: false, task: null, message: NO_ANSWER };
    const r = parseReply(reply);
    const task = Number(r.rest);
    if (r.ok && Number.isInteger(task)) return { ok: true, task, message: `Started ${name} as task ${task}.` };
    return { ok: false, task: null, message: `Cannot run ${name}: ${r.code || reply}${r.rest ? ` (${r.rest})` : ''}.` };
  }

  /**
   * One HTTP exchange with a server inside the guest (the Browser pane's
   * Service Worker path): its response, or an error text for the page to show.
   */
  async guestFetch(port: number, req: GuestHttpRequest): Promise<GuestHttpResponse | { error: string }> {
    if (!Number.isInteger(port) || port < 1 || port > 65535) return { error: `${port} is not a TCP port.` };
    if (!this.running || !this.machine?.net) return { error: 'The machine is not running with a network card.' };
    if (!this.share.acceptsInput) return { error: 'Wait until the replay has finished.' };
    try {
      return await this.network.request(port, req, (ms, f) => this.timers.after(ms, f));
    } catch (e) {
      return { error: (e as Error).message };
    }
  }

  /** Packet capture of the guest's network: on/off, and the .pcap file so far. */
  setCapture(on: boolean): void {
    this.network.setCapture(on);
  }

  pcap(): Uint8Array {
    return this.network.capture();
  }

  /** Non-HTTP TCP through a wisp relay (null: HTTP only); an error text for a bad URL. */
  setRelay(url: string | null): string | null {
    try {
      this.network.setRelay(url);
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  }

  /** One mailbox request; null when no running machine answered. */
  private get running(): boolean {
    return this.machine !== null && !this.paused && (this.state === 'running' || this.state === 'idle');
  }

  private async ask(command: string): Promise<string | null> {
    if (!this.running || !this.share.acceptsInput) return null;
    const reply = this.mailbox.request(command, this.mailboxTimeoutMs);
    this.sleeper.wake(); // the command enters at the next slice: do not sleep through a timer wait
    return reply;
  }

  /** The board's record of host input (cycle count and bytes), to replay a session. */
  inputLog(): Array<{ cycles: number; data: Uint8Array }> {
    return (this.machine?.inputLog ?? []).map(({ cycles, data }) => ({ cycles, data }));
  }

  tasks(): TaskRow[] {
    return this.tracker.rows();
  }

  /** Stops the machine for good (tests; a page closing just ends the worker). */
  shutdown(): void {
    this.epochNo++;
    this.machine = null;
    this.network.attach(null);
    this.share.detach();
    this.mailbox.attach(null);
    this.state = 'off';
    this.stopStatusTimer();
    this.batcher.setSink(null);
    this.sleeper.wake();
  }

  status(): MachineStatus {
    const m = this.machine;
    const now = this.timers.now();
    return {
      state: this.state,
      epoch: this.epochNo,
      powerCode: this.powerCode,
      error: this.error,
      bootargs: this.options?.bootargs ?? '',
      instret: m?.instret ?? 0,
      cycles: m?.cycles ?? 0,
      mips: this.state === 'running' || this.state === 'idle' ? this.meter.mips(now) : 0,
      busyMips: this.meter.busyMips(),
      uptimeMs: m ? now - this.bootWall : 0,
      ramBytes: m ? m.ram.size : 0,
      taskMemBytes: this.tracker.memBytes(),
      firstOutputMs: this.firstOutputMs,
      prompt: this.prompt,
      promptText: this.options?.promptText ?? DEFAULT_PROMPT_TEXT,
      traceEnabled: this.traceOn && !!m?.trace,
      traceDropped: this.traceDropped + this.batcher.lostRecords,
      guestResets: this.guestResets,
    };
  }

  /** Takes over a restored machine (a snapshot, the past from time travel), paused. */
  private adopt(m: Machine, console: Uint8Array, tasks: Array<{ id: number; parent: number; priority: number; name: string }>): void {
    const { image, initrd, bootargs, memMiB } = m.config;
    this.options = { ...this.options, image, initrd, bootargs, memMiB, promptText: this.options?.promptText };
    this.traceOn = m.trace?.enabled ?? this.traceOn;
    this.start(m);
    this.tracker.feed(tasks.map((t) => ({ kind: 'task-create' as const, time: m.instret, task: 0, ...t })));
    if (console.length > 0) this.batcher.addSerial(console);
    this.pause();
  }

  private start(adopted?: Machine): void {
    const opts = this.options!;
    const epoch = ++this.epochNo;
    this.machine = null;
    this.mailbox.attach(null);
    this.paused = false;
    this.error = null;
    this.powerCode = null;
    this.firstOutputMs = null;
    this.prompt = null;
    this.guestResets = 0;
    this.traceDropped = 0;
    this.tracker.reset();
    this.meter.reset();
    // A new machine's code is not compiled yet: start with small slices again.
    this.sizer = new SliceSizer();
    this.pacer.reset();
    this.batcher.clear();
    this.bootWall = this.timers.now();
    this.watch = new ConsoleWatch(opts.promptText ?? DEFAULT_PROMPT_TEXT);
    const m = adopted ?? this.build(opts);
    if (!m) return;
    m.trace?.setEnabled(this.traceOn);
    m.onSerial = (bytes) => this.serial(bytes, m);
    this.machine = m;
    this.network.attach(m);
    this.share.afterBoot(m);
    this.mailbox.attach(m);
    this.setState('running');
    this.startStatusTimer();
    this.sleeper.wake();
    void this.loop(epoch, m);
  }

  /** A new machine for `opts`, or null (the error is the status). */
  private build(opts: BootOptions): Machine | null {
    try {
      // A recording opened from a link sets the board (and the host tree) up as it was.
      const board = this.share.beforeBoot(opts, this.traceOn);
      this.traceOn = board.traceOn;
      opts.bootargs = board.bootargs;
      opts.memMiB = board.memMiB;
      // The host file tree (the guest's /host) outlives reboots: it holds the user's files.
      const m = new Machine({
        image: opts.image, bootargs: board.bootargs, memMiB: board.memMiB, initrd: opts.initrd,
        hostFs: new NinePServer(this.hostTree),
        ...(opts.net === false ? {} : { net: { backend: this.network.backend } }),
      });
      this.hostTree.clock = guestClock(m);
      return m;
    } catch (e) {
      this.share.detach();
      this.error = (e as Error).message;
      this.setState('error');
      this.sleeper.wake();
      return null;
    }
  }

  private serial(bytes: Uint8Array, m: Machine): void {
    this.share.console.write(bytes);
    this.firstOutputMs ??= this.timers.now() - this.bootWall;
    if (this.watch?.feed(bytes)) {
      this.prompt = { text: this.options?.promptText ?? DEFAULT_PROMPT_TEXT, wallMs: this.timers.now() - this.bootWall, instret: m.instret };
      this.batcher.touch();
    }
    this.batcher.addSerial(bytes);
  }

  private setState(s: RunState): void {
    if (this.state === s) return;
    this.state = s;
    this.batcher.touch();
  }

  private startStatusTimer(): void {
    this.stopStatusTimer();
    const tick = (): void => {
      if (this.state === 'running' || this.state === 'idle') this.batcher.touch();
      this.cancelStatusTimer = this.timers.after(STATUS_INTERVAL_MS, tick);
    };
    this.cancelStatusTimer = this.timers.after(STATUS_INTERVAL_MS, tick);
  }

  private stopStatusTimer(): void {
    this.cancelStatusTimer?.();
    this.cancelStatusTimer = null;
  }

  private async loop(epoch: number, m: Machine): Promise<void> {
    await this.timers.yieldToEvents();
    // Guest cycles the next slice must first skip: a timer wait that the wall clock has served.
    let skip = 0;
    while (epoch === this.epochNo) {
      if (this.paused || this.state === 'poweroff') {
        await this.sleeper.sleep(Infinity);
        skip = 0;
        continue;
      }
      this.network.muted = this.share.isReplaying;
      this.network.tick(this.timers.now());
      if (this.share.isReplaying) {
        // A link's replay runs at full speed (idle time is not waited out), then the user takes over.
        this.share.replaySlice(() => this.drainTrace(m));
        this.batcher.touch();
        await this.timers.yieldToEvents();
        continue;
      }
      const instret0 = m.instret;
      const t0 = this.timers.now();
      // The trace is drained at guest-time instants only (replay/trace-drain.ts): the guest sees its ring emptied.
      const stop: StopReason = runWithDrains(m, skip + this.sizer.cycles, () => this.drainTrace(m));
      skip = 0;
      const t1 = this.timers.now();
      if (epoch !== this.epochNo) return;
      this.meter.record(t1, m.instret, t1 - t0);
      if (stop.kind === 'budget') this.sizer.record(m.instret - instret0, t1 - t0);
      this.share.afterSlice(m);
      switch (stop.kind) {
        case 'poweroff':
          this.powerCode = stop.code;
          this.tracker.machineStopped();
          this.setState('poweroff');
          break;
        case 'idle': {
          this.setState('idle');
          const ms = this.pacer.idleSleepMs(m.cycles, stop.until, t1);
          // Woken early (input, pause) the guest goes on from where it is, not from its deadline.
          let served = true;
          if (ms > 0) served = await this.sleeper.sleep(ms);
          else await this.timers.yieldToEvents();
          if (served && stop.until !== Infinity) skip = stop.until - m.cycles;
          break;
        }
        case 'reset':
          // The board has rebooted itself; the old tasks are gone.
          this.guestResets++;
          this.tracker.reset();
          this.setState('running');
          await this.timers.yieldToEvents();
          break;
        case 'budget':
          this.setState('running');
          await this.timers.yieldToEvents();
          break;
      }
    }
  }

  private drainTrace(m: Machine): void {
    if (!m.trace || !this.traceOn) return;
    const { records, dropped } = m.trace.drain();
    if (dropped !== this.traceDropped) { this.traceDropped = dropped; this.batcher.touch(); }
    if (records.length === 0) return;
    this.tracker.feed(records);
    this.batcher.addTrace(records);
  }
}
