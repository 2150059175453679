// A program for init's tests (tests/servers/init.test.ts): what it does is its
// first argument.
//   exit N        exits with code N          sleep     sleeps forever
//   trap          traps (unreachable)        args      prints its arguments
//   probe COMPAT  reads register 8 of every device compatible with COMPAT
//   dma SIZE      asks for SIZE bytes of DMA memory
//   system OP     wasmos.system(OP) (3: trace on, needs the system flag)
import {
  arg,
  argCount,
  errorText,
  println,
  sleep,
  wasmos_device_find,
  wasmos_dma_alloc,
  wasmos_mmio_read,
  wasmos_system,
} from "../../sdk/assembly";

const found = memory.data(12, 4);

function probe(compat: string): void {
  const c = String.UTF8.encode(compat, true);
  for (let i = 0; i < 16; i++) {
    if (wasmos_device_find(changetype<usize>(c), i, found) < 0) break;
    const v = wasmos_mmio_read(load<u32>(found) + 8, 4);
    println("test-child: " + compat + " " + i.toString() + ": " + (v < 0 ? errorText(<i32>v) : v.toString()));
  }
}

export function main(): i32 {
  const mode = arg(1);
  const param = arg(2);
  if (mode == "exit") return I32.parseInt(param);
  if (mode == "sleep") {
    for (;;) sleep(1000000);
  }
  if (mode == "trap") unreachable();
  if (mode == "args") {
    println("test-child: " + argCount().toString() + " arguments, name " + arg(0));
    for (let i = 1; i < argCount(); i++) println("test-child: arg " + i.toString() + ": " + arg(i));
    return 0;
  }
  if (mode == "probe") {
    probe(param);
    return 0;
  }
  if (mode == "dma") {
    const r = wasmos_dma_alloc(<u32>I32.parseInt(param));
    println("test-child: dma " + param + ": " + (r < 0 ? errorText(<i32>r) : "ok"));
    return 0;
  }
  if (mode == "system") {
    const r = wasmos_system(I32.parseInt(param));
    println("test-child: system " + param + ": " + (r < 0 ? errorText(r) : "ok"));
    return 0;
  }
  println("test-child: unknown mode \"" + mode + "\"");
  return 100;
}
