// Turns the image the user gives the board into what goes into memory: an
// ELF32 RISC-V executable is loaded by its PT_LOAD segments at their physical
// addresses (as QEMU's loader does), anything else is a raw binary.
//
// The image is host input, so a broken ELF is reported with an ImageError
// instead of being loaded half-way; nothing here depends on guest behaviour.

/** A bad image given by the host (user), never a guest fault. */
export class ImageError extends Error {
  override name = 'ImageError';
}

export interface ImageSegment {
  /** Physical load address. */
  paddr: number;
  /** Bytes to copy (a view into the image: copy it, do not keep it). */
  data: Uint8Array;
  /** Size in memory; the bytes past data.length are zero. */
  memsz: number;
}

export interface LoadedImage {
  entry: number;
  segments: ImageSegment[];
}

const EM_RISCV = 243;
const ELFCLASS32 = 1;
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
const ET_EXEC = 2;
const ET_DYN = 3;
const PT_LOAD = 1;
const EHDR_SIZE = 52;
const PHDR_SIZE = 32;
const ADDR_SPACE = 0x1_0000_0000;

function isElf(image: Uint8Array): boolean {
  return image.length >= 4 && image[0] === 0x7f && image[1] === 0x45 && image[2] === 0x4c && image[3] === 0x46;
}

const hex = (v: number): string => '0x' + v.toString(16);

/**
 * Parses an ELF32 little-endian RISC-V executable, or wraps a raw binary
 * loaded at `rawLoadAddr` (entry = rawLoadAddr). Throws ImageError for an
 * empty image and for an ELF that cannot be loaded on this board.
 */
export function parseImage(image: Uint8Array, rawLoadAddr: number): LoadedImage {
  if (image.length === 0) throw new ImageError('image is empty');
  if (!isElf(image)) {
    return { entry: rawLoadAddr >>> 0, segments: [{ paddr: rawLoadAddr >>> 0, data: image, memsz: image.length }] };
  }
  return parseElf32(image);
}

function parseElf32(image: Uint8Array): LoadedImage {
  if (image.length < EHDR_SIZE) throw new ImageError(`ELF image truncated: ${image.length} bytes, header needs ${EHDR_SIZE}`);
  const cls = image[4]!;
  if (cls === ELFCLASS64) throw new ImageError('ELF64 image: this board is rv32 and loads only ELF32 executables');
  if (cls !== ELFCLASS32) throw new ImageError(`ELF image has an invalid class ${cls}`);
  if (image[5] !== ELFDATA2LSB) throw new ImageError('ELF image is big-endian: RISC-V images must be little-endian');

  const v = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const type = v.getUint16(16, true);
  const machine = v.getUint16(18, true);
  const entry = v.getUint32(24, true);
  const phoff = v.getUint32(28, true);
  const phentsize = v.getUint16(42, true);
  const phnum = v.getUint16(44, true);

  if (machine !== EM_RISCV) throw new ImageError(`ELF image is for machine ${machine}, not RISC-V (${EM_RISCV})`);
  if (type !== ET_EXEC && type !== ET_DYN) {
    throw new ImageError(`ELF image is not an executable (e_type ${type}); link it first`);
  }
  if (phnum === 0) throw new ImageError('ELF image has no program headers');
  if (phentsize < PHDR_SIZE) throw new ImageError(`ELF program header size ${phentsize} is smaller than ${PHDR_SIZE}`);
  if (phoff + phnum * phentsize > image.length) throw new ImageError('ELF program headers run past the end of the image');

  const segments: ImageSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (v.getUint32(ph, true) !== PT_LOAD) continue;
    const offset = v.getUint32(ph + 4, true);
    const paddr = v.getUint32(ph + 12, true);
    const filesz = v.getUint32(ph + 16, true);
    const memsz = v.getUint32(ph + 20, true);
    if (filesz > memsz) throw new ImageError(`ELF segment ${i}: file size ${filesz} exceeds memory size ${memsz}`);
    if (offset + filesz > image.length) throw new ImageError(`ELF segment ${i}: data runs past the end of the image`);
    if (paddr + memsz > ADDR_SPACE) throw new ImageError(`ELF segment ${i} at ${hex(paddr)} (${memsz} bytes) wraps the 32-bit address space`);
    if (memsz === 0) continue;
    segments.push({ paddr, data: image.subarray(offset, offset + filesz), memsz });
  }
  if (segments.length === 0) throw new ImageError('ELF image has no loadable (PT_LOAD) segments');
  return { entry, segments };
}
