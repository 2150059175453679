// A host directory behind the tree, for Node front ends (the CLI's --host
// DIR): load it into a HostTree, and write what the guest changes back to it.
// Node only (node:fs): the browser fills its tree from the UI instead.
//
// Loading sorts names, so the same directory always gives the same tree (and
// the same readdir order in the guest). The mirror applies the guest's
// creates, removes and renames at once but writes file contents only on
// flush(), so a file written in many small Twrites is stored once.
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostTree, TreeChange } from './tree.ts';

export interface LoadResult {
  files: number;
  dirs: number;
  /** Host paths left out: symlinks, devices, sockets, names the tree cannot hold. */
  skipped: string[];
}

/**
 * Copies `dir` (recursively) into the tree under `at`. Throws FsError when the
 * tree's limits are exceeded; what was loaded before that stays.
 */
export function loadDirectory(tree: HostTree, dir: string, at = '/'): LoadResult {
  const result: LoadResult = { files: 0, dirs: 0, skipped: [] };
  const base = at.replace(/\/+$/, '');
  const pending: Array<[string, string]> = [[dir, base]];
  while (pending.length > 0) {
    const [hostDir, treeDir] = pending.shift()!;
    for (const name of readdirSync(hostDir).sort()) {
      const hostPath = join(hostDir, name);
      const treePath = `${treeDir}/${name}`;
      try {
        tree.checkName(name);
      } catch {
        result.skipped.push(hostPath);
        continue;
      }
      const st = lstatSync(hostPath);
      if (st.isDirectory()) {
        tree.mkdir(treePath);
        result.dirs++;
        pending.push([hostPath, treePath]);
      } else if (st.isFile()) {
        tree.writeFile(treePath, new Uint8Array(readFileSync(hostPath)), { mode: st.mode & 0o777 });
        result.files++;
      } else {
        result.skipped.push(hostPath);
      }
    }
  }
  return result;
}

/** Writes the guest's changes to the tree back into a host directory. */
export class DirectoryMirror {
  private readonly dirty = new Set<string>();
  private readonly stop: () => void;

  /** `onError` hears about host I/O failures (the guest never does). */
  constructor(private readonly tree: HostTree, private readonly dir: string, private readonly onError: (e: Error) => void = () => {}) {
    this.stop = tree.onChange((c) => this.apply(c));
  }

  /** Paths whose contents are not written yet. */
  get pending(): readonly string[] { return [...this.dirty]; }

  private hostPath(treePath: string): string {
    return join(this.dir, ...treePath.split('/').filter((p) => p !== ''));
  }

  private apply(c: TreeChange): void {
    try {
      if (c.op === 'reset') {
        // A snapshot was restored: every file may differ; nothing is deleted on the host.
        for (const e of this.tree.entries()) if (e.kind === 'file') this.dirty.add(e.path);
        return;
      }
      if (c.origin !== 'guest') return;
      switch (c.op) {
        case 'create':
          if (c.kind === 'dir') mkdirSync(this.hostPath(c.path), { recursive: true });
          else this.dirty.add(c.path);
          break;
        case 'write':
        case 'attr':
          if (c.kind === 'file') this.dirty.add(c.path);
          break;
        case 'remove':
          this.forget(c.path);
          rmSync(this.hostPath(c.path), { recursive: true, force: true });
          break;
        case 'rename': {
          const from = c.from!;
          for (const p of [...this.dirty]) {
            if (p === from || p.startsWith(`${from}/`)) {
              this.dirty.delete(p);
              this.dirty.add(c.path + p.slice(from.length));
            }
          }
          rmSync(this.hostPath(c.path), { recursive: true, force: true });
          try {
            renameSync(this.hostPath(from), this.hostPath(c.path));
          } catch {
            // Not on the host yet (created and renamed between flushes): the flush writes it.
            if (c.kind === 'dir') mkdirSync(this.hostPath(c.path), { recursive: true });
          }
          break;
        }
      }
    } catch (e) {
      this.onError(e as Error);
    }
  }

  private forget(path: string): void {
    for (const p of [...this.dirty]) if (p === path || p.startsWith(`${path}/`)) this.dirty.delete(p);
  }

  /** Writes every file the guest changed since the last flush. */
  flush(): void {
    for (const path of [...this.dirty].sort()) {
      this.dirty.delete(path);
      try {
        const info = this.tree.stat(path);
        if (info === null || info.kind !== 'file') continue;
        const target = this.hostPath(path);
        mkdirSync(join(target, '..'), { recursive: true });
        writeFileSync(target, this.tree.readFile(path), { mode: info.mode });
      } catch (e) {
        this.onError(e as Error);
      }
    }
  }

  /** Flushes and stops listening. */
  close(): void {
    this.flush();
    this.stop();
  }
}
