// The host side of /host: an in-memory tree the UI and the CLI fill, and the
// 9P2000.L server that serves it to the guest through the board's virtio-9p
// device (BoardConfig.hostFs). See docs/9p.md.
export { HostTree, DEFAULT_LIMITS, type FileInfo, type HostTreeOptions, type TreeChange, type TreeLimits, type TreeUsage } from './tree.ts';
export { NinePServer, type NinePServerOptions } from './server.ts';
export { FsError, errnoName } from './errno.ts';
export { guestClock } from './guest-clock.ts';
