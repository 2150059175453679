/// <reference types="vite/client" />
// The SDK's AssemblyScript sources, read from servers/sdk/assembly at build
// time (not copied): the compiler gets them as virtual files and Monaco as
// typings. Only the editor's lazy chunks and the compile worker import this.

const RAW = import.meta.glob<string>('../../../../servers/sdk/assembly/*.ts', { query: '?raw', import: 'default', eager: true });

/** servers/sdk/assembly/<file>.ts -> its text. */
export const SDK_FILES: ReadonlyMap<string, string> = new Map(
  Object.entries(RAW).map(([path, text]) => [path.slice(path.indexOf('servers/sdk/assembly/')), text]),
);
