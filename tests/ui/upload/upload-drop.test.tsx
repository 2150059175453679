// @vitest-environment happy-dom
// The upload control: picking or dropping a .wasm hands it to the worker
// (spawnFile) and shows the OS's answer.
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { UploadDrop } from '../../../src/ui/upload/UploadDrop.tsx';
import { renderWithSession, settle } from '../fixtures/render-app.tsx';

const wasm = (name: string): File => new File([new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])], name, { type: 'application/wasm' });

afterEach(cleanup);

describe('UploadDrop', () => {
  it('starts a picked file in the OS and shows its answer', async () => {
    const h = await renderWithSession(<UploadDrop />);
    const input = screen.getByLabelText('Run a .wasm file');
    await act(async () => { fireEvent.change(input, { target: { files: [wasm('hello.wasm')] } }); });
    await settle(10);
    expect(h.host.calls).toContainEqual(['spawnFile', 'hello.wasm', 8]);
    expect(await screen.findByText('Started hello.wasm as task 42.')).toBeTruthy();
  });

  it('starts every file dropped on the page, and says why one was refused', async () => {
    const h = await renderWithSession(<UploadDrop />);
    h.host.spawnAnswer = { ok: false, task: null, message: 'bad.wasm: E_BAD_MODULE (invalid module)' };
    const files = [wasm('a.wasm'), wasm('bad.wasm')];
    const dataTransfer = { types: ['Files'], files };
    await act(async () => { fireEvent.dragOver(window, { dataTransfer }); });
    expect(screen.getByText('Drop a .wasm to run it in WasmOS')).toBeTruthy();
    await act(async () => { fireEvent.drop(window, { dataTransfer }); });
    await settle(10);
    expect(h.host.calls.filter((c) => c[0] === 'spawnFile').map((c) => c[1])).toEqual(['a.wasm', 'bad.wasm']);
    expect(screen.queryByText('Drop a .wasm to run it in WasmOS')).toBeNull();
    expect(await screen.findByText('bad.wasm: E_BAD_MODULE (invalid module)')).toBeTruthy();
  });
});
