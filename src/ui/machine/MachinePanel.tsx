// The machine: what to boot, pause/resume/reset, boot progress and log, and
// the figures (speed, memory, time to first output and to the prompt).
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { MachineStatus } from '../../host/protocol.ts';
import { formatBytes, formatCount, formatMips, formatMs } from '../app/format.ts';
import { useSession, useStatus } from '../app/session-context.tsx';
import { BOOT_MODES, modeForBootargs } from './boot-modes.ts';

const STATE_LABELS: Record<MachineStatus['state'], string> = {
  off: 'Off', running: 'Running', idle: 'Idle (waiting for a timer or input)', paused: 'Paused',
  poweroff: 'Powered off', error: 'Failed to boot',
};

export function stateText(s: MachineStatus): string {
  if (s.state === 'poweroff') return `${STATE_LABELS.poweroff} (exit code ${s.powerCode})`;
  if (s.state === 'error') return `${STATE_LABELS.error}: ${s.error}`;
  return STATE_LABELS[s.state];
}

export function MachinePanel({ initialBootargs }: { initialBootargs: string }): ReactNode {
  const session = useSession();
  const status = useStatus();
  const [mode, setMode] = useState(modeForBootargs(initialBootargs)?.id ?? 'custom');
  const [custom, setCustom] = useState(modeForBootargs(initialBootargs) ? '' : initialBootargs);
  const ids = { mode: useId(), custom: useId(), log: useId() };
  const bootargs = mode === 'custom' ? custom : BOOT_MODES.find((m) => m.id === mode)!.bootargs;
  const live = status.state === 'running' || status.state === 'idle' || status.state === 'paused';

  const onBoot = (e: FormEvent): void => {
    e.preventDefault();
    void session.boot(bootargs);
  };

  const steps: Array<{ label: string; done: boolean; detail?: string }> = [
    { label: 'Board and kernel image loaded', done: status.state !== 'off' && status.state !== 'error' },
    { label: 'First console output', done: status.firstOutputMs !== null, detail: formatMs(status.firstOutputMs) },
    { label: `Prompt "${status.promptText}"`, done: status.prompt !== null, detail: formatMs(status.prompt?.wallMs) },
  ];
  const bootLog = session.console.bootLines();

  return (
    <div className="machine-panel">
      <form className="toolbar boot-form" onSubmit={onBoot} aria-label="Boot the machine">
        <label htmlFor={ids.mode}>Boot</label>
        <select id={ids.mode} value={mode} onChange={(e) => setMode(e.target.value)}>
          {BOOT_MODES.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
          <option value="custom">Custom bootargs…</option>
        </select>
        {mode === 'custom' && (
          <input id={ids.custom} aria-label="Custom bootargs" value={custom} onChange={(e) => setCustom(e.target.value)} placeholder="bootargs" />
        )}
        <button type="submit" className="primary">{status.state === 'off' ? 'Boot' : 'Reboot'}</button>
        <button type="button" disabled={!live} aria-pressed={status.state === 'paused'}
          onClick={() => void (status.state === 'paused' ? session.resume() : session.pause())}>
          {status.state === 'paused' ? 'Resume' : 'Pause'}
        </button>
        <button type="button" disabled={status.state === 'off'} onClick={() => void session.reset()}>Reset</button>
      </form>
      <p className="mode-help">{BOOT_MODES.find((m) => m.id === mode)?.description ?? 'Boots the kernel with these arguments.'}</p>

      <section aria-label="Status">
        <dl className="figures">
          <div><dt>State</dt><dd data-testid="machine-state">{stateText(status)}</dd></div>
          <div><dt>Bootargs</dt><dd><code>{status.bootargs || '(none)'}</code></dd></div>
          <div><dt>Speed</dt><dd data-testid="mips">{formatMips(status.mips)} MIPS</dd></div>
          <div><dt>Board speed while busy</dt><dd>{formatMips(status.busyMips)} MIPS</dd></div>
          <div><dt>Instructions</dt><dd>{formatCount(status.instret)}</dd></div>
          <div><dt>Guest time</dt><dd>{formatMs(status.cycles / 100_000)}</dd></div>
          <div><dt>Uptime</dt><dd>{formatMs(status.uptimeMs)}</dd></div>
          <div><dt>Memory</dt><dd>{formatBytes(status.ramBytes)} RAM, {formatBytes(status.taskMemBytes)} used by tasks</dd></div>
          <div><dt>Time to first output</dt><dd>{formatMs(status.firstOutputMs)}</dd></div>
          <div><dt>Time to prompt</dt><dd data-testid="time-to-prompt">{formatMs(status.prompt?.wallMs)}</dd></div>
          <div>
            <dt>Trace</dt>
            <dd>
              <label>
                <input type="checkbox" checked={status.traceEnabled} disabled={status.state === 'off'}
                  onChange={(e) => void session.setTraceEnabled(e.target.checked)} /> recording
              </label>
              {status.traceDropped > 0 && <> ({formatCount(status.traceDropped)} records lost)</>}
            </dd>
          </div>
        </dl>
      </section>

      <section aria-label="Boot progress">
        <h3>Boot progress</h3>
        <ol className="boot-steps">
          {steps.map((s) => (
            <li key={s.label} className={s.done ? 'done' : ''}>
              <span aria-hidden="true">{s.done ? '✓' : '○'}</span> {s.label}{s.done && s.detail ? ` — ${s.detail}` : ''}
              <span className="visually-hidden">{s.done ? ' (done)' : ' (pending)'}</span>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby={ids.log} className="boot-log">
        <h3 id={ids.log}>Boot log</h3>
        <pre tabIndex={0} data-testid="boot-log">{bootLog.length ? bootLog.join('\n') : 'Nothing yet.'}</pre>
      </section>
    </div>
  );
}
