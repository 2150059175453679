// The QEMU 7.2 `virt` machine's memory map and interrupt numbers, shared by the
// devices (default bases) and the device tree, so the two cannot disagree.

export const TEST_BASE = 0x0010_0000;
export const TEST_SIZE = 0x1000;
export const RTC_BASE = 0x0010_1000;
export const RTC_SIZE = 0x1000;
export const CLINT_BASE = 0x0200_0000;
export const CLINT_SIZE = 0x1_0000;
/** ACLINT (aclint=on): MSWI and MTIMER split the CLINT window; SSWI lives apart. */
export const ACLINT_MSWI_SIZE = 0x4000;
export const ACLINT_MTIMER_BASE = CLINT_BASE + ACLINT_MSWI_SIZE;
export const ACLINT_SSWI_BASE = 0x02f0_0000;
export const ACLINT_SSWI_SIZE = 0x4000;
export const PLIC_BASE = 0x0c00_0000;
export const PLIC_SIZE = 0x60_0000;
export const UART0_BASE = 0x1000_0000;
export const UART0_SIZE = 0x100;
export const VIRTIO_BASE = 0x1000_1000;
export const VIRTIO_SIZE = 0x1000;
export const VIRTIO_COUNT = 8;
export const RAM_BASE = 0x8000_0000;

export const UART0_IRQ = 10;
export const RTC_IRQ = 11;
/** virtio-mmio slot n uses PLIC source VIRTIO_IRQ + n. */
export const VIRTIO_IRQ = 1;

/** QEMU's VIRT_IRQCHIP_NUM_SOURCES: source ids 0..95, 0 meaning "none". */
export const PLIC_NUM_SOURCES = 96;
/** QEMU's VIRT_IRQCHIP_NUM_PRIO_BITS = 3: priorities 0..7. */
export const PLIC_MAX_PRIORITY = 7;

/** The ns16550a input clock QEMU advertises (3.6864 MHz). */
export const UART_CLOCK_HZ = 0x38_4000;

export function virtioSlotBase(n: number): number {
  return VIRTIO_BASE + n * VIRTIO_SIZE;
}

/** The WasmOS paravirtual devices (QEMU has none): trace at 0x10200000, the host mailbox next to it. */
export const MAILBOX_BASE = 0x1020_1000;
export const MAILBOX_SIZE = 0x1000;
/** A PLIC source QEMU's virt leaves free (UART 10, RTC 11, virtio 1..8). */
export const MAILBOX_IRQ = 12;
