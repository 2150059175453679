// The virtio-mmio transport's registers and status bits (virtio 1.2 §4.2.2;
// legacy layout §4.2.4), shared by the drivers in Wasm (fs's 9P device, the
// network card in the tcpip task).
export const MAGIC: u32 = 0x000;
export const VERSION: u32 = 0x004;
export const DEVICE_ID: u32 = 0x008;
export const DEVICE_FEATURES: u32 = 0x010;
export const DEVICE_FEATURES_SEL: u32 = 0x014;
export const DRIVER_FEATURES: u32 = 0x020;
export const DRIVER_FEATURES_SEL: u32 = 0x024;
export const GUEST_PAGE_SIZE: u32 = 0x028;
export const QUEUE_SEL: u32 = 0x030;
export const QUEUE_NUM_MAX: u32 = 0x034;
export const QUEUE_NUM: u32 = 0x038;
export const QUEUE_ALIGN: u32 = 0x03c;
export const QUEUE_PFN: u32 = 0x040;
export const QUEUE_READY: u32 = 0x044;
export const QUEUE_NOTIFY: u32 = 0x050;
export const INTERRUPT_STATUS: u32 = 0x060;
export const INTERRUPT_ACK: u32 = 0x064;
export const STATUS: u32 = 0x070;
export const QUEUE_DESC_LOW: u32 = 0x080;
export const QUEUE_DESC_HIGH: u32 = 0x084;
export const QUEUE_DRIVER_LOW: u32 = 0x090;
export const QUEUE_DRIVER_HIGH: u32 = 0x094;
export const QUEUE_DEVICE_LOW: u32 = 0x0a0;
export const QUEUE_DEVICE_HIGH: u32 = 0x0a4;
/** Device-specific configuration starts here. */
export const CONFIG: u32 = 0x100;

export const MAGIC_VALUE: u32 = 0x74726976; // "virt"

// Device status bits (§2.1).
export const S_ACKNOWLEDGE: u32 = 1;
export const S_DRIVER: u32 = 2;
export const S_DRIVER_OK: u32 = 4;
export const S_FEATURES_OK: u32 = 8;
export const S_NEEDS_RESET: u32 = 0x40;
export const S_FAILED: u32 = 0x80;

// Descriptor flags (§2.7.5).
export const DESC_F_NEXT: u16 = 1;
export const DESC_F_WRITE: u16 = 2;
