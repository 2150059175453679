// The worker side of the playground: a MachineController exposed to the page
// with comlink (see protocol.ts for what streams back).
import * as Comlink from 'comlink';
import { MachineController } from './machine-controller.ts';
import type { BatchSink } from './output-batcher.ts';
import type { BootOptions, MachineStatus } from './protocol.ts';

type Releasable = { [Comlink.releaseProxy]?: () => void };

class WorkerMachineController extends MachineController {
  private sink: BatchSink | null = null;

  /** A reboot brings a new sink (a comlink proxy of the page's callback): let the old one go. */
  override boot(options: BootOptions, sink: BatchSink | null): MachineStatus {
    this.replaceSink(sink);
    return super.boot(options, sink);
  }

  override attach(sink: BatchSink): MachineStatus {
    this.replaceSink(sink);
    return super.attach(sink);
  }

  private replaceSink(sink: BatchSink | null): void {
    if (this.sink && this.sink !== sink) (this.sink as Releasable)[Comlink.releaseProxy]?.();
    this.sink = sink;
  }
}

Comlink.expose(new WorkerMachineController());
