// Renders the app into the page (loaded after the machine has started).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { MachineSession } from '../machine/machine-session.ts';
import { App } from './App.tsx';
import { Selection } from './selection.ts';
import './styles.css';

export function mount(root: HTMLElement, session: MachineSession, initialBootargs: string): void {
  createRoot(root).render(
    <StrictMode>
      <App session={session} selection={new Selection()} initialBootargs={initialBootargs} />
    </StrictMode>,
  );
}
