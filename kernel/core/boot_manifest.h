/*
 * The boot manifest: a text file in the boot archive naming the tasks to
 * start, one per line (docs/kernel.md):
 *
 *   # comment
 *   task hello.wasm name=hello arg=world arg="two words" quota=1M uses=echo provides=hello priority=4
 *   task console.wasm flags=kill-any device=ns16550a
 *   task fs.wasm device=virtio:9 dma=256K
 *
 * flags= takes all-devices, kill-any and system (comma-separated). device=
 * (repeatable, up to MANIFEST_DEVICES_MAX) names the first device tree node
 * compatible with the string, or with virtio:N the first virtio-mmio slot
 * whose DeviceID is N; the boot task resolves it when it starts the task.
 * dma= is the task's DMA quota.
 *
 * A value is bare (no blanks or quotes) or double-quoted with \" and \\ as
 * escapes. `arg` repeats, in order. Unknown keys and unknown directives are
 * reported and ignored, so older kernels boot newer manifests.
 */
#ifndef CORE_BOOT_MANIFEST_H
#define CORE_BOOT_MANIFEST_H

#include <stddef.h>
#include <stdint.h>
#include "core/boot_archive.h"
#include "core/wasm_task.h"

#define MANIFEST_FILE "manifest"
#define MANIFEST_LIST_MAX 256 /* uses=, provides= (NUL included) */
#define MANIFEST_DEVICES_MAX 4
#define MANIFEST_DEVICE_MAX 64 /* a device= value, NUL included */

struct boot_task {
	uint32_t line;
	char module[BOOT_ARCHIVE_NAME_MAX];
	char name[TASK_NAME_MAX];
	char args[WASM_ARGS_MAX]; /* each argument NUL-terminated */
	uint32_t args_len;
	uint32_t quota;           /* 0 = default */
	char uses[MANIFEST_LIST_MAX], provides[MANIFEST_LIST_MAX];
	int priority;             /* 0 = default */
	uint32_t flags;           /* TASKF_* */
	uint32_t n_devices;
	char devices[MANIFEST_DEVICES_MAX][MANIFEST_DEVICE_MAX];
	uint32_t dma;             /* DMA quota in bytes */
};

struct manifest_reader {
	const char *text;
	uint32_t len, pos, line;
	char tok[WASM_ARGS_MAX];
};

void manifest_begin(struct manifest_reader *r, const char *text, uint32_t len);
/* The next task: 1 with *out filled, 0 at the end, or E_INVALID for a bad
 * line (err says why; the next call continues after it). */
int manifest_next(struct manifest_reader *r, struct boot_task *out, char *err, size_t errlen);

#endif
