// The Browser pane: shows a page served by a TCP server task inside the OS
// (e.g. the webserver app on port 80), through the Service Worker path
// guest/<port>/<path>. Any other tab of this site can open the same address.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { downloadBytes } from '../app/download.ts';
import { useSession, useStatus } from '../app/session-context.tsx';
import { guestUrl, startGuestBridge } from './guest-bridge.ts';
import './browser.css';

type Bridge = 'starting' | 'ready' | 'unavailable';

export function BrowserPanel({ active }: { active: boolean }) {
  const session = useSession();
  const status = useStatus();
  const ids = { port: useId(), path: useId(), relay: useId() };
  const [bridge, setBridge] = useState<Bridge>('starting');
  const [port, setPort] = useState('80');
  const [path, setPath] = useState('/');
  const [shown, setShown] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const [capturing, setCapturing] = useState(false);
  const [relay, setRelay] = useState('');
  const [relayNote, setRelayNote] = useState<string | null>(null);
  const applyRelay = (e: FormEvent): void => {
    e.preventDefault();
    const url = relay.trim();
    void session.setRelay(url === '' ? null : url).then((err) => {
      setRelayNote(err ?? (url === '' ? 'Only HTTP leaves the guest (through fetch).' : `Other TCP goes through the relay at ${url}.`));
    });
  };

  // The Service Worker is registered the first time the pane is shown, never before the prompt.
  useEffect(() => {
    if (!active || bridge !== 'starting') return;
    let live = true;
    void startGuestBridge((p, req) => session.guestFetch(p, req)).then((ok) => { if (live) setBridge(ok ? 'ready' : 'unavailable'); });
    return () => { live = false; };
  }, [active, bridge, session]);

  const portNo = Number(port);
  const portOk = Number.isInteger(portNo) && portNo >= 1 && portNo <= 65535;
  const open = (e: FormEvent): void => {
    e.preventDefault();
    if (!portOk) return;
    setShown(guestUrl(portNo, path.trim() || '/'));
    setReloads((n) => n + 1);
  };
  const running = status.state === 'running' || status.state === 'idle';

  return (
    <div className="browser-panel">
      <form className="toolbar" onSubmit={open} aria-label="Open a page served by the guest">
        <label htmlFor={ids.port}>Port</label>
        <input id={ids.port} className="browser-port" inputMode="numeric" value={port} aria-invalid={!portOk}
          onChange={(e) => setPort(e.target.value.trim())} />
        <label htmlFor={ids.path}>Path</label>
        <input id={ids.path} className="browser-path" value={path} onChange={(e) => setPath(e.target.value)} />
        <button type="submit" className="primary" disabled={!portOk || bridge !== 'ready'}>{shown ? 'Reload' : 'Open'}</button>
        {shown && <a href={shown} target="_blank" rel="noopener">Open in a new tab</a>}
        <span className="browser-capture">
          <label>
            <input type="checkbox" checked={capturing}
              onChange={(e) => { setCapturing(e.target.checked); void session.setCapture(e.target.checked); }} />
            {' '}Capture packets
          </label>
          <button type="button" onClick={() => void session.pcap().then((b) => { if (b) downloadBytes('wasmos.pcap', b, 'application/vnd.tcpdump.pcap'); })}>
            Download .pcap
          </button>
        </span>
      </form>
      <form className="toolbar" onSubmit={applyRelay} aria-label="Relay for TCP that is not HTTP">
        <label htmlFor={ids.relay}>Relay</label>
        <input id={ids.relay} className="browser-path" value={relay} placeholder="ws://127.0.0.1:8021/ (npm run relay)"
          onChange={(e) => setRelay(e.target.value)} />
        <button type="submit">Use relay</button>
        {relayNote && <span role="status">{relayNote}</span>}
      </form>
      <p className="notice" role="status">
        {bridge === 'unavailable'
          ? 'This browser gives the page no Service Worker (it needs https or localhost), so guest pages cannot be shown here.'
          : !running ? 'The machine is not running.' : shown ? '' : 'Start a server in the guest (e.g. `webserver &` in the shell), then open its port.'}
      </p>
      {shown && bridge === 'ready' && (
        // The page comes from the guest: it may run scripts and submit forms, nothing else.
        <iframe key={reloads} className="browser-frame" title="Page served by the guest" src={shown}
          sandbox="allow-scripts allow-forms allow-same-origin" />
      )}
    </div>
  );
}
