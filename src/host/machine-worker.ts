// The worker side of the playground: a MachineController exposed to the page
// with comlink (see protocol.ts for what streams back).
import * as Comlink from 'comlink';
import { MachineController } from './machine-controller.ts';

Comlink.expose(new MachineController());
