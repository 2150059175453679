// The page's entry: starts the machine worker, renders the app and boots the
// kernel. Query parameters: ?bootargs=... (what to boot; default: the
// self-test until the shell exists), ?prompt=... (the console text that ends
// "time to prompt"; the benchmark uses it).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { Selection } from './app/selection.ts';
import './app/styles.css';
import { BOOT_MODES, DEFAULT_BOOT_MODE } from './machine/boot-modes.ts';
import { connectWorker } from './machine/host-api.ts';
import { fetchKernelImage } from './machine/kernel-image.ts';
import { MachineSession } from './machine/machine-session.ts';

const params = new URLSearchParams(location.search);
const bootargs = params.get('bootargs') ?? BOOT_MODES.find((m) => m.id === DEFAULT_BOOT_MODE)!.bootargs;
// Start fetching the kernel while React renders.
const image = fetchKernelImage();
const session = new MachineSession(connectWorker(), () => image, { promptText: params.get('prompt') ?? undefined });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App session={session} selection={new Selection()} initialBootargs={bootargs} />
  </StrictMode>,
);
void session.boot(bootargs);
