/* What the kernel takes from the flattened device tree the firmware hands over. */
#ifndef CORE_FDT_H
#define CORE_FDT_H

#include <stdint.h>
#include <stdbool.h>

#define FDT_MAX_VIRTIO 8
#define FDT_MAX_RESERVED 8

struct fdt_range {
	uint32_t base, size;
};

struct fdt_info {
	bool valid;
	uint32_t fdt_base, fdt_size;
	uint32_t mem_base, mem_size;
	char bootargs[256];
	uint32_t initrd_start, initrd_end;
	uint32_t timebase_hz;
	uint32_t uart_base, uart_irq;
	uint32_t plic_base, plic_size, plic_ndev;
	uint32_t clint_base;
	uint32_t test_base;
	uint32_t trace_base, trace_size; /* 0 when the board has no trace device (QEMU) */
	int n_virtio;
	struct { uint32_t base, size, irq; } virtio[FDT_MAX_VIRTIO];
	int n_reserved;
	struct fdt_range reserved[FDT_MAX_RESERVED];
};

/* Fills *out with defaults for QEMU virt, then with what the blob says. A
 * valid blob is also kept for the queries below (it stays reserved in RAM). */
void fdt_parse(uint32_t blob, struct fdt_info *out);

/* A device node: its first reg window and first interrupt (0 = none). */
struct fdt_device {
	uint32_t base, size;
	int32_t irq;
};

#define FDT_MATCH_MAX 32 /* nodes of one compatible string that queries see */

/* The index-th node compatible with `compat`, in ascending address order
 * (virtio-mmio index N is the Nth slot). 0, or E_NOT_FOUND. */
int fdt_find_compatible(const char *compat, uint32_t index, struct fdt_device *out);
/* True when [pa, pa+len) lies inside the reg window of a device node that a
 * driver may use: any node with a compatible string, outside RAM, except the
 * ones the kernel drives itself (interrupt controller, timer, test/power
 * device, trace device). */
bool fdt_driver_window(uint32_t pa, uint32_t len);

#endif
