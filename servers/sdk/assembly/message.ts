// The message buffer every IPC call works on: {i32 type; i32 src; payload},
// MSG_MAX bytes, 16-byte aligned. The typed views in messages.ts extend it, so
// `Ping.init(m)` and `m` are the same memory seen two ways.

/** Bytes in a whole message buffer; the kernel may read or write all of them. */
export const MSG_MAX: i32 = 1512;
/** Bytes before the payload: i32 type, i32 src. */
export const MSG_HEADER: i32 = 8;
export const MSG_PAYLOAD_MAX: i32 = MSG_MAX - MSG_HEADER;

@unmanaged export class Message {
  /**
   * A new zeroed buffer. It is never freed: allocate the buffers a program needs
   * once (a service usually needs one), not per message.
   */
  static alloc(): Message {
    const p = heap.alloc(<usize>MSG_MAX);
    memory.fill(p, 0, <usize>MSG_MAX);
    return changetype<Message>(p);
  }

  /** Views the buffer at address p (4-byte aligned, MSG_MAX bytes). */
  @inline static at(p: usize): Message {
    return changetype<Message>(p);
  }

  /** The message type; a reply is type + 1, a negative type is an error code. */
  get type(): i32 {
    return load<i32>(changetype<usize>(this));
  }
  set type(v: i32) {
    store<i32>(changetype<usize>(this), v);
  }

  /** The sender's task id, written by the kernel on delivery. */
  get src(): i32 {
    return load<i32>(changetype<usize>(this), 4);
  }

  /** Address of the payload (byte 8). */
  get payload(): usize {
    return changetype<usize>(this) + <usize>MSG_HEADER;
  }

  /** Address of the buffer, for the raw imports. */
  @inline get ptr(): usize {
    return changetype<usize>(this);
  }

  /** Sets the type, clears src and the first `size` payload bytes. */
  reset(type: i32, size: i32): void {
    const p = changetype<usize>(this);
    store<i32>(p, type);
    store<i32>(p, 0, 4);
    memory.fill(p + <usize>MSG_HEADER, 0, <usize>min(max(size, 0), MSG_PAYLOAD_MAX));
  }

  /** Copies a whole message from another buffer. */
  copyFrom(other: Message): void {
    memory.copy(changetype<usize>(this), changetype<usize>(other), <usize>MSG_MAX);
  }
}
