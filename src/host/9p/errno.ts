// Linux errno values, which is what 9P2000.L's Rlerror carries (the guest may
// be anything, but the numbers are Linux's: the protocol was made for v9fs).

export const EPERM = 1;
export const ENOENT = 2;
export const EIO = 5;
export const EBADF = 9;
export const ENOMEM = 12;
export const EACCES = 13;
export const EBUSY = 16;
export const EEXIST = 17;
export const EXDEV = 18;
export const ENOTDIR = 20;
export const EISDIR = 21;
export const EINVAL = 22;
export const ENFILE = 23;
export const EMFILE = 24;
export const EFBIG = 27;
export const ENOSPC = 28;
export const EROFS = 30;
export const ERANGE = 34;
export const ENAMETOOLONG = 36;
export const ENOSYS = 38;
export const ENOTEMPTY = 39;
export const ELOOP = 40;
export const EPROTO = 71;
export const EILSEQ = 84;
export const EMSGSIZE = 90;
export const EOPNOTSUPP = 95;

const NAMES: Record<number, string> = {
  [EPERM]: 'EPERM', [ENOENT]: 'ENOENT', [EIO]: 'EIO', [EBADF]: 'EBADF', [ENOMEM]: 'ENOMEM',
  [EACCES]: 'EACCES', [EBUSY]: 'EBUSY', [EEXIST]: 'EEXIST', [EXDEV]: 'EXDEV', [ENOTDIR]: 'ENOTDIR',
  [EISDIR]: 'EISDIR', [EINVAL]: 'EINVAL', [ENFILE]: 'ENFILE', [EMFILE]: 'EMFILE', [EFBIG]: 'EFBIG',
  [ENOSPC]: 'ENOSPC', [EROFS]: 'EROFS', [ERANGE]: 'ERANGE', [ENAMETOOLONG]: 'ENAMETOOLONG',
  [ENOSYS]: 'ENOSYS', [ENOTEMPTY]: 'ENOTEMPTY', [ELOOP]: 'ELOOP', [EPROTO]: 'EPROTO',
  [EILSEQ]: 'EILSEQ', [EMSGSIZE]: 'EMSGSIZE', [EOPNOTSUPP]: 'EOPNOTSUPP',
};

/** "ENOENT" for 2; "errno 123" for numbers this server never produces. */
export function errnoName(errno: number): string {
  return NAMES[errno] ?? `errno ${errno}`;
}

/**
 * A file-system error with its errno. The server turns it into Rlerror; the
 * host API (HostTree) throws it to its callers, with a readable message.
 */
export class FsError extends Error {
  constructor(readonly errno: number, message?: string) {
    super(message ?? errnoName(errno));
    this.name = 'FsError';
  }

  get code(): string { return errnoName(this.errno); }
}
