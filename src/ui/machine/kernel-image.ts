// The kernel image ships next to the page (public/kernel.elf), so a relative
// URL works under any base path.

export async function fetchKernelImage(base: string = document.baseURI): Promise<Uint8Array> {
  const res = await fetch(new URL('kernel.elf', base));
  if (!res.ok) throw new Error(`could not load the kernel image (HTTP ${res.status})`);
  return new Uint8Array(await res.arrayBuffer());
}
