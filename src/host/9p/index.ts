// The host side of /host: an in-memory tree the UI and the CLI fill, and the
// 9P2000.L server that serves it to the guest through the board's virtio-9p
// device (BoardConfig.hostFs). See docs/9p.md.
export { HostTree, DEFAULT_LIMITS, type FileInfo, type HostTreeOptions, type TreeChange, type TreeLimits, type TreeUsage } from './tree.ts';
export { NinePServer, type NinePServerOptions } from './server.ts';
export { FsError, errnoName } from './errno.ts';
export { guestClock } from './guest-clock.ts';
// For tools that show 9P traffic (the UI's device trace, tests).
export { decode, encode, type DecodeResult } from './codec.ts';
export { decodeDirents, type Dirent } from './dirent.ts';
export type { Message, MessageName, Msg } from './messages.ts';
