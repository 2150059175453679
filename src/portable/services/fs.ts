// The fs service (fs_* messages of the IDL) on a host directory. The
// directory is the root: "/x" and "/host/x" are both DIR/x, so programs
// written for the OS's /host work unchanged. Paths never leave the directory
// ("/.." stays at the root). Handles belong to the task that opened them, as
// in servers/fs.
import { promises as fsp } from 'node:fs';
import { join, posix } from 'node:path';
import {
  E_BAD_HANDLE,
  E_DENIED,
  E_END,
  E_EXISTS,
  E_INVALID,
  E_IO,
  E_IS_DIR,
  E_NAME_TOO_LONG,
  E_NO_SPACE,
  E_NOT_DIR,
  E_NOT_EMPTY,
  E_NOT_FOUND,
  E_READ_ONLY,
  E_UNSUPPORTED,
  FS_KIND_DIR,
  FS_KIND_FILE,
  FS_O_APPEND,
  FS_O_CREATE,
  FS_O_READ,
  FS_O_TRUNCATE,
  FS_O_WRITE,
} from '../../idl/generated/messages.ts';
import type { PortableKernel } from '../kernel.ts';
import { message, type Service, startService } from './service.ts';

const ERRNO: Record<string, number> = {
  ENOENT: E_NOT_FOUND,
  EEXIST: E_EXISTS,
  ENOTDIR: E_NOT_DIR,
  EISDIR: E_IS_DIR,
  ENOTEMPTY: E_NOT_EMPTY,
  EACCES: E_DENIED,
  EPERM: E_DENIED,
  EROFS: E_READ_ONLY,
  ENAMETOOLONG: E_NAME_TOO_LONG,
  ENOSPC: E_NO_SPACE,
  EBADF: E_BAD_HANDLE,
};

/** A host error as the fs protocol's error code. */
export function fsError(e: unknown): number {
  return ERRNO[(e as NodeJS.ErrnoException).code ?? ''] ?? E_IO;
}

interface Open {
  owner: number;
  file: fsp.FileHandle;
  append: boolean;
}

export class HostDirFs {
  private readonly open = new Map<number, Open>();
  private nextHandle = 1;

  /** root: the host directory, or undefined (every path is E_NOT_FOUND). */
  constructor(private readonly root: string | undefined) {}

  /** The host path for a guest path, or an error code. */
  resolve(path: string): string | number {
    if (!path.startsWith('/')) return E_INVALID;
    if (this.root === undefined) return E_NOT_FOUND;
    let p = posix.normalize(path);
    if (p === '/host' || p.startsWith('/host/')) p = p.slice(5) || '/';
    return join(this.root, p);
  }

  async handle(name: string, f: Record<string, unknown>, from: number): Promise<Uint8Array | number> {
    try {
      switch (name) {
        case 'fs_open': return await this.fsOpen(f.path as string, f.flags as number, from);
        case 'fs_close': {
          const o = this.owned(f.handle as number, from);
          if (typeof o === 'number') return o;
          this.open.delete(f.handle as number);
          await o.file.close();
          return message('fs_close_reply');
        }
        case 'fs_read': {
          const o = this.owned(f.handle as number, from);
          if (typeof o === 'number') return o;
          const buf = new Uint8Array(Math.min(f.len as number, 1024));
          const { bytesRead } = await o.file.read(buf, 0, buf.length, f.offset as number);
          return message('fs_read_reply', { data: buf.subarray(0, bytesRead) });
        }
        case 'fs_write': {
          const o = this.owned(f.handle as number, from);
          if (typeof o === 'number') return o;
          const data = f.data as Uint8Array;
          const at = o.append ? (await o.file.stat()).size : (f.offset as number);
          const { bytesWritten } = await o.file.write(data, 0, data.length, at);
          return message('fs_write_reply', { written: bytesWritten });
        }
        case 'fs_readdir': {
          const p = this.resolve(f.path as string);
          if (typeof p === 'number') return p;
          const names = (await fsp.readdir(p)).sort();
          const entry = names[f.index as number];
          if (entry === undefined) return E_END;
          const st = await fsp.stat(join(p, entry));
          return message('fs_readdir_reply', { size: st.isFile() ? st.size : 0, kind: st.isDirectory() ? FS_KIND_DIR : FS_KIND_FILE, name: entry });
        }
        case 'fs_mkdir': {
          const p = this.resolve(f.path as string);
          if (typeof p === 'number') return p;
          await fsp.mkdir(p);
          return message('fs_mkdir_reply');
        }
        case 'fs_delete': {
          const p = this.resolve(f.path as string);
          if (typeof p === 'number') return p;
          const st = await fsp.stat(p);
          await (st.isDirectory() ? fsp.rmdir(p) : fsp.unlink(p));
          return message('fs_delete_reply');
        }
        case 'fs_stat': {
          const p = this.resolve(f.path as string);
          if (typeof p === 'number') return p;
          const st = await fsp.stat(p);
          return message('fs_stat_reply', { size: st.isFile() ? st.size : 0, kind: st.isDirectory() ? FS_KIND_DIR : FS_KIND_FILE });
        }
        default:
          return E_UNSUPPORTED;
      }
    } catch (e) {
      return fsError(e);
    }
  }

  private owned(handle: number, from: number): Open | number {
    const o = this.open.get(handle);
    return o && o.owner === from ? o : E_BAD_HANDLE;
  }

  private async fsOpen(path: string, flags: number, from: number): Promise<Uint8Array | number> {
    const p = this.resolve(path);
    if (typeof p === 'number') return p;
    const write = (flags & (FS_O_WRITE | FS_O_APPEND)) !== 0;
    if (!write && !(flags & FS_O_READ)) return E_INVALID;
    const st = await fsp.stat(p).catch(() => null);
    if (st?.isDirectory()) return E_IS_DIR;
    if (!st && !(flags & FS_O_CREATE)) return E_NOT_FOUND;
    // Open without O_TRUNC/O_CREAT semantics of "w": create and truncate only when asked.
    if (!st) await fsp.writeFile(p, new Uint8Array(), { flag: 'wx' });
    const file = await fsp.open(p, write ? 'r+' : 'r');
    if (write && flags & FS_O_TRUNCATE) await file.truncate(0);
    const handle = this.nextHandle++;
    this.open.set(handle, { owner: from, file, append: (flags & FS_O_APPEND) !== 0 });
    return message('fs_open_reply', { handle });
  }

  /** Closes every file (the host is shutting down). */
  closeAll(): void {
    for (const o of this.open.values()) void o.file.close().catch(() => {});
    this.open.clear();
  }
}

export function startFs(k: PortableKernel, fs: HostDirFs): Service {
  return startService(k, 'fs', (m) => (m.name === 'ping' ? message('ping_reply', { value: m.fields.value as number }) : fs.handle(m.name, m.fields as Record<string, unknown>, m.src)));
}
