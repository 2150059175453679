// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { MachinePanel } from '../../../src/ui/machine/MachinePanel.tsx';
import { renderWithSession, settle } from '../fixtures/render-app.tsx';

afterEach(cleanup);

describe('MachinePanel', () => {
  it('shows the figures, the boot progress and the boot log', async () => {
    const h = await renderWithSession(<MachinePanel initialBootargs="selftest" />);
    h.push({
      serial: 'WasmOS kernel: hart 0\r\nmemory: 128 MiB\r\n',
      status: { mips: 123.4, busyMips: 250, instret: 1_234_567, cycles: 50_000_000, firstOutputMs: 42, taskMemBytes: 32768, uptimeMs: 1500 },
    });
    expect(screen.getByTestId('machine-state').textContent).toBe('Running');
    expect(screen.getByTestId('mips').textContent).toBe('123 MIPS');
    expect(screen.getByText('1,234,567')).toBeTruthy();
    expect(screen.getByText('500 ms')).toBeTruthy(); // guest time: 50 M cycles at 100 MHz
    expect(screen.getByText('128 MiB RAM, 32 KiB used by tasks')).toBeTruthy();
    expect(screen.getByTestId('time-to-prompt').textContent).toBe('—');
    expect(screen.getByText(/First console output — 42 ms/)).toBeTruthy();
    expect(screen.getByTestId('boot-log').textContent).toBe('WasmOS kernel: hart 0\nmemory: 128 MiB');
    h.push({ status: { prompt: { text: 'shell>', wallMs: 812, instret: 5 } } });
    expect(screen.getByTestId('time-to-prompt').textContent).toBe('812 ms');
    h.push({ status: { state: 'poweroff', powerCode: 2 } });
    expect(screen.getByTestId('machine-state').textContent).toBe('Powered off (exit code 2)');
  });

  it('boots the chosen mode or custom bootargs', async () => {
    const h = await renderWithSession(<MachinePanel initialBootargs="selftest" />);
    const select = screen.getByLabelText('Boot') as HTMLSelectElement;
    expect(select.value).toBe('selftest');
    fireEvent.change(select, { target: { value: 'bench' } });
    expect(screen.getByText(/IPC round trip/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Reboot' }));
    await settle();
    expect(h.host.calls.at(-1)).toEqual(['boot', 'bench']);
    fireEvent.change(select, { target: { value: 'custom' } });
    fireEvent.change(screen.getByLabelText('Custom bootargs'), { target: { value: 'selftest quiet' } });
    fireEvent.click(screen.getByRole('button', { name: 'Reboot' }));
    await settle();
    expect(h.host.calls.at(-1)).toEqual(['boot', 'selftest quiet']);
  });

  it('starts with custom bootargs from the page address', async () => {
    await renderWithSession(<MachinePanel initialBootargs="foo=1" />, 'foo=1');
    expect((screen.getByLabelText('Boot') as HTMLSelectElement).value).toBe('custom');
    expect((screen.getByLabelText('Custom bootargs') as HTMLInputElement).value).toBe('foo=1');
  });

  it('pauses, resumes, resets and switches the trace', async () => {
    const h = await renderWithSession(<MachinePanel initialBootargs="selftest" />);
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    await settle();
    expect(screen.getByTestId('machine-state').textContent).toBe('Paused');
    expect(screen.getByRole('button', { name: 'Resume' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    await settle();
    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    await settle();
    fireEvent.click(screen.getByLabelText('recording'));
    await settle();
    expect(h.host.calls.map((c) => c[0])).toEqual(['boot', 'pause', 'resume', 'reset', 'setTraceEnabled']);
    expect((screen.getByLabelText('recording') as HTMLInputElement).checked).toBe(false);
  });
});
