// Strips an ELF32 executable for the page: what a loader reads (the ELF
// header, the program headers, each segment's file data) stays at the same
// offsets; the section headers and what only they describe (the symbol and
// string tables: a third of the kernel image) go. The board's loader
// (src/board/elf.ts) reads program headers only, so the image loads exactly
// as before, and the page downloads less before the boot.
export class StripError extends Error {}

export function stripElf32(image: Uint8Array): Uint8Array {
  if (image.length < 52 || image[0] !== 0x7f || image[1] !== 0x45 || image[2] !== 0x4c || image[3] !== 0x46) {
    throw new StripError('not an ELF image');
  }
  if (image[4] !== 1 || image[5] !== 1) throw new StripError('not a little-endian ELF32 image');
  const v = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const phoff = v.getUint32(28, true);
  const phentsize = v.getUint16(42, true);
  const phnum = v.getUint16(44, true);
  let end = phoff + phnum * phentsize;
  if (phnum === 0 || phentsize < 32 || end > image.length) throw new StripError('ELF program headers missing or past the end');
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    const last = v.getUint32(ph + 4, true) + v.getUint32(ph + 16, true); // p_offset + p_filesz
    if (last > image.length) throw new StripError(`ELF segment ${i} runs past the end`);
    end = Math.max(end, last);
  }
  const out = image.slice(0, end);
  const w = new DataView(out.buffer);
  w.setUint32(32, 0, true); // e_shoff: no section headers
  w.setUint16(48, 0, true); // e_shnum
  w.setUint16(50, 0, true); // e_shstrndx
  return out;
}
