// The proc service (proc_* messages, init's in the OS): starts programs from
// files of the fs service's directory, stops them, waits for them, lists tasks.
// Programs it starts are its children, with uses=* provides=*, as init's.
import { readFile } from 'node:fs/promises';
import { E_END, E_NO_TASK, E_NOT_WASM, E_UNSUPPORTED, EXIT_KILLED } from '../../idl/generated/messages.ts';
import type { PortableHost } from '../host.ts';
import { fsError, type HostDirFs } from './fs.ts';
import { message, NO_REPLY, type Service, startService } from './service.ts';

const STATE: Record<string, number> = { running: 0, send: 1, recv: 2, reply: 3, lookup: 4, exited: 5 };

export function startProc(host: PortableHost, fs: HostDirFs): Service {
  const k = host.kernel;
  const svc: Service = startService(k, 'proc', async (m) => {
    const f = m.fields as Record<string, unknown>;
    switch (m.name) {
      case 'proc_spawn': {
        const path = fs.resolve(f.path as string);
        if (typeof path === 'number') return path;
        let module: Uint8Array;
        try {
          module = new Uint8Array(await readFile(path));
        } catch (e) {
          return fsError(e);
        }
        if (module.length < 4 || module[0] !== 0 || module[1] !== 0x61 || module[2] !== 0x73 || module[3] !== 0x6d) return E_NOT_WASM;
        const argv = new TextDecoder().decode(f.args as Uint8Array).split('\0').filter((a, i, all) => a !== '' || i < all.length - 1);
        const name = (argv[0] || (f.path as string).split('/').pop()!.replace(/\.wasm$/, '')).slice(0, 23);
        const id = await host.spawn({ module, name, args: argv.slice(1), parent: svc.task.id });
        return id < 0 ? id : message('proc_spawn_reply', { task: id });
      }
      case 'proc_kill': {
        const r = k.kill(svc.task, f.task as number, EXIT_KILLED);
        return r < 0 ? r : message('proc_kill_reply');
      }
      case 'proc_wait': {
        const t = k.task(f.task as number);
        if (!t) return E_NO_TASK;
        // Answered when the task exits; proc keeps serving meanwhile.
        void t.exited().then((reason) => svc.reply(m.src, message('proc_wait_reply', { reason })));
        return NO_REPLY;
      }
      case 'proc_list': {
        const t = k.liveTasks()[f.index as number];
        if (!t) return E_END;
        return message('proc_list_reply', { task: t.id, parent: t.parent, state: STATE[t.state] ?? 0, mem_bytes: 0, name: t.name });
      }
      case 'ping':
        return message('ping_reply', { value: f.value as number });
      default:
        return E_UNSUPPORTED;
    }
  });
  return svc;
}
