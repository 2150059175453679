// A byte ring of fixed capacity: a socket's receive buffer (bytes not yet
// read by its task) and send buffer (bytes from SND.UNA on, kept until acked).
export class ByteRing {
  buf: usize;
  head: i32 = 0;
  len: i32 = 0;

  constructor(public cap: i32) {
    this.buf = heap.alloc(<usize>cap);
  }

  get free(): i32 {
    return this.cap - this.len;
  }

  /** Appends up to n bytes from src; how many fit. */
  write(src: usize, n: i32): i32 {
    n = min(n, this.free);
    let tail = (this.head + this.len) % this.cap;
    const first = min(n, this.cap - tail);
    memory.copy(this.buf + <usize>tail, src, <usize>first);
    if (n > first) memory.copy(this.buf, src + <usize>first, <usize>(n - first));
    this.len += n;
    return n;
  }

  /** Copies n bytes starting `offset` bytes after the head to dst (n <= len - offset). */
  peek(offset: i32, dst: usize, n: i32): void {
    const start = (this.head + offset) % this.cap;
    const first = min(n, this.cap - start);
    memory.copy(dst, this.buf + <usize>start, <usize>first);
    if (n > first) memory.copy(dst + <usize>first, this.buf, <usize>(n - first));
  }

  /** Removes n bytes from the head. */
  drop(n: i32): void {
    n = min(n, this.len);
    this.head = (this.head + n) % this.cap;
    this.len -= n;
    if (this.len == 0) this.head = 0;
  }

  /** Takes up to n bytes from the head into dst; how many. */
  read(dst: usize, n: i32): i32 {
    n = min(n, this.len);
    this.peek(0, dst, n);
    this.drop(n);
    return n;
  }

  release(): void {
    heap.free(this.buf);
    this.buf = 0;
    this.cap = 0;
    this.len = 0;
  }
}
