// The worker side of the playground: owns a Machine and runs it in slices,
// yielding between slices so host input (serial) gets in. Its API is exposed
// to the page with comlink; serial output streams back through a callback.
import * as Comlink from 'comlink';
import { Machine, type BoardConfig, type StopReason } from '../board/machine.ts';

/** Guest cycles per slice: about 10-30 ms of host time. */
const SLICE = 5_000_000;

export class MachineHost {
  private machine: Machine | null = null;
  private running = false;
  private onSerial: (bytes: Uint8Array) => void = () => {};
  private onStop: (reason: StopReason) => void = () => {};

  boot(config: BoardConfig, onSerial: (bytes: Uint8Array) => void, onStop: (reason: StopReason) => void): void {
    this.machine = new Machine(config);
    this.onSerial = onSerial;
    this.onStop = onStop;
    this.machine.onSerial = (bytes) => this.onSerial(bytes);
    this.running = true;
    void this.loop();
  }

  sendSerial(bytes: Uint8Array): void {
    this.machine?.sendSerial(bytes);
  }

  stats(): { instret: number; cycles: number } {
    return { instret: this.machine?.instret ?? 0, cycles: this.machine?.cycles ?? 0 };
  }

  private async loop(): Promise<void> {
    const m = this.machine;
    while (this.running && m === this.machine && m !== null) {
      const stop = m.run(SLICE);
      if (stop.kind === 'poweroff') { this.running = false; this.onStop(stop); return; }
      // Yield to the event loop so messages from the page are handled; when the
      // guest idles with no timer armed, wait a little instead of spinning.
      const idleForever = stop.kind === 'idle' && stop.until === Infinity;
      await new Promise((r) => setTimeout(r, idleForever ? 10 : 0));
    }
  }
}

Comlink.expose(new MachineHost());
