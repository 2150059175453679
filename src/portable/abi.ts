// WasmOS's ABI numbers that the IDL does not carry (docs/abi.md): message
// sizes, the special task ids and timeouts, name limits.
export const MSG_MAX = 1512;
export const MSG_HEADER = 8;
export const TASK_KERNEL = 0;
export const IPC_ANY = -1;
export const IPC_FOREVER = -1;
/** env.ipc_lookup waits this long for a name to be registered. */
export const LOOKUP_TIMEOUT_MS = 10_000;
/** Service names are 1..31 bytes (SERVICE_NAME_MAX includes the NUL). */
export const SERVICE_NAME_MAX = 32;
/** Task names are 1..23 bytes. */
export const TASK_NAME_MAX = 24;
/** Exits carried by one notification. */
export const NOTIFY_MAX_EXITED = 8;
/** The kernel's exit code for a task whose code trapped. */
export const EXIT_OK = 0;
