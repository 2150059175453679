// Names an OS build: a hash of the kernel image and the boot archive. A
// recording replays exactly only on the build it was made with.
import { StateHash } from '../../board/hash.ts';

export function buildId(image: Uint8Array, initrd?: Uint8Array): string {
  const h = new StateHash();
  // Lengths first, so moving bytes between the two parts changes the id.
  h.update(new Uint8Array(new Uint32Array([image.length, initrd?.length ?? 0]).buffer));
  h.update(image);
  if (initrd) h.update(initrd);
  return h.hex();
}
