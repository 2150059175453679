// The host interface of a WasmOS task, exactly as the kernel provides it
// (docs/abi.md, "Wasm tasks"): module `env` holds WasmOS's four IPC calls,
// module `wasmos` the extensions. Programs normally use the typed wrappers in
// ipc.ts, task.ts, time.ts and console.ts; a declaration a program never calls
// is not imported at all.
//
// Pointers are addresses in the task's linear memory. A message pointer must be
// 4-byte aligned with MSG_MAX (1512) bytes behind it: the kernel copies whole
// buffers. Strings are NUL-terminated UTF-8 unless a length is passed.

// ---- env ----

/** The task id providing service `name`; waits up to 10 s for it to register. */
@external("env", "ipc_lookup")
export declare function ipc_lookup(name: usize): i32;
/** Sends the message and waits for the reply, which overwrites it. 0 or an error. */
@external("env", "ipc_call")
export declare function ipc_call(dst: i32, msg: usize): i32;
/** Waits for a message from `src` (IPC_ANY: anyone, notifications included). 0 or an error. */
@external("env", "ipc_recv")
export declare function ipc_recv(src: i32, msg: usize): i32;
/** Answers a task waiting in ipc_call on us. Never blocks; a bad pointer traps. */
@external("env", "ipc_reply")
export declare function ipc_reply(dst: i32, msg: usize): void;

// ---- wasmos ----

/** Sends without waiting for a reply; blocks until dst receives, up to timeout ms (-1 forever, 0 poll). */
@external("wasmos", "send")
export declare function wasmos_send(dst: i32, msg: usize, timeout: i32): i32;
/** ipc_recv with a timeout in ms (-1 forever, 0 poll); returns the message length or an error. */
@external("wasmos", "recv")
export declare function wasmos_recv(src: i32, msg: usize, timeout: i32): i32;
/** Posts notification bits to a task (it gets a MSG_NOTIFY). */
@external("wasmos", "notify")
export declare function wasmos_notify(dst: i32, bits: u32): i32;
/** Registers the calling task as the provider of `name` (which must be in its `provides`). */
@external("wasmos", "service_register")
export declare function wasmos_service_register(name: usize): i32;
/** ipc_lookup with a timeout in ms (0: E_NOT_FOUND at once). */
@external("wasmos", "service_lookup")
export declare function wasmos_service_lookup(name: usize, timeout: i32): i32;
/**
 * Starts a Wasm module as a child task. args: strings each ended by a NUL, back
 * to back; quota in bytes (0 = default); uses/provides: comma-separated service
 * names or 0. Returns the task id or an error (E_BAD_MODULE, E_NO_MEMORY, ...).
 */
@external("wasmos", "spawn")
export declare function wasmos_spawn(
  module: usize, module_len: u32, name: usize, args: usize, args_len: u32, quota: u32, uses: usize, provides: usize,
): i32;
/** Kills a task (own children, unless the task may kill any). */
@external("wasmos", "kill")
export declare function wasmos_kill(task: i32): i32;
/** Ends the calling task with an exit code (negative codes become 1). */
@external("wasmos", "exit")
export declare function wasmos_exit(code: i32): void;
@external("wasmos", "task_id")
export declare function wasmos_task_id(): i32;
/** Guest time since boot. */
@external("wasmos", "clock_ms")
export declare function wasmos_clock_ms(): i64;
@external("wasmos", "clock_ns")
export declare function wasmos_clock_ns(): i64;
/** Guest instructions this task has run. */
@external("wasmos", "instret")
export declare function wasmos_instret(): i64;
/** Writes len bytes to the kernel console (and the trace log). A bad pointer traps. */
@external("wasmos", "debug_print")
export declare function wasmos_debug_print(ptr: usize, len: u32): void;
/** How many arguments the task has; argument 0 is its name. */
@external("wasmos", "arg_count")
export declare function wasmos_arg_count(): i32;
/** Copies argument `index` (and a NUL if it fits) into buf; returns its length or an error. */
@external("wasmos", "arg_get")
export declare function wasmos_arg_get(index: i32, buf: usize, cap: u32): i32;
@external("wasmos", "yield")
export declare function wasmos_yield(): void;
@external("wasmos", "sleep")
export declare function wasmos_sleep(ms: i32): i32;
/** One-shot NOTIFY_TIMER after ms; 0 cancels. */
@external("wasmos", "timer_set")
export declare function wasmos_timer_set(ms: i32): i32;

// ---- wasmos: userland (docs/userland.md) ----

/** The index-th boot archive file: its name into name (cut to cap, NUL-terminated) and its size; E_NOT_FOUND past the last. */
@external("wasmos", "bootfs_entry")
export declare function wasmos_bootfs_entry(index: i32, name: usize, cap: u32): i32;
/** Reads up to len bytes of boot archive file `name` (NUL-terminated) at offset; bytes read, or an error. */
@external("wasmos", "bootfs_read")
export declare function wasmos_bootfs_read(name: usize, offset: u32, buf: usize, len: u32): i32;
/** The index-th device tree node compatible with `compatible`: out = {u32 base; u32 size; i32 irq}. */
@external("wasmos", "device_find")
export declare function wasmos_device_find(compatible: usize, index: i32, out: usize): i32;
/** A granted device register (width 1/2/4): the value zero-extended, or a negative error. */
@external("wasmos", "mmio_read")
export declare function wasmos_mmio_read(addr: u32, width: u32): i64;
@external("wasmos", "mmio_write")
export declare function wasmos_mmio_write(addr: u32, width: u32, value: u32): i32;
/** The driver has quieted the device: the IRQ may fire again. */
@external("wasmos", "irq_ack")
export declare function wasmos_irq_ack(irq: i32): i32;
/** Zeroed, page-aligned, contiguous DMA memory: its physical address, or a negative error. */
@external("wasmos", "dma_alloc")
export declare function wasmos_dma_alloc(size: u32): i64;
/** Copies len bytes from linear memory to the task's DMA memory at phys. */
@external("wasmos", "dma_write")
export declare function wasmos_dma_write(phys: u32, src: usize, len: u32): i32;
/** Copies len bytes from the task's DMA memory at phys to linear memory. */
@external("wasmos", "dma_read")
export declare function wasmos_dma_read(phys: u32, dst: usize, len: u32): i32;
/** spawn with devices, flags and priority: spec is the 108-byte struct of docs/userland.md. */
@external("wasmos", "spawn_ex")
export declare function wasmos_spawn_ex(spec: usize): i32;
/** The index-th live task: out = {i32 id; i32 parent; char name[24]; i32 state; i32 priority; u64 instret; u32 mem_bytes; u32 switches}. */
@external("wasmos", "task_info")
export declare function wasmos_task_info(index: i32, out: usize): i32;
/** out = {u32 total; u32 free; u32 heap_used; u32 tasks}. */
@external("wasmos", "mem_info")
export declare function wasmos_mem_info(out: usize): i32;
/** 1 power off, 2 reboot, 3 trace on, 4 trace off (needs the `system` flag). */
@external("wasmos", "system")
export declare function wasmos_system(op: i32): i32;
