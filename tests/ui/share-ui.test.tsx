// @vitest-environment happy-dom
// The page's share path with a fake worker: a hostile link becomes a plain
// text error and a normal boot (no markup from the link reaches the DOM); a
// valid one is handed to the worker before booting and the banner follows the
// replay; the Share button shows the permalink with its size and hash.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReplayProgress, ShareLink } from '../../src/host/replay/share-host.ts';
import { packRecording, recordingFragment } from '../../src/host/replay/link.ts';
import type { Recording } from '../../src/host/replay/recording.ts';
import { AppContext } from '../../src/ui/app/session-context.tsx';
import { Selection } from '../../src/ui/app/selection.ts';
import { MachineSession } from '../../src/ui/machine/machine-session.ts';
import type { ShareApi } from '../../src/ui/share/share-api.ts';
import { ReplayBanner } from '../../src/ui/share/ReplayBanner.tsx';
import { ShareButton } from '../../src/ui/share/ShareButton.tsx';
import { FakeHost } from './fixtures/fake-host.ts';
import { settle } from './fixtures/render-app.tsx';

afterEach(cleanup);

const recording: Recording = {
  version: 1, build: '0123456789abcdef', board: { memMiB: 64, bootargs: 'quiet', trace: true }, tree: new Uint8Array(0),
  inputs: [{ cycles: 10, kind: 'serial', data: new TextEncoder().encode('ps\r') }], end: { cycles: 99, hash: 'aaaaaaaaaaaaaaaa' },
};

class ShareFake implements ShareApi {
  opened: Uint8Array[] = [];
  progress: ReplayProgress = { state: 'done', cycles: 99, endCycles: 99, hash: 'aaaaaaaaaaaaaaaa', expectedHash: 'aaaaaaaaaaaaaaaa', message: 'Replayed 1 inputs: the machine is in the recorded state (hash aaaaaaaaaaaaaaaa).' };
  open(packed: Uint8Array): ReturnType<ShareApi['open']> {
    this.opened.push(packed);
    return Promise.resolve({ ok: true, board: recording.board, inputs: 1, endCycles: 99 });
  }
  link(): Promise<ShareLink> {
    const packed = packRecording(recording);
    return Promise.resolve({ fragment: recordingFragment(packed), packed, inputs: 1, cycles: 99, hash: 'aaaaaaaaaaaaaaaa', warning: null });
  }
  replayProgress(): Promise<ReplayProgress> { return Promise.resolve(this.progress); }
  stateHash(): Promise<string> { return Promise.resolve('aaaaaaaaaaaaaaaa'); }
  buildId(): Promise<string> { return Promise.resolve('0123456789abcdef'); }
  snapshot(): ReturnType<ShareApi['snapshot']> { return Promise.resolve({ error: 'no' }); }
  restore(): ReturnType<ShareApi['restore']> { return Promise.resolve({ error: 'no' }); }
  travel(): ReturnType<ShareApi['travel']> { return Promise.resolve({ error: 'no' }); }
  backToLive(): Promise<void> { return Promise.resolve(); }
  continueFromPast(): ReturnType<ShareApi['continueFromPast']> { return Promise.resolve({ error: 'no' }); }
}

function setup(): { host: FakeHost; share: ShareFake; session: MachineSession } {
  const host = new FakeHost();
  const share = new ShareFake();
  (host as FakeHost & { share: ShareApi }).share = share;
  const session = new MachineSession(host, () => Promise.resolve(new Uint8Array(4)));
  render(
    <AppContext.Provider value={{ session, selection: new Selection() }}>
      <ReplayBanner /><ShareButton />
    </AppContext.Provider>,
  );
  return { host, share, session };
}

describe('sharing on the page', () => {
  it('a hostile link shows a text error and the page boots normally', async () => {
    const { host, share, session } = setup();
    await act(async () => { await session.share.start('#r=<img src=x onerror=alert(1)>', 'normal'); });
    const banner = screen.getByTestId('share-banner');
    expect(banner.getAttribute('role')).toBe('alert');
    expect(banner.textContent).toMatch(/damaged: not base64url\. The page booted normally instead\./);
    expect(document.querySelector('img')).toBeNull();
    expect(host.calls).toContainEqual(['boot', 'normal']);
    expect(share.opened).toHaveLength(0);
  });

  it('a valid link goes to the worker before the boot; the banner follows the replay', async () => {
    const { host, share, session } = setup();
    await act(async () => { await session.share.start(`#${recordingFragment(packRecording(recording))}`, 'normal'); });
    expect(share.opened).toHaveLength(1);
    expect(host.calls).toContainEqual(['boot', 'quiet']);
    await act(async () => { await settle(50); });
    expect(screen.getByTestId('share-banner').textContent).toContain('in the recorded state (hash aaaaaaaaaaaaaaaa)');
  });

  it('the Share button shows the permalink, its size and the state hash', async () => {
    setup();
    await act(async () => { fireEvent.click(screen.getByTestId('share-button')); await settle(10); });
    const url = (screen.getByTestId('share-url') as HTMLInputElement).value;
    expect(url).toMatch(/#r=[\w-]+$/);
    expect(screen.getByTestId('share-hash').textContent).toBe('aaaaaaaaaaaaaaaa');
    expect(screen.getByText(new RegExp(`^${url.length} characters`))).toBeTruthy();
  });
});
