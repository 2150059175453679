// The URL of the OS's boot archive, packed from servers/build and servers/os
// by vite.config.ts (one file instead of one request per module).
declare module 'virtual:wasmos-os-archive' {
  const url: string;
  export default url;
}
