/*
 * The boot archive: the files the board or QEMU loads as the initrd (Wasm
 * modules and the manifest naming what to start). Format, all little-endian
 * (docs/kernel.md, src/host/boot-archive.ts writes it):
 *
 *   0   u32 magic "WBAR"     4  u32 version (1)
 *   8   u32 file count       12 u32 archive size in bytes
 *   16  table: count entries of 64 bytes:
 *         char name[56] (1..55 bytes, NUL-padded)  u32 offset  u32 size
 *   ... file data, each file at a 4-byte aligned offset after the table
 *
 * The reader trusts nothing: a hostile archive is refused, never followed.
 */
#ifndef CORE_BOOT_ARCHIVE_H
#define CORE_BOOT_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#define BOOT_ARCHIVE_MAGIC 0x52414257u /* "WBAR" */
#define BOOT_ARCHIVE_VERSION 1u
#define BOOT_ARCHIVE_HEADER 16u
#define BOOT_ARCHIVE_ENTRY 64u
#define BOOT_ARCHIVE_NAME_MAX 56u
#define BOOT_ARCHIVE_MAX_FILES 1024u

struct boot_archive {
	const uint8_t *base;
	uint32_t size;
	uint32_t count;
};

struct boot_file {
	const char *name; /* NUL-terminated, inside the archive */
	const uint8_t *data;
	uint32_t size;
};

/* The archive the kernel booted with (count 0 when there is none): the boot
 * task's manifest and modules, and the files of wasmos.bootfs_* (read-only). */
extern struct boot_archive boot_archive_booted;

/* Checks the header and every table entry of the archive at [base, base+avail).
 * Returns 0, or E_INVALID with the reason in err. */
int boot_archive_open(struct boot_archive *a, const void *base, uint32_t avail, char *err, size_t errlen);
/* File i (0..count-1); returns 0 or E_NOT_FOUND. */
int boot_archive_file(const struct boot_archive *a, uint32_t i, struct boot_file *out);
/* The file called `name`; returns 0 or E_NOT_FOUND. */
int boot_archive_find(const struct boot_archive *a, const char *name, struct boot_file *out);

#endif
