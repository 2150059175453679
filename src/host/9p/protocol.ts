// 9P2000.L constants: framing, qid types, open flags and attribute masks (the
// values of Linux's include/net/9p/9p.h and its open(2) flags).

export const VERSION_9P2000_L = '9P2000.L';
/** Rversion's answer to a version string the server does not speak. */
export const VERSION_UNKNOWN = 'unknown';

/** size[4] type[1] tag[2] */
export const HEADER_SIZE = 7;
/** The tag of Tversion (no other message may use it). */
export const NOTAG = 0xffff;
/** "No fid", e.g. Tattach's afid when there is no authentication. */
export const NOFID = 0xffff_ffff;
/** Tattach's n_uname when the numeric user is not given. */
export const NONUNAME = 0xffff_ffff;
/** Walk at most this many names per Twalk (Plan 9's MAXWELEM). */
export const MAXWELEM = 16;
/** Room for the header of the largest I/O message (Twrite: 4+1+2+4+8+4); iounit = msize - IOHDRSZ. */
export const IOHDRSZ = 24;
/** Rread/Rreaddir header: size[4] type[1] tag[2] count[4]. */
export const RREAD_HEADER = 11;

// qid.type bits
export const QTDIR = 0x80;
export const QTAPPEND = 0x40;
export const QTEXCL = 0x20;
export const QTMOUNT = 0x10;
export const QTAUTH = 0x08;
export const QTTMP = 0x04;
export const QTSYMLINK = 0x02;
export const QTFILE = 0x00;

// Tlopen / Tlcreate flags (Linux open(2) values)
export const O_ACCMODE = 3;
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const O_DIRECTORY = 0o200000;

// st_mode file types
export const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;

// Rreaddir entry types (Linux DT_*)
export const DT_DIR = 4;
export const DT_REG = 8;

// Tgetattr request_mask / Rgetattr valid
export const GETATTR_MODE = 0x1n;
export const GETATTR_NLINK = 0x2n;
export const GETATTR_UID = 0x4n;
export const GETATTR_GID = 0x8n;
export const GETATTR_RDEV = 0x10n;
export const GETATTR_ATIME = 0x20n;
export const GETATTR_MTIME = 0x40n;
export const GETATTR_CTIME = 0x80n;
export const GETATTR_INO = 0x100n;
export const GETATTR_SIZE = 0x200n;
export const GETATTR_BLOCKS = 0x400n;
export const GETATTR_BTIME = 0x800n;
export const GETATTR_GEN = 0x1000n;
export const GETATTR_DATA_VERSION = 0x2000n;
export const GETATTR_BASIC = 0x7ffn;
export const GETATTR_ALL = 0x3fffn;

// Tsetattr valid
export const SETATTR_MODE = 0x1;
export const SETATTR_UID = 0x2;
export const SETATTR_GID = 0x4;
export const SETATTR_SIZE = 0x8;
export const SETATTR_ATIME = 0x10;
export const SETATTR_MTIME = 0x20;
export const SETATTR_CTIME = 0x40;
export const SETATTR_ATIME_SET = 0x80;
export const SETATTR_MTIME_SET = 0x100;

/** Tunlinkat flags: remove a directory (Linux AT_REMOVEDIR). */
export const AT_REMOVEDIR = 0x200;

/** Rstatfs type: V9FS_MAGIC, what Linux reports for a 9p mount. */
export const V9FS_MAGIC = 0x01021997;
/** The block size getattr and statfs report. */
export const BLOCK_SIZE = 4096;
/** Longest file name, in UTF-8 bytes (Linux NAME_MAX). */
export const NAME_MAX = 255;
