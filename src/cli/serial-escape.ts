// QEMU-style console escapes on the host's keyboard input: Ctrl-A x quits,
// Ctrl-A Ctrl-A sends one Ctrl-A to the guest, Ctrl-A h asks for the key list;
// any other key after Ctrl-A is dropped (as QEMU's mux does). Everything else
// goes to the guest unchanged. The escape may be split across reads.

export const CTRL_A = 0x01;

export interface EscapeResult {
  /** Bytes for the guest's UART. */
  toGuest: Uint8Array;
  /** Ctrl-A x was typed: stop the board. Bytes after it are dropped. */
  quit: boolean;
  /** Ctrl-A h was typed. */
  help: boolean;
}

export const ESCAPE_HELP = 'C-a h    print this help\r\nC-a x    exit the board\r\nC-a C-a  send C-a\r\n';

export class SerialEscape {
  private pending = false;

  feed(bytes: Uint8Array): EscapeResult {
    const out: number[] = [];
    let help = false;
    for (const b of bytes) {
      if (!this.pending) {
        if (b === CTRL_A) this.pending = true;
        else out.push(b);
        continue;
      }
      this.pending = false;
      if (b === 0x78 /* x */) return { toGuest: Uint8Array.from(out), quit: true, help };
      if (b === CTRL_A) out.push(CTRL_A);
      else if (b === 0x68 /* h */) help = true;
    }
    return { toGuest: Uint8Array.from(out), quit: false, help };
  }
}
