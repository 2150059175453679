/*
 * A bare-metal 9P2000.L client over virtio-9p, for the board and for QEMU.
 *
 * It finds the virtio-mmio slot with device id 9, brings the device up (legacy
 * or modern transport, one polled queue), and runs a session against the
 * share: Tversion, Tattach, walks (one that fails), reads of hello.txt and of
 * big.bin (in several Treads), Tlcreate + Twrite of out.txt, Tgetattr,
 * Tmkdir, Tunlinkat, and a Treaddir of the root in small pieces. It prints
 * a transcript that holds only what every 9P2000.L server must agree on (no
 * qid paths, times or readdir order), then PASS, and powers off.
 */
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

/* ------------------------------------------------------------ console */

#define UART ((volatile u8 *)0x10000000)

static void putch(char c) {
  while ((UART[5] & 0x20) == 0) {}
  UART[0] = (u8)c;
}
static void puts_(const char *s) { while (*s) putch(*s++); }
static void putu(u32 v) {
  char b[11];
  int n = 0;
  do { b[n++] = (char)('0' + v % 10); v /= 10; } while (v);
  while (n) putch(b[--n]);
}
static void puthex(u32 v) {
  puts_("0x");
  for (int i = 7; i >= 0; i--) putch("0123456789abcdef"[(v >> (4 * i)) & 15]);
}
static void putoct(u32 v) {
  char b[12];
  int n = 0;
  do { b[n++] = (char)('0' + (v & 7)); v >>= 3; } while (v);
  while (n) putch(b[--n]);
}
/* Prints bytes as a C string literal body, so newlines stay visible. */
static void putquoted(const u8 *p, u32 n) {
  putch('"');
  for (u32 i = 0; i < n; i++) {
    if (p[i] == '\n') puts_("\\n");
    else if (p[i] >= 32 && p[i] < 127) putch((char)p[i]);
    else putch('?');
  }
  putch('"');
}

void trap_report(u32 cause, u32 epc) {
  puts_("TRAP mcause=");
  puthex(cause);
  puts_(" mepc=");
  puthex(epc);
  putch('\n');
}

/* The compiler may call these for copies and clears. */
void *memset(void *d, int c, size_t n) {
  u8 *p = d;
  while (n--) *p++ = (u8)c;
  return d;
}
void *memcpy(void *d, const void *s, size_t n) {
  u8 *p = d;
  const u8 *q = s;
  while (n--) *p++ = *q++;
  return d;
}

static int streq(const char *a, const char *b) {
  while (*a && *a == *b) { a++; b++; }
  return *a == *b;
}

/* ------------------------------------------------------------ failure */

#define POWEROFF_PASS 0x5555
#define POWEROFF_FAIL ((1u << 16) | 0x3333)

static int failed;
static void fail(const char *what) {
  if (!failed) {
    puts_("FAIL: ");
    puts_(what);
    putch('\n');
  }
  failed = 1;
}

/* ------------------------------------------------------------ virtio-mmio */

#define VIRTIO_BASE 0x10001000u
#define VIRTIO_SLOTS 8
#define REG(off) (*(volatile u32 *)(dev + (off)))
#define R_MAGIC 0x000
#define R_VERSION 0x004
#define R_DEVICE_ID 0x008
#define R_DEVICE_FEATURES 0x010
#define R_DEVICE_FEATURES_SEL 0x014
#define R_DRIVER_FEATURES 0x020
#define R_DRIVER_FEATURES_SEL 0x024
#define R_GUEST_PAGE_SIZE 0x028
#define R_QUEUE_SEL 0x030
#define R_QUEUE_NUM_MAX 0x034
#define R_QUEUE_NUM 0x038
#define R_QUEUE_ALIGN 0x03c
#define R_QUEUE_PFN 0x040
#define R_QUEUE_READY 0x044
#define R_QUEUE_NOTIFY 0x050
#define R_INTERRUPT_STATUS 0x060
#define R_INTERRUPT_ACK 0x064
#define R_STATUS 0x070
#define R_QUEUE_DESC_LOW 0x080
#define R_QUEUE_DESC_HIGH 0x084
#define R_QUEUE_DRIVER_LOW 0x090
#define R_QUEUE_DRIVER_HIGH 0x094
#define R_QUEUE_DEVICE_LOW 0x0a0
#define R_QUEUE_DEVICE_HIGH 0x0a4
#define R_CONFIG 0x100

#define S_ACKNOWLEDGE 1
#define S_DRIVER 2
#define S_DRIVER_OK 4
#define S_FEATURES_OK 8

#define VIRTIO_ID_9P 9
#define F_MOUNT_TAG 1u
#define D_NEXT 1
#define D_WRITE 2
#define QSZ 8
#define BUF 8192

struct vq_desc { u64 addr; u32 len; u16 flags; u16 next; };

static u32 dev;
/* Legacy layout in one 8 KiB area: descriptors, then avail, then used at the next page. */
static u8 ring[8192] __attribute__((aligned(4096)));
static u8 req[BUF] __attribute__((aligned(16)));
static u8 rsp[BUF] __attribute__((aligned(16)));
static volatile struct vq_desc *const desc = (volatile struct vq_desc *)ring;
static volatile u16 *const avail = (volatile u16 *)(ring + 16 * QSZ);
static volatile u16 *const used = (volatile u16 *)(ring + 4096);
static u16 avail_idx, used_seen;

static void fence(void) { __asm__ volatile("fence rw, rw" ::: "memory"); }

static u32 find_device(void) {
  for (u32 n = 0; n < VIRTIO_SLOTS; n++) {
    u32 base = VIRTIO_BASE + n * 0x1000;
    if (*(volatile u32 *)(base + R_MAGIC) == 0x74726976 && *(volatile u32 *)(base + R_DEVICE_ID) == VIRTIO_ID_9P) return base;
  }
  return 0;
}

static int virtio_init(void) {
  u32 version = REG(R_VERSION);
  REG(R_STATUS) = 0;
  REG(R_STATUS) = S_ACKNOWLEDGE;
  REG(R_STATUS) = S_ACKNOWLEDGE | S_DRIVER;
  REG(R_DEVICE_FEATURES_SEL) = 0;
  if ((REG(R_DEVICE_FEATURES) & F_MOUNT_TAG) == 0) { fail("no VIRTIO_9P_MOUNT_TAG"); return 0; }
  REG(R_DRIVER_FEATURES_SEL) = 0;
  REG(R_DRIVER_FEATURES) = F_MOUNT_TAG;
  if (version == 2) {
    REG(R_DRIVER_FEATURES_SEL) = 1;
    REG(R_DRIVER_FEATURES) = 1; /* VIRTIO_F_VERSION_1 */
    REG(R_STATUS) = S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK;
    if ((REG(R_STATUS) & S_FEATURES_OK) == 0) { fail("FEATURES_OK refused"); return 0; }
  }
  REG(R_QUEUE_SEL) = 0;
  if (REG(R_QUEUE_NUM_MAX) < QSZ) { fail("queue too small"); return 0; }
  REG(R_QUEUE_NUM) = QSZ;
  if (version == 1) {
    REG(R_GUEST_PAGE_SIZE) = 4096;
    REG(R_QUEUE_ALIGN) = 4096;
    REG(R_QUEUE_PFN) = (u32)(uintptr_t)ring >> 12;
  } else {
    REG(R_QUEUE_DESC_LOW) = (u32)(uintptr_t)desc;
    REG(R_QUEUE_DESC_HIGH) = 0;
    REG(R_QUEUE_DRIVER_LOW) = (u32)(uintptr_t)avail;
    REG(R_QUEUE_DRIVER_HIGH) = 0;
    REG(R_QUEUE_DEVICE_LOW) = (u32)(uintptr_t)used;
    REG(R_QUEUE_DEVICE_HIGH) = 0;
    REG(R_QUEUE_READY) = 1;
  }
  REG(R_STATUS) = REG(R_STATUS) | S_DRIVER_OK;
  return 1;
}

/* Sends req[0..len) and waits for the reply in rsp; returns the used length. */
static u32 transact(u32 len) {
  desc[0].addr = (u32)(uintptr_t)req;
  desc[0].len = len;
  desc[0].flags = D_NEXT;
  desc[0].next = 1;
  desc[1].addr = (u32)(uintptr_t)rsp;
  desc[1].len = BUF;
  desc[1].flags = D_WRITE;
  desc[1].next = 0;
  avail[2 + avail_idx % QSZ] = 0;
  fence();
  avail_idx++;
  avail[1] = avail_idx;
  fence();
  REG(R_QUEUE_NOTIFY) = 0;
  /* QEMU's server may answer from another thread: poll, with a generous bound. */
  for (u32 spins = 0; used[1] == used_seen; spins++) {
    if (spins > 200000000u) { fail("no reply from the device"); return 0; }
  }
  fence();
  u32 n = *(volatile u32 *)((u8 *)used + 4 + 8 * (used_seen % QSZ) + 4);
  used_seen++;
  REG(R_INTERRUPT_ACK) = REG(R_INTERRUPT_STATUS);
  return n;
}

/* ------------------------------------------------------------ 9P messages */

#define NOFID 0xffffffffu
#define Rlerror 7
#define O_RDONLY 0
#define O_RDWR 2
#define O_CREAT 0100

static u32 wpos, rpos, rlen;
static u16 next_tag = 1;

static void p8(u32 v) { req[wpos++] = (u8)v; }
static void p16(u32 v) { p8(v); p8(v >> 8); }
static void p32(u32 v) { p16(v); p16(v >> 16); }
static void p64(u64 v) { p32((u32)v); p32((u32)(v >> 32)); }
static void pstr(const char *s) {
  u32 n = 0;
  while (s[n]) n++;
  p16(n);
  for (u32 i = 0; i < n; i++) p8((u8)s[i]);
}
static void pdata(const u8 *d, u32 n) {
  p32(n);
  for (u32 i = 0; i < n; i++) p8(d[i]);
}

static u32 g8(void) { return rpos < rlen ? rsp[rpos++] : 0; }
static u32 g16(void) { u32 v = g8(); return v | (g8() << 8); }
static u32 g32(void) { u32 v = g16(); return v | (g16() << 16); }
static u64 g64(void) { u64 v = g32(); return v | ((u64)g32() << 32); }

static void begin(u32 type) {
  wpos = 4;
  p8(type);
  p16(type == 100 ? 0xffff : next_tag);
}

/* Sends the message built since begin(); returns the reply type (Rlerror: errno in last_errno). */
static u32 last_errno;
static u32 rpc(void) {
  req[0] = (u8)wpos;
  req[1] = (u8)(wpos >> 8);
  req[2] = (u8)(wpos >> 16);
  req[3] = (u8)(wpos >> 24);
  u16 tag = (u16)(req[5] | (req[6] << 8));
  next_tag = (u16)(next_tag % 1000 + 1);
  u32 n = transact(wpos);
  rpos = 0;
  rlen = n;
  u32 size = g32();
  u32 type = g8();
  u32 rtag = g16();
  if (n < 7 || size != n) { fail("reply size does not match the used length"); return 0; }
  if (rtag != tag) { fail("reply tag does not match"); return 0; }
  if (type == Rlerror) last_errno = g32();
  return type;
}

static int expect(u32 got, u32 want, const char *what) {
  if (got == want) return 1;
  puts_("unexpected reply to ");
  puts_(what);
  puts_(": type ");
  putu(got);
  if (got == Rlerror) { puts_(" errno "); putu(last_errno); }
  putch('\n');
  fail(what);
  return 0;
}

/* qid: type[1] version[4] path[8]; returns the type. */
static u32 gqid(void) {
  u32 t = g8();
  g32();
  g64();
  return t;
}

static int walk(u32 fid, u32 newfid, const char *name) {
  begin(110);
  p32(fid);
  p32(newfid);
  if (name) { p16(1); pstr(name); } else p16(0);
  return (int)rpc();
}

static void clunk(u32 fid) {
  begin(120);
  p32(fid);
  expect(rpc(), 121, "Tclunk");
}

static void lopen(u32 fid, u32 flags) {
  begin(12);
  p32(fid);
  p32(flags);
  expect(rpc(), 13, "Tlopen");
}

/* ------------------------------------------------------------ the session */

static u32 msize;

static void version_and_attach(void) {
  begin(100);
  p32(BUF);
  pstr("9P2000.L");
  if (!expect(rpc(), 101, "Tversion")) return;
  msize = g32();
  u32 n = g16();
  char v[16];
  for (u32 i = 0; i < n && i < 15; i++) v[i] = (char)g8();
  v[n < 15 ? n : 15] = 0;
  puts_("Rversion ");
  puts_(v);
  puts_(msize <= BUF && msize >= 4096 ? ", msize accepted\n" : ", bad msize\n");
  if (!streq(v, "9P2000.L")) fail("version");

  begin(104);
  p32(0);
  p32(NOFID);
  pstr("guest");
  pstr("");
  p32(0);
  if (!expect(rpc(), 105, "Tattach")) return;
  puts_((gqid() & 0x80) ? "Rattach: the root is a directory\n" : "Rattach: root is not a directory\n");
}

static void read_hello(void) {
  u32 t = walk(0, 1, "missing.txt");
  puts_("Twalk missing.txt: ");
  if (t == Rlerror) { puts_("Rlerror "); putu(last_errno); putch('\n'); }
  else fail("walk to a missing file succeeded");

  if (!expect(walk(0, 1, "hello.txt"), 111, "Twalk hello.txt")) return;
  u32 nq = g16();
  u32 qt = gqid();
  puts_("Twalk hello.txt: ");
  putu(nq);
  puts_(qt == 0 ? " qid, a file\n" : " qid, not a plain file\n");
  lopen(1, O_RDONLY);
  begin(116);
  p32(1);
  p64(0);
  p32(msize - 11);
  if (!expect(rpc(), 117, "Tread hello.txt")) return;
  u32 count = g32();
  puts_("Tread hello.txt: ");
  putu(count);
  puts_(" bytes ");
  putquoted(rsp + rpos, count);
  putch('\n');
  clunk(1);
}

static void read_big(void) {
  if (!expect(walk(0, 2, "big.bin"), 111, "Twalk big.bin")) return;
  lopen(2, O_RDONLY);
  u32 total = 0, reads = 0, hash = 2166136261u; /* FNV-1a */
  for (;;) {
    begin(116);
    p32(2);
    p64(total);
    p32(3000);
    if (!expect(rpc(), 117, "Tread big.bin")) return;
    u32 count = g32();
    reads++;
    if (count == 0) break;
    for (u32 i = 0; i < count; i++) hash = (hash ^ rsp[rpos + i]) * 16777619u;
    total += count;
    if (reads > 100) { fail("big.bin never ends"); return; }
  }
  puts_("Tread big.bin: ");
  putu(total);
  puts_(" bytes in ");
  putu(reads);
  puts_(" reads, fnv1a ");
  puthex(hash);
  putch('\n');
  clunk(2);
}

static const char message[] = "written by the guest over virtio-9p\n";

static void create_and_write(void) {
  if (!expect(walk(0, 3, 0), 111, "Twalk clone")) return;
  begin(14);
  p32(3);
  pstr("out.txt");
  p32(O_RDWR | O_CREAT);
  p32(0644);
  p32(0);
  if (!expect(rpc(), 15, "Tlcreate out.txt")) return;
  puts_(gqid() == 0 ? "Tlcreate out.txt: a file\n" : "Tlcreate out.txt: not a file\n");
  begin(118);
  p32(3);
  p64(0);
  pdata((const u8 *)message, sizeof message - 1);
  if (!expect(rpc(), 119, "Twrite")) return;
  puts_("Twrite out.txt: ");
  putu(g32());
  puts_(" bytes\n");
  clunk(3);

  if (!expect(walk(0, 4, "out.txt"), 111, "Twalk out.txt")) return;
  begin(24);
  p32(4);
  p64(0x7ff);
  if (!expect(rpc(), 25, "Tgetattr")) return;
  g64();          /* valid */
  gqid();
  u32 mode = g32();
  g32();          /* uid */
  g32();          /* gid */
  g64();          /* nlink */
  g64();          /* rdev */
  u32 size = (u32)g64();
  puts_("Tgetattr out.txt: mode ");
  putoct(mode);
  puts_(", size ");
  putu(size);
  putch('\n');
  clunk(4);
}

static void mkdir_and_unlink(void) {
  begin(72);
  p32(0);
  pstr("made-by-guest");
  p32(0755);
  p32(0);
  if (!expect(rpc(), 73, "Tmkdir")) return;
  puts_(gqid() & 0x80 ? "Tmkdir made-by-guest: a directory\n" : "Tmkdir: not a directory\n");

  if (!expect(walk(0, 5, 0), 111, "Twalk clone")) return;
  begin(14);
  p32(5);
  pstr("scratch.txt");
  p32(O_RDWR | O_CREAT);
  p32(0600);
  p32(0);
  if (!expect(rpc(), 15, "Tlcreate scratch.txt")) return;
  clunk(5);
  begin(76);
  p32(0);
  pstr("scratch.txt");
  p32(0);
  if (!expect(rpc(), 77, "Tunlinkat")) return;
  u32 t = walk(0, 5, "scratch.txt");
  puts_("Tunlinkat scratch.txt: then Twalk gives ");
  if (t == Rlerror) { puts_("Rlerror "); putu(last_errno); putch('\n'); }
  else fail("scratch.txt still there");
}

#define MAXENT 16
static char names[MAXENT][32];
static u8 types[MAXENT];

static void list_root(void) {
  if (!expect(walk(0, 6, 0), 111, "Twalk clone")) return;
  lopen(6, O_RDONLY);
  u32 n = 0, calls = 0;
  u64 offset = 0;
  for (;;) {
    begin(40);
    p32(6);
    p64(offset);
    p32(96); /* room for two or three entries: several Treaddirs */
    if (!expect(rpc(), 41, "Treaddir")) return;
    u32 count = g32();
    calls++;
    if (count == 0 || calls > 50) break;
    u32 end = rpos + count;
    while (rpos < end && n < MAXENT) {
      gqid();
      offset = g64();
      types[n] = (u8)g8();
      u32 len = g16();
      for (u32 i = 0; i < len; i++) {
        u32 c = g8();
        if (i < 31) names[n][i] = (char)c;
      }
      names[n][len < 31 ? len : 31] = 0;
      n++;
    }
  }
  if (calls < 3) fail("readdir took fewer calls than expected");
  /* Servers list in their own order: sort by name for the transcript. */
  for (u32 i = 1; i < n; i++) {
    for (u32 j = i; j > 0; j--) {
      const char *a = names[j - 1], *b = names[j];
      while (*a && *a == *b) { a++; b++; }
      if ((u8)*a <= (u8)*b) break;
      char tmp[32];
      memcpy(tmp, names[j], 32);
      memcpy(names[j], names[j - 1], 32);
      memcpy(names[j - 1], tmp, 32);
      u8 tt = types[j];
      types[j] = types[j - 1];
      types[j - 1] = tt;
    }
  }
  puts_("Treaddir /: ");
  putu(n);
  puts_(" entries\n");
  for (u32 i = 0; i < n; i++) {
    puts_(types[i] == 4 ? "  dir  " : types[i] == 8 ? "  file " : "  ?    ");
    puts_(names[i]);
    putch('\n');
  }
  clunk(6);
}

int main(void) {
  puts_("9p guest\n");
  dev = find_device();
  if (dev == 0) { fail("no virtio-9p device"); return POWEROFF_FAIL; }
  if (!virtio_init()) return POWEROFF_FAIL;
  u32 tag_len = *(volatile u8 *)(dev + R_CONFIG) | (*(volatile u8 *)(dev + R_CONFIG + 1) << 8);
  puts_("mount tag \"");
  for (u32 i = 0; i < tag_len && i < 64; i++) putch((char)*(volatile u8 *)(dev + R_CONFIG + 2 + i));
  puts_("\"\n");

  version_and_attach();
  if (!failed) read_hello();
  if (!failed) read_big();
  if (!failed) create_and_write();
  if (!failed) mkdir_and_unlink();
  if (!failed) list_root();
  if (!failed) clunk(0);
  if (failed) return POWEROFF_FAIL;
  puts_("PASS\n");
  return POWEROFF_PASS;
}
