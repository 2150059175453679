// Drag a .wasm anywhere onto the page, or pick one: it goes into the guest's
// /host/uploads and the OS starts it at once (through the host mailbox, so a
// busy shell does not matter). The OS validates it; its answer (task id or the
// reason it was refused) shows as the page's notice, and the kernel's log line
// appears in the terminal.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useNotice, useSession } from '../app/session-context.tsx';
import { BrowserRun } from '../portable/BrowserRun.tsx';

/** Uploads the files one after the other (the OS answers each in turn). */
async function startAll(files: FileList | File[], spawn: (name: string, bytes: Uint8Array) => Promise<unknown>): Promise<void> {
  for (const f of Array.from(files)) await spawn(f.name, new Uint8Array(await f.arrayBuffer()));
}

export function UploadDrop(): ReactNode {
  const session = useSession();
  const notice = useNotice();
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const spawn = (name: string, bytes: Uint8Array): Promise<unknown> => session.spawnFile(name, bytes);

  useEffect(() => {
    const hasFiles = (e: DragEvent): boolean => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    const over = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setDragging(true);
    };
    const leave = (e: DragEvent): void => {
      if (e.relatedTarget === null) setDragging(false);
    };
    const drop = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setDragging(false);
      if (e.dataTransfer?.files.length) void startAll(e.dataTransfer.files, spawn);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  });

  return (
    <>
      <button type="button" className="upload-button" onClick={() => input.current?.click()}>Run a .wasm…</button>
      <BrowserRun />
      <input
        ref={input} type="file" accept=".wasm,application/wasm" multiple hidden aria-label="Run a .wasm file"
        onChange={(e) => { if (e.target.files?.length) void startAll(e.target.files, spawn); e.target.value = ''; }}
      />
      {notice && <output className="upload-notice" aria-live="polite">{notice}</output>}
      {dragging && <div className="drop-overlay" aria-hidden="true">Drop a .wasm to run it in WasmOS</div>}
    </>
  );
}
